// Padding: constant_pad_nd, pad (constant, reflect, replicate, circular) and the reflection_pad /
// replication_pad ops. torch lists (before, after) pairs from the last dimension backwards.
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

namespace cms::lower {

namespace {

std::vector<std::pair<int64_t, int64_t>> torchPads(const LowerContext& ctx, const ir::Value* v) {
    const std::vector<int64_t> flat = ctx.intsArg(v);
    if (flat.size() % 2 != 0) ctx.fail("the padding list " + listText(flat) + " must hold (before, after) pairs");
    std::vector<std::pair<int64_t, int64_t>> pads;
    for (size_t i = flat.size(); i >= 2; i -= 2) pads.emplace_back(flat[i - 2], flat[i - 1]);
    return pads;
}

void lowerPad(LowerContext& ctx, const ir::Node& node, const std::string& mode, double value) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype))
        ctx.fail("padding a " + dtypeName(x->type.dtype) + " tensor is not supported (Core ML pads float tensors)",
                 "cast the tensor to float before padding");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    ctx.bind(node.outputs[0], padDims(ctx, x, torchPads(ctx, node.inputs.at(1)), mode, value, name));
}

// constant_pad_nd(input, pad, value=0)
void constantPadNd(LowerContext& ctx, const ir::Node& node) {
    lowerPad(ctx, node, "constant", hasArg(ctx, node, 2) ? ctx.floatArg(node.inputs[2]) : 0.0);
}

// pad(input, pad, mode="constant", value=None)
void pad(LowerContext& ctx, const ir::Node& node) {
    const std::string mode = hasArg(ctx, node, 2) ? ctx.stringArg(node.inputs[2]) : "constant";
    if (mode != "constant" && hasArg(ctx, node, 3) && ctx.floatArg(node.inputs[3]) != 0.0)
        ctx.fail("a padding value is only meaningful for constant padding, not '" + mode + "'");
    lowerPad(ctx, node, mode, hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : 0.0);
}

void reflectionPad(LowerContext& ctx, const ir::Node& node) { lowerPad(ctx, node, "reflect", 0.0); }
void replicationPad(LowerContext& ctx, const ir::Node& node) { lowerPad(ctx, node, "replicate", 0.0); }

}  // namespace

void registerPaddingTranslators(TranslatorTable& t) {
    t.add({"aten::constant_pad_nd"}, constantPadNd);
    t.add({"aten::pad"}, pad);
    t.add({"aten::reflection_pad1d", "aten::reflection_pad2d", "aten::reflection_pad3d"}, reflectionPad);
    t.add({"aten::replication_pad1d", "aten::replication_pad2d", "aten::replication_pad3d"}, replicationPad);
}

}  // namespace cms::lower
