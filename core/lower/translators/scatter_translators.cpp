// Ops that write into a copy of a tensor at positions: index_put (x[indices] = values, also with
// accumulate and boolean masks), scatter/scatter_add (torch.scatter), select_scatter/slice_scatter
// (a slice replaced), and masked_scatter (masked positions filled in order from a source).
#include <algorithm>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/index_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// The scatter ops take no bools: they work on the int32 form.
DType workType(DType t) { return t == DType::Bool ? DType::Int32 : t; }

std::vector<int64_t> inversePerm(const std::vector<int64_t>& perm) {
    std::vector<int64_t> inv(perm.size());
    for (size_t i = 0; i < perm.size(); ++i) inv[static_cast<size_t>(perm[i])] = static_cast<int64_t>(i);
    return inv;
}

mil::Value* requireStatic(LowerContext& ctx, mil::Value* x, const char* op) {
    if (!x->type.isStatic())
        ctx.fail(std::string(op) + " needs a tensor of fixed shape, got " + x->type.toString(), "give the input a fixed shape");
    return x;
}

// x with the positions where `mask` (covering x's leading dims) is true replaced, in order, by the
// rows of `source` ([count, x's other dims...]): the k-th true position takes row k. The row of each
// position is the running count of true positions before it, so a run-time mask works too.
mil::Value* fillMaskedInOrder(LowerContext& ctx, mil::Value* x, mil::Value* mask, mil::Value* source, bool accumulate,
                              const std::string& name) {
    mil::Builder& b = ctx.builder();
    const Shape& xs = x->type.shape;
    const int64_t r = mask->type.rank();
    const int64_t positions = shapeNumel(mask->type.shape);
    Shape rows = {positions};
    rows.insert(rows.end(), xs.begin() + r, xs.end());
    Shape expected = {source->type.shape.empty() ? 1 : source->type.shape[0]};
    expected.insert(expected.end(), xs.begin() + r, xs.end());
    if (source->type.shape != expected)
        ctx.fail("the values have shape " + shapeToString(source->type.shape) + "; expected one row per masked position, " +
                 shapeToString(expected));
    mil::Value* flags = castValue(ctx, reshapeTo(ctx, mask, {positions}, name + "_flat_mask"), DType::Int32, name + "_flags");
    mil::Value* running = b.add1("cumsum", {{"x", {flags}}, {"axis", {b.constInt(0, name + "_axis")}}}, name + "_running");
    mil::Value* row = b.add1("sub", {{"x", {running}}, {"y", {b.constInt(1, name + "_one")}}}, name + "_row");
    // Positions before the first true one read row 0; select discards them.
    row = b.add1("maximum", {{"x", {row}}, {"y", {b.constInt(0, name + "_zero")}}}, name + "_row_clamped");
    mil::Value* taken = b.add1("gather", {{"x", {source}}, {"indices", {row}}, {"axis", {b.constInt(0, name + "_gather_axis")}}},
                               name + "_taken");
    taken = reshapeTo(ctx, taken, xs, name + "_shaped");
    if (accumulate) taken = b.add1("add", {{"x", {x}}, {"y", {taken}}}, name + "_sum");
    Shape maskShape = mask->type.shape;
    maskShape.resize(xs.size(), 1);
    mil::Value* cond = reshapeTo(ctx, mask, maskShape, name + "_cond");
    return b.add1("select", {{"cond", {cond}}, {"a", {taken}}, {"b", {x}}}, name + "_selected");
}

// x[mask] = values where the index list is one boolean mask starting at dimension `dim`.
mil::Value* putMasked(LowerContext& ctx, mil::Value* x, mil::Value* mask, int64_t dim, mil::Value* values, bool accumulate,
                      const std::string& name) {
    mil::Builder& b = ctx.builder();
    const Shape& xs = x->type.shape;
    const int64_t r = mask->type.rank();
    if (dim + r > x->type.rank()) ctx.fail("the boolean index has more dimensions than the tensor " + shapeToString(xs));
    for (int64_t i = 0; i < r; ++i)
        if (mask->type.shape[static_cast<size_t>(i)] != xs[static_cast<size_t>(dim + i)])
            ctx.fail("the boolean index of shape " + shapeToString(mask->type.shape) + " does not match the indexed dimensions of " +
                     shapeToString(xs));
    if (shapeNumel(values->type.shape) == 1) {
        // One value for every masked position: a select against the mask, broadcast over the other dims.
        mil::Value* v = reshapeTo(ctx, values, {}, name + "_value");
        mil::Value* a = accumulate ? b.add1("add", {{"x", {x}}, {"y", {v}}}, name + "_sum") : v;
        Shape condShape(static_cast<size_t>(dim), 1);
        condShape.insert(condShape.end(), mask->type.shape.begin(), mask->type.shape.end());
        condShape.resize(xs.size(), 1);
        mil::Value* cond = reshapeTo(ctx, mask, condShape, name + "_cond");
        return b.add1("select", {{"cond", {cond}}, {"a", {a}}, {"b", {x}}}, name + "_selected");
    }
    if (dim != 0)
        ctx.fail("assigning several values through a boolean mask that does not start at the first dimension is not supported",
                 "assign through a mask over the leading dimensions, or use torch.where");
    return fillMaskedInOrder(ctx, x, mask, values, accumulate, name);
}

// index_put(x, indices, values, accumulate): x[indices] = values (or += with accumulate).
void indexPut(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = requireStatic(ctx, ctx.tensor(node.inputs.at(0)), "index_put");
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    const bool accumulate = node.inputs.size() > 3 && !ctx.isNone(node.inputs[3]) && ctx.boolArg(node.inputs[3]);
    const DType dtype = x->type.dtype, work = workType(dtype);
    mil::Value* data = castValue(ctx, x, work, name + "_data");
    mil::Value* values = castValue(ctx, ctx.tensor(node.inputs.at(2)), work, name + "_values");

    // One boolean mask (constant or computed): filled through the mask, whatever its value count.
    const std::vector<Lowered> items = elementsOf(ctx, node.inputs.at(1));
    int64_t maskDim = 0;
    const Lowered* mask = nullptr;
    size_t tensors = 0;
    for (const Lowered& item : items) {
        const bool none = !item.tensor && item.constant && std::holds_alternative<ir::NoneValue>(*item.constant);
        if (none) {
            if (tensors == 0) ++maskDim;
            continue;
        }
        ++tensors;
        const std::optional<Tensor> c = !item.tensor && item.constant ? tensorOf(*item.constant) : std::nullopt;
        if ((item.tensor && item.tensor->type.dtype == DType::Bool) || (c && c->dtype() == DType::Bool)) mask = &item;
    }
    if (mask && tensors == 1) {
        mil::Value* m = mask->tensor ? mask->tensor : ctx.builder().constant(*tensorOf(*mask->constant), name + "_mask");
        ctx.bind(out, castValue(ctx, putMasked(ctx, data, m, maskDim, values, accumulate, name), dtype, name));
        return;
    }

    // Integer indices: scatter_nd over x with the indexed dims first, the values laid out like gather_nd's result.
    const std::vector<AdvancedIndex> indices = advancedIndices(ctx, node.inputs.at(1), x->type.shape, name);
    const IndexLayout layout = indexLayout(ctx, indices, x->type.shape, name);
    values = broadcastTo(ctx, values, layout.resultShape, name + "_values_bcast");
    values = permuted(ctx, values, inversePerm(resultPerm(layout, static_cast<int64_t>(layout.resultShape.size()))), name + "_values_front");
    mil::Value* front = permuted(ctx, data, layout.perm, name + "_front");
    mil::Builder& b = ctx.builder();
    mil::Value* scattered = b.add1("scatter_nd",
                                   {{"data", {front}}, {"indices", {layout.stacked}}, {"updates", {values}},
                                    {"mode", {b.constString(accumulate ? "add" : "update", name + "_mode")}}},
                                   name + "_scattered");
    ctx.bind(out, castValue(ctx, permuted(ctx, scattered, inversePerm(layout.perm), name + "_back"), dtype, name));
}

// scatter/scatter_add with updates already shaped like the index: element-wise along dim when the
// index covers x outside dim (Core ML's scatter_along_axis), else through full coordinates (scatter_nd).
mil::Value* scatterElements(LowerContext& ctx, mil::Value* x, int64_t dim, mil::Value* idx, mil::Value* updates,
                            const std::string& mode, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const Shape& xs = x->type.shape;
    const Shape& is = idx->type.shape;
    const int64_t rank = x->type.rank();
    if (idx->type.rank() != rank)
        ctx.fail("the index (" + idx->type.toString() + ") must have the rank of the tensor (" + x->type.toString() + ")");
    bool covers = true;
    for (int64_t d = 0; d < rank; ++d) {
        if (is[static_cast<size_t>(d)] > xs[static_cast<size_t>(d)] && d != dim)
            ctx.fail("the index " + shapeToString(is) + " is larger than the tensor " + shapeToString(xs) + " at dim " + std::to_string(d));
        covers = covers && (d == dim || is[static_cast<size_t>(d)] == xs[static_cast<size_t>(d)]);
    }
    if (covers)
        return b.add1("scatter_along_axis",
                      {{"data", {x}}, {"indices", {idx}}, {"updates", {updates}}, {"axis", {b.constInt(dim, name + "_axis")}},
                       {"mode", {b.constString(mode, name + "_mode")}}},
                      name + "_scattered");
    // The coordinate of every index element: its own position in the other dims, the index value in dim.
    std::vector<mil::Value*> columns;
    const int64_t n = shapeNumel(is);
    for (int64_t d = 0; d < rank; ++d) {
        if (d == dim) {
            columns.push_back(idx);
            continue;
        }
        std::vector<int64_t> coord(static_cast<size_t>(n));
        int64_t inner = 1;
        for (int64_t e = d + 1; e < rank; ++e) inner *= is[static_cast<size_t>(e)];
        for (int64_t i = 0; i < n; ++i) coord[static_cast<size_t>(i)] = (i / inner) % is[static_cast<size_t>(d)];
        columns.push_back(b.constant(Tensor::fromInts(coord, is), name + "_coord" + std::to_string(d)));
    }
    mil::Value* coords = b.add1("stack", {{"values", columns}, {"axis", {b.constInt(rank, name + "_stack_axis")}}}, name + "_coords");
    return b.add1("scatter_nd", {{"data", {x}}, {"indices", {coords}}, {"updates", {updates}}, {"mode", {b.constString(mode, name + "_mode")}}},
                  name + "_scattered");
}

// scatter(x, dim, index, src | value [, reduce]) and scatter_add(x, dim, index, src).
template <bool Add>
void scatter(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = requireStatic(ctx, ctx.tensor(node.inputs.at(0)), "scatter");
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const ir::Value* indexArg = node.inputs.at(2);
    mil::Value* idx = ctx.tensor(indexArg);
    if (isFloat(idx->type.dtype) || idx->type.dtype == DType::Bool) ctx.fail("scatter's index must be integers, got " + idx->type.toString());
    idx = ctx.tensorAs(indexArg, DType::Int32);
    requireStatic(ctx, idx, "scatter");
    const DType dtype = x->type.dtype, work = workType(dtype);
    std::string mode = Add ? "add" : "update";
    if (!Add && node.inputs.size() > 4 && !ctx.isNone(node.inputs[4])) {
        const std::string reduce = ctx.stringArg(node.inputs[4]);
        if (reduce == "add") mode = "add";
        else if (reduce == "multiply") mode = "mul";
        else ctx.fail("scatter reduce '" + reduce + "' is not supported (only 'add' and 'multiply')");
    }
    const ir::Value* src = node.inputs.at(3);
    const Lowered& l = ctx.lowered(src);
    mil::Value* updates = nullptr;
    if (l.tensor || (l.constant && std::holds_alternative<Tensor>(*l.constant))) {
        updates = castValue(ctx, ctx.tensor(src), work, name + "_src");
        requireStatic(ctx, updates, "scatter");
        if (updates->type.rank() != idx->type.rank()) ctx.fail("scatter's src must have the rank of the index");
        if (updates->type.shape != idx->type.shape) {
            for (int64_t d = 0; d < idx->type.rank(); ++d)
                if (updates->type.shape[static_cast<size_t>(d)] < idx->type.shape[static_cast<size_t>(d)])
                    ctx.fail("scatter's src " + updates->type.toString() + " is smaller than the index " + idx->type.toString());
            mil::Builder& b = ctx.builder();
            const std::vector<int64_t> begin(static_cast<size_t>(idx->type.rank()), 0);
            updates = b.add1("slice_by_size",
                             {{"x", {updates}}, {"begin", {b.constInts(begin, name + "_src_begin")}}, {"size", {b.constInts(idx->type.shape, name + "_src_size")}}},
                             name + "_src_used");
        }
    } else {
        const double v = ctx.floatArg(src);
        const int64_t n = shapeNumel(idx->type.shape);
        updates = ctx.builder().constant(
            work == DType::Int32 ? Tensor::fromInts(std::vector<int64_t>(static_cast<size_t>(n), static_cast<int64_t>(v)), idx->type.shape)
                                 : Tensor::fromFloats(std::vector<float>(static_cast<size_t>(n), static_cast<float>(v)), idx->type.shape),
            name + "_value");
    }
    mil::Value* data = castValue(ctx, x, work, name + "_data");
    ctx.bind(out, castValue(ctx, scatterElements(ctx, data, dim, idx, updates, mode, name), dtype, name));
}

// Joins the pieces of x around [begin, end) of dim with `middle` in between.
mil::Value* replaceRange(LowerContext& ctx, mil::Value* x, int64_t dim, int64_t begin, int64_t end, mil::Value* middle,
                         const std::string& name) {
    const int64_t n = x->type.shape[static_cast<size_t>(dim)];
    std::vector<mil::Value*> pieces;
    if (begin > 0) pieces.push_back(sliceRange(ctx, x, dim, 0, begin, name + "_before"));
    pieces.push_back(middle);
    if (end < n) pieces.push_back(sliceRange(ctx, x, dim, end, n, name + "_after"));
    if (pieces.size() == 1) return middle;
    mil::Builder& b = ctx.builder();
    return b.add1("concat", {{"values", pieces}, {"axis", {b.constInt(dim, name + "_axis")}}}, name + "_joined");
}

// select_scatter(x, src, dim, index): x with x.select(dim, index) replaced by src.
void selectScatter(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = requireStatic(ctx, ctx.tensor(node.inputs.at(0)), "select_scatter");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(2)), x->type.rank());
    const int64_t n = x->type.shape[static_cast<size_t>(dim)];
    int64_t index = ctx.intArg(node.inputs.at(3));
    if (index < -n || index >= n) ctx.fail("index " + std::to_string(index) + " is out of range for a dimension of " + std::to_string(n));
    if (index < 0) index += n;
    mil::Value* src = castValue(ctx, ctx.tensor(node.inputs.at(1)), x->type.dtype, name + "_src");
    mil::Builder& b = ctx.builder();
    src = b.add1("expand_dims", {{"x", {src}}, {"axes", {b.constInts({dim}, name + "_axes")}}}, name + "_slice");
    ctx.bind(node.outputs.at(0), replaceRange(ctx, x, dim, index, index + 1, src, name));
}

// slice_scatter(x, src, dim, start, end, step): x with x[start:end:step] along dim replaced by src.
void sliceScatter(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = requireStatic(ctx, ctx.tensor(node.inputs.at(0)), "slice_scatter");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    auto optionalArg = [&](size_t i) -> std::optional<int64_t> {
        if (node.inputs.size() <= i || ctx.isNone(node.inputs[i])) return std::nullopt;
        return ctx.intArg(node.inputs[i]);
    };
    const int64_t dim = normalizeDim(ctx, optionalArg(2).value_or(0), x->type.rank());
    const int64_t n = x->type.shape[static_cast<size_t>(dim)];
    int64_t begin = optionalArg(3).value_or(0), end = optionalArg(4).value_or(n);
    const int64_t step = optionalArg(5).value_or(1);
    if (step <= 0) ctx.fail("slice_scatter step must be positive, got " + std::to_string(step));
    if (begin < 0) begin = std::max<int64_t>(0, begin + n);
    if (end < 0) end = std::max<int64_t>(0, end + n);
    begin = std::min(begin, n);
    end = std::min(end, n);
    const int64_t count = end > begin ? (end - begin + step - 1) / step : 0;
    if (count == 0) ctx.fail("slice_scatter of an empty slice; Core ML has no empty tensors");
    const DType dtype = x->type.dtype;
    mil::Value* src = requireStatic(ctx, castValue(ctx, ctx.tensor(node.inputs.at(1)), dtype, name + "_src"), "slice_scatter");
    Shape expected = x->type.shape;
    expected[static_cast<size_t>(dim)] = count;
    if (src->type.shape != expected)
        ctx.fail("slice_scatter's src has shape " + shapeToString(src->type.shape) + ", the slice " + shapeToString(expected));
    if (step == 1) {
        ctx.bind(node.outputs.at(0), replaceRange(ctx, x, dim, begin, end, src, name));
        return;
    }
    // A strided slice: element k along dim goes to begin + k * step.
    std::vector<int64_t> positions;
    const int64_t total = shapeNumel(expected);
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(dim) + 1; d < expected.size(); ++d) inner *= expected[d];
    for (int64_t i = 0; i < total; ++i) positions.push_back(begin + ((i / inner) % count) * step);
    const DType work = workType(dtype);
    mil::Value* idx = ctx.builder().constant(Tensor::fromInts(positions, expected), name + "_positions");
    mil::Value* scattered = scatterElements(ctx, castValue(ctx, x, work, name + "_data"), dim, idx,
                                            castValue(ctx, src, work, name + "_updates"), "update", name);
    ctx.bind(node.outputs.at(0), castValue(ctx, scattered, dtype, name));
}

// masked_scatter(x, mask, source): the positions where mask (broadcast to x) is true take source's
// elements in row-major order.
void maskedScatter(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = requireStatic(ctx, ctx.tensor(node.inputs.at(0)), "masked_scatter");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* mask = ctx.tensor(node.inputs.at(1));
    if (mask->type.dtype != DType::Bool) ctx.fail("masked_scatter's mask must be bool, got " + mask->type.toString());
    mask = broadcastTo(ctx, requireStatic(ctx, mask, "masked_scatter"), x->type.shape, name + "_mask");
    const DType dtype = x->type.dtype, work = workType(dtype);
    mil::Value* source = requireStatic(ctx, castValue(ctx, ctx.tensor(node.inputs.at(2)), work, name + "_source"), "masked_scatter");
    source = reshapeTo(ctx, source, {shapeNumel(source->type.shape)}, name + "_source_flat");
    // Every element of x is one position; flatten so that the mask covers all dims.
    const Shape shape = x->type.shape;
    mil::Value* flatX = reshapeTo(ctx, castValue(ctx, x, work, name + "_data"), {shapeNumel(shape)}, name + "_flat");
    mil::Value* flatMask = reshapeTo(ctx, mask, {shapeNumel(shape)}, name + "_flat_mask");
    mil::Value* filled = fillMaskedInOrder(ctx, flatX, flatMask, source, false, name);
    ctx.bind(node.outputs.at(0), castValue(ctx, reshapeTo(ctx, filled, shape, name + "_shape"), dtype, name));
}

}  // namespace

void registerScatterTranslators(TranslatorTable& t) {
    t.add({"aten::index_put", "aten::index_put_", "aten::_index_put_impl_"}, indexPut);
    t.add({"aten::scatter", "aten::scatter_"}, scatter<false>);
    t.add({"aten::scatter_add", "aten::scatter_add_"}, scatter<true>);
    t.add({"aten::select_scatter"}, selectScatter);
    t.add({"aten::slice_scatter"}, sliceScatter);
    t.add({"aten::masked_scatter", "aten::masked_scatter_"}, maskedScatter);
}

}  // namespace cms::lower
