// Ops that join, cut, index or create tensors: cat/stack/hstack, chunk/split/tensor_split/unbind,
// slice/select/narrow/index_select, repeat_interleave, meshgrid/broadcast_tensors, the scans cumprod
// and logcumsumexp, and zeros/ones/full/fill_/eye/linspace/arange (folded to constants when small and
// static). Also the in-place bitwise operators (&=, |=, ^=), which compute what their functional forms do.
#include <algorithm>
#include <cmath>
#include <limits>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/index_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Torch promotes mixed inputs of cat/stack; Core ML wants one dtype: float > int > bool.
std::vector<mil::Value*> promoted(LowerContext& ctx, std::vector<mil::Value*> values, const std::string& name) {
    auto has = [&](DType t) { return std::any_of(values.begin(), values.end(), [t](mil::Value* v) { return v->type.dtype == t; }); };
    // As torch: fp16 with fp32 gives fp32, fp16 alone stays fp16 (an fp16 model's rotary halves concatenated
    // in fp32 would turn every later op, and a copy of every later weight, into fp32).
    const DType common = has(DType::Float32)   ? DType::Float32
                         : has(DType::Float16) ? DType::Float16
                         : has(DType::Int32)   ? DType::Int32
                                               : DType::Bool;
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

// x[start:end] along `dim` where start or end is only known at run time (e.g. pos[:x.size(1)]):
// slice_by_index with run-time begin/end vectors; the other dimensions are kept whole by the masks.
bool sliceAtRunTimeBounds(LowerContext& ctx, const ir::Node& node, mil::Value* x, int64_t dim) {
    const auto runtime = [&](size_t i) { return i < node.inputs.size() && ctx.lowered(node.inputs[i]).tensor != nullptr; };
    if (!runtime(2) && !runtime(3)) return false;
    const int64_t step = node.inputs.size() > 4 ? ctx.intArg(node.inputs[4]) : 1;
    if (step != 1) ctx.fail("a slice with run-time bounds must have step 1, got " + std::to_string(step));
    const int64_t rank = x->type.rank();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<bool> bm(rank, true), em(rank, true);
    std::vector<Lowered> begin(static_cast<size_t>(rank)), end(static_cast<size_t>(rank));
    for (int64_t d = 0; d < rank; ++d) begin[d].constant = end[d].constant = int64_t(0);
    const auto bound = [&](size_t i, std::vector<Lowered>& v, std::vector<bool>& mask) {
        if (i >= node.inputs.size() || ctx.isNone(node.inputs[i])) return;
        const Lowered& l = ctx.lowered(node.inputs[i]);
        if (!l.tensor) {
            const int64_t c = ctx.intArg(node.inputs[i]);
            if (i == 3 && c >= std::numeric_limits<int64_t>::max() / 2) return;  // x[a:] traces end=INT64_MAX
            if (i == 2 && c == 0) return;
        }
        v[dim] = l.tensor ? l : ctx.lowered(node.inputs[i]);
        mask[dim] = false;
    };
    bound(2, begin, bm);
    bound(3, end, em);
    mil::Builder& b = ctx.builder();
    emit(ctx, "slice_by_index",
         {{"x", {x}},
          {"begin", {intVector(ctx, begin, name + "_begin")}},
          {"end", {intVector(ctx, end, name + "_end")}},
          {"begin_mask", {b.constant(Tensor::fromBools(bm, {rank}), name + "_begin_mask")}},
          {"end_mask", {b.constant(Tensor::fromBools(em, {rank}), name + "_end_mask")}}},
         node.outputs.at(0));
    return true;
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
    if (sliceAtRunTimeBounds(ctx, node, x, dim)) return;
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

// A fill whose shape is only known at run time (sizes read from a flexible input).
void filledAtRunTime(LowerContext& ctx, const ir::Node& node, mil::Value* shape, double value, DType dtype) {
    const Tensor scalar = dtype == DType::Bool    ? Tensor::scalarBool(value != 0)
                          : dtype == DType::Int32 ? Tensor::scalarInt(static_cast<int64_t>(value))
                                                  : Tensor::scalarFloat(static_cast<float>(value));
    emit(ctx, "fill", {{"shape", {shape}}, {"value", {ctx.builder().constant(scalar, ctx.nameFor(node.outputs.at(0)) + "_value")}}},
         node.outputs.at(0));
}

// The size argument of zeros/ones/full/new_*: conversion-time ints, or run-time sizes among them.
void filledBySize(LowerContext& ctx, const ir::Node& node, const ir::Value* size, double value, DType dtype) {
    const Lowered& l = ctx.lowered(size);
    if (l.tensor && !l.isList) {
        filledAtRunTime(ctx, node, ctx.tensorAs(size, DType::Int32), value, dtype);
        return;
    }
    const std::vector<Lowered> items = elementsOf(ctx, size);
    if (allConstant(items)) {
        filled(ctx, node, ctx.intsArg(size), value, dtype);
        return;
    }
    filledAtRunTime(ctx, node, intVector(ctx, items, ctx.nameFor(node.outputs.at(0)) + "_shape"), value, dtype);
}

// *_like of a tensor with sizes only known at run time: its shape read with a shape op.
void filledLike(LowerContext& ctx, const ir::Node& node, mil::Value* like, double value, DType dtype) {
    if (like->type.isStatic()) {
        filled(ctx, node, like->type.shape, value, dtype);
        return;
    }
    filledAtRunTime(ctx, node, ctx.builder().add1("shape", {{"x", {like}}}, ctx.nameFor(node.outputs.at(0)) + "_shape"), value,
                    dtype);
}

template <int Value>
void constantFill(LowerContext& ctx, const ir::Node& node) {  // zeros/ones(size, dtype, ...)
    filledBySize(ctx, node, node.inputs.at(0), Value, dtypeArg(ctx, node, 1, DType::Float32));
}

void full(LowerContext& ctx, const ir::Node& node) {  // full(size, value, dtype, ...)
    filledBySize(ctx, node, node.inputs.at(0), ctx.floatArg(node.inputs.at(1)),
                 dtypeArg(ctx, node, 2, dtypeOfNumber(ctx, node.inputs.at(1))));
}

template <int Value>
void constantFillLike(LowerContext& ctx, const ir::Node& node) {  // zeros_like/ones_like(x, dtype, ...)
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    filledLike(ctx, node, x, Value, dtypeArg(ctx, node, 1, x->type.dtype));
}

void fullLike(LowerContext& ctx, const ir::Node& node) {  // full_like(x, value, dtype, ...)
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    filledLike(ctx, node, x, ctx.floatArg(node.inputs.at(1)), dtypeArg(ctx, node, 2, x->type.dtype));
}

template <int Value>
void newFill(LowerContext& ctx, const ir::Node& node) {  // new_zeros/new_ones(x, size, dtype, ...)
    filledBySize(ctx, node, node.inputs.at(1), Value, dtypeArg(ctx, node, 2, ctx.typeOf(node.inputs.at(0)).dtype));
}

void newFull(LowerContext& ctx, const ir::Node& node) {  // new_full(x, size, value, dtype, ...)
    filledBySize(ctx, node, node.inputs.at(1), ctx.floatArg(node.inputs.at(2)),
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
    if (!allConst) {
        // Bounds read from a flexible input's size (e.g. arange(x.size(1))): range_1d at run time.
        bool ints = true;
        for (const ir::Value* v : bounds)
            ints = ints && (ctx.isConstant(v) ? scalarOf(ctx.constant(v)) && scalarOf(ctx.constant(v))->isInt
                                              : ctx.typeOf(v).dtype == DType::Int32);
        const DType compute = ints ? DType::Int32 : DType::Float32;
        mil::Builder& b = ctx.builder();
        const std::string name = ctx.nameFor(node.outputs.at(0));
        const auto scalarTensor = [&](const ir::Value* v) {
            mil::Value* t = ctx.tensorAs(v, compute);
            if (t->type.rank() == 0) return t;
            if (shapeNumel(t->type.shape) != 1) ctx.fail("arange bounds must be single numbers, got " + t->type.toString());
            return b.add1("squeeze", {{"x", {t}}}, name + "_bound");
        };
        mil::Value* start = bounds.size() > 1 ? scalarTensor(bounds[0]) : b.constant(ints ? Tensor::scalarInt(0) : Tensor::scalarFloat(0), name + "_start");
        mil::Value* end = scalarTensor(bounds.size() > 1 ? bounds[1] : bounds[0]);
        mil::Value* step = bounds.size() > 2 ? scalarTensor(bounds[2]) : b.constant(ints ? Tensor::scalarInt(1) : Tensor::scalarFloat(1), name + "_step");
        const DType want = dtypeArg(ctx, node, dtypeIndex, compute);
        if (want == compute) {
            emit(ctx, "range_1d", {{"end", {end}}, {"start", {start}}, {"step", {step}}}, node.outputs.at(0));
            return;
        }
        mil::Value* r = b.add1("range_1d", {{"end", {end}}, {"start", {start}}, {"step", {step}}}, name + "_range");
        emit(ctx, "cast", {{"x", {r}}, {"dtype", {b.constString(want == DType::Int32 ? "int32" : "fp32", name + "_dtype")}}},
             node.outputs.at(0));
        return;
    }
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


// tensor_split(x, sections | indices | tensor, dim): like numpy.array_split.
void tensorSplit(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, node.inputs.size() > 2 ? ctx.intArg(node.inputs[2]) : 0, x->type.rank());
    const int64_t n = staticDim(ctx, x, dim, "tensor_split");
    const ir::Constant& arg = ctx.constant(node.inputs.at(1));
    std::optional<int64_t> sections;
    std::vector<int64_t> bounds;
    if (const auto* t = std::get_if<Tensor>(&arg); t && t->rank() == 0) sections = t->scalarAsInt();
    else if (std::holds_alternative<int64_t>(arg)) sections = std::get<int64_t>(arg);
    else bounds = ctx.intsArg(node.inputs.at(1));
    std::vector<int64_t> sizes;
    if (sections) {
        if (*sections <= 0) ctx.fail("tensor_split needs a positive number of sections, got " + std::to_string(*sections));
        for (int64_t i = 0; i < *sections; ++i) sizes.push_back(n / *sections + (i < n % *sections ? 1 : 0));
    } else {
        int64_t prev = 0;
        bounds.push_back(n);
        for (int64_t b : bounds) {
            b = std::clamp<int64_t>(b < 0 ? b + n : b, 0, n);
            sizes.push_back(std::max<int64_t>(0, b - prev));
            prev = std::max(prev, b);
        }
    }
    if (std::find(sizes.begin(), sizes.end(), 0) != sizes.end())
        ctx.fail("tensor_split produces an empty piece (sizes " + listText(sizes) + "); Core ML has no empty tensors");
    splitInto(ctx, node, x, dim, sizes, false);
}

// hstack(tensors): cat along dim 1, or dim 0 for 1-D tensors (0-D ones count as 1-D).
void hstack(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    std::vector<mil::Value*> values = tensorsOf(ctx, node.inputs.at(0));
    if (values.empty()) ctx.fail("hstack of an empty list");
    for (size_t i = 0; i < values.size(); ++i)
        if (values[i]->type.rank() == 0) values[i] = reshapeTo(ctx, values[i], {1}, name + "_1d" + std::to_string(i));
    values = promoted(ctx, values, name);
    const int64_t dim = values.front()->type.rank() == 1 ? 0 : 1;
    if (values.size() == 1) {
        ctx.bind(out, values.front());
        return;
    }
    emit(ctx, "concat", {{"values", values}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}}}, out);
}

void bindTensorList(LowerContext& ctx, const ir::Node& node, const std::vector<mil::Value*>& tensors) {
    if (node.outputs.size() == tensors.size() && tensors.size() > 1) {
        for (size_t i = 0; i < tensors.size(); ++i) ctx.bind(node.outputs[i], tensors[i]);
        return;
    }
    Lowered list;
    list.isList = true;
    for (mil::Value* t : tensors) {
        Lowered item;
        item.tensor = t;
        list.items.push_back(item);
    }
    ctx.bindLowered(node.outputs.at(0), std::move(list));
}

// meshgrid(tensors, indexing): each 1-D tensor spread along its own dim of the grid; 'xy' swaps the
// first two grid dims.
void meshgrid(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<mil::Value*> values = tensorsOf(ctx, node.inputs.at(0));
    const std::string indexing = node.inputs.size() > 1 && !ctx.isNone(node.inputs[1]) ? ctx.stringArg(node.inputs[1]) : "ij";
    if (indexing != "ij" && indexing != "xy") ctx.fail("meshgrid indexing must be 'ij' or 'xy', got '" + indexing + "'");
    const size_t k = values.size();
    if (k == 0) ctx.fail("meshgrid of an empty list");
    auto position = [&](size_t i) { return indexing == "xy" && k > 1 && i < 2 ? 1 - i : i; };
    Shape grid(k);
    for (size_t i = 0; i < k; ++i) {
        if (values[i]->type.rank() > 1) ctx.fail("meshgrid takes 0-D or 1-D tensors, got " + values[i]->type.toString());
        grid[position(i)] = values[i]->type.rank() == 0 ? 1 : values[i]->type.shape[0];
    }
    std::vector<mil::Value*> outs;
    for (size_t i = 0; i < k; ++i) {
        Shape along(k, 1);
        along[position(i)] = grid[position(i)];
        const std::string piece = name + "_" + std::to_string(i);
        outs.push_back(broadcastTo(ctx, reshapeTo(ctx, values[i], along, piece + "_along"), grid, piece));
    }
    bindTensorList(ctx, node, outs);
}

// broadcast_tensors(tensors): each tensor expanded to the common shape.
void broadcastTensors(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<mil::Value*> values = tensorsOf(ctx, node.inputs.at(0));
    std::vector<Shape> shapes;
    for (mil::Value* v : values) shapes.push_back(v->type.shape);
    const Shape common = broadcastShape(ctx, shapes);
    std::vector<mil::Value*> outs;
    for (size_t i = 0; i < values.size(); ++i) outs.push_back(broadcastTo(ctx, values[i], common, name + "_" + std::to_string(i)));
    bindTensorList(ctx, node, outs);
}

// eye(n, dtype, ...) / eye(n, m, dtype, ...): a constant identity matrix.
void eye(LowerContext& ctx, const ir::Node& node) {
    const bool hasM = node.inputs.size() >= 6;
    const int64_t n = ctx.intArg(node.inputs.at(0));
    const int64_t m = hasM ? ctx.intArg(node.inputs.at(1)) : n;
    if (n <= 0 || m <= 0) ctx.fail("eye of size " + std::to_string(n) + "x" + std::to_string(m) + " is empty; Core ML has no empty tensors");
    const DType dtype = dtypeArg(ctx, node, hasM ? 2 : 1, DType::Float32);
    std::vector<int64_t> v(static_cast<size_t>(n * m), 0);
    for (int64_t i = 0; i < std::min(n, m); ++i) v[static_cast<size_t>(i * m + i)] = 1;
    ctx.bindConstant(node.outputs.at(0), Tensor::fromInts(v, {n, m}).castTo(dtype));
}

// linspace(start, end, steps, dtype, ...): a constant, evaluated from both ends as torch does.
void linspace(LowerContext& ctx, const ir::Node& node) {
    for (size_t i = 0; i < 3; ++i)
        if (!ctx.isConstant(node.inputs.at(i)))
            ctx.fail("linspace with bounds computed at run time is not supported", "use constant bounds and step count");
    const double start = ctx.floatArg(node.inputs[0]), end = ctx.floatArg(node.inputs[1]);
    const int64_t steps = ctx.intArg(node.inputs[2]);
    if (steps <= 0) ctx.fail("linspace with " + std::to_string(steps) + " steps is empty; Core ML has no empty tensors");
    const DType dtype = dtypeArg(ctx, node, 3, DType::Float32);
    const double step = steps > 1 ? (end - start) / static_cast<double>(steps - 1) : 0.0;
    std::vector<float> v;
    for (int64_t i = 0; i < steps; ++i)
        v.push_back(static_cast<float>(i < steps / 2 ? start + step * static_cast<double>(i)
                                                     : end - step * static_cast<double>(steps - 1 - i)));
    ctx.bindConstant(node.outputs.at(0), Tensor::fromFloats(v, {steps}).castTo(dtype));
}

// fill_(x, value): x's shape and dtype, every element value (a number, or a 0-D tensor).
void fillInPlace(LowerContext& ctx, const ir::Node& node) {
    const mil::TensorType& t = ctx.typeOf(node.inputs.at(0));
    if (!t.isStatic()) ctx.fail("fill_ of a tensor whose shape is only known at run time is not supported", "give the input a fixed shape");
    const ir::Value* value = node.inputs.at(1);
    if (ctx.isConstant(value)) {
        filled(ctx, node, t.shape, ctx.floatArg(value), t.dtype);
        return;
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* v = ctx.tensor(value);
    if (shapeNumel(v->type.shape) != 1) ctx.fail("fill_ takes a single value, got a tensor of shape " + shapeText(v->type.shape));
    v = castValue(ctx, reshapeTo(ctx, v, {}, name + "_value"), t.dtype, name + "_cast");
    ctx.bind(node.outputs.at(0), broadcastTo(ctx, v, t.shape, name));
}

// repeat_interleave(x, repeats, dim, output_size): each element (slice along dim) repeated; x is
// flattened when dim is None. repeat_interleave(repeats): indices 0.. repeated by a constant count each.
void repeatInterleave(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    auto constantCounts = [&](const ir::Value* v) {
        if (!ctx.isConstant(v))
            ctx.fail("repeat_interleave with repeat counts computed at run time has a data-dependent size; Core ML needs static shapes",
                     "use constant repeat counts");
        return ctx.intsArg(v);
    };
    if (node.inputs.size() == 2) {  // repeat_interleave(repeats, output_size)
        std::vector<int64_t> result;
        const std::vector<int64_t> counts = constantCounts(node.inputs[0]);
        for (size_t i = 0; i < counts.size(); ++i) result.insert(result.end(), static_cast<size_t>(std::max<int64_t>(0, counts[i])), static_cast<int64_t>(i));
        if (result.empty()) ctx.fail("repeat_interleave produces an empty tensor; Core ML has no empty tensors");
        ctx.bindConstant(out, Tensor::fromInts(result, {static_cast<int64_t>(result.size())}));
        return;
    }
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!x->type.isStatic()) ctx.fail("repeat_interleave needs a tensor of fixed shape, got " + x->type.toString(), "give the input a fixed shape");
    int64_t dim = 0;
    if (node.inputs.size() > 2 && !ctx.isNone(node.inputs[2])) {
        dim = normalizeDim(ctx, ctx.intArg(node.inputs[2]), std::max<int64_t>(1, x->type.rank()));
    }
    if (x->type.rank() == 0 || node.inputs.size() <= 2 || ctx.isNone(node.inputs[2]))
        x = reshapeTo(ctx, x, {shapeNumel(x->type.shape)}, name + "_flat");
    const int64_t n = x->type.shape[static_cast<size_t>(dim)];
    std::vector<int64_t> counts = constantCounts(node.inputs.at(1));
    mil::Builder& b = ctx.builder();
    if (counts.size() == 1) {
        // Same count for all: a new axis after dim, tiled, merged back into dim.
        const int64_t r = counts[0];
        if (r <= 0) ctx.fail("repeat_interleave count must be positive (Core ML has no empty tensors), got " + std::to_string(r));
        if (r == 1) {
            ctx.bind(out, x);
            return;
        }
        mil::Value* e = b.add1("expand_dims", {{"x", {x}}, {"axes", {b.constInts({dim + 1}, name + "_axes")}}}, name + "_each");
        Shape reps(static_cast<size_t>(e->type.rank()), 1);
        reps[static_cast<size_t>(dim + 1)] = r;
        mil::Value* tiled = b.add1("tile", {{"x", {e}}, {"reps", {b.constInts(reps, name + "_reps")}}}, name + "_tiled");
        Shape shape = x->type.shape;
        shape[static_cast<size_t>(dim)] = n * r;
        ctx.bind(out, reshapeTo(ctx, tiled, shape, name));
        return;
    }
    if (static_cast<int64_t>(counts.size()) != n)
        ctx.fail("repeat_interleave needs one count per element (" + std::to_string(n) + "), got " + std::to_string(counts.size()));
    std::vector<int64_t> source;
    for (int64_t i = 0; i < n; ++i) {
        if (counts[static_cast<size_t>(i)] < 0) ctx.fail("repeat_interleave counts must not be negative");
        source.insert(source.end(), static_cast<size_t>(counts[static_cast<size_t>(i)]), i);
    }
    if (source.empty()) ctx.fail("repeat_interleave produces an empty tensor; Core ML has no empty tensors");
    const DType dtype = x->type.dtype;
    mil::Value* data = castValue(ctx, x, dtype == DType::Bool ? DType::Int32 : dtype, name + "_data");
    mil::Value* g = b.add1("gather", {{"x", {data}}, {"indices", {b.constInts(source, name + "_source")}}, {"axis", {b.constInt(dim, name + "_axis")}}},
                           name + "_gathered");
    ctx.bind(out, castValue(ctx, g, dtype, name));
}

// cumprod(x, dim, dtype): Core ML has no running product; a chain of multiplies over the slices
// (a log-domain cumsum would lose zeros and signs).
void cumprod(LowerContext& ctx, const ir::Node& node) {
    constexpr int64_t kMaxSteps = 512;
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType dtype = dtypeArg(ctx, node, 2, x->type.dtype == DType::Bool ? DType::Int32 : x->type.dtype);
    x = castValue(ctx, x, dtype, name + "_x");
    if (x->type.rank() == 0) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const int64_t n = staticDim(ctx, x, dim, "cumprod");
    if (n > kMaxSteps)
        ctx.fail("cumprod along a dimension of " + std::to_string(n) + " would need " + std::to_string(2 * n) +
                     " Core ML ops (at most " + std::to_string(kMaxSteps) + " steps are emitted)",
                 "compute the running product over shorter dimensions (reshape), or outside the model");
    if (n == 1) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    mil::Builder& b = ctx.builder();
    std::vector<mil::Value*> pieces = b.add("split", {{"x", {x}}, {"split_sizes", {b.constInts(std::vector<int64_t>(static_cast<size_t>(n), 1), name + "_sizes")}},
                                                      {"axis", {b.constInt(dim, name + "_axis")}}},
                                            name + "_slice");
    for (size_t i = 1; i < pieces.size(); ++i)
        pieces[i] = b.add1("mul", {{"x", {pieces[i - 1]}}, {"y", {pieces[i]}}}, name + "_prod" + std::to_string(i));
    emit(ctx, "concat", {{"values", pieces}, {"axis", {b.constInt(dim, name + "_concat_axis")}}}, node.outputs.at(0));
}

// logcumsumexp(x, dim) = log(cumsum(exp(x - m))) + m with m the maximum along dim, which keeps exp
// from overflowing (prefixes far below the maximum underflow towards -inf instead).
void logcumsumexp(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (!isFloat(x->type.dtype)) x = castValue(ctx, x, DType::Float32, name + "_float");
    if (x->type.rank() == 0) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    mil::Builder& b = ctx.builder();
    mil::Value* m = b.add1("reduce_max", {{"x", {x}}, {"axes", {b.constInts({dim}, name + "_axes")}}, {"keep_dims", {b.constBool(true, name + "_keep")}}},
                           name + "_max");
    mil::Value* shifted = b.add1("sub", {{"x", {x}}, {"y", {m}}}, name + "_shifted");
    mil::Value* e = b.add1("exp", {{"x", {shifted}}}, name + "_exp");
    mil::Value* c = b.add1("cumsum", {{"x", {e}}, {"axis", {b.constInt(dim, name + "_axis")}}}, name + "_cumsum");
    mil::Value* l = b.add1("log", {{"x", {c}}}, name + "_log");
    emit(ctx, "add", {{"x", {l}}, {"y", {m}}}, node.outputs.at(0));
}

// x &= y etc.: the value is what the functional operator computes.
template <const char* Functional>
void inPlaceBitwise(LowerContext& ctx, const ir::Node& node) {
    const Translator fn = TranslatorTable::instance().find(Functional);
    if (!fn) ctx.fail(std::string("no translator for ") + Functional);
    fn(ctx, node);
}
constexpr char kAnd[] = "aten::__and__";
constexpr char kOr[] = "aten::__or__";
constexpr char kXor[] = "aten::__xor__";

}  // namespace

void registerTensorTranslators(TranslatorTable& t) {
    t.add({"aten::cat", "aten::concat", "aten::concatenate"}, cat);
    t.add({"aten::stack"}, stack);
    t.add({"aten::chunk"}, chunk);
    t.add({"aten::split", "aten::split_with_sizes"}, split);
    t.add({"aten::unbind"}, unbind);
    t.add({"aten::slice", "aten::_slice"}, slice);
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
    t.add({"aten::tensor_split"}, tensorSplit);
    t.add({"aten::hstack"}, hstack);
    t.add({"aten::meshgrid"}, meshgrid);
    t.add({"aten::broadcast_tensors"}, broadcastTensors);
    t.add({"aten::eye"}, eye);
    t.add({"aten::linspace"}, linspace);
    t.add({"aten::fill_", "aten::fill"}, fillInPlace);
    t.add({"aten::repeat_interleave"}, repeatInterleave);
    t.add({"aten::cumprod", "aten::cumprod_"}, cumprod);
    t.add({"aten::logcumsumexp", "aten::_logcumsumexp"}, logcumsumexp);
    t.add({"aten::__iand__"}, inPlaceBitwise<kAnd>);
    t.add({"aten::__ior__"}, inPlaceBitwise<kOr>);
    t.add({"aten::__ixor__"}, inPlaceBitwise<kXor>);
}

}  // namespace cms::lower
