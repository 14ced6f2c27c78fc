// Ops that rearrange a tensor without computing on its elements: reshape, transpose, squeeze,
// expand_dims, slicing and reverse. iOS17 re-declares them with wider element and index types.
#include <algorithm>
#include <cmath>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
const std::vector<DType> kElems15 = {DType::Float16, DType::Float32, DType::Int32, DType::Bool};
const std::vector<DType> kElems17 = {DType::Float16, DType::Float32, DType::Int8,  DType::UInt8,
                                     DType::Int16,   DType::UInt16,  DType::Int32, DType::Bool};
const std::vector<DType> kIndex15 = {DType::Int32};
const std::vector<DType> kIndex17 = {DType::Int8, DType::Int16, DType::Int32};
const std::vector<DType> kBool = {DType::Bool};

bool known(int64_t d) { return d != kUnknownDim; }

// reshape: one -1 is inferred from the element count; 0 copies a dimension of x. iOS15 copies it
// from the same position (ranks must match), iOS17 aligns the shapes from the right.
TensorType inferReshape(const InferContext& ctx, bool zerosFromRight) {
    const TensorType& x = ctx.type("x");
    const TensorType& shapeType = ctx.type("shape");
    if (shapeType.rank() != 1) ctx.fail("shape must be a 1-D tensor");
    if (!ctx.isConst("shape")) {
        if (!known(shapeType.shape[0])) ctx.fail("the length of a run-time shape must be known");
        // Sizes the run-time shape fixes at conversion time (a concat of constants and shape reads).
        Shape out(static_cast<size_t>(shapeType.shape[0]), kUnknownDim);
        if (const auto partial = partialIntValues(ctx.value("shape")); partial && partial->size() == out.size())
            for (size_t i = 0; i < out.size(); ++i)
                if ((*partial)[i] > 0) out[i] = (*partial)[i];
        return TensorType{x.dtype, out};
    }
    Shape to = ctx.ints("shape");
    if (std::count(to.begin(), to.end(), -1) > 1) ctx.fail("only one dimension of the target shape may be -1");
    if (!x.isStatic()) {
        for (int64_t& d : to)
            if (d == -1) d = kUnknownDim;
        return TensorType{x.dtype, to};
    }
    const Shape& from = x.shape;
    if (std::count(to.begin(), to.end(), 0)) {
        if (zerosFromRight) {
            for (size_t i = 0; i < to.size(); ++i) {
                const size_t fromRight = to.size() - 1 - i;
                if (to[i] == 0) to[i] = fromRight < from.size() ? from[from.size() - 1 - fromRight] : 1;
            }
        } else {
            if (from.size() != to.size())
                ctx.fail("a 0 in the target shape needs x (rank " + std::to_string(from.size()) +
                         ") and the shape to have the same rank");
            for (size_t i = 0; i < to.size(); ++i)
                if (to[i] == 0) to[i] = from[i];
        }
    }
    auto neg = std::find(to.begin(), to.end(), -1);
    if (neg != to.end()) {
        int64_t rest = 1;
        for (auto it = to.begin(); it != to.end(); ++it)
            if (it != neg) rest *= *it;
        if (rest == 0) ctx.fail("cannot infer a -1 dimension next to a 0-sized one");
        *neg = shapeNumel(from) / rest;
    }
    if (shapeNumel(from) != shapeNumel(to))
        ctx.fail("cannot reshape " + shapeToString(from) + " to " + shapeToString(ctx.ints("shape")));
    return TensorType{x.dtype, to};
}

TensorType inferTranspose(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const std::vector<int64_t> perm = ctx.ints("perm");
    if (static_cast<int64_t>(perm.size()) != x.rank())
        ctx.fail("perm has " + std::to_string(perm.size()) + " entries for a rank-" + std::to_string(x.rank()) + " input");
    Shape out;
    std::vector<bool> seen(perm.size(), false);
    for (int64_t p : perm) {
        const int64_t a = ctx.axis(p, x.rank());
        if (seen[a]) ctx.fail("perm repeats axis " + std::to_string(p));
        seen[a] = true;
        out.push_back(x.shape[a]);
    }
    return TensorType{x.dtype, out};
}

TensorType inferSqueeze(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    Shape out = x.shape;
    if (!ctx.has("axes")) {
        out.erase(std::remove(out.begin(), out.end(), int64_t(1)), out.end());
        return TensorType{x.dtype, out};
    }
    std::vector<int64_t> axes;
    for (int64_t a : ctx.ints("axes")) axes.push_back(ctx.axis(a, x.rank()));
    std::sort(axes.rbegin(), axes.rend());
    // Core ML silently keeps a listed axis whose size is not 1.
    for (int64_t a : axes)
        if (out[a] == 1) out.erase(out.begin() + a);
    return TensorType{x.dtype, out};
}

TensorType inferExpandDims(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const std::vector<int64_t> axes = ctx.ints("axes");
    const int64_t outRank = x.rank() + static_cast<int64_t>(axes.size());
    std::vector<int64_t> norm;
    for (int64_t a : axes) norm.push_back(ctx.axis(a, outRank));
    std::sort(norm.begin(), norm.end());
    Shape out = x.shape;
    for (int64_t a : norm) {
        if (a > static_cast<int64_t>(out.size())) ctx.fail("axis " + std::to_string(a) + " is out of range");
        out.insert(out.begin() + a, 1);
    }
    return TensorType{x.dtype, out};
}

// slice_by_index: the output size per dimension, following Core ML's rules (masks, negative
// indices, clamping; run-time begin/end leave a dimension unknown).
TensorType inferSliceByIndex(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const size_t rank = x.shape.size();
    auto param = [&](const char* name, size_t n) -> std::optional<std::vector<int64_t>> {
        if (!ctx.has(name) || !ctx.isConst(name)) return std::nullopt;
        std::vector<int64_t> v = ctx.ints(name);
        if (v.empty()) return std::nullopt;
        if (v.size() != n)
            ctx.fail(std::string("'") + name + "' has " + std::to_string(v.size()) + " entries for a rank-" +
                     std::to_string(n) + " input");
        return v;
    };
    auto mask = [&](const char* name) {
        std::vector<bool> m(rank, false);
        if (ctx.has(name)) {
            const std::vector<int64_t> v = ctx.ints(name);
            if (v.size() != rank) ctx.fail(std::string("'") + name + "' must have one entry per dimension");
            for (size_t i = 0; i < rank; ++i) m[i] = v[i] != 0;
        }
        return m;
    };
    for (const char* name : {"begin", "end"})
        if (ctx.type(name).rank() != 1 || (known(ctx.type(name).shape[0]) && size_t(ctx.type(name).shape[0]) != rank))
            ctx.fail(std::string("'") + name + "' must be a 1-D tensor with one entry per dimension of x");
    const auto begin = param("begin", rank);
    const auto end = param("end", rank);
    const std::vector<int64_t> stride = ctx.has("stride") ? ctx.ints("stride") : std::vector<int64_t>(rank, 1);
    if (stride.size() != rank) ctx.fail("'stride' must have one entry per dimension");
    const std::vector<bool> beginMask = mask("begin_mask"), endMask = mask("end_mask"), squeezeMask = mask("squeeze_mask");

    Shape out;
    for (size_t i = 0; i < rank; ++i) {
        if (squeezeMask[i]) continue;
        const int64_t dim = x.shape[i];
        const int64_t s = stride[i];
        if (s == 0) ctx.fail("stride may not be 0");
        if (beginMask[i] && endMask[i]) {
            out.push_back(!known(dim) ? (std::abs(s) == 1 ? dim : kUnknownDim)
                                      : static_cast<int64_t>(std::ceil(double(dim) / double(std::abs(s)))));
            continue;
        }
        const std::optional<int64_t> b = begin ? std::optional<int64_t>((*begin)[i]) : std::nullopt;
        const std::optional<int64_t> e = end ? std::optional<int64_t>((*end)[i]) : std::nullopt;
        // Sizes fixed by begin/end alone, whatever the input dimension.
        if (!beginMask[i] && !endMask[i] && b && e) {
            std::optional<int64_t> fixed;
            if (*b >= 0 && *e >= 0 && s > 0) {
                if (*e < *b) ctx.fail("unsupported slice (begin " + std::to_string(*b) + ", end " + std::to_string(*e) + ")");
                fixed = std::max<int64_t>(0, (*e - *b + s - 1) / s);
            }
            if (*b < 0 && *e < 0 && s < 0) {
                if (*b < *e) ctx.fail("unsupported slice (begin " + std::to_string(*b) + ", end " + std::to_string(*e) + ")");
                // Python floor division of a negative numerator, as Core ML computes it.
                const int64_t num = -(*b - *e - s - 1);
                fixed = std::max<int64_t>(0, static_cast<int64_t>(std::floor(double(num) / double(s))));
            }
            if (fixed && (*fixed == 0 || *fixed == 1)) {
                out.push_back(*fixed);
                continue;
            }
        }
        if (!beginMask[i] && endMask[i] && b && ((*b == 0 && s < 0) || (*b == -1 && s > 0))) {
            out.push_back(1);
            continue;
        }
        if (!known(dim)) { out.push_back(kUnknownDim); continue; }
        if (dim == 1) { out.push_back(1); continue; }
        if ((!b && !beginMask[i]) || (!e && !endMask[i])) { out.push_back(kUnknownDim); continue; }
        int64_t bi = b ? *b : 0, ei = e ? *e : 0;
        if (b && bi < 0) bi = std::max<int64_t>(0, bi + dim);
        if (e && ei < 0) ei = std::max<int64_t>(0, ei + dim);
        const int64_t low = s > 0 ? 0 : -1, high = s > 0 ? dim : dim - 1;
        int64_t lo = s > 0 ? bi : ei, hi = s > 0 ? ei : bi;
        const bool loMask = s > 0 ? beginMask[i] : endMask[i];
        const bool hiMask = s > 0 ? endMask[i] : beginMask[i];
        if (loMask) lo = low;
        hi = hiMask ? high : std::min(hi, high);
        const int64_t n = static_cast<int64_t>(std::ceil(double(hi - lo) / double(std::abs(s))));
        out.push_back(std::max<int64_t>(0, n));
    }
    return TensorType{x.dtype, out};
}

TensorType inferSliceBySize(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (ctx.type("begin").rank() != 1) ctx.fail("begin must be a 1-D tensor");
    if (ctx.type("size").rank() != 1) ctx.fail("size must be a 1-D tensor");
    if (ctx.type("begin").shape[0] != x.rank()) ctx.fail("begin must have one entry per dimension of x");
    if (ctx.type("size").shape[0] != x.rank()) ctx.fail("size must have one entry per dimension of x");
    if (!ctx.isConst("size")) return TensorType{x.dtype, Shape(x.shape.size(), kUnknownDim)};
    const std::vector<int64_t> size = ctx.ints("size");
    const bool beginKnown = ctx.isConst("begin");
    const std::vector<int64_t> begin = beginKnown ? ctx.ints("begin") : std::vector<int64_t>{};
    Shape out;
    for (size_t i = 0; i < size.size(); ++i) {
        if (size[i] != -1) out.push_back(size[i]);
        else if (beginKnown && known(x.shape[i])) out.push_back(x.shape[i] - begin[i]);
        else out.push_back(kUnknownDim);
    }
    return TensorType{x.dtype, out};
}

void declare(OpRegistry& r, const std::string& name, Target since, std::vector<InputDecl> inputs,
             std::function<TensorType(const InferContext&)> infer, const std::string& summary) {
    r.add({name, since, std::move(inputs),
           [infer = std::move(infer)](const InferContext& ctx) { return std::vector<TensorType>{infer(ctx)}; }, summary});
}
}  // namespace

void registerTensorTransformationOps(OpRegistry& r) {
    struct Version {
        Target since;
        const std::vector<DType>& elems;
        const std::vector<DType>& index;
    };
    for (const Version& v : {Version{Target::iOS15, kElems15, kIndex15}, Version{Target::iOS17, kElems17, kIndex17}}) {
        const bool ios17 = v.since == Target::iOS17;
        declare(r, "reshape", v.since, {{"x", false, false, false, v.elems}, {"shape", false, false, false, v.index}},
                [ios17](const InferContext& ctx) { return inferReshape(ctx, ios17); },
                "the same elements in a new shape (one -1 is inferred)");
        declare(r, "transpose", v.since,
                {{"x", false, false, false, v.elems}, {"perm", false, false, true, {DType::Int32}}}, inferTranspose,
                "permutes the dimensions");
        declare(r, "squeeze", v.since,
                {{"x", false, false, false, v.elems}, {"axes", true, false, true, {DType::Int32}}}, inferSqueeze,
                "removes dimensions of size 1");
        declare(r, "expand_dims", v.since,
                {{"x", false, false, false, v.elems}, {"axes", false, false, true, {DType::Int32}}}, inferExpandDims,
                "inserts dimensions of size 1");
        declare(r, "slice_by_index", v.since,
                {{"x", false, false, false, v.elems},
                 {"begin", false, false, false, v.index},
                 {"end", false, false, false, v.index},
                 {"stride", true, false, true, ios17 ? v.index : kIndex15},
                 {"begin_mask", true, false, true, kBool},
                 {"end_mask", true, false, true, kBool},
                 {"squeeze_mask", true, false, true, kBool}},
                inferSliceByIndex, "x[begin:end:stride] per dimension");
        declare(r, "slice_by_size", v.since,
                {{"x", false, false, false, v.elems},
                 {"begin", false, false, false, v.index},
                 {"size", false, false, false, v.index}},
                inferSliceBySize, "a block of x starting at begin with the given size");
        declare(r, "reverse", v.since, {{"x", false, false, false, v.elems}, {"axes", true, false, true, {DType::Int32}}},
                [](const InferContext& ctx) {
                    if (ctx.has("axes"))
                        for (int64_t a : ctx.ints("axes")) ctx.axis(a, ctx.type("x").rank());
                    return ctx.type("x");
                },
                "x with the order of elements reversed along the given axes (all axes by default)");
    }
}

}  // namespace cms::mil
