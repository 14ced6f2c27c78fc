// Convolutions: aten::_convolution and its front doors (convolution, conv1d/2d/3d with int or
// 'same'/'valid' padding, conv_transpose1d/2d/3d, _convolution_mode) -> MIL conv / conv_transpose.
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// The torch arguments every convolution form reduces to.
struct ConvCall {
    const ir::Value* x = nullptr;
    const ir::Value* weight = nullptr;
    const ir::Value* bias = nullptr;  // null when None
    const ir::Value* stride = nullptr;
    const ir::Value* padding = nullptr;  // ints, or a string mode
    const ir::Value* dilation = nullptr;
    const ir::Value* outputPadding = nullptr;
    const ir::Value* groups = nullptr;
    bool transposed = false;
};

const ir::Value* argAt(const LowerContext& ctx, const ir::Node& node, size_t i) {
    return hasArg(ctx, node, i) ? node.inputs[i] : nullptr;
}

std::vector<int64_t> intsOr(const LowerContext& ctx, const ir::Value* v, size_t n, int64_t dflt, const std::string& what) {
    return v ? perSpatialDim(ctx, v, n, what) : std::vector<int64_t>(n, dflt);
}

void lowerConv(LowerContext& ctx, const ir::Node& node, const ConvCall& c) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(c.x);
    const DType dtype = x->type.dtype;
    mil::Value* weight = ctx.tensorAs(c.weight, dtype);
    const int64_t rank = weight->type.rank();
    if (rank < 3 || rank > 5) ctx.fail("convolution weight must have rank 3 to 5, got " + weight->type.toString());
    const size_t n = static_cast<size_t>(rank - 2);
    if (x->type.rank() != rank)
        ctx.fail("convolution input " + x->type.toString() + " must be batched ([N, C, spatial...]) to match weight " +
                     weight->type.toString(),
                 "add a batch dimension to the input (unsqueeze(0)) before the convolution");

    const std::vector<int64_t> stride = intsOr(ctx, c.stride, n, 1, "stride");
    const std::vector<int64_t> dilation = intsOr(ctx, c.dilation, n, 1, "dilation");
    const int64_t groups = c.groups ? ctx.intArg(c.groups) : 1;

    std::vector<int64_t> pad(2 * n, 0);
    if (c.padding && ctx.isConstant(c.padding) && std::holds_alternative<std::string>(ctx.constant(c.padding))) {
        const std::string mode = ctx.stringArg(c.padding);
        if (mode == "same") {
            if (c.transposed) ctx.fail("padding='same' is not defined for transposed convolution");
            // torch pads d*(k-1) in total, the odd element at the end.
            for (size_t i = 0; i < n; ++i) {
                const int64_t total = dilation[i] * (weight->type.shape[2 + i] - 1);
                pad[2 * i] = total / 2;
                pad[2 * i + 1] = total - total / 2;
            }
        } else if (mode != "valid") {
            ctx.fail("unknown convolution padding mode '" + mode + "' (expected 'same', 'valid' or integers)");
        }
    } else if (c.padding) {
        const std::vector<int64_t> p = perSpatialDim(ctx, c.padding, n, "padding");
        for (size_t i = 0; i < n; ++i) pad[2 * i] = pad[2 * i + 1] = p[i];
    }

    if (c.transposed && c.outputPadding) {
        // output_padding grows the end of each output dimension; Core ML's custom pad crops the
        // full transposed output, so cropping less at the end gives exactly torch's values.
        const std::vector<int64_t> extra = perSpatialDim(ctx, c.outputPadding, n, "output_padding");
        for (size_t i = 0; i < n; ++i) {
            if (extra[i] > pad[2 * i + 1])
                ctx.fail("output_padding " + std::to_string(extra[i]) + " larger than padding " + std::to_string(pad[2 * i + 1]) +
                             " is not supported for transposed convolution",
                         "use padding >= output_padding in the ConvTranspose layer");
            pad[2 * i + 1] -= extra[i];
        }
    }

    bool anyPad = false;
    for (int64_t p : pad) anyPad = anyPad || p != 0;
    std::vector<mil::OpInput> inputs = {{"x", {x}}, {"weight", {weight}}};
    if (c.bias) inputs.push_back({"bias", {ctx.tensorAs(c.bias, dtype)}});
    inputs.push_back({"strides", {b.constInts(stride, name + "_strides")}});
    inputs.push_back({"pad_type", {b.constString(anyPad ? "custom" : "valid", name + "_pad_type")}});
    if (anyPad) inputs.push_back({"pad", {b.constInts(pad, name + "_pad")}});
    inputs.push_back({"dilations", {b.constInts(dilation, name + "_dilations")}});
    inputs.push_back({"groups", {b.constInt(groups, name + "_groups")}});
    emit(ctx, c.transposed ? "conv_transpose" : "conv", std::move(inputs), node.outputs.at(0));
}

// _convolution / convolution (input, weight, bias, stride, padding, dilation, transposed, output_padding, groups, ...)
void convolution(LowerContext& ctx, const ir::Node& node) {
    ConvCall c;
    c.x = node.inputs.at(0);
    c.weight = node.inputs.at(1);
    c.bias = argAt(ctx, node, 2);
    c.stride = argAt(ctx, node, 3);
    c.padding = argAt(ctx, node, 4);
    c.dilation = argAt(ctx, node, 5);
    c.transposed = hasArg(ctx, node, 6) && ctx.boolArg(node.inputs[6]);
    c.outputPadding = argAt(ctx, node, 7);
    c.groups = argAt(ctx, node, 8);
    lowerConv(ctx, node, c);
}

// conv1d/2d/3d and _convolution_mode (input, weight, bias, stride, padding, dilation, groups)
void convNd(LowerContext& ctx, const ir::Node& node) {
    ConvCall c;
    c.x = node.inputs.at(0);
    c.weight = node.inputs.at(1);
    c.bias = argAt(ctx, node, 2);
    c.stride = argAt(ctx, node, 3);
    c.padding = argAt(ctx, node, 4);
    c.dilation = argAt(ctx, node, 5);
    c.groups = argAt(ctx, node, 6);
    lowerConv(ctx, node, c);
}

// conv_transpose1d/2d/3d (input, weight, bias, stride, padding, output_padding, groups, dilation)
void convTransposeNd(LowerContext& ctx, const ir::Node& node) {
    ConvCall c;
    c.x = node.inputs.at(0);
    c.weight = node.inputs.at(1);
    c.bias = argAt(ctx, node, 2);
    c.stride = argAt(ctx, node, 3);
    c.padding = argAt(ctx, node, 4);
    c.outputPadding = argAt(ctx, node, 5);
    c.groups = argAt(ctx, node, 6);
    c.dilation = argAt(ctx, node, 7);
    c.transposed = true;
    lowerConv(ctx, node, c);
}

}  // namespace

void registerConvTranslators(TranslatorTable& t) {
    t.add({"aten::_convolution", "aten::convolution"}, convolution);
    t.add({"aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::_convolution_mode"}, convNd);
    t.add({"aten::conv_transpose1d", "aten::conv_transpose2d", "aten::conv_transpose3d"}, convTransposeNd);
}

}  // namespace cms::lower
