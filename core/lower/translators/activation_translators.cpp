// Activations: relu, relu6, hardtanh (clip), hardswish and hardsigmoid (sigmoid_hard), sigmoid,
// silu, gelu, tanh, leaky_relu, elu, selu, softplus, prelu, mish. In-place forms share them.
#include <cmath>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Activations are defined on floats; torch integer inputs are promoted to fp32.
mil::Value* floatInput(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    return isFloat(x->type.dtype) ? x : ctx.tensorAs(node.inputs[0], DType::Float32);
}

double floatArgOr(const LowerContext& ctx, const ir::Node& node, size_t i, double dflt) {
    return hasArg(ctx, node, i) ? ctx.floatArg(node.inputs[i]) : dflt;
}

template <const char* Type>
void plain(LowerContext& ctx, const ir::Node& node) {
    emit(ctx, Type, {{"x", {floatInput(ctx, node)}}}, node.outputs.at(0));
}
constexpr char kRelu[] = "relu";
constexpr char kRelu6[] = "relu6";
constexpr char kSigmoid[] = "sigmoid";
constexpr char kSilu[] = "silu";
constexpr char kTanh[] = "tanh";

// hardtanh(x, min_val=-1, max_val=1)
void hardtanh(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const double lo = floatArgOr(ctx, node, 1, -1.0), hi = floatArgOr(ctx, node, 2, 1.0);
    if (lo == 0.0 && hi == 6.0) {
        emit(ctx, "relu6", {{"x", {x}}}, node.outputs[0]);
        return;
    }
    if (lo >= hi) ctx.fail("hardtanh needs min_val < max_val, got " + std::to_string(lo) + " and " + std::to_string(hi));
    const DType d = x->type.dtype;
    emit(ctx, "clip", {{"x", {x}}, {"alpha", {scalarConst(ctx, lo, d, name + "_min")}}, {"beta", {scalarConst(ctx, hi, d, name + "_max")}}},
         node.outputs[0]);
}

mil::Value* hardSigmoidOf(LowerContext& ctx, mil::Value* x, const std::string& name) {
    const DType d = x->type.dtype;
    return ctx.builder().add1("sigmoid_hard",
                              {{"x", {x}}, {"alpha", {scalarConst(ctx, 1.0 / 6.0, d, name + "_alpha")}},
                               {"beta", {scalarConst(ctx, 0.5, d, name + "_beta")}}},
                              name);
}

// hardsigmoid(x) = clamp(x / 6 + 1/2, 0, 1)
void hardsigmoid(LowerContext& ctx, const ir::Node& node) {
    ctx.bind(node.outputs.at(0), hardSigmoidOf(ctx, floatInput(ctx, node), ctx.nameFor(node.outputs[0])));
}

// hardswish(x) = x * hardsigmoid(x)
void hardswish(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* gate = hardSigmoidOf(ctx, x, name + "_gate");
    emit(ctx, "mul", {{"x", {x}}, {"y", {gate}}}, node.outputs[0]);
}

// gelu(x, approximate='none'|'tanh')
void gelu(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::string approximate = hasArg(ctx, node, 1) ? ctx.stringArg(node.inputs[1]) : "none";
    std::string mode;
    if (approximate == "none") mode = "EXACT";
    else if (approximate == "tanh") mode = "TANH_APPROXIMATION";
    else ctx.fail("unknown gelu approximation '" + approximate + "' (expected 'none' or 'tanh')");
    emit(ctx, "gelu", {{"x", {x}}, {"mode", {ctx.builder().constString(mode, name + "_mode")}}}, node.outputs[0]);
}

// leaky_relu(x, negative_slope=0.01)
void leakyRelu(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatInput(ctx, node);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "leaky_relu", {{"x", {x}}, {"alpha", {scalarConst(ctx, floatArgOr(ctx, node, 1, 0.01), x->type.dtype, name + "_alpha")}}},
         node.outputs[0]);
}

// elu(x, alpha=1, scale=1, input_scale=1) = scale * (x > 0 ? x : alpha * (exp(input_scale * x) - 1))
void elu(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatInput(ctx, node);
    const DType d = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const double alpha = floatArgOr(ctx, node, 1, 1.0);
    const double scale = floatArgOr(ctx, node, 2, 1.0);
    const double inputScale = floatArgOr(ctx, node, 3, 1.0);
    if (inputScale != 1.0)
        ctx.fail("elu with input_scale != 1 is not supported", "use torch.nn.ELU, CELU or SELU");
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"alpha", {scalarConst(ctx, alpha, d, name + "_alpha")}}};
    if (scale == 1.0) {
        emit(ctx, "elu", std::move(inputs), node.outputs[0]);
        return;
    }
    mil::Value* e = b.add1("elu", std::move(inputs), name + "_elu");
    emit(ctx, "mul", {{"x", {e}}, {"y", {scalarConst(ctx, scale, d, name + "_scale")}}}, node.outputs[0]);
}

// selu(x) = elu(x, alpha=1.6732632, scale=1.0507010)
void selu(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatInput(ctx, node);
    const DType d = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* e = b.add1("elu", {{"x", {x}}, {"alpha", {scalarConst(ctx, 1.6732632423543772, d, name + "_alpha")}}}, name + "_elu");
    emit(ctx, "mul", {{"x", {e}}, {"y", {scalarConst(ctx, 1.0507009873554805, d, name + "_scale")}}}, node.outputs[0]);
}

// softplus(x, beta=1, threshold=20) = log(1 + exp(beta * x)) / beta. Core ML's softplus has no
// threshold; above it torch returns x, which softplus approaches within float precision.
void softplus(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatInput(ctx, node);
    const DType d = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const double beta = floatArgOr(ctx, node, 1, 1.0);
    if (beta == 1.0) {
        emit(ctx, "softplus", {{"x", {x}}}, node.outputs[0]);
        return;
    }
    if (beta == 0.0) ctx.fail("softplus with beta = 0 is undefined");
    const int64_t rank = x->type.rank();
    if (rank >= 3 && x->type.shape[1] != mil::kUnknownDim) {
        const size_t c = static_cast<size_t>(x->type.shape[1]);
        emit(ctx, "softplus_parametric",
             {{"x", {x}}, {"alpha", {floatsConst(ctx, std::vector<float>(c, static_cast<float>(1.0 / beta)), d, name + "_alpha")}},
              {"beta", {floatsConst(ctx, std::vector<float>(c, static_cast<float>(beta)), d, name + "_beta")}}},
             node.outputs[0]);
        return;
    }
    mil::Value* scaled = b.add1("mul", {{"x", {x}}, {"y", {scalarConst(ctx, beta, d, name + "_beta")}}}, name + "_scaled");
    mil::Value* sp = b.add1("softplus", {{"x", {scaled}}}, name + "_softplus");
    emit(ctx, "real_div", {{"x", {sp}}, {"y", {scalarConst(ctx, beta, d, name + "_beta_div")}}}, node.outputs[0]);
}

// mish(x) = x * tanh(softplus(x))
void mish(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatInput(ctx, node);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* sp = b.add1("softplus", {{"x", {x}}}, name + "_softplus");
    mil::Value* t = b.add1("tanh", {{"x", {sp}}}, name + "_tanh");
    emit(ctx, "mul", {{"x", {x}}, {"y", {t}}}, node.outputs[0]);
}

// prelu(x, weight): one slope, or one per channel (dim 1). Core ML's prelu covers rank 4 (and
// ranks 3/5 with one shared slope); elsewhere max(x, 0) + slope * min(x, 0) is the same function.
void prelu(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatInput(ctx, node);
    const DType d = x->type.dtype;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::vector<float> slopes = constantTensor(ctx, node.inputs.at(1), "prelu weight").toFloats();
    const int64_t rank = x->type.rank();
    const int64_t channels = rank >= 2 ? x->type.shape[1] : 1;
    if (slopes.size() != 1 && (rank < 2 || static_cast<int64_t>(slopes.size()) != channels))
        ctx.fail("prelu has " + std::to_string(slopes.size()) + " slopes for input " + x->type.toString());
    bool shared = true;
    for (float s : slopes) shared = shared && s == slopes[0];
    if (channels != mil::kUnknownDim && (rank == 4 || ((rank == 3 || rank == 5) && shared))) {
        std::vector<float> perChannel(static_cast<size_t>(channels), slopes[0]);
        if (slopes.size() > 1) perChannel = slopes;
        emit(ctx, "prelu", {{"x", {x}}, {"alpha", {floatsConst(ctx, perChannel, d, name + "_alpha")}}}, node.outputs[0]);
        return;
    }
    mil::Value* slope;
    if (slopes.size() == 1) {
        slope = scalarConst(ctx, slopes[0], d, name + "_alpha");
    } else {
        Shape s(static_cast<size_t>(rank - 1), 1);
        s[0] = channels;
        slope = b.constant(Tensor::fromFloats(slopes, s).castTo(d), name + "_alpha");
    }
    mil::Value* zero = scalarConst(ctx, 0.0, d, name + "_zero");
    mil::Value* pos = b.add1("maximum", {{"x", {x}}, {"y", {zero}}}, name + "_positive");
    mil::Value* neg = b.add1("minimum", {{"x", {x}}, {"y", {zero}}}, name + "_negative");
    mil::Value* scaled = b.add1("mul", {{"x", {neg}}, {"y", {slope}}}, name + "_negative_scaled");
    emit(ctx, "add", {{"x", {pos}}, {"y", {scaled}}}, node.outputs[0]);
}

}  // namespace

void registerActivationTranslators(TranslatorTable& t) {
    t.add({"aten::relu", "aten::relu_"}, plain<kRelu>);
    t.add({"aten::relu6", "aten::relu6_"}, plain<kRelu6>);
    t.add({"aten::sigmoid", "aten::sigmoid_"}, plain<kSigmoid>);
    t.add({"aten::silu", "aten::silu_"}, plain<kSilu>);
    t.add({"aten::tanh", "aten::tanh_"}, plain<kTanh>);
    t.add({"aten::hardtanh", "aten::hardtanh_"}, hardtanh);
    t.add({"aten::hardsigmoid", "aten::hardsigmoid_"}, hardsigmoid);
    t.add({"aten::hardswish", "aten::hardswish_"}, hardswish);
    t.add({"aten::gelu", "aten::gelu_"}, gelu);
    t.add({"aten::leaky_relu", "aten::leaky_relu_"}, leakyRelu);
    t.add({"aten::elu", "aten::elu_"}, elu);
    t.add({"aten::selu", "aten::selu_"}, selu);
    t.add({"aten::softplus"}, softplus);
    t.add({"aten::mish", "aten::mish_"}, mish);
    t.add({"aten::prelu"}, prelu);
}

}  // namespace cms::lower
