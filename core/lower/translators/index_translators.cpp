// Ops that pick or reorder elements by position: embedding (rows of a table), gather (torch.gather,
// elements along a dim), flip, and triu/tril (keep a triangle of the last two dims).
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
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
    if (rows == mil::kUnknownDim || cols == mil::kUnknownDim)
        ctx.fail("triu/tril with diagonal " + std::to_string(diagonal) + " needs fixed sizes of the last two dimensions",
                 "give the input a fixed shape");
    std::vector<bool> keep;
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c) keep.push_back(Upper ? c - r >= diagonal : c - r <= diagonal);
    mil::Value* mask = b.constant(Tensor::fromBools(keep, {rows, cols}), name + "_mask");
    mil::Value* zero = x->type.dtype == DType::Bool ? b.constBool(false, name + "_zero")
                                                    : b.constant(x->type.dtype == DType::Int32 ? Tensor::scalarInt(0)
                                                                                               : Tensor::scalarFloat(0, x->type.dtype),
                                                                 name + "_zero");
    emit(ctx, "select", {{"cond", {mask}}, {"a", {x}}, {"b", {zero}}}, node.outputs[0]);
}

}  // namespace

void registerIndexTranslators(TranslatorTable& t) {
    t.add({"aten::embedding"}, embedding);
    t.add({"aten::gather"}, gather);
    t.add({"aten::flip"}, flip);
    t.add({"aten::triu", "aten::triu_"}, triangle<true>);
    t.add({"aten::tril", "aten::tril_"}, triangle<false>);
}

}  // namespace cms::lower
