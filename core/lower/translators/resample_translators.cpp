// Resampling. upsample_nearest2d and upsample_bilinear2d (F.interpolate / nn.Upsample) to Core ML's
// upsample ops. Both torch overloads are read: (output_size, [align_corners,] scales_h, scales_w) and
// the .vec form (output_size or scale_factors). The output must be a whole multiple of the input, where
// Core ML's sampling grid and torch's coincide exactly.
// The other interpolations (linear 1-D, bicubic, antialiased bilinear/bicubic) are linear maps along
// each resized axis: their weights are computed here from torch's formulas and applied as a matmul
// per axis; nearest 1-D gathers. grid_sampler becomes resample, affine_grid_generator a matmul of a
// constant base grid, pixel_shuffle/pixel_unshuffle rank-5 reshapes and transposes.
#include <algorithm>
#include <cmath>
#include <functional>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

namespace cms::lower {

namespace {

// Integer scale factors (height, width) for the node's output size or scale arguments.
std::pair<int64_t, int64_t> integerScales(LowerContext& ctx, const ir::Node& node, mil::Value* x, size_t sizeArg,
                                          size_t scalesArg) {
    if (x->type.rank() != 4) ctx.fail("2-D upsampling needs a [N, C, H, W] input, got " + x->type.toString());
    const int64_t in[2] = {x->type.shape[2], x->type.shape[3]};
    const bool symbolic = in[0] == mil::kUnknownDim || in[1] == mil::kUnknownDim;
    // A height or width only known at run time works with whole scale factors, which do not depend on it.
    if (symbolic && hasArg(ctx, node, sizeArg))
        ctx.fail("upsampling to a fixed output_size from a height or width only known at run time (input " +
                     x->type.toString() + ") is not supported",
                 "resize by an integer scale_factor instead of a size, or give the flexible input a fixed height and width");
    int64_t out[2] = {0, 0};
    if (symbolic) {
        std::vector<double> scales;
        const ir::Constant& c = ctx.constant(node.inputs.at(scalesArg));
        if (const auto* list = std::get_if<std::vector<double>>(&c)) scales = *list;
        else scales = {ctx.floatArg(node.inputs[scalesArg]), ctx.floatArg(node.inputs.at(scalesArg + 1))};
        if (scales.size() != 2) ctx.fail("scale_factor must have 2 values");
        for (double sc : scales)
            if (sc < 1 || sc != std::floor(sc))
                ctx.fail("upsampling a height or width only known at run time (input " + x->type.toString() +
                             ") by scale factor " + std::to_string(sc) + " is not supported: the factor must be a whole number",
                         "use an integer scale_factor, or give the flexible input a fixed height and width");
        return {static_cast<int64_t>(scales[0]), static_cast<int64_t>(scales[1])};
    }
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

// ---- Interpolation as per-axis weight matrices ----

// Output sizes and torch's optional scale factors of a resize over the last `n` dimensions, read from
// either overload: (output_size, [align_corners,] scales...) or .vec (output_size, [align_corners,] scale_factors).
struct ResizeArgs {
    std::vector<int64_t> in, out;
    std::vector<double> scales;  // 0 where torch was given no scale factor
};

ResizeArgs resizeArgs(LowerContext& ctx, const ir::Node& node, mil::Value* x, size_t n, size_t sizeArg, size_t scalesArg) {
    if (x->type.rank() != static_cast<int64_t>(n) + 2)
        ctx.fail(std::to_string(n) + "-D resizing needs a rank-" + std::to_string(n + 2) + " input, got " + x->type.toString());
    const Shape shape = staticShape(ctx, x, "resizing");
    ResizeArgs r;
    r.in.assign(shape.end() - static_cast<std::ptrdiff_t>(n), shape.end());
    r.scales.assign(n, 0.0);
    if (scalesArg < node.inputs.size() && !ctx.isNone(node.inputs[scalesArg])) {
        const ir::Constant& c = ctx.constant(node.inputs[scalesArg]);
        if (const auto* list = std::get_if<std::vector<double>>(&c)) {
            r.scales = *list;
        } else {
            for (size_t i = 0; i < n; ++i)
                r.scales[i] = scalesArg + i < node.inputs.size() && !ctx.isNone(node.inputs[scalesArg + i])
                                  ? ctx.floatArg(node.inputs[scalesArg + i]) : 0.0;
        }
        if (r.scales.size() != n) ctx.fail("scale_factor must have " + std::to_string(n) + " values");
    }
    if (hasArg(ctx, node, sizeArg)) {
        r.out = ctx.intsArg(node.inputs[sizeArg]);
        if (r.out.size() != n) ctx.fail("output_size must have " + std::to_string(n) + " values, got " + listText(r.out));
    } else {
        for (size_t i = 0; i < n; ++i) {
            if (r.scales[i] <= 0) ctx.fail("resizing needs an output size or positive scale factors");
            r.out.push_back(static_cast<int64_t>(std::floor(static_cast<double>(r.in[i]) * r.scales[i])));
        }
    }
    for (int64_t o : r.out)
        if (o <= 0) ctx.fail("resizing to an empty output " + listText(r.out));
    return r;
}

// torch's area_pixel_compute_scale: input pixels per output pixel.
double pixelScale(int64_t in, int64_t out, bool alignCorners, double scale) {
    if (alignCorners) return out > 1 ? static_cast<double>(in - 1) / static_cast<double>(out - 1) : 0.0;
    return scale > 0 ? 1.0 / scale : static_cast<double>(in) / static_cast<double>(out);
}

// torch's area_pixel_compute_source_index.
double sourceIndex(double scale, int64_t dst, bool alignCorners, bool cubic) {
    if (alignCorners) return scale * static_cast<double>(dst);
    const double src = scale * (static_cast<double>(dst) + 0.5) - 0.5;
    return !cubic && src < 0 ? 0.0 : src;
}

using WeightMatrix = std::vector<float>;  // [out, in], row-major

WeightMatrix linearWeights(int64_t in, int64_t out, bool alignCorners, double scale) {
    WeightMatrix w(static_cast<size_t>(out * in), 0.0f);
    const double s = pixelScale(in, out, alignCorners, scale);
    for (int64_t o = 0; o < out; ++o) {
        const double src = sourceIndex(s, o, alignCorners, false);
        const int64_t i0 = static_cast<int64_t>(src);
        const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
        const double l1 = src - static_cast<double>(i0);
        w[static_cast<size_t>(o * in + i0)] += static_cast<float>(1.0 - l1);
        w[static_cast<size_t>(o * in + i1)] += static_cast<float>(l1);
    }
    return w;
}

// Keys' cubic convolution kernel with torch's A = -0.75, on |x| <= 1 and 1 < |x| < 2.
double cubicNear(double x, double a) { return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0; }
double cubicFar(double x, double a) { return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a; }

WeightMatrix bicubicWeights(int64_t in, int64_t out, bool alignCorners, double scale) {
    const double a = -0.75;
    WeightMatrix w(static_cast<size_t>(out * in), 0.0f);
    const double s = pixelScale(in, out, alignCorners, scale);
    for (int64_t o = 0; o < out; ++o) {
        const double src = sourceIndex(s, o, alignCorners, true);
        const int64_t base = static_cast<int64_t>(std::floor(src));
        const double t = src - static_cast<double>(base);
        const double coeff[4] = {cubicFar(t + 1.0, a), cubicNear(t, a), cubicNear(1.0 - t, a), cubicFar(2.0 - t, a)};
        // Taps beyond the edge read the edge pixel.
        for (int k = 0; k < 4; ++k) {
            const int64_t i = std::clamp<int64_t>(base - 1 + k, 0, in - 1);
            w[static_cast<size_t>(o * in + i)] += static_cast<float>(coeff[k]);
        }
    }
    return w;
}

// Antialiased resampling (torch's _upsample_*_aa, PIL's algorithm): the filter is stretched by the
// downscaling factor, so every input pixel under it contributes; weights are normalized per output.
WeightMatrix antialiasWeights(int64_t in, int64_t out, bool alignCorners, double scale, bool cubic) {
    const auto filter = [cubic](double x) {
        x = std::abs(x);
        if (!cubic) return x < 1.0 ? 1.0 - x : 0.0;
        const double a = -0.5;  // PIL's bicubic
        if (x < 1.0) return cubicNear(x, a);
        if (x < 2.0) return cubicFar(x, a);
        return 0.0;
    };
    const double interpSize = cubic ? 4.0 : 2.0;
    const double s = pixelScale(in, out, alignCorners, scale);
    const double support = s >= 1.0 ? interpSize * 0.5 * s : interpSize * 0.5;
    const double invScale = s >= 1.0 ? 1.0 / s : 1.0;
    WeightMatrix w(static_cast<size_t>(out * in), 0.0f);
    for (int64_t o = 0; o < out; ++o) {
        const double center = s * (static_cast<double>(o) + 0.5);
        const int64_t lo = std::max<int64_t>(static_cast<int64_t>(center - support + 0.5), 0);
        const int64_t hi = std::min<int64_t>(static_cast<int64_t>(center + support + 0.5), in);
        std::vector<double> taps;
        double total = 0.0;
        for (int64_t i = lo; i < hi; ++i) {
            taps.push_back(filter((static_cast<double>(i) - center + 0.5) * invScale));
            total += taps.back();
        }
        for (int64_t i = lo; i < hi; ++i)
            w[static_cast<size_t>(o * in + i)] =
                static_cast<float>(total != 0.0 ? taps[static_cast<size_t>(i - lo)] / total : taps[static_cast<size_t>(i - lo)]);
    }
    return w;
}

using WeightFn = std::function<WeightMatrix(int64_t in, int64_t out, double scale)>;

// Applies the per-axis weight matrices to the last n dimensions of x: the last one as x @ W^T, the
// one before as W @ x (matmul broadcasts over the leading dimensions).
void resizeByMatrices(LowerContext& ctx, const ir::Node& node, mil::Value* x, const ResizeArgs& r, const WeightFn& weights) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType dtype = x->type.dtype;
    const size_t n = r.in.size();
    mil::Value* y = x;
    for (size_t k = n; k-- > 0;) {
        const int64_t in = r.in[k], out = r.out[k];
        const WeightMatrix w = weights(in, out, r.scales[k]);
        const bool last = k == n - 1;
        const std::string step = k == 0 ? name : name + "_axis" + std::to_string(k);
        if (last) {
            // W^T as [in, out].
            std::vector<float> wt(static_cast<size_t>(in * out));
            for (int64_t o = 0; o < out; ++o)
                for (int64_t i = 0; i < in; ++i) wt[static_cast<size_t>(i * out + o)] = w[static_cast<size_t>(o * in + i)];
            y = b.add1("matmul", {{"x", {y}}, {"y", {floatTensorConst(ctx, wt, {in, out}, dtype, step + "_weights")}}}, step);
        } else {
            y = b.add1("matmul", {{"x", {floatTensorConst(ctx, w, {out, in}, dtype, step + "_weights")}}, {"y", {y}}}, step);
        }
    }
    ctx.bind(node.outputs[0], y);
}

mil::Value* floatImage(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) ctx.fail("resizing needs a float tensor, got " + x->type.toString());
    return x;
}

// Scale arguments follow align_corners; in the .vec overload one list, else one per axis.
void interpolate(LowerContext& ctx, const ir::Node& node, size_t n,
                 const std::function<WeightMatrix(int64_t, int64_t, bool, double)>& weights) {
    mil::Value* x = floatImage(ctx, node);
    const bool alignCorners = ctx.boolArg(node.inputs.at(2));
    const ResizeArgs r = resizeArgs(ctx, node, x, n, 1, 3);
    resizeByMatrices(ctx, node, x, r, [&](int64_t in, int64_t out, double s) { return weights(in, out, alignCorners, s); });
}

void upsampleLinear1d(LowerContext& ctx, const ir::Node& node) { interpolate(ctx, node, 1, linearWeights); }
void upsampleBicubic2d(LowerContext& ctx, const ir::Node& node) { interpolate(ctx, node, 2, bicubicWeights); }
void upsampleBilinear2dAa(LowerContext& ctx, const ir::Node& node) {
    interpolate(ctx, node, 2, [](int64_t in, int64_t out, bool ac, double s) { return antialiasWeights(in, out, ac, s, false); });
}
void upsampleBicubic2dAa(LowerContext& ctx, const ir::Node& node) {
    interpolate(ctx, node, 2, [](int64_t in, int64_t out, bool ac, double s) { return antialiasWeights(in, out, ac, s, true); });
}

// upsample_nearest1d(input, output_size, scales) / .vec(input, output_size, scale_factors): output
// position o reads input min(floor(o * scale), in - 1).
void upsampleNearest1d(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatImage(ctx, node);
    const ResizeArgs r = resizeArgs(ctx, node, x, 1, 1, 2);
    const int64_t in = r.in[0], out = r.out[0];
    // torch computes the scale and the source position in single precision.
    const float scale = r.scales[0] > 0 ? static_cast<float>(1.0 / r.scales[0])
                                        : static_cast<float>(in) / static_cast<float>(out);
    std::vector<int64_t> src;
    for (int64_t o = 0; o < out; ++o)
        src.push_back(std::min(static_cast<int64_t>(std::floor(static_cast<float>(o) * scale)), in - 1));
    ctx.bind(node.outputs.at(0), gatherConst(ctx, x, 2, src, {out}, ctx.nameFor(node.outputs[0])));
}

// ---- Sampling grids ----

// grid_sampler(input, grid, interpolation_mode, padding_mode, align_corners) on 4-D inputs.
void gridSampler(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = floatImage(ctx, node);
    mil::Value* grid = ctx.tensorAs(node.inputs.at(1), DType::Float32);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (x->type.rank() != 4)
        ctx.fail("grid_sample on a " + x->type.toString() + " input: Core ML's resample samples 2-D images only",
                 "use a 4-D [N, C, H, W] input");
    const int64_t interpolation = ctx.intArg(node.inputs.at(2));
    const int64_t padding = ctx.intArg(node.inputs.at(3));
    const bool alignCorners = ctx.boolArg(node.inputs.at(4));
    if (interpolation == 2)
        ctx.fail("grid_sample with mode='bicubic' has no Core ML equivalent", "use mode='bilinear' or mode='nearest'");
    if (interpolation != 0 && interpolation != 1) ctx.fail("unknown grid_sample mode " + std::to_string(interpolation));
    // torch reflects about the edge pixels' centers with align_corners, about their outer edges
    // without: Core ML's reflection and symmetric padding.
    std::string paddingMode;
    switch (padding) {
        case 0: paddingMode = "constant"; break;
        case 1: paddingMode = "border"; break;
        case 2: paddingMode = alignCorners ? "reflection" : "symmetric"; break;
        default: ctx.fail("unknown grid_sample padding_mode " + std::to_string(padding));
    }
    emit(ctx, "resample",
         {{"x", {x}},
          {"coordinates", {grid}},
          {"sampling_mode", {b.constString(interpolation == 0 ? "bilinear" : "nearest", name + "_sampling")}},
          {"padding_mode", {b.constString(paddingMode, name + "_padding")}},
          {"padding_value", {scalarConst(ctx, 0.0, x->type.dtype, name + "_padding_value")}},
          {"coordinates_mode", {b.constString("normalized_minus_one_to_one", name + "_coordinates_mode")}},
          {"align_corners", {b.constBool(alignCorners, name + "_align_corners")}}},
         node.outputs[0]);
}

// affine_grid_generator(theta [N, 2, 3], size [N, C, H, W], align_corners): each output pixel's
// normalized (x, y, 1) times theta^T, as [N, H, W, 2].
void affineGridGenerator(LowerContext& ctx, const ir::Node& node) {
    mil::Value* theta = ctx.tensor(node.inputs.at(0));
    const std::vector<int64_t> size = ctx.intsArg(node.inputs.at(1));
    const bool alignCorners = ctx.boolArg(node.inputs.at(2));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (size.size() != 4)
        ctx.fail("affine_grid for size " + listText(size) + ": only 2-D grids ([N, C, H, W]) are supported",
                 "use a 4-D size with a [N, 2, 3] theta");
    if (!isFloat(theta->type.dtype)) ctx.fail("theta must be a float tensor, got " + theta->type.toString());
    const int64_t n = size[0], h = size[2], w = size[3];
    auto line = [alignCorners](int64_t steps, int64_t i) {
        if (steps <= 1) return 0.0;
        const double lin = -1.0 + 2.0 * static_cast<double>(i) / static_cast<double>(steps - 1);
        // Without aligned corners the grid spans pixel centers: scaled by (steps - 1) / steps.
        return alignCorners ? lin : lin * static_cast<double>(steps - 1) / static_cast<double>(steps);
    };
    std::vector<float> base;
    for (int64_t y = 0; y < h; ++y)
        for (int64_t x = 0; x < w; ++x) {
            base.push_back(static_cast<float>(line(w, x)));
            base.push_back(static_cast<float>(line(h, y)));
            base.push_back(1.0f);
        }
    mil::Builder& b = ctx.builder();
    mil::Value* points = b.add1("matmul",
                                {{"x", {floatTensorConst(ctx, base, {h * w, 3}, theta->type.dtype, name + "_base")}},
                                 {"y", {theta}},
                                 {"transpose_y", {b.constBool(true, name + "_transpose_y")}}},
                                name + "_points");
    ctx.bind(node.outputs[0], reshapeTo(ctx, points, {n, h, w, 2}, name));
}

// ---- Sub-pixel rearrangements ----

// pixel_shuffle(x [*, C*r*r, H, W], r) -> [*, C, H*r, W*r]; pixel_unshuffle is its inverse.
void pixelShuffleImpl(LowerContext& ctx, const ir::Node& node, bool shuffle) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape shape = staticShape(ctx, x, shuffle ? "pixel_shuffle" : "pixel_unshuffle");
    if (shape.size() < 3) ctx.fail("pixel shuffling needs a [*, C, H, W] input, got " + x->type.toString());
    const int64_t r = ctx.intArg(node.inputs.at(1));
    if (r <= 0) ctx.fail("the shuffle factor must be positive, got " + std::to_string(r));
    const size_t rank = shape.size();
    const int64_t c = shape[rank - 3], h = shape[rank - 2], w = shape[rank - 1];
    int64_t lead = 1;
    for (size_t i = 0; i + 3 < rank; ++i) lead *= shape[i];
    Shape outShape(shape.begin(), shape.end() - 3);
    mil::Value* y;
    if (shuffle) {
        if (c % (r * r) != 0) ctx.fail(std::to_string(c) + " channels are not divisible by " + std::to_string(r * r));
        const int64_t oc = c / (r * r);
        y = reshapeTo(ctx, x, {lead * oc, r, r, h, w}, name + "_split");
        y = transposeTo(ctx, y, {0, 3, 1, 4, 2}, name + "_interleave");
        outShape.insert(outShape.end(), {oc, h * r, w * r});
    } else {
        if (h % r != 0 || w % r != 0)
            ctx.fail("the spatial size " + shapeText({h, w}) + " is not divisible by " + std::to_string(r));
        y = reshapeTo(ctx, x, {lead * c, h / r, r, w / r, r}, name + "_split");
        y = transposeTo(ctx, y, {0, 2, 4, 1, 3}, name + "_gather");
        outShape.insert(outShape.end(), {c * r * r, h / r, w / r});
    }
    ctx.bind(node.outputs[0], reshapeTo(ctx, y, outShape, name));
}

void pixelShuffle(LowerContext& ctx, const ir::Node& node) { pixelShuffleImpl(ctx, node, true); }
void pixelUnshuffle(LowerContext& ctx, const ir::Node& node) { pixelShuffleImpl(ctx, node, false); }

}  // namespace

void registerResampleTranslators(TranslatorTable& t) {
    t.add({"aten::upsample_nearest2d"}, upsampleNearest);
    t.add({"aten::upsample_bilinear2d"}, upsampleBilinear);
    t.add({"aten::upsample_nearest1d"}, upsampleNearest1d);
    t.add({"aten::upsample_linear1d"}, upsampleLinear1d);
    t.add({"aten::upsample_bicubic2d"}, upsampleBicubic2d);
    t.add({"aten::_upsample_bilinear2d_aa"}, upsampleBilinear2dAa);
    t.add({"aten::_upsample_bicubic2d_aa"}, upsampleBicubic2dAa);
    t.add({"aten::grid_sampler", "aten::grid_sampler_2d"}, gridSampler);
    t.add({"aten::affine_grid_generator"}, affineGridGenerator);
    t.add({"aten::pixel_shuffle"}, pixelShuffle);
    t.add({"aten::pixel_unshuffle"}, pixelUnshuffle);
}


}  // namespace cms::lower
