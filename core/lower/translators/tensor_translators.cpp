// Ops that join, cut, index or create tensors: cat/stack, chunk/split/unbind, slice/select/
// narrow/index_select, and zeros/ones/full/arange (folded to constants when small and static).
#include <algorithm>
#include <cmath>
#include <limits>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Torch promotes mixed inputs of cat/stack; Core ML wants one dtype: float > int > bool.
std::vector<mil::Value*> promoted(LowerContext& ctx, std::vector<mil::Value*> values, const std::string& name) {
    auto has = [&](DType t) { return std::any_of(values.begin(), values.end(), [t](mil::Value* v) { return v->type.dtype == t; }); };
    const DType common = has(DType::Float32) || has(DType::Float16) ? DType::Float32 : has(DType::Int32) ? DType::Int32 : DType::Bool;
    for (mil::Value*& v : values)
        if (v->type.dtype != common)
            v = ctx.builder().add1("cast", {{"x", {v}}, {"dtype", {ctx.builder().constString(dtypeName(common), name + "_dtype")}}},
                                   name + "_" + dtypeName(common));
    return values;
}

void cat(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    std::vector<mil::Value*> values = promoted(ctx, tensorsOf(ctx, node.inputs.at(0)), ctx.nameFor(out));
    if (values.empty()) ctx.fail("cat of an empty list");
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : 0, values.front()->type.rank());
    if (values.size() == 1) {
        ctx.bind(out, values.front());
        return;
    }
    emit(ctx, "concat", {{"values", values}, {"axis", {ctx.builder().constInt(dim, ctx.nameFor(out) + "_axis")}}}, out);
}

void stack(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    std::vector<mil::Value*> values = promoted(ctx, tensorsOf(ctx, node.inputs.at(0)), ctx.nameFor(out));
    if (values.empty()) ctx.fail("stack of an empty list");
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : 0, values.front()->type.rank() + 1);
    if (values.size() == 1) {
        emit(ctx, "expand_dims", {{"x", values}, {"axes", {ctx.builder().constInts({dim}, ctx.nameFor(out) + "_axes")}}}, out);
        return;
    }
    emit(ctx, "stack", {{"values", values}, {"axis", {ctx.builder().constInt(dim, ctx.nameFor(out) + "_axis")}}}, out);
}

// Splits x along dim into pieces of the given sizes; binds the output list (or the outputs).
void splitInto(LowerContext& ctx, const ir::Node& node, mil::Value* x, int64_t dim, const std::vector<int64_t>& sizes,
               bool squeezeEach) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    std::vector<mil::Value*> pieces;
    if (sizes.size() == 1) {
        pieces.push_back(x);
    } else {
        pieces = ctx.builder().add("split",
                                   {{"x", {x}},
                                    {"split_sizes", {ctx.builder().constInts(sizes, name + "_sizes")}},
                                    {"axis", {ctx.builder().constInt(dim, name + "_axis")}}},
                                   name);
    }
    if (squeezeEach) {
        for (size_t i = 0; i < pieces.size(); ++i)
            pieces[i] = ctx.builder().add1(
                "squeeze", {{"x", {pieces[i]}}, {"axes", {ctx.builder().constInts({dim}, name + "_axes")}}},
                name + "_" + std::to_string(i));
    }
    // A list output (unpacked later by prim::ListUnpack), or one output per piece.
    if (node.outputs.size() == pieces.size() && pieces.size() > 1) {
        for (size_t i = 0; i < pieces.size(); ++i) ctx.bind(node.outputs[i], pieces[i]);
        return;
    }
    Lowered list;
    list.isList = true;
    for (mil::Value* p : pieces) {
        Lowered item;
        item.tensor = p;
        list.items.push_back(item);
    }
    ctx.bindLowered(out, std::move(list));
}

int64_t staticDim(LowerContext& ctx, mil::Value* x, int64_t dim, const char* op) {
    const int64_t n = x->type.shape[dim];
    if (n == mil::kUnknownDim)
        ctx.fail(std::string(op) + " along a dimension only known at run time is not supported",
                 "give the input a fixed shape");
    return n;
}

void chunk(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t chunks = ctx.intArg(node.inputs.at(1));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(2)), x->type.rank());
    if (chunks <= 0) ctx.fail("chunk count must be positive");
    const int64_t n = staticDim(ctx, x, dim, "chunk");
    // torch.chunk: pieces of ceil(n / chunks); the last may be smaller, and there may be fewer.
    const int64_t piece = (n + chunks - 1) / chunks;
    std::vector<int64_t> sizes;
    for (int64_t left = n; left > 0; left -= piece) sizes.push_back(std::min(piece, left));
    splitInto(ctx, node, x, dim, sizes, false);
}

void split(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 2 ? ctx.intArg(node.inputs[2]) : 0, x->type.rank());
    const int64_t n = staticDim(ctx, x, dim, "split");
    const ir::Constant& arg = ctx.constant(node.inputs.at(1));
    std::vector<int64_t> sizes;
    if (std::holds_alternative<int64_t>(arg)) {
        const int64_t piece = std::get<int64_t>(arg);
        if (piece <= 0) ctx.fail("split size must be positive");
        for (int64_t left = n; left > 0; left -= piece) sizes.push_back(std::min(piece, left));
    } else {
        sizes = ctx.intsArg(node.inputs.at(1));
        int64_t total = 0;
        for (int64_t s : sizes) {
            if (s <= 0) ctx.fail("split sizes must be positive (empty tensors are not supported by Core ML)");
            total += s;
        }
        if (total != n) ctx.fail("split sizes add up to " + std::to_string(total) + ", not the dimension's " + std::to_string(n));
    }
    splitInto(ctx, node, x, dim, sizes, false);
}

void unbind(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : 0, x->type.rank());
    const int64_t n = staticDim(ctx, x, dim, "unbind");
    splitInto(ctx, node, x, dim, std::vector<int64_t>(static_cast<size_t>(n), 1), true);
}

// x[start:end:step] along dim, torch rules: None/huge bounds, negative indices, clamping.
void sliceAlong(LowerContext& ctx, const ir::Node& node, mil::Value* x, int64_t dim, std::optional<int64_t> start,
                std::optional<int64_t> end, int64_t step) {
    const ir::Value* out = node.outputs.at(0);
    const int64_t rank = x->type.rank();
    if (step <= 0) ctx.fail("slice step must be positive, got " + std::to_string(step));
    const int64_t size = x->type.shape[dim];
    bool beginMasked = !start, endMasked = !end;
    int64_t b = start.value_or(0), e = end.value_or(0);
    if (size != mil::kUnknownDim) {
        if (b < 0) b = std::max<int64_t>(0, b + size);
        if (!endMasked && e < 0) e = std::max<int64_t>(0, e + size);
        b = std::min(b, size);
        if (endMasked) e = size;
        e = std::min(e, size);
        if (e <= b) ctx.fail("slice [" + std::to_string(b) + ":" + std::to_string(e) + "] of a dimension of " +
                             std::to_string(size) + " is empty; Core ML has no empty tensors");
        if (b == 0 && e == size && step == 1) {
            ctx.bind(out, x);
            return;
        }
        beginMasked = b == 0;
        endMasked = e == size;
    } else {
        if (start && *start == 0) beginMasked = true;
        if (end && *end >= std::numeric_limits<int32_t>::max()) endMasked = true;
    }
    std::vector<int64_t> begin(rank, 0), endv(rank, 0), stride(rank, 1);
    std::vector<bool> bm(rank, true), em(rank, true);
    begin[dim] = beginMasked ? 0 : b;
    endv[dim] = endMasked ? 0 : e;
    stride[dim] = step;
    bm[dim] = beginMasked;
    em[dim] = endMasked;
    const std::string name = ctx.nameFor(out);
    mil::Builder& bld = ctx.builder();
    std::vector<mil::OpInput> inputs = {{"x", {x}},
                                        {"begin", {bld.constInts(begin, name + "_begin")}},
                                        {"end", {bld.constInts(endv, name + "_end")}}};
    if (step != 1) inputs.push_back({"stride", {bld.constInts(stride, name + "_stride")}});
    inputs.push_back({"begin_mask", {bld.constant(Tensor::fromBools(bm, {rank}), name + "_begin_mask")}});
    inputs.push_back({"end_mask", {bld.constant(Tensor::fromBools(em, {rank}), name + "_end_mask")}});
    emit(ctx, "slice_by_index", std::move(inputs), out);
}

std::optional<int64_t> optionalInt(LowerContext& ctx, const ir::Value* v) {
    if (ctx.isNone(v)) return std::nullopt;
    return ctx.intArg(v);
}

void slice(LowerContext& ctx, const ir::Node& node) {
    const Lowered& in = ctx.lowered(node.inputs.at(0));
    if (in.isList || (in.constant && !std::holds_alternative<Tensor>(*in.constant))) {
        // list[start:end:step] on a conversion-time list.
        std::vector<Lowered> items = elementsOf(ctx, node.inputs[0]);
        const int64_t n = static_cast<int64_t>(items.size());
        int64_t b = node.inputs.size() > 1 ? optionalInt(ctx, node.inputs[1]).value_or(0) : 0;
        int64_t e = node.inputs.size() > 2 ? optionalInt(ctx, node.inputs[2]).value_or(n) : n;
        const int64_t step = node.inputs.size() > 3 ? ctx.intArg(node.inputs[3]) : 1;
        if (step <= 0) ctx.fail("list slice step must be positive");
        if (b < 0) b = std::max<int64_t>(0, b + n);
        if (e < 0) e = std::max<int64_t>(0, e + n);
        b = std::min(b, n);
        e = std::min(e, n);
        Lowered list;
        list.isList = true;
        for (int64_t i = b; i < e; i += step) list.items.push_back(items[static_cast<size_t>(i)]);
        bool allInts = true;
        std::vector<int64_t> ints;
        for (const Lowered& item : list.items) {
            std::optional<Scalar> s = item.constant && !item.tensor ? scalarOf(*item.constant) : std::nullopt;
            allInts = allInts && s && s->isInt;
            if (s) ints.push_back(s->intValue());
        }
        if (allInts && !list.items.empty()) ctx.bindConstant(node.outputs.at(0), ints);
        else ctx.bindLowered(node.outputs.at(0), std::move(list));
        return;
    }
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : 0, x->type.rank());
    const std::optional<int64_t> start = node.inputs.size() > 2 ? optionalInt(ctx, node.inputs[2]) : std::nullopt;
    std::optional<int64_t> end = node.inputs.size() > 3 ? optionalInt(ctx, node.inputs[3]) : std::nullopt;
    const int64_t step = node.inputs.size() > 4 ? ctx.intArg(node.inputs[4]) : 1;
    if (end && *end >= std::numeric_limits<int64_t>::max() / 2) end.reset();  // x[a:] traces as end=INT64_MAX
    sliceAlong(ctx, node, x, dim, start, end, step);
}

void narrow(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    int64_t start = ctx.intArg(node.inputs.at(2));
    const int64_t length = ctx.intArg(node.inputs.at(3));
    if (start < 0) start += staticDim(ctx, x, dim, "narrow");
    if (length <= 0) ctx.fail("narrow length must be positive");
    sliceAlong(ctx, node, x, dim, start, start + length, 1);
}

void select(LowerContext& ctx, const ir::Node& node) {
    const Lowered& in = ctx.lowered(node.inputs.at(0));
    if (in.isList || (in.constant && !std::holds_alternative<Tensor>(*in.constant))) {
        std::vector<Lowered> items = elementsOf(ctx, node.inputs[0]);
        int64_t i = ctx.intArg(node.inputs.at(1));
        if (i < 0) i += static_cast<int64_t>(items.size());
        if (i < 0 || i >= static_cast<int64_t>(items.size())) ctx.fail("list index out of range");
        ctx.bindLowered(node.outputs.at(0), items[static_cast<size_t>(i)]);
        return;
    }
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t rank = x->type.rank();
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), rank);
    int64_t index = ctx.intArg(node.inputs.at(2));
    const int64_t size = x->type.shape[dim];
    if (size != mil::kUnknownDim) {
        if (index < -size || index >= size)
            ctx.fail("index " + std::to_string(index) + " is out of range for a dimension of " + std::to_string(size));
        if (index < 0) index += size;
    }
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Builder& b = ctx.builder();
    std::vector<int64_t> begin(rank, 0), end(rank, 0);
    std::vector<bool> bm(rank, true), em(rank, true), sq(rank, false);
    begin[dim] = index;
    end[dim] = index + 1;
    bm[dim] = false;
    em[dim] = index == -1;  // x[-1] runs to the end
    sq[dim] = true;
    emit(ctx, "slice_by_index",
         {{"x", {x}},
          {"begin", {b.constInts(begin, name + "_begin")}},
          {"end", {b.constInts(end, name + "_end")}},
          {"begin_mask", {b.constant(Tensor::fromBools(bm, {rank}), name + "_begin_mask")}},
          {"end_mask", {b.constant(Tensor::fromBools(em, {rank}), name + "_end_mask")}},
          {"squeeze_mask", {b.constant(Tensor::fromBools(sq, {rank}), name + "_squeeze_mask")}}},
         out);
}

void indexSelect(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    mil::Value* index = ctx.tensorAs(node.inputs.at(2), DType::Int32);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (index->type.rank() == 0) index = reshapeTo(ctx, index, {1}, name + "_index");
    if (index->type.rank() != 1) ctx.fail("index_select expects a 1-D index, got shape " + shapeText(index->type.shape));
    emit(ctx, "gather", {{"x", {x}}, {"indices", {index}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}}},
         node.outputs.at(0));
}

// A tensor filled with one value: a constant when small, a fill op otherwise (so the package does
// not carry a large constant that costs nothing to compute).
void filled(LowerContext& ctx, const ir::Node& node, const Shape& shape, double value, DType dtype) {
    constexpr int64_t kMaxInlineElements = 16;
    const int64_t n = shapeNumel(shape);
    if (n <= 0) ctx.fail("creates an empty tensor of shape " + shapeText(shape) + "; Core ML has no empty tensors");
    Tensor scalar = dtype == DType::Bool    ? Tensor::scalarBool(value != 0)
                    : dtype == DType::Int32 ? Tensor::scalarInt(static_cast<int64_t>(value))
                                            : Tensor::scalarFloat(static_cast<float>(value));
    if (n <= kMaxInlineElements) {
        Tensor t = dtype == DType::Bool    ? Tensor::fromBools(std::vector<bool>(n, value != 0), shape)
                   : dtype == DType::Int32 ? Tensor::fromInts(std::vector<int64_t>(n, static_cast<int64_t>(value)), shape)
                                           : Tensor::fromFloats(std::vector<float>(n, static_cast<float>(value)), shape);
        ctx.bindConstant(node.outputs.at(0), std::move(t));
        return;
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "fill",
         {{"shape", {ctx.builder().constInts(shape, name + "_shape")}}, {"value", {ctx.builder().constant(scalar, name + "_value")}}},
         node.outputs.at(0));
}

DType dtypeArg(LowerContext& ctx, const ir::Node& node, size_t index, DType dflt) {
    if (index >= node.inputs.size() || ctx.isNone(node.inputs[index])) return dflt;
    return dtypeFromTorchScalarType(ctx, ctx.intArg(node.inputs[index]));
}

DType dtypeOfNumber(LowerContext& ctx, const ir::Value* v) {
    const ir::Constant& c = ctx.constant(v);
    if (std::holds_alternative<bool>(c)) return DType::Bool;
    std::optional<Scalar> s = scalarOf(c);
    if (!s) ctx.fail("fill value must be a number, got " + ir::constantToString(c));
    return s->isInt ? DType::Int32 : DType::Float32;
}

template <int Value>
void constantFill(LowerContext& ctx, const ir::Node& node) {  // zeros/ones(size, dtype, ...)
    filled(ctx, node, ctx.intsArg(node.inputs.at(0)), Value, dtypeArg(ctx, node, 1, DType::Float32));
}

void full(LowerContext& ctx, const ir::Node& node) {  // full(size, value, dtype, ...)
    filled(ctx, node, ctx.intsArg(node.inputs.at(0)), ctx.floatArg(node.inputs.at(1)),
           dtypeArg(ctx, node, 2, dtypeOfNumber(ctx, node.inputs.at(1))));
}

template <int Value>
void constantFillLike(LowerContext& ctx, const ir::Node& node) {  // zeros_like/ones_like(x, dtype, ...)
    const mil::TensorType& t = ctx.typeOf(node.inputs.at(0));
    if (!t.isStatic()) ctx.fail("creating a tensor shaped like one only known at run time is not supported yet");
    filled(ctx, node, t.shape, Value, dtypeArg(ctx, node, 1, t.dtype));
}

void fullLike(LowerContext& ctx, const ir::Node& node) {  // full_like(x, value, dtype, ...)
    const mil::TensorType& t = ctx.typeOf(node.inputs.at(0));
    if (!t.isStatic()) ctx.fail("creating a tensor shaped like one only known at run time is not supported yet");
    filled(ctx, node, t.shape, ctx.floatArg(node.inputs.at(1)), dtypeArg(ctx, node, 2, t.dtype));
}

template <int Value>
void newFill(LowerContext& ctx, const ir::Node& node) {  // new_zeros/new_ones(x, size, dtype, ...)
    filled(ctx, node, ctx.intsArg(node.inputs.at(1)), Value, dtypeArg(ctx, node, 2, ctx.typeOf(node.inputs.at(0)).dtype));
}

void newFull(LowerContext& ctx, const ir::Node& node) {  // new_full(x, size, value, dtype, ...)
    filled(ctx, node, ctx.intsArg(node.inputs.at(1)), ctx.floatArg(node.inputs.at(2)),
           dtypeArg(ctx, node, 3, ctx.typeOf(node.inputs.at(0)).dtype));
}

// arange(end, dtype, layout, device, pin) / arange(start, end, dtype, ...) / arange(start, end, step, dtype, ...).
void arange(LowerContext& ctx, const ir::Node& node) {
    const size_t n = node.inputs.size();
    std::vector<const ir::Value*> bounds;
    size_t dtypeIndex = 0;
    if (n <= 5) { bounds = {node.inputs.at(0)}; dtypeIndex = 1; }
    else if (n == 6) { bounds = {node.inputs[0], node.inputs[1]}; dtypeIndex = 2; }
    else { bounds = {node.inputs[0], node.inputs[1], node.inputs[2]}; dtypeIndex = 3; }
    const bool allConst = std::all_of(bounds.begin(), bounds.end(), [&](const ir::Value* v) { return ctx.isConstant(v); });
    if (!allConst) ctx.fail("arange with bounds only known at run time is not supported yet", "give the input a fixed shape");
    std::vector<Scalar> s;
    for (const ir::Value* v : bounds) {
        std::optional<Scalar> x = scalarOf(ctx.constant(v));
        if (!x) ctx.fail("arange bounds must be numbers");
        s.push_back(*x);
    }
    const double start = s.size() > 1 ? s[0].value : 0.0;
    const double end = s.size() > 1 ? s[1].value : s[0].value;
    const double step = s.size() > 2 ? s[2].value : 1.0;
    if (step == 0) ctx.fail("arange step may not be 0");
    const bool ints = std::all_of(s.begin(), s.end(), [](const Scalar& x) { return x.isInt; });
    const DType dtype = dtypeArg(ctx, node, dtypeIndex, ints ? DType::Int32 : DType::Float32);
    const int64_t count = static_cast<int64_t>(std::ceil((end - start) / step));
    if (count <= 0) ctx.fail("arange produces an empty tensor; Core ML has no empty tensors");
    std::vector<double> values;
    for (int64_t i = 0; i < count; ++i) values.push_back(start + static_cast<double>(i) * step);
    if (dtype == DType::Int32) {
        ctx.bindConstant(node.outputs.at(0), Tensor::fromInts(std::vector<int64_t>(values.begin(), values.end()), {count}));
    } else {
        ctx.bindConstant(node.outputs.at(0), Tensor::fromFloats(std::vector<float>(values.begin(), values.end()), {count}));
    }
}

}  // namespace

void registerTensorTranslators(TranslatorTable& t) {
    t.add({"aten::cat", "aten::concat", "aten::concatenate"}, cat);
    t.add({"aten::stack"}, stack);
    t.add({"aten::chunk"}, chunk);
    t.add({"aten::split", "aten::split_with_sizes"}, split);
    t.add({"aten::unbind"}, unbind);
    t.add({"aten::slice"}, slice);
    t.add({"aten::narrow"}, narrow);
    t.add({"aten::select"}, select);
    t.add({"aten::index_select"}, indexSelect);
    t.add({"aten::zeros", "aten::empty"}, constantFill<0>);
    t.add({"aten::ones"}, constantFill<1>);
    t.add({"aten::full"}, full);
    t.add({"aten::zeros_like", "aten::empty_like"}, constantFillLike<0>);
    t.add({"aten::ones_like"}, constantFillLike<1>);
    t.add({"aten::full_like"}, fullLike);
    t.add({"aten::new_zeros", "aten::new_empty"}, newFill<0>);
    t.add({"aten::new_ones"}, newFill<1>);
    t.add({"aten::new_full"}, newFull);
    t.add({"aten::arange"}, arange);
}

}  // namespace cms::lower
