// Normalization: batch_norm (and _native_batch_norm_legit_no_training) with running statistics,
// instance_norm, layer_norm and group_norm.
#include <cmath>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Inference-time batch norm with per-channel running statistics.
void lowerBatchNorm(LowerContext& ctx, const ir::Node& node, const ir::Value* xv, const ir::Value* weight,
                    const ir::Value* bias, const ir::Value* mean, const ir::Value* var, double eps) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(xv);
    const DType dtype = x->type.dtype;
    const int64_t rank = x->type.rank();
    if (rank == 2) {
        // [N, C]: Core ML's batch_norm wants spatial dims, so fold the statistics into x * scale + shift.
        const std::vector<float> m = constantTensor(ctx, mean, "running_mean").toFloats();
        const std::vector<float> v = constantTensor(ctx, var, "running_var").toFloats();
        const std::vector<float> g = weight ? constantTensor(ctx, weight, "weight").toFloats() : std::vector<float>(m.size(), 1.0f);
        const std::vector<float> be = bias ? constantTensor(ctx, bias, "bias").toFloats() : std::vector<float>(m.size(), 0.0f);
        if (v.size() != m.size() || g.size() != m.size() || be.size() != m.size())
            ctx.fail("batch_norm statistics and affine parameters have different lengths");
        std::vector<float> scale(m.size()), shift(m.size());
        for (size_t i = 0; i < m.size(); ++i) {
            scale[i] = static_cast<float>(g[i] / std::sqrt(static_cast<double>(v[i]) + eps));
            shift[i] = static_cast<float>(be[i] - m[i] * static_cast<double>(scale[i]));
        }
        mil::Value* scaled = b.add1("mul", {{"x", {x}}, {"y", {floatsConst(ctx, scale, dtype, name + "_scale")}}}, name + "_scaled");
        emit(ctx, "add", {{"x", {scaled}}, {"y", {floatsConst(ctx, shift, dtype, name + "_shift")}}}, node.outputs[0]);
        return;
    }
    if (rank < 3 || rank > 5) ctx.fail("batch_norm input must have rank 2 to 5, got " + x->type.toString());
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"mean", {ctx.tensorAs(mean, dtype)}}, {"variance", {ctx.tensorAs(var, dtype)}}};
    if (weight) inputs.push_back({"gamma", {ctx.tensorAs(weight, dtype)}});
    if (bias) inputs.push_back({"beta", {ctx.tensorAs(bias, dtype)}});
    inputs.push_back({"epsilon", {scalarConst(ctx, eps, dtype, name + "_epsilon")}});
    emit(ctx, "batch_norm", std::move(inputs), node.outputs[0]);
}

const ir::Value* optionalArg(const LowerContext& ctx, const ir::Node& node, size_t i) {
    return hasArg(ctx, node, i) ? node.inputs[i] : nullptr;
}

void requireRunningStats(const LowerContext& ctx, const ir::Node& node, size_t meanIndex) {
    if (!hasArg(ctx, node, meanIndex) || !hasArg(ctx, node, meanIndex + 1))
        ctx.fail("batch_norm without running statistics normalizes with batch statistics, which is training behaviour",
                 "create the BatchNorm layer with track_running_stats=True and export the model in eval mode");
}

// batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)
void batchNorm(LowerContext& ctx, const ir::Node& node) {
    if (ctx.boolArg(node.inputs.at(5)))
        ctx.fail("batch_norm is in training mode (it would normalize with batch statistics)",
                 "call model.eval() before tracing or scripting the model");
    requireRunningStats(ctx, node, 3);
    lowerBatchNorm(ctx, node, node.inputs[0], optionalArg(ctx, node, 1), optionalArg(ctx, node, 2), node.inputs[3],
                   node.inputs[4], ctx.floatArg(node.inputs.at(7)));
}

// _native_batch_norm_legit_no_training(input, weight, bias, running_mean, running_var, momentum, eps)
// -> (out, save_mean, save_invstd); only `out` has a meaning at inference time.
void nativeBatchNormNoTraining(LowerContext& ctx, const ir::Node& node) {
    requireRunningStats(ctx, node, 3);
    lowerBatchNorm(ctx, node, node.inputs[0], optionalArg(ctx, node, 1), optionalArg(ctx, node, 2), node.inputs[3],
                   node.inputs[4], ctx.floatArg(node.inputs.at(6)));
}

// instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps, cudnn_enabled)
void instanceNorm(LowerContext& ctx, const ir::Node& node) {
    const double eps = ctx.floatArg(node.inputs.at(7));
    const ir::Value* weight = optionalArg(ctx, node, 1);
    const ir::Value* bias = optionalArg(ctx, node, 2);
    if (!ctx.boolArg(node.inputs.at(5))) {
        // Normalizing with running statistics is batch norm.
        requireRunningStats(ctx, node, 3);
        lowerBatchNorm(ctx, node, node.inputs[0], weight, bias, node.inputs[3], node.inputs[4], eps);
        return;
    }
    mil::Value* x = ctx.tensor(node.inputs[0]);
    const DType dtype = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    std::vector<mil::OpInput> inputs = {{"x", {x}}};
    if (weight) inputs.push_back({"gamma", {ctx.tensorAs(weight, dtype)}});
    if (bias) inputs.push_back({"beta", {ctx.tensorAs(bias, dtype)}});
    inputs.push_back({"epsilon", {scalarConst(ctx, eps, dtype, name + "_epsilon")}});
    emit(ctx, "instance_norm", std::move(inputs), node.outputs[0]);
}

// layer_norm(input, normalized_shape, weight, bias, eps, cudnn_enable); native_layer_norm
// (input, normalized_shape, weight, bias, eps) -> (out, mean, rstd).
void layerNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::vector<int64_t> normalized = ctx.intsArg(node.inputs.at(1));
    const int64_t n = static_cast<int64_t>(normalized.size());
    if (n == 0 || n > x->type.rank())
        ctx.fail("normalized_shape of length " + std::to_string(n) + " does not fit the input " + x->type.toString());
    std::vector<int64_t> axes;
    for (int64_t i = -n; i < 0; ++i) axes.push_back(i);
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"axes", {ctx.builder().constInts(axes, name + "_axes")}}};
    if (hasArg(ctx, node, 2)) inputs.push_back({"gamma", {ctx.tensorAs(node.inputs[2], dtype)}});
    if (hasArg(ctx, node, 3)) inputs.push_back({"beta", {ctx.tensorAs(node.inputs[3], dtype)}});
    const double eps = hasArg(ctx, node, 4) ? ctx.floatArg(node.inputs[4]) : 1e-5;
    inputs.push_back({"epsilon", {scalarConst(ctx, eps, dtype, name + "_epsilon")}});
    emit(ctx, "layer_norm", std::move(inputs), node.outputs[0]);
}

// group_norm(input, num_groups, weight, bias, eps, cudnn_enabled): the groups are normalized as
// the "channels" of an instance norm over [N, G, C/G * spatial], then the per-channel affine.
void groupNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape shape = staticShape(ctx, x, "group_norm");
    if (shape.size() < 2) ctx.fail("group_norm input must have a channel dimension, got " + x->type.toString());
    const int64_t groups = ctx.intArg(node.inputs.at(1));
    const int64_t channels = shape[1];
    if (groups <= 0 || channels % groups != 0)
        ctx.fail(std::to_string(channels) + " channels cannot be split into " + std::to_string(groups) + " groups");
    const double eps = hasArg(ctx, node, 4) ? ctx.floatArg(node.inputs[4]) : 1e-5;
    const int64_t perGroup = shapeNumel(shape) / (shape[0] * groups);
    mil::Value* grouped = reshapeTo(ctx, x, {shape[0], groups, perGroup}, name + "_grouped");
    mil::Value* normalized = b.add1("instance_norm", {{"x", {grouped}}, {"epsilon", {scalarConst(ctx, eps, dtype, name + "_epsilon")}}},
                                    name + "_normalized");
    const bool hasWeight = hasArg(ctx, node, 2), hasBias = hasArg(ctx, node, 3);
    mil::Value* y = reshapeTo(ctx, normalized, shape, hasWeight || hasBias ? name + "_ungrouped" : name);
    // Per-channel parameters broadcast as [C, 1, ..., 1] against [N, C, spatial...].
    Shape paramShape(shape.size() - 1, 1);
    paramShape[0] = channels;
    auto param = [&](size_t i, const std::string& what) {
        Tensor t = constantTensor(ctx, node.inputs[i], what);
        if (t.numel() != channels) ctx.fail(what + " must hold one value per channel (" + std::to_string(channels) + ")");
        return b.constant(t.castTo(dtype).reshaped(paramShape), name + "_" + what);
    };
    if (hasWeight) {
        mil::Value* w = param(2, "weight");
        if (!hasBias) {
            emit(ctx, "mul", {{"x", {y}}, {"y", {w}}}, node.outputs[0]);
            return;
        }
        y = b.add1("mul", {{"x", {y}}, {"y", {w}}}, name + "_scaled");
    }
    if (hasBias) {
        emit(ctx, "add", {{"x", {y}}, {"y", {param(3, "bias")}}}, node.outputs[0]);
        return;
    }
    ctx.bind(node.outputs[0], y);
}

}  // namespace

void registerNormTranslators(TranslatorTable& t) {
    t.add({"aten::batch_norm"}, batchNorm);
    t.add({"aten::_native_batch_norm_legit_no_training"}, nativeBatchNormNoTraining);
    t.add({"aten::instance_norm"}, instanceNorm);
    t.add({"aten::layer_norm", "aten::native_layer_norm"}, layerNorm);
    t.add({"aten::group_norm"}, groupNorm);
}

}  // namespace cms::lower
