// upsample_nearest2d and upsample_bilinear2d (F.interpolate / nn.Upsample) to Core ML's upsample
// ops. Both torch overloads are read: (output_size, [align_corners,] scales_h, scales_w) and the
// .vec form (output_size or scale_factors). The output must be a whole multiple of the input, where
// Core ML's sampling grid and torch's coincide exactly.
#include <cmath>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Integer scale factors (height, width) for the node's output size or scale arguments.
std::pair<int64_t, int64_t> integerScales(LowerContext& ctx, const ir::Node& node, mil::Value* x, size_t sizeArg,
                                          size_t scalesArg) {
    if (x->type.rank() != 4) ctx.fail("2-D upsampling needs a [N, C, H, W] input, got " + x->type.toString());
    const int64_t in[2] = {x->type.shape[2], x->type.shape[3]};
    if (in[0] == mil::kUnknownDim || in[1] == mil::kUnknownDim)
        ctx.fail("upsampling needs fixed input heights and widths", "give the model inputs fixed shapes");
    int64_t out[2] = {0, 0};
    if (hasArg(ctx, node, sizeArg)) {
        const std::vector<int64_t> size = ctx.intsArg(node.inputs[sizeArg]);
        if (size.size() != 2) ctx.fail("output_size must have 2 values, got " + listText(size));
        out[0] = size[0];
        out[1] = size[1];
    } else {
        // scale_factors as one list (.vec) or scales_h, scales_w as two numbers.
        std::vector<double> scales;
        const ir::Constant& c = ctx.constant(node.inputs.at(scalesArg));
        if (const auto* list = std::get_if<std::vector<double>>(&c)) {
            scales = *list;
        } else {
            scales.push_back(ctx.floatArg(node.inputs[scalesArg]));
            scales.push_back(ctx.floatArg(node.inputs.at(scalesArg + 1)));
        }
        if (scales.size() != 2) ctx.fail("scale_factor must have 2 values");
        for (int i = 0; i < 2; ++i) out[i] = static_cast<int64_t>(std::floor(static_cast<double>(in[i]) * scales[i]));
    }
    for (int i = 0; i < 2; ++i)
        if (out[i] <= 0 || out[i] % in[i] != 0)
            ctx.fail("upsampling " + shapeText({in[0], in[1]}) + " to " + shapeText({out[0], out[1]}) +
                         " is not by whole factors, which this converter does not support yet",
                     "resize by integer factors (e.g. scale_factor=2), or to a size that is a multiple of the input");
    return {out[0] / in[0], out[1] / in[1]};
}

void upsampleNearest(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const auto [sh, sw] = integerScales(ctx, node, x, 1, 2);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    emit(ctx, "upsample_nearest_neighbor",
         {{"x", {x}},
          {"scale_factor_height", {b.constInt(sh, name + "_scale_h")}},
          {"scale_factor_width", {b.constInt(sw, name + "_scale_w")}}},
         node.outputs[0]);
}

// align_corners=False is torch's half-pixel sampling, Core ML's default for align_corners=False.
void upsampleBilinear(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const bool alignCorners = ctx.boolArg(node.inputs.at(2));
    const auto [sh, sw] = integerScales(ctx, node, x, 1, 3);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    emit(ctx, "upsample_bilinear",
         {{"x", {x}},
          {"scale_factor_height", {b.constInt(sh, name + "_scale_h")}},
          {"scale_factor_width", {b.constInt(sw, name + "_scale_w")}},
          {"align_corners", {b.constBool(alignCorners, name + "_align_corners")}}},
         node.outputs[0]);
}

}  // namespace

void registerResampleTranslators(TranslatorTable& t) {
    t.add({"aten::upsample_nearest2d"}, upsampleNearest);
    t.add({"aten::upsample_bilinear2d"}, upsampleBilinear);
}

}  // namespace cms::lower
