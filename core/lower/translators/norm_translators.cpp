// Normalization: batch_norm (and _native_batch_norm_legit_no_training) with running statistics,
// _native_batch_norm_legit (also with batch statistics), instance_norm, layer_norm, group_norm and
// native_group_norm, rms_norm, and weight normalization (_weight_norm, _weight_norm_interface).
#include <cmath>
#include <limits>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

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

// Group normalization: the groups are normalized as the "channels" of an instance norm over
// [N, G, C/G * spatial], then the per-channel affine. Returns the grouped input and the result.
std::pair<mil::Value*, mil::Value*> lowerGroupNorm(LowerContext& ctx, const ir::Node& node, int64_t groups,
                                                   const ir::Value* weight, const ir::Value* bias, double eps) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape shape = staticShape(ctx, x, "group_norm");
    if (shape.size() < 2) ctx.fail("group_norm input must have a channel dimension, got " + x->type.toString());
    const int64_t channels = shape[1];
    if (groups <= 0 || channels % groups != 0)
        ctx.fail(std::to_string(channels) + " channels cannot be split into " + std::to_string(groups) + " groups");
    const int64_t perGroup = shapeNumel(shape) / (shape[0] * groups);
    mil::Value* grouped = reshapeTo(ctx, x, {shape[0], groups, perGroup}, name + "_grouped");
    mil::Value* normalized = b.add1("instance_norm", {{"x", {grouped}}, {"epsilon", {scalarConst(ctx, eps, dtype, name + "_epsilon")}}},
                                    name + "_normalized");
    mil::Value* y = reshapeTo(ctx, normalized, shape, weight || bias ? name + "_ungrouped" : name);
    // Per-channel parameters broadcast as [C, 1, ..., 1] against [N, C, spatial...].
    Shape paramShape(shape.size() - 1, 1);
    paramShape[0] = channels;
    auto param = [&](const ir::Value* v, const std::string& what) {
        Tensor t = constantTensor(ctx, v, what);
        if (t.numel() != channels) ctx.fail(what + " must hold one value per channel (" + std::to_string(channels) + ")");
        return b.constant(t.castTo(dtype).reshaped(paramShape), name + "_" + what);
    };
    if (weight) y = b.add1("mul", {{"x", {y}}, {"y", {param(weight, "weight")}}}, bias ? name + "_scaled" : name);
    if (bias) y = b.add1("add", {{"x", {y}}, {"y", {param(bias, "bias")}}}, name);
    return {grouped, y};
}

// group_norm(input, num_groups, weight, bias, eps, cudnn_enabled)
void groupNorm(LowerContext& ctx, const ir::Node& node) {
    const double eps = hasArg(ctx, node, 4) ? ctx.floatArg(node.inputs[4]) : 1e-5;
    ctx.bind(node.outputs.at(0), lowerGroupNorm(ctx, node, ctx.intArg(node.inputs.at(1)), optionalArg(ctx, node, 2),
                                                optionalArg(ctx, node, 3), eps).second);
}

// Per-row mean and 1/sqrt(var + eps) over the last axis of a rank-3 [N, G, M] tensor, as [N, G].
std::pair<mil::Value*, mil::Value*> rowStatistics(LowerContext& ctx, mil::Value* rows, double eps, const std::string& name) {
    mil::Builder& b = ctx.builder();
    auto meanOver = [&](mil::Value* v, bool keep, const std::string& n) {
        return b.add1("reduce_mean",
                      {{"x", {v}}, {"axes", {b.constInts({-1}, n + "_axes")}}, {"keep_dims", {b.constBool(keep, n + "_keep")}}}, n);
    };
    mil::Value* mean = meanOver(rows, true, name + "_mean_kept");
    mil::Value* centered = binary(ctx, "sub", rows, mean, name + "_centered");
    mil::Value* var = meanOver(binary(ctx, "mul", centered, centered, name + "_sq"), false, name + "_var");
    mil::Value* rstd = b.add1("rsqrt", {{"x", {withScalar(ctx, "add", var, eps, name + "_var_eps")}}}, name + "_rstd");
    mil::Value* flatMean = b.add1("squeeze", {{"x", {mean}}, {"axes", {b.constInts({-1}, name + "_mean_axes")}}}, name + "_mean");
    return {flatMean, rstd};
}

// native_group_norm(input, weight, bias, N, C, HxW, group, eps) -> (out, mean [N, G], rstd [N, G]).
void nativeGroupNorm(LowerContext& ctx, const ir::Node& node) {
    const double eps = ctx.floatArg(node.inputs.at(7));
    const auto [grouped, y] =
        lowerGroupNorm(ctx, node, ctx.intArg(node.inputs.at(6)), optionalArg(ctx, node, 1), optionalArg(ctx, node, 2), eps);
    ctx.bind(node.outputs.at(0), y);
    if (node.outputs.size() < 3) return;
    const auto [mean, rstd] = rowStatistics(ctx, grouped, eps, ctx.nameFor(node.outputs[0]) + "_stats");
    ctx.bind(node.outputs[1], mean);
    ctx.bind(node.outputs[2], rstd);
}

// Batch statistics: each channel normalized over the batch and spatial dimensions, then the affine.
// _native_batch_norm_legit(input, weight, bias, running_mean, running_var, training, momentum, eps)
// and its .no_stats overload (input, weight, bias, training, momentum, eps) -> (out, mean, rstd).
void nativeBatchNormLegit(LowerContext& ctx, const ir::Node& node) {
    const bool withStats = node.inputs.size() >= 8;
    const size_t trainingArg = withStats ? 5 : 3;
    const double eps = ctx.floatArg(node.inputs.at(trainingArg + 2));
    const ir::Value* weight = optionalArg(ctx, node, 1);
    const ir::Value* bias = optionalArg(ctx, node, 2);
    if (withStats && !ctx.boolArg(node.inputs.at(trainingArg))) {
        requireRunningStats(ctx, node, 3);
        lowerBatchNorm(ctx, node, node.inputs[0], weight, bias, node.inputs[3], node.inputs[4], eps);
        return;
    }
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape shape = staticShape(ctx, x, "batch_norm");
    if (shape.size() < 2) ctx.fail("batch_norm input must have a channel dimension, got " + x->type.toString());
    // [N, C, S...] -> [C, N, S...] -> [1, C, N * S] so each channel is one row.
    std::vector<int64_t> perm = {1, 0};
    for (size_t i = 2; i < shape.size(); ++i) perm.push_back(static_cast<int64_t>(i));
    mil::Value* channelsFirst = transposeTo(ctx, x, perm, name + "_channels_first");
    mil::Value* rows = reshapeTo(ctx, channelsFirst, {1, shape[1], shapeNumel(shape) / shape[1]}, name + "_rows");
    const auto [mean, rstd] = rowStatistics(ctx, rows, eps, name + "_stats");
    Shape paramShape(shape.size() - 1, 1);
    paramShape[0] = shape[1];
    mil::Value* meanC = reshapeTo(ctx, mean, paramShape, name + "_mean_c");
    mil::Value* rstdC = reshapeTo(ctx, rstd, paramShape, name + "_rstd_c");
    mil::Value* y = binary(ctx, "mul", binary(ctx, "sub", x, meanC, name + "_centered"), rstdC, name + "_normalized");
    auto param = [&](const ir::Value* v, const std::string& what) {
        return reshapeTo(ctx, ctx.tensorAs(v, dtype), paramShape, name + "_" + what);
    };
    if (weight) y = b.add1("mul", {{"x", {y}}, {"y", {param(weight, "weight")}}}, bias ? name + "_scaled" : name);
    if (bias) y = b.add1("add", {{"x", {y}}, {"y", {param(bias, "bias")}}}, name);
    ctx.bind(node.outputs[0], y);
    if (node.outputs.size() >= 3) {
        ctx.bind(node.outputs[1], reshapeTo(ctx, mean, {shape[1]}, name + "_save_mean"));
        ctx.bind(node.outputs[2], reshapeTo(ctx, rstd, {shape[1]}, name + "_save_rstd"));
    }
}

// rms_norm(input, normalized_shape, weight=None, eps=None): x / sqrt(mean(x^2) + eps) * weight over
// the trailing normalized_shape dimensions; eps defaults to the float epsilon.
void rmsNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t n = static_cast<int64_t>(ctx.intsArg(node.inputs.at(1)).size());
    if (n == 0 || n > x->type.rank())
        ctx.fail("normalized_shape of length " + std::to_string(n) + " does not fit the input " + x->type.toString());
    std::vector<int64_t> axes;
    for (int64_t i = -n; i < 0; ++i) axes.push_back(i);
    const double eps = hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : std::numeric_limits<float>::epsilon();
    mil::Value* meanSq = b.add1("reduce_mean",
                                {{"x", {binary(ctx, "mul", x, x, name + "_sq")}},
                                 {"axes", {b.constInts(axes, name + "_axes")}},
                                 {"keep_dims", {b.constBool(true, name + "_keep")}}},
                                name + "_mean_sq");
    mil::Value* inv = b.add1("rsqrt", {{"x", {withScalar(ctx, "add", meanSq, eps, name + "_eps")}}}, name + "_rstd");
    if (!hasArg(ctx, node, 2)) {
        emit(ctx, "mul", {{"x", {x}}, {"y", {inv}}}, node.outputs[0]);
        return;
    }
    mil::Value* normalized = binary(ctx, "mul", x, inv, name + "_normalized");
    emit(ctx, "mul", {{"x", {normalized}}, {"y", {ctx.tensorAs(node.inputs[2], x->type.dtype)}}}, node.outputs[0]);
}

// Weight normalization: w = g * v / |v|, the norm taken over every dimension but `dim` (all of them
// when dim is -1). Returns w and the norm (shaped like g).
std::pair<mil::Value*, mil::Value*> lowerWeightNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* v = ctx.tensor(node.inputs.at(0));
    mil::Value* g = ctx.tensorAs(node.inputs.at(1), v->type.dtype);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t rank = v->type.rank();
    const int64_t dim = hasArg(ctx, node, 2) ? ctx.intArg(node.inputs[2]) : 0;
    std::vector<int64_t> axes;
    for (int64_t i = 0; i < rank; ++i)
        if (dim == -1 || i != normalizeDim(ctx, dim, rank)) axes.push_back(i);
    mil::Value* norm = v;
    if (!axes.empty()) {
        mil::Value* sumSq = b.add1("reduce_sum",
                                   {{"x", {binary(ctx, "mul", v, v, name + "_sq")}},
                                    {"axes", {b.constInts(axes, name + "_axes")}},
                                    {"keep_dims", {b.constBool(true, name + "_keep")}}},
                                   name + "_sum_sq");
        norm = b.add1("sqrt", {{"x", {sumSq}}}, name + "_norm");
    } else {
        norm = b.add1("abs", {{"x", {v}}}, name + "_norm");
    }
    mil::Value* direction = binary(ctx, "real_div", v, norm, name + "_direction");
    return {b.add1("mul", {{"x", {direction}}, {"y", {g}}}, name), norm};
}

// _weight_norm(v, g, dim=0)
void weightNorm(LowerContext& ctx, const ir::Node& node) { ctx.bind(node.outputs.at(0), lowerWeightNorm(ctx, node).first); }

// _weight_norm_interface(v, g, dim=0) -> (w, norm)
void weightNormInterface(LowerContext& ctx, const ir::Node& node) {
    const auto [w, norm] = lowerWeightNorm(ctx, node);
    ctx.bind(node.outputs.at(0), w);
    if (node.outputs.size() > 1) {
        mil::Value* g = ctx.tensor(node.inputs.at(1));
        ctx.bind(node.outputs[1], reshapeTo(ctx, norm, staticShape(ctx, g, "weight norm"), ctx.nameFor(node.outputs[1])));
    }
}

}  // namespace

void registerNormTranslators(TranslatorTable& t) {
    t.add({"aten::batch_norm"}, batchNorm);
    t.add({"aten::_native_batch_norm_legit_no_training"}, nativeBatchNormNoTraining);
    t.add({"aten::instance_norm"}, instanceNorm);
    t.add({"aten::layer_norm", "aten::native_layer_norm"}, layerNorm);
    t.add({"aten::group_norm"}, groupNorm);
    t.add({"aten::native_group_norm"}, nativeGroupNorm);
    t.add({"aten::_native_batch_norm_legit"}, nativeBatchNormLegit);
    t.add({"aten::rms_norm"}, rmsNorm);
    t.add({"aten::_weight_norm"}, weightNorm);
    t.add({"aten::_weight_norm_interface"}, weightNormInterface);
}

}  // namespace cms::lower
