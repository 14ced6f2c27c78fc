// Losses: l1_loss, mse_loss and nll_loss (nll_loss_nd, nll_loss2d) with reduction none/mean/sum;
// nll_loss also takes class weights and a constant ignore_index.
#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

enum class Reduction { None = 0, Mean = 1, Sum = 2 };

Reduction reductionArg(LowerContext& ctx, const ir::Node& node, size_t index) {
    const int64_t r = index < node.inputs.size() ? ctx.intArg(node.inputs[index]) : 1;
    if (r < 0 || r > 2) ctx.fail("unknown loss reduction code " + std::to_string(r) + " (expected 0 none, 1 mean or 2 sum)");
    return static_cast<Reduction>(r);
}

mil::Value* op(LowerContext& ctx, const std::string& type, std::vector<mil::OpInput> inputs, const std::string& name) {
    return ctx.builder().add1(type, std::move(inputs), name);
}

mil::Value* reduceAll(LowerContext& ctx, const std::string& type, mil::Value* x, const std::string& name) {
    if (x->type.rank() == 0) return x;
    return op(ctx, type, {{"x", {x}}, {"keep_dims", {ctx.builder().constBool(false, name + "_keep_dims")}}}, name);
}

// l1_loss / mse_loss(input, target, reduction=mean): |d| or d^2 of d = input - target.
template <bool Squared>
void pointwiseLoss(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) x = ctx.tensorAs(node.inputs[0], DType::Float32);
    mil::Value* t = ctx.tensorAs(node.inputs.at(1), x->type.dtype);
    const Reduction r = reductionArg(ctx, node, 2);
    mil::Value* d = op(ctx, "sub", {{"x", {x}}, {"y", {t}}}, name + "_difference");
    const std::string type = Squared ? "square" : "abs";
    if (r == Reduction::None) {
        emit(ctx, type, {{"x", {d}}}, out);
        return;
    }
    mil::Value* e = op(ctx, type, {{"x", {d}}}, name + "_" + type);
    ctx.bind(out, reduceAll(ctx, r == Reduction::Mean ? "reduce_mean" : "reduce_sum", e, name));
}

// nll_loss(input [N, C, d...] or [C], target [N, d...] or [], weight=None, reduction=mean,
// ignore_index=-100): -input[n, target[n, ...], ...] * weight[target], zero where the target is
// ignore_index; the mean divides by the summed weights of the targets that count.
void nllLoss(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) x = ctx.tensorAs(node.inputs[0], DType::Float32);
    const DType d = x->type.dtype;
    mil::Value* target = ctx.tensorAs(node.inputs.at(1), DType::Int32);
    const int64_t classAxis = x->type.rank() >= 2 ? 1 : 0;
    if (target->type.rank() != x->type.rank() - 1)
        ctx.fail("nll_loss expects a target with one dim less than the input (no class dim), got input " + x->type.toString() +
                 " and target " + target->type.toString());
    const Reduction r = reductionArg(ctx, node, 3);
    const int64_t ignoreIndex = node.inputs.size() > 4 ? ctx.intArg(node.inputs[4]) : -100;

    // Ignored targets may be out of range, so they gather class 0 and are then zero-weighted.
    mil::Value* counts = op(ctx, "not_equal", {{"x", {target}}, {"y", {b.constInt(ignoreIndex, name + "_ignore_index")}}}, name + "_counts");
    mil::Value* safe = op(ctx, "select", {{"cond", {counts}}, {"a", {target}}, {"b", {b.constInt(0, name + "_zero_index")}}}, name + "_target");
    mil::Value* index = op(ctx, "expand_dims", {{"x", {safe}}, {"axes", {b.constInts({classAxis}, name + "_class_axes")}}}, name + "_index");
    mil::Value* picked = op(ctx, "gather_along_axis", {{"x", {x}}, {"indices", {index}}, {"axis", {b.constInt(classAxis, name + "_axis")}}},
                            name + "_picked");
    picked = op(ctx, "squeeze", {{"x", {picked}}, {"axes", {b.constInts({classAxis}, name + "_squeeze_axes")}}}, name + "_picked_squeezed");
    mil::Value* weights = op(ctx, "cast", {{"x", {counts}}, {"dtype", {b.constString(dtypeName(d), name + "_weights_dtype")}}}, name + "_mask");
    if (hasArg(ctx, node, 2)) {
        mil::Value* classWeights = ctx.tensorAs(node.inputs[2], d);
        mil::Value* w = op(ctx, "gather", {{"x", {classWeights}}, {"indices", {safe}}, {"axis", {b.constInt(0, name + "_weight_axis")}}}, name + "_class_weight");
        weights = op(ctx, "mul", {{"x", {weights}}, {"y", {w}}}, name + "_weights");
    }
    mil::Value* weighted = op(ctx, "mul", {{"x", {picked}}, {"y", {weights}}}, name + "_weighted");
    if (r == Reduction::None) {
        emit(ctx, "mul", {{"x", {weighted}}, {"y", {scalarConst(ctx, -1.0, d, name + "_minus_one")}}}, out);
        return;
    }
    mil::Value* negated = op(ctx, "mul", {{"x", {weighted}}, {"y", {scalarConst(ctx, -1.0, d, name + "_minus_one")}}}, name + "_negated");
    mil::Value* total = reduceAll(ctx, "reduce_sum", negated, r == Reduction::Sum ? name : name + "_total");
    if (r == Reduction::Sum) {
        ctx.bind(out, total);
        return;
    }
    emit(ctx, "real_div", {{"x", {total}}, {"y", {reduceAll(ctx, "reduce_sum", weights, name + "_weight_sum")}}}, out);
}

}  // namespace

void registerLossTranslators(TranslatorTable& t) {
    t.add({"aten::l1_loss"}, pointwiseLoss<false>);
    t.add({"aten::mse_loss"}, pointwiseLoss<true>);
    t.add({"aten::nll_loss", "aten::nll_loss_nd", "aten::nll_loss2d"}, nllLoss);
}

}  // namespace cms::lower
