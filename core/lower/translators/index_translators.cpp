// Ops that pick or reorder elements by position: embedding (rows of a table), gather (torch.gather,
// elements along a dim), advanced indexing (x[idx, ...], nonzero), diagonals (diagonal, trace),
// flip/fliplr/roll, one_hot, searchsorted, and triu/tril (keep a triangle of the last two dims).
#include <algorithm>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/index_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Core ML indexes with int32 tensors.
mil::Value* indicesOf(LowerContext& ctx, const ir::Value* v) {
    mil::Value* idx = ctx.tensor(v);
    if (isFloat(idx->type.dtype) || idx->type.dtype == DType::Bool)
        ctx.fail("indices must be integers, got " + idx->type.toString());
    return ctx.tensorAs(v, DType::Int32);
}

// embedding(weight, indices, padding_idx, scale_grad_by_freq, sparse): rows of weight. The other
// arguments only matter for training.
void embedding(LowerContext& ctx, const ir::Node& node) {
    mil::Value* weight = ctx.tensor(node.inputs.at(0));
    if (weight->type.rank() != 2) ctx.fail("the embedding table must be 2-D, got " + weight->type.toString());
    mil::Value* idx = indicesOf(ctx, node.inputs.at(1));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "gather", {{"x", {weight}}, {"indices", {idx}}, {"axis", {ctx.builder().constInt(0, name + "_axis")}}},
         node.outputs[0]);
}

// gather(x, dim, index, sparse_grad): out[i][j] = x[index[i][j]][j] for dim 0, and so on.
void gather(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    mil::Value* idx = indicesOf(ctx, node.inputs.at(2));
    if (idx->type.shape != x->type.shape) {
        // torch allows an index smaller than x in the other dims; Core ML wants them equal.
        for (int64_t i = 0; i < x->type.rank(); ++i)
            if (i != dim && idx->type.shape.at(static_cast<size_t>(i)) != x->type.shape[static_cast<size_t>(i)])
                ctx.fail("gather with an index of shape " + idx->type.toString() + " smaller than the input " +
                             x->type.toString() + " outside dim " + std::to_string(dim) + " is not supported",
                         "slice the input to the index's shape before gather");
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "gather_along_axis",
         {{"x", {x}}, {"indices", {idx}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}}}, node.outputs[0]);
}

void flip(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    std::vector<int64_t> dims = ctx.intsArg(node.inputs.at(1));
    for (int64_t& d : dims) d = normalizeDim(ctx, d, x->type.rank());
    if (dims.empty()) {
        ctx.bind(node.outputs.at(0), x);
        return;
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "reverse", {{"x", {x}}, {"axes", {ctx.builder().constInts(dims, name + "_axes")}}}, node.outputs[0]);
}

// triu(x, diagonal) keeps column - row >= diagonal; tril(x, diagonal) keeps column - row <= diagonal.
// Core ML's band_part keeps a band around the main diagonal, which covers triu with diagonal <= 0
// and tril with diagonal >= 0; other diagonals select x through a constant mask of the last two
// dims (a subtraction of the opposite triangle would turn infinities into NaN).
template <bool Upper>
void triangle(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const int64_t rank = x->type.rank();
    if (rank < 2) ctx.fail("triu/tril need at least 2 dimensions, got " + x->type.toString());
    const int64_t diagonal = node.inputs.size() > 1 && !ctx.isNone(node.inputs[1]) ? ctx.intArg(node.inputs[1]) : 0;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    if ((Upper && diagonal <= 0) || (!Upper && diagonal >= 0)) {
        emit(ctx, "band_part",
             {{"x", {x}},
              {"lower", {b.constInt(Upper ? -diagonal : -1, name + "_lower")}},
              {"upper", {b.constInt(Upper ? -1 : diagonal, name + "_upper")}}},
             node.outputs[0]);
        return;
    }
    const int64_t rows = x->type.shape[static_cast<size_t>(rank - 2)], cols = x->type.shape[static_cast<size_t>(rank - 1)];
    mil::Value* mask = nullptr;
    if (rows == mil::kUnknownDim || cols == mil::kUnknownDim) {
        // Sizes only known at run time: the dropped part is itself a band (triu(x, d) drops tril(x, d - 1),
        // tril(x, d) drops triu(x, d + 1)), so band_part of ones marks it and the rest is kept.
        mil::Value* ones = b.add1("fill", {{"shape", {b.add1("shape", {{"x", {x}}}, name + "_shape")}},
                                           {"value", {b.constFloat(1.0f, name + "_one")}}},
                                  name + "_ones");
        mil::Value* dropped = b.add1("band_part",
                                     {{"x", {ones}},
                                      {"lower", {b.constInt(Upper ? -1 : -(diagonal + 1), name + "_drop_lower")}},
                                      {"upper", {b.constInt(Upper ? diagonal - 1 : -1, name + "_drop_upper")}}},
                                     name + "_dropped");
        mask = b.add1("equal", {{"x", {dropped}}, {"y", {b.constFloat(0.0f, name + "_zero_f")}}}, name + "_mask");
    } else {
        std::vector<bool> keep;
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t c = 0; c < cols; ++c) keep.push_back(Upper ? c - r >= diagonal : c - r <= diagonal);
        mask = b.constant(Tensor::fromBools(keep, {rows, cols}), name + "_mask");
    }
    mil::Value* zero = x->type.dtype == DType::Bool ? b.constBool(false, name + "_zero")
                                                    : b.constant(x->type.dtype == DType::Int32 ? Tensor::scalarInt(0)
                                                                                               : Tensor::scalarFloat(0, x->type.dtype),
                                                                 name + "_zero");
    emit(ctx, "select", {{"cond", {mask}}, {"a", {x}}, {"b", {zero}}}, node.outputs[0]);
}


// x[i0, i1, ...] with torch's advanced-indexing rules: one index tensor is a gather along its dim;
// several are broadcast together and become index vectors for gather_nd over x with the indexed dims
// moved to the front, after which the broadcast dims move to where torch puts them.
void index(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    if (!x->type.isStatic()) ctx.fail("advanced indexing needs a tensor of fixed shape, got " + x->type.toString(), "give the input a fixed shape");
    const std::vector<AdvancedIndex> indices = advancedIndices(ctx, node.inputs.at(1), x->type.shape, name);
    const DType dtype = x->type.dtype;
    // gather and gather_nd take no bools: index their int32 form.
    mil::Value* data = castValue(ctx, x, dtype == DType::Bool ? DType::Int32 : dtype, name + "_data");
    mil::Builder& b = ctx.builder();
    mil::Value* result = nullptr;
    if (indices.size() == 1) {
        result = b.add1("gather", {{"x", {data}}, {"indices", {indices[0].indices}}, {"axis", {b.constInt(indices[0].dim, name + "_axis")}}},
                        name + "_gathered");
    } else {
        const IndexLayout layout = indexLayout(ctx, indices, x->type.shape, name);
        mil::Value* front = permuted(ctx, data, layout.perm, name + "_front");
        mil::Value* gathered = b.add1("gather_nd", {{"x", {front}}, {"indices", {layout.stacked}}}, name + "_gathered");
        result = permuted(ctx, gathered, resultPerm(layout, gathered->type.rank()), name + "_ordered");
    }
    ctx.bind(out, castValue(ctx, result, dtype, name));
}

// The coordinates of the nonzero elements of a conversion-time constant; a run-time tensor's count
// depends on its values, which a Core ML model with static shapes cannot express.
std::vector<std::vector<int64_t>> nonzeroCoordinates(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    std::optional<Tensor> t = ctx.isConstant(in) ? tensorOf(ctx.constant(in)) : std::nullopt;
    if (!t)
        ctx.fail("nonzero of a tensor computed at run time has a size that depends on the data; Core ML needs static shapes",
                 "keep the tensor a constant (a buffer), or use a mask with torch.where instead of nonzero");
    const Shape& shape = t->shape();
    const std::vector<double> values = t->toDoubles();
    std::vector<std::vector<int64_t>> coords(shape.size());
    for (int64_t flat = 0; flat < static_cast<int64_t>(values.size()); ++flat) {
        if (values[static_cast<size_t>(flat)] == 0) continue;
        int64_t rest = flat;
        for (size_t i = shape.size(); i-- > 0;) {
            coords[i].push_back(rest % shape[i]);
            rest /= shape[i];
        }
    }
    if (shape.empty() || coords[0].empty())
        ctx.fail("nonzero of this constant is empty or 0-dimensional; Core ML has no empty tensors");
    return coords;
}

// nonzero(x): [count, rank] coordinates.
void nonzero(LowerContext& ctx, const ir::Node& node) {
    const std::vector<std::vector<int64_t>> coords = nonzeroCoordinates(ctx, node);
    const int64_t count = static_cast<int64_t>(coords[0].size()), rank = static_cast<int64_t>(coords.size());
    std::vector<int64_t> flat;
    for (int64_t i = 0; i < count; ++i)
        for (int64_t d = 0; d < rank; ++d) flat.push_back(coords[static_cast<size_t>(d)][static_cast<size_t>(i)]);
    ctx.bindConstant(node.outputs.at(0), Tensor::fromInts(flat, {count, rank}));
}

// nonzero(x, as_tuple=True): one [count] tensor per dimension.
void nonzeroNumpy(LowerContext& ctx, const ir::Node& node) {
    Lowered list;
    list.isList = true;
    for (const std::vector<int64_t>& c : nonzeroCoordinates(ctx, node)) {
        Lowered item;
        item.constant = Tensor::fromInts(c, {static_cast<int64_t>(c.size())});
        list.items.push_back(item);
    }
    ctx.bindLowered(node.outputs.at(0), std::move(list));
}

// one_hot(x, num_classes): x == [0, 1, ..., C-1] along a new last dim, as integers.
void oneHot(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    int64_t classes = node.inputs.size() > 1 ? ctx.intArg(node.inputs[1]) : -1;
    if (classes == -1) {
        std::optional<Tensor> t = ctx.isConstant(in) ? tensorOf(ctx.constant(in)) : std::nullopt;
        if (!t)
            ctx.fail("one_hot without num_classes takes the class count from the data, which is only known at run time",
                     "pass num_classes explicitly");
        const std::vector<int64_t> v = t->toInts();
        classes = v.empty() ? 0 : *std::max_element(v.begin(), v.end()) + 1;
    }
    if (classes <= 0) ctx.fail("one_hot needs a positive number of classes, got " + std::to_string(classes));
    mil::Value* x = indicesOf(ctx, in);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    std::vector<int64_t> range(static_cast<size_t>(classes));
    for (int64_t i = 0; i < classes; ++i) range[static_cast<size_t>(i)] = i;
    mil::Value* column = b.add1("expand_dims", {{"x", {x}}, {"axes", {b.constInts({-1}, name + "_axes")}}}, name + "_column");
    mil::Value* hit = b.add1("equal", {{"x", {column}}, {"y", {b.constInts(range, name + "_classes")}}}, name + "_hit");
    emit(ctx, "cast", {{"x", {hit}}, {"dtype", {b.constString("int32", name + "_dtype")}}}, node.outputs[0]);
}

// The diagonal of dims (dim1, dim2) with an offset, as a new last dim: both dims move to the end, are
// merged, and the diagonal's flat positions are gathered.
mil::Value* diagonalOf(LowerContext& ctx, mil::Value* x, int64_t offset, int64_t dim1, int64_t dim2, const std::string& name) {
    const int64_t rank = x->type.rank();
    if (rank < 2) ctx.fail("diagonal needs at least 2 dimensions, got " + x->type.toString());
    const int64_t d1 = normalizeDim(ctx, dim1, rank), d2 = normalizeDim(ctx, dim2, rank);
    if (d1 == d2) ctx.fail("diagonal dimensions cannot be identical (" + std::to_string(dim1) + ", " + std::to_string(dim2) + ")");
    if (!x->type.isStatic()) ctx.fail("diagonal needs a tensor of fixed shape, got " + x->type.toString(), "give the input a fixed shape");
    const int64_t rows = x->type.shape[static_cast<size_t>(d1)], cols = x->type.shape[static_cast<size_t>(d2)];
    const int64_t count = offset >= 0 ? std::min(rows, cols - offset) : std::min(rows + offset, cols);
    if (count <= 0) ctx.fail("the diagonal at offset " + std::to_string(offset) + " is empty; Core ML has no empty tensors");
    std::vector<int64_t> perm, positions;
    Shape merged;
    for (int64_t d = 0; d < rank; ++d)
        if (d != d1 && d != d2) {
            perm.push_back(d);
            merged.push_back(x->type.shape[static_cast<size_t>(d)]);
        }
    perm.push_back(d1);
    perm.push_back(d2);
    merged.push_back(rows * cols);
    for (int64_t i = 0; i < count; ++i) positions.push_back(offset >= 0 ? i * cols + i + offset : (i - offset) * cols + i);
    const DType dtype = x->type.dtype;
    mil::Value* data = castValue(ctx, x, dtype == DType::Bool ? DType::Int32 : dtype, name + "_data");
    data = reshapeTo(ctx, permuted(ctx, data, perm, name + "_last"), merged, name + "_merged");
    mil::Builder& b = ctx.builder();
    mil::Value* diag = b.add1("gather",
                              {{"x", {data}}, {"indices", {b.constInts(positions, name + "_positions")}},
                               {"axis", {b.constInt(static_cast<int64_t>(merged.size()) - 1, name + "_axis")}}},
                              name + "_diag");
    return castValue(ctx, diag, dtype, name + "_cast");
}

// diagonal(x, offset, dim1, dim2)
void diagonal(LowerContext& ctx, const ir::Node& node) {
    auto arg = [&](size_t i, int64_t dflt) { return node.inputs.size() > i && !ctx.isNone(node.inputs[i]) ? ctx.intArg(node.inputs[i]) : dflt; };
    ctx.bind(node.outputs.at(0), diagonalOf(ctx, ctx.tensor(node.inputs.at(0)), arg(1, 0), arg(2, 0), arg(3, 1), ctx.nameFor(node.outputs.at(0))));
}

// trace(x): the sum of a matrix's main diagonal.
void trace(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.rank() != 2) ctx.fail("trace expects a matrix, got " + x->type.toString());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* diag = diagonalOf(ctx, castValue(ctx, x, x->type.dtype == DType::Bool ? DType::Int32 : x->type.dtype, name + "_x"),
                                  0, 0, 1, name);
    mil::Builder& b = ctx.builder();
    emit(ctx, "reduce_sum", {{"x", {diag}}, {"axes", {b.constInts({0}, name + "_axes")}}, {"keep_dims", {b.constBool(false, name + "_keep")}}},
         node.outputs[0]);
}

// fliplr(x): reverses the second dim.
void fliplr(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.rank() < 2) ctx.fail("fliplr needs at least 2 dimensions, got " + x->type.toString());
    emit(ctx, "reverse", {{"x", {x}}, {"axes", {ctx.builder().constInts({1}, ctx.nameFor(node.outputs.at(0)) + "_axes")}}},
         node.outputs[0]);
}

// roll(x, shifts, dims): each roll is the tail of the dim followed by its head; without dims, x is
// rolled flattened.
void roll(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::vector<int64_t> shifts = ctx.intsArg(node.inputs.at(1));
    std::vector<int64_t> dims = node.inputs.size() > 2 ? ctx.intsArg(node.inputs[2]) : std::vector<int64_t>{};
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (!x->type.isStatic()) ctx.fail("roll needs a tensor of fixed shape, got " + x->type.toString(), "give the input a fixed shape");
    const Shape shape = x->type.shape;
    const bool flat = dims.empty();
    if (flat) {
        if (shifts.size() != 1) ctx.fail("roll without dims takes one shift, got " + listText(shifts));
        x = reshapeTo(ctx, x, {shapeNumel(shape)}, name + "_flat");
        dims = {0};
    }
    if (shifts.size() != dims.size())
        ctx.fail("roll needs one shift per dim, got shifts " + listText(shifts) + " and dims " + listText(dims));
    mil::Builder& b = ctx.builder();
    for (size_t i = 0; i < dims.size(); ++i) {
        const int64_t d = normalizeDim(ctx, dims[i], x->type.rank());
        const int64_t n = x->type.shape[static_cast<size_t>(d)];
        const int64_t s = ((shifts[i] % n) + n) % n;
        if (s == 0) continue;
        const std::string step = name + "_roll" + std::to_string(i);
        mil::Value* tail = sliceRange(ctx, x, d, n - s, n, step + "_tail");
        mil::Value* head = sliceRange(ctx, x, d, 0, n - s, step + "_head");
        x = b.add1("concat", {{"values", {tail, head}}, {"axis", {b.constInt(d, step + "_axis")}}}, step);
    }
    if (flat) x = reshapeTo(ctx, x, shape, name + "_shape");
    ctx.bind(node.outputs.at(0), x);
}

// searchsorted(sorted_sequence, values, out_int32, right, side, sorter): for each value the number of
// sequence elements below it (left) or not above it (right), counted along the sequence's last dim.
void searchsorted(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    mil::Value* seq = ctx.tensor(node.inputs.at(0));
    mil::Value* values = ctx.tensor(node.inputs.at(1));
    bool right = node.inputs.size() > 3 && !ctx.isNone(node.inputs[3]) && ctx.boolArg(node.inputs[3]);
    if (node.inputs.size() > 4 && !ctx.isNone(node.inputs[4])) {
        const std::string side = ctx.stringArg(node.inputs[4]);
        if (side != "left" && side != "right") ctx.fail("side must be 'left' or 'right', got '" + side + "'");
        right = side == "right";
    }
    if (seq->type.rank() < 1) ctx.fail("the sorted sequence must have at least one dimension");
    if (node.inputs.size() > 5 && !ctx.isNone(node.inputs[5]))
        seq = b.add1("gather_along_axis", {{"x", {seq}}, {"indices", {indicesOf(ctx, node.inputs[5])}}, {"axis", {b.constInt(-1, name + "_sorter_axis")}}},
                     name + "_sorted");
    const DType common = isFloat(seq->type.dtype) || isFloat(values->type.dtype) ? DType::Float32 : DType::Int32;
    seq = castValue(ctx, seq, common, name + "_seq");
    values = castValue(ctx, values, common, name + "_values");
    if (seq->type.rank() > 1) {
        if (values->type.rank() != seq->type.rank())
            ctx.fail("values must have the rank of the sorted sequence (" + std::to_string(seq->type.rank()) + ")");
        seq = b.add1("expand_dims", {{"x", {seq}}, {"axes", {b.constInts({-2}, name + "_seq_axes")}}}, name + "_seq_row");
    }
    mil::Value* column = b.add1("expand_dims", {{"x", {values}}, {"axes", {b.constInts({-1}, name + "_axes")}}}, name + "_column");
    mil::Value* below = b.add1(right ? "less_equal" : "less", {{"x", {seq}}, {"y", {column}}}, name + "_below");
    mil::Value* ones = castValue(ctx, below, DType::Int32, name + "_count");
    emit(ctx, "reduce_sum", {{"x", {ones}}, {"axes", {b.constInts({-1}, name + "_sum_axes")}}, {"keep_dims", {b.constBool(false, name + "_keep")}}},
         node.outputs[0]);
}

}  // namespace

void registerIndexTranslators(TranslatorTable& t) {
    t.add({"aten::embedding"}, embedding);
    t.add({"aten::gather"}, gather);
    t.add({"aten::flip"}, flip);
    t.add({"aten::triu", "aten::triu_"}, triangle<true>);
    t.add({"aten::tril", "aten::tril_"}, triangle<false>);
    t.add({"aten::index", "aten::_unsafe_index"}, index);
    t.add({"aten::nonzero"}, nonzero);
    t.add({"aten::nonzero_numpy"}, nonzeroNumpy);
    t.add({"aten::one_hot"}, oneHot);
    t.add({"aten::diagonal"}, diagonal);
    t.add({"aten::trace"}, trace);
    t.add({"aten::fliplr"}, fliplr);
    t.add({"aten::roll"}, roll);
    t.add({"aten::searchsorted"}, searchsorted);
}

}  // namespace cms::lower
