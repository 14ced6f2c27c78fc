#include "passes/const_eval.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <map>

namespace cms::passes {

using namespace mil;

namespace {

using Evaluator = std::function<std::optional<Tensor>(const Operation&, const TensorType&)>;

const Tensor* in(const Operation& op, const std::string& name) {
    const Value* v = op.input(name);
    return v && v->constValue ? &*v->constValue : nullptr;
}

bool byteAddressable(DType t) { return t != DType::String && dtypeBits(t) > 0 && dtypeBits(t) % 8 == 0; }

std::vector<int64_t> contiguousStrides(const Shape& s) {
    std::vector<int64_t> st(s.size(), 1);
    for (size_t i = s.size(); i-- > 1;) st[i - 1] = st[i] * s[i];
    return st;
}

// Visits every multi-index of `shape` in row-major order with the flat offset sum(idx[k] * strides[k]).
void forEachOffset(const Shape& shape, const std::vector<int64_t>& strides, int64_t base,
                   const std::function<void(int64_t outFlat, int64_t srcFlat)>& fn) {
    const int64_t n = shapeNumel(shape);
    if (n == 0) return;
    std::vector<int64_t> idx(shape.size(), 0);
    int64_t src = base;
    for (int64_t o = 0; o < n; ++o) {
        fn(o, src);
        for (size_t k = shape.size(); k-- > 0;) {
            src += strides[k];
            if (++idx[k] < shape[k]) break;
            src -= strides[k] * shape[k];
            idx[k] = 0;
        }
    }
}

// Copies elements of `src` into a new tensor of `outShape`: element o comes from srcOffset(o).
Tensor gatherBytes(const Tensor& src, const Shape& outShape, const std::vector<int64_t>& strides, int64_t base) {
    const size_t esz = static_cast<size_t>(dtypeBits(src.dtype()) / 8);
    std::vector<uint8_t> out(packedByteSize(src.dtype(), shapeNumel(outShape)));
    const uint8_t* s = src.bytes();
    forEachOffset(outShape, strides, base,
                  [&](int64_t o, int64_t i) { std::memcpy(out.data() + o * esz, s + i * esz, esz); });
    return Tensor(src.dtype(), outShape, std::move(out));
}

// Strides of `s` read as if broadcast to `outShape` (0 along broadcast axes).
std::vector<int64_t> broadcastStrides(const Shape& s, const Shape& outShape) {
    std::vector<int64_t> st(outShape.size(), 0);
    const std::vector<int64_t> own = contiguousStrides(s);
    const size_t lead = outShape.size() - s.size();
    for (size_t k = 0; k < s.size(); ++k) st[lead + k] = s[k] == 1 ? 0 : own[k];
    return st;
}

bool broadcastable(const Shape& s, const Shape& outShape) {
    if (s.size() > outShape.size()) return false;
    const size_t lead = outShape.size() - s.size();
    for (size_t k = 0; k < s.size(); ++k)
        if (s[k] != 1 && s[k] != outShape[lead + k]) return false;
    return true;
}

// Rounds exact (double) results once into `dtype`; integer results must be finite and fit int32.
std::optional<Tensor> fromDoubles(const std::vector<double>& v, const Shape& shape, DType dtype) {
    if (!isFloat(dtype))
        for (double d : v)
            if (!std::isfinite(d) || std::fabs(d) > 2147483647.0) return std::nullopt;
    std::vector<uint8_t> bytes(v.size() * sizeof(double));
    std::memcpy(bytes.data(), v.data(), bytes.size());
    return Tensor(DType::Float64, shape, std::move(bytes)).castTo(dtype);
}

std::optional<Tensor> binary(const Operation& op, const TensorType& out, double (*f)(double, double)) {
    const Tensor* x = in(op, "x");
    const Tensor* y = in(op, "y");
    if (!x || !y || x->dtype() == DType::String || y->dtype() == DType::String) return std::nullopt;
    if (!broadcastable(x->shape(), out.shape) || !broadcastable(y->shape(), out.shape)) return std::nullopt;
    const std::vector<double> xv = x->toDoubles(), yv = y->toDoubles();
    std::vector<double> xb(static_cast<size_t>(shapeNumel(out.shape)));
    std::vector<double> r(xb.size());
    forEachOffset(out.shape, broadcastStrides(x->shape(), out.shape), 0, [&](int64_t o, int64_t i) { xb[o] = xv[i]; });
    forEachOffset(out.shape, broadcastStrides(y->shape(), out.shape), 0,
                  [&](int64_t o, int64_t i) { r[o] = f(xb[o], yv[i]); });
    // One rounding into the result dtype: what IEEE arithmetic in that dtype gives for + - * /.
    return fromDoubles(r, out.shape, out.dtype);
}

std::optional<Tensor> unary(const Operation& op, const TensorType& out, double (*f)(double)) {
    const Tensor* x = in(op, "x");
    if (!x || x->dtype() == DType::String || x->shape() != out.shape) return std::nullopt;
    std::vector<double> v = x->toDoubles();
    for (double& d : v) d = f(d);
    return fromDoubles(v, out.shape, out.dtype);
}

std::optional<Tensor> sameData(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    if (!x || x->dtype() != out.dtype || x->numel() != shapeNumel(out.shape)) return std::nullopt;
    return x->reshaped(out.shape);
}

std::optional<Tensor> evalCast(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    if (!x || x->dtype() == DType::String || x->shape() != out.shape) return std::nullopt;
    if (isFloat(x->dtype()) && !isFloat(out.dtype)) {
        // Float -> int/bool truncates toward zero; values the target cannot hold are not folded.
        for (double d : x->toDoubles())
            if (!std::isfinite(d) || std::fabs(d) > 2147483647.0) return std::nullopt;
    }
    return x->castTo(out.dtype);
}

std::optional<Tensor> evalTranspose(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    const Tensor* perm = in(op, "perm");
    if (!x || !perm || !byteAddressable(x->dtype())) return std::nullopt;
    const std::vector<int64_t> p = perm->toInts();
    if (static_cast<int64_t>(p.size()) != x->rank()) return std::nullopt;
    const std::vector<int64_t> src = contiguousStrides(x->shape());
    Shape shape(p.size());
    std::vector<int64_t> strides(p.size());
    for (size_t k = 0; k < p.size(); ++k) {
        const int64_t a = p[k] < 0 ? p[k] + x->rank() : p[k];
        if (a < 0 || a >= x->rank()) return std::nullopt;
        shape[k] = x->shape()[a];
        strides[k] = src[a];
    }
    if (shape != out.shape) return std::nullopt;
    return gatherBytes(*x, shape, strides, 0);
}

// Python's slice.indices(): the first index and the element count along one axis.
std::pair<int64_t, int64_t> sliceRange(int64_t dim, std::optional<int64_t> begin, std::optional<int64_t> end,
                                       int64_t step) {
    auto clampIndex = [&](int64_t i, int64_t lo, int64_t hi) {
        if (i < 0) i += dim;
        return std::min(std::max(i, lo), hi);
    };
    int64_t start, stop;
    if (step > 0) {
        start = begin ? clampIndex(*begin, 0, dim) : 0;
        stop = end ? clampIndex(*end, 0, dim) : dim;
        return {start, std::max<int64_t>(0, (stop - start + step - 1) / step)};
    }
    start = begin ? clampIndex(*begin, -1, dim - 1) : dim - 1;
    stop = end ? clampIndex(*end, -1, dim - 1) : -1;
    return {start, std::max<int64_t>(0, (start - stop - step - 1) / -step)};
}

std::optional<Tensor> evalSliceByIndex(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    const Tensor* beginT = in(op, "begin");
    const Tensor* endT = in(op, "end");
    if (!x || !beginT || !endT || !byteAddressable(x->dtype())) return std::nullopt;
    const int64_t rank = x->rank();
    auto listOr = [&](const char* name, int64_t dflt) -> std::optional<std::vector<int64_t>> {
        if (!op.hasInput(name)) return std::vector<int64_t>(static_cast<size_t>(rank), dflt);
        const Tensor* t = in(op, name);
        if (!t || t->numel() != rank) return std::nullopt;
        return t->toInts();
    };
    const auto begin = listOr("begin", 0), end = listOr("end", 0), stride = listOr("stride", 1),
               beginMask = listOr("begin_mask", 0), endMask = listOr("end_mask", 0),
               squeezeMask = listOr("squeeze_mask", 0);
    if (!begin || !end || !stride || !beginMask || !endMask || !squeezeMask) return std::nullopt;
    const std::vector<int64_t> src = contiguousStrides(x->shape());
    Shape shape(static_cast<size_t>(rank));
    std::vector<int64_t> strides(static_cast<size_t>(rank));
    int64_t base = 0;
    Shape squeezed;
    for (int64_t k = 0; k < rank; ++k) {
        const int64_t dim = x->shape()[k];
        int64_t step = (*stride)[k];
        if (step == 0) return std::nullopt;
        std::optional<int64_t> b, e;
        if (!(*beginMask)[k]) b = (*begin)[k];
        if (!(*endMask)[k]) e = (*end)[k];
        if ((*squeezeMask)[k]) {  // exactly the element at `begin`
            e.reset();
            step = 1;
        }
        auto [first, count] = sliceRange(dim, b, e, step);
        if ((*squeezeMask)[k]) count = std::min<int64_t>(count, 1);
        shape[k] = count;
        strides[k] = src[k] * step;
        base += count > 0 ? first * src[k] : 0;
        if (!(*squeezeMask)[k]) squeezed.push_back(count);
    }
    if (squeezed != out.shape) return std::nullopt;
    return gatherBytes(*x, shape, strides, base).reshaped(out.shape);
}

std::optional<Tensor> evalConcat(const Operation& op, const TensorType& out) {
    const auto* values = op.inputList("values");
    const Tensor* axisT = in(op, "axis");
    const Tensor* interleave = in(op, "interleave");
    if (!values || values->empty() || !axisT || (interleave && interleave->scalarAsInt() != 0)) return std::nullopt;
    if (op.hasInput("interleave") && !interleave) return std::nullopt;
    for (const Value* v : *values)
        if (!v->constValue || v->constValue->dtype() != out.dtype || !byteAddressable(out.dtype)) return std::nullopt;
    const int64_t rank = static_cast<int64_t>(out.shape.size());
    int64_t axis = axisT->scalarAsInt();
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) return std::nullopt;
    const size_t esz = static_cast<size_t>(dtypeBits(out.dtype) / 8);
    int64_t outer = 1;
    for (int64_t k = 0; k < axis; ++k) outer *= out.shape[k];
    std::vector<uint8_t> bytes(packedByteSize(out.dtype, shapeNumel(out.shape)));
    size_t pos = 0;
    for (int64_t o = 0; o < outer; ++o) {
        for (const Value* v : *values) {
            const Tensor& t = *v->constValue;
            if (t.rank() != rank) return std::nullopt;
            const size_t chunk = static_cast<size_t>(t.numel() / std::max<int64_t>(outer, 1)) * esz;
            if (t.numel() == 0) continue;
            std::memcpy(bytes.data() + pos, t.bytes() + o * chunk, chunk);
            pos += chunk;
        }
    }
    if (pos != bytes.size()) return std::nullopt;
    return Tensor(out.dtype, out.shape, std::move(bytes));
}

std::optional<Tensor> evalShape(const Operation& op, const TensorType& out) {
    const Value* x = op.input("x");
    if (!x || !x->type.isStatic() || out.shape != Shape{x->type.rank()}) return std::nullopt;
    return Tensor::fromInts(x->type.shape, out.shape, out.dtype);
}

std::optional<Tensor> evalFill(const Operation& op, const TensorType& out) {
    const Tensor* value = in(op, "value");
    if (op.hasInput("value") && !value) return std::nullopt;
    if (!in(op, "shape")) return std::nullopt;
    const double v = value ? value->scalarAsDouble() : 0.0;
    std::vector<double> all(static_cast<size_t>(shapeNumel(out.shape)), v);
    return fromDoubles(all, out.shape, out.dtype);
}

std::optional<Tensor> evalRange(const Operation& op, const TensorType& out) {
    const Tensor *start = in(op, "start"), *end = in(op, "end"), *step = in(op, "step");
    if (!start || !end || !step || out.shape.size() != 1) return std::nullopt;
    const double s = start->scalarAsDouble(), d = step->scalarAsDouble();
    std::vector<double> v(static_cast<size_t>(out.shape[0]));
    for (size_t i = 0; i < v.size(); ++i) v[i] = s + d * static_cast<double>(i);
    return fromDoubles(v, out.shape, out.dtype);
}

std::optional<Tensor> evalTile(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    const Tensor* reps = in(op, "reps");
    if (!x || !reps || !byteAddressable(x->dtype()) || x->rank() != static_cast<int64_t>(out.shape.size()))
        return std::nullopt;
    const size_t esz = static_cast<size_t>(dtypeBits(x->dtype()) / 8);
    const std::vector<int64_t> src = contiguousStrides(x->shape());
    std::vector<uint8_t> bytes(packedByteSize(x->dtype(), shapeNumel(out.shape)));
    std::vector<int64_t> idx(out.shape.size(), 0);
    for (int64_t o = 0; o < shapeNumel(out.shape); ++o) {
        int64_t s = 0;
        for (size_t k = 0; k < idx.size(); ++k) s += (idx[k] % x->shape()[k]) * src[k];
        std::memcpy(bytes.data() + o * esz, x->bytes() + s * esz, esz);
        for (size_t k = idx.size(); k-- > 0;) {
            if (++idx[k] < out.shape[k]) break;
            idx[k] = 0;
        }
    }
    return Tensor(x->dtype(), out.shape, std::move(bytes));
}

std::optional<Tensor> evalGather(const Operation& op, const TensorType& out) {
    const Tensor* x = in(op, "x");
    const Tensor* indices = in(op, "indices");
    const Tensor* axisT = in(op, "axis");
    if (!x || !indices || !byteAddressable(x->dtype()) || (op.hasInput("axis") && !axisT)) return std::nullopt;
    if (const Tensor* batchDims = in(op, "batch_dims"); batchDims && batchDims->scalarAsInt() != 0) return std::nullopt;
    int64_t axis = axisT ? axisT->scalarAsInt() : 0;
    if (axis < 0) axis += x->rank();
    if (axis < 0 || axis >= x->rank()) return std::nullopt;
    const int64_t dim = x->shape()[axis];
    int64_t outer = 1, inner = 1;
    for (int64_t k = 0; k < axis; ++k) outer *= x->shape()[k];
    for (int64_t k = axis + 1; k < x->rank(); ++k) inner *= x->shape()[k];
    const size_t chunk = static_cast<size_t>(inner) * static_cast<size_t>(dtypeBits(x->dtype()) / 8);
    std::vector<int64_t> idx = indices->toInts();
    for (int64_t& i : idx) {
        if (i < 0) i += dim;
        if (i < 0 || i >= dim) return std::nullopt;
    }
    if (outer * static_cast<int64_t>(idx.size()) * inner != shapeNumel(out.shape)) return std::nullopt;
    std::vector<uint8_t> bytes(packedByteSize(x->dtype(), shapeNumel(out.shape)));
    size_t pos = 0;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t i : idx) {
            std::memcpy(bytes.data() + pos, x->bytes() + (o * dim + i) * chunk, chunk);
            pos += chunk;
        }
    return Tensor(x->dtype(), out.shape, std::move(bytes));
}

const std::map<std::string, Evaluator>& evaluators() {
    static const std::map<std::string, Evaluator> table = [] {
        std::map<std::string, Evaluator> t;
        auto bin = [&](const char* name, double (*f)(double, double)) {
            t[name] = [f](const Operation& op, const TensorType& out) { return binary(op, out, f); };
        };
        auto un = [&](const char* name, double (*f)(double)) {
            t[name] = [f](const Operation& op, const TensorType& out) { return unary(op, out, f); };
        };
        bin("add", [](double a, double b) { return a + b; });
        bin("sub", [](double a, double b) { return a - b; });
        bin("mul", [](double a, double b) { return a * b; });
        bin("real_div", [](double a, double b) { return a / b; });
        bin("floor_div", [](double a, double b) { return std::floor(a / b); });
        bin("mod", [](double a, double b) { return a - std::floor(a / b) * b; });
        bin("maximum", [](double a, double b) { return std::fmax(a, b); });
        bin("minimum", [](double a, double b) { return std::fmin(a, b); });
        bin("pow", [](double a, double b) { return std::pow(a, b); });
        bin("equal", [](double a, double b) { return a == b ? 1.0 : 0.0; });
        bin("not_equal", [](double a, double b) { return a != b ? 1.0 : 0.0; });
        bin("less", [](double a, double b) { return a < b ? 1.0 : 0.0; });
        bin("less_equal", [](double a, double b) { return a <= b ? 1.0 : 0.0; });
        bin("greater", [](double a, double b) { return a > b ? 1.0 : 0.0; });
        bin("greater_equal", [](double a, double b) { return a >= b ? 1.0 : 0.0; });
        bin("logical_and", [](double a, double b) { return (a != 0 && b != 0) ? 1.0 : 0.0; });
        bin("logical_or", [](double a, double b) { return (a != 0 || b != 0) ? 1.0 : 0.0; });
        un("abs", [](double a) { return std::fabs(a); });
        un("sqrt", [](double a) { return std::sqrt(a); });
        un("exp", [](double a) { return std::exp(a); });
        un("floor", [](double a) { return std::floor(a); });
        un("ceil", [](double a) { return std::ceil(a); });
        un("relu", [](double a) { return a > 0 ? a : 0.0; });
        un("logical_not", [](double a) { return a == 0 ? 1.0 : 0.0; });
        t["cast"] = evalCast;
        t["identity"] = sameData;
        t["reshape"] = sameData;
        t["squeeze"] = sameData;
        t["expand_dims"] = sameData;
        t["transpose"] = evalTranspose;
        t["slice_by_index"] = evalSliceByIndex;
        t["concat"] = evalConcat;
        t["shape"] = evalShape;
        t["fill"] = evalFill;
        t["range_1d"] = evalRange;
        t["tile"] = evalTile;
        t["gather"] = evalGather;
        return t;
    }();
    return table;
}

}  // namespace

bool canEvaluate(const std::string& opType) { return evaluators().count(opType) != 0; }

std::optional<Tensor> evaluateConstOp(const Operation& op) {
    auto it = evaluators().find(op.type);
    if (it == evaluators().end() || op.outputs.size() != 1 || !op.blocks.empty()) return std::nullopt;
    const TensorType& out = op.output()->type;
    if (!out.isStatic() || out.dtype == DType::String) return std::nullopt;
    if (op.type != "shape")
        for (const auto& input : op.inputs)
            for (const Value* v : input.values)
                if (!v->constValue) return std::nullopt;
    std::optional<Tensor> result = it->second(op, out);
    if (result && (result->dtype() != out.dtype || result->shape() != out.shape)) return std::nullopt;
    return result;
}

}  // namespace cms::passes
