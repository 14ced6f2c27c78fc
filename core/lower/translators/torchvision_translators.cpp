// torchvision's detection ops. roi_align and deform_conv2d become Core ML's resample (bilinear
// sampling at computed coordinates) plus pooling / a 1x1 convolution, reproducing torchvision's
// sampling rules exactly. Tracing a model with them needs torchvision's ops library in the
// importer (frontends/torchscript/torchvision_ops.h). nms becomes Core ML's non_maximum_suppression,
// whose padded result is cut to the run-time count of kept boxes (an output of unknown length).
#include <limits>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

namespace cms::lower {

namespace {

mil::Value* resampleAt(LowerContext& ctx, mil::Value* image, mil::Value* coords, const std::string& padding,
                       const std::string& name) {
    mil::Builder& b = ctx.builder();
    return b.add1("resample",
                  {{"x", {image}},
                   {"coordinates", {coords}},
                   {"sampling_mode", {b.constString("bilinear", name + "_sampling")}},
                   {"padding_mode", {b.constString(padding, name + "_padding")}},
                   {"padding_value", {scalarConst(ctx, 0.0, image->type.dtype, name + "_padding_value")}},
                   {"coordinates_mode", {b.constString("unnormalized", name + "_coordinates_mode")}},
                   {"align_corners", {b.constBool(true, name + "_align_corners")}}},
                  name);
}

// Column `c` of a [K, 5] tensor as [K, 1].
mil::Value* column(LowerContext& ctx, mil::Value* rois, int64_t c, const std::string& name) {
    return sliceAxis(ctx, rois, 1, c, c + 1, name);
}

// torchvision::roi_align(input, rois [K, 5], spatial_scale, pooled_height, pooled_width,
// sampling_ratio, aligned): sampling_ratio^2 bilinear samples per output bin, averaged. Samples more
// than one pixel outside the image are 0; others are clamped into it.
void roiAlign(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    mil::Value* rois = ctx.tensorAs(node.inputs.at(1), x->type.dtype);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType dtype = x->type.dtype;
    const Shape shape = staticShape(ctx, x, "roi_align");
    const Shape roiShape = staticShape(ctx, rois, "roi_align boxes");
    if (shape.size() != 4) ctx.fail("roi_align needs a [N, C, H, W] input, got " + x->type.toString());
    if (roiShape.size() != 2 || roiShape[1] != 5)
        ctx.fail("roi_align needs boxes as one [K, 5] tensor (batch index, x1, y1, x2, y2), got " + rois->type.toString(),
                 "pass the boxes as a single tensor rather than a list per image");
    const double scale = ctx.floatArg(node.inputs.at(2));
    const int64_t ph = ctx.intArg(node.inputs.at(3)), pw = ctx.intArg(node.inputs.at(4));
    const int64_t sr = ctx.intArg(node.inputs.at(5));
    const bool aligned = ctx.boolArg(node.inputs.at(6));
    if (ph <= 0 || pw <= 0) ctx.fail("roi_align needs a positive output size");
    if (sr <= 0)
        ctx.fail("roi_align with sampling_ratio <= 0 picks the number of samples from each box's size at run time, "
                 "which a Core ML program cannot express",
                 "pass a positive sampling_ratio (e.g. 2) to roi_align / MultiScaleRoIAlign");
    const int64_t k = roiShape[0], h = shape[2], w = shape[3];
    const double offset = aligned ? 0.5 : 0.0;

    // The image of each box.
    mil::Value* batchIndex = b.add1("cast",
                                    {{"x", {reshapeTo(ctx, column(ctx, rois, 0, name + "_batch_col"), {k}, name + "_batch_f")}},
                                     {"dtype", {b.constString("int32", name + "_batch_dtype")}}},
                                    name + "_batch");
    mil::Value* images =
        b.add1("gather", {{"x", {x}}, {"indices", {batchIndex}}, {"axis", {b.constInt(0, name + "_gather_axis")}}},
               name + "_images");

    // Sample positions along one axis: start + bin * (p + (i + 0.5) / sr) for bin p, sample i -> [K, n * sr].
    auto samples = [&](int64_t lo, int64_t hi, int64_t bins, int64_t size, const std::string& axis, mil::Value*& valid) {
        mil::Value* start = withScalar(ctx, "sub", withScalar(ctx, "mul", column(ctx, rois, lo, name + "_" + axis + "1"), scale,
                                                               name + "_" + axis + "1_scaled"),
                                       offset, name + "_" + axis + "_start");
        mil::Value* end = withScalar(ctx, "sub", withScalar(ctx, "mul", column(ctx, rois, hi, name + "_" + axis + "2"), scale,
                                                             name + "_" + axis + "2_scaled"),
                                     offset, name + "_" + axis + "_end");
        mil::Value* extent = binary(ctx, "sub", end, start, name + "_" + axis + "_extent");
        if (!aligned) extent = withScalar(ctx, "maximum", extent, 1.0, name + "_" + axis + "_extent_min");
        mil::Value* bin = withScalar(ctx, "real_div", extent, static_cast<double>(bins), name + "_" + axis + "_bin");
        std::vector<float> steps;
        for (int64_t p = 0; p < bins; ++p)
            for (int64_t i = 0; i < sr; ++i)
                steps.push_back(static_cast<float>(static_cast<double>(p) + (static_cast<double>(i) + 0.5) / static_cast<double>(sr)));
        mil::Value* pos = binary(ctx, "add", start,
                                 binary(ctx, "mul", bin, floatTensorConst(ctx, steps, {1, bins * sr}, dtype, name + "_" + axis + "_steps"),
                                        name + "_" + axis + "_offsets"),
                                 name + "_" + axis + "_pos");
        mil::Value* above = withScalar(ctx, "greater_equal", pos, -1.0, name + "_" + axis + "_above");
        mil::Value* below = withScalar(ctx, "less_equal", pos, static_cast<double>(size), name + "_" + axis + "_below");
        valid = b.add1("cast", {{"x", {b.add1("logical_and", {{"x", {above}}, {"y", {below}}}, name + "_" + axis + "_inside")}},
                                {"dtype", {b.constString(dtypeName(dtype), name + "_" + axis + "_valid_dtype")}}},
                       name + "_" + axis + "_valid");
        mil::Value* lowClamped = withScalar(ctx, "maximum", pos, 0.0, name + "_" + axis + "_clamp_lo");
        return withScalar(ctx, "minimum", lowClamped, static_cast<double>(size - 1), name + "_" + axis + "_clamped");
    };
    mil::Value* validY = nullptr;
    mil::Value* validX = nullptr;
    mil::Value* ys = samples(2, 4, ph, h, "y", validY);
    mil::Value* xs = samples(1, 3, pw, w, "x", validX);
    const int64_t sh = ph * sr, sw = pw * sr;
    mil::Value* zeros = floatTensorConst(ctx, std::vector<float>(static_cast<size_t>(sh * sw), 0.0f), {1, sh, sw, 1}, dtype,
                                         name + "_grid_zeros");
    mil::Value* gridX = binary(ctx, "add", reshapeTo(ctx, xs, {k, 1, sw, 1}, name + "_xs"), zeros, name + "_grid_x");
    mil::Value* gridY = binary(ctx, "add", reshapeTo(ctx, ys, {k, sh, 1, 1}, name + "_ys"), zeros, name + "_grid_y");
    mil::Value* coords = concatAxis(ctx, {gridX, gridY}, 3, name + "_coords");
    mil::Value* sampled = resampleAt(ctx, images, coords, "border", name + "_sampled");
    mil::Value* valid = binary(ctx, "mul", reshapeTo(ctx, validY, {k, 1, sh, 1}, name + "_valid_y4"),
                               reshapeTo(ctx, validX, {k, 1, 1, sw}, name + "_valid_x4"), name + "_valid");
    mil::Value* masked = binary(ctx, "mul", sampled, valid, name + "_masked");
    if (sr == 1) {
        ctx.bind(node.outputs[0], masked);
        return;
    }
    emit(ctx, "avg_pool",
         {{"x", {masked}},
          {"kernel_sizes", {b.constInts({sr, sr}, name + "_kernel")}},
          {"strides", {b.constInts({sr, sr}, name + "_strides")}},
          {"pad_type", {b.constString("valid", name + "_pad_type")}}},
         node.outputs[0]);
}

// torchvision::deform_conv2d(input, weight, offset, mask, bias, stride_h, stride_w, pad_h, pad_w,
// dilation_h, dilation_w, groups, offset_groups, use_mask): every kernel tap samples the input at
// its regular position plus a learned offset (bilinear, zero outside the image), optionally scaled
// by the mask; the samples then meet the weights in a 1x1 grouped convolution.
void deformConv2d(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const DType dtype = x->type.dtype;
    mil::Value* weight = ctx.tensorAs(node.inputs.at(1), dtype);
    mil::Value* offset = ctx.tensorAs(node.inputs.at(2), dtype);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape xs = staticShape(ctx, x, "deform_conv2d input");
    const Shape ws = staticShape(ctx, weight, "deform_conv2d weight");
    const Shape os = staticShape(ctx, offset, "deform_conv2d offset");
    if (xs.size() != 4 || ws.size() != 4 || os.size() != 4)
        ctx.fail("deform_conv2d needs 4-D input, weight and offset tensors");
    const int64_t sh = ctx.intArg(node.inputs.at(5)), sw = ctx.intArg(node.inputs.at(6));
    const int64_t padH = ctx.intArg(node.inputs.at(7)), padW = ctx.intArg(node.inputs.at(8));
    const int64_t dh = ctx.intArg(node.inputs.at(9)), dw = ctx.intArg(node.inputs.at(10));
    const int64_t groups = ctx.intArg(node.inputs.at(11)), offsetGroups = ctx.intArg(node.inputs.at(12));
    const bool useMask = ctx.boolArg(node.inputs.at(13));
    const int64_t n = xs[0], cin = xs[1], h = xs[2], w = xs[3];
    const int64_t cout = ws[0], kh = ws[2], kw = ws[3], taps = kh * kw;
    const int64_t oh = (h + 2 * padH - dh * (kh - 1) - 1) / sh + 1;
    const int64_t ow = (w + 2 * padW - dw * (kw - 1) - 1) / sw + 1;
    if (groups <= 0 || offsetGroups <= 0 || cin % groups != 0 || cin % offsetGroups != 0 || ws[1] * groups != cin)
        ctx.fail("deform_conv2d channel counts do not fit: input " + x->type.toString() + ", weight " + weight->type.toString());
    if (os[0] != n || os[1] != 2 * offsetGroups * taps || os[2] != oh || os[3] != ow)
        ctx.fail("deform_conv2d offset " + offset->type.toString() + " should be " +
                 shapeText({n, 2 * offsetGroups * taps, oh, ow}));
    mil::Value* mask = nullptr;
    if (useMask) {
        mask = ctx.tensorAs(node.inputs.at(3), dtype);
        if (staticShape(ctx, mask, "deform_conv2d mask") != Shape{n, offsetGroups * taps, oh, ow})
            ctx.fail("deform_conv2d mask " + mask->type.toString() + " should be " + shapeText({n, offsetGroups * taps, oh, ow}));
    }
    // The regular sampling position of every tap and output pixel, [1, K, oh, ow] per axis.
    std::vector<float> baseY, baseX;
    for (int64_t ky = 0; ky < kh; ++ky)
        for (int64_t kx = 0; kx < kw; ++kx)
            for (int64_t y = 0; y < oh; ++y)
                for (int64_t xo = 0; xo < ow; ++xo) {
                    baseY.push_back(static_cast<float>(y * sh - padH + ky * dh));
                    baseX.push_back(static_cast<float>(xo * sw - padW + kx * dw));
                }
    mil::Value* gridY = floatTensorConst(ctx, baseY, {1, taps, oh, ow}, dtype, name + "_base_y");
    mil::Value* gridX = floatTensorConst(ctx, baseX, {1, taps, oh, ow}, dtype, name + "_base_x");
    const int64_t cg = cin / offsetGroups;
    std::vector<mil::Value*> columns;
    for (int64_t g = 0; g < offsetGroups; ++g) {
        const std::string gn = name + "_g" + std::to_string(g);
        mil::Value* off = reshapeTo(ctx, sliceAxis(ctx, offset, 1, g * 2 * taps, (g + 1) * 2 * taps, gn + "_offset"),
                                    {n, taps, 2, oh, ow}, gn + "_offset_pairs");
        auto component = [&](int64_t c, const std::string& what) {
            return reshapeTo(ctx, sliceAxis(ctx, off, 2, c, c + 1, gn + "_d" + what), {n, taps, oh, ow}, gn + "_d" + what + "_4d");
        };
        mil::Value* py = binary(ctx, "add", component(0, "y"), gridY, gn + "_y");
        mil::Value* px = binary(ctx, "add", component(1, "x"), gridX, gn + "_x");
        mil::Value* coords = b.add1("stack", {{"values", {px, py}}, {"axis", {b.constInt(4, gn + "_stack_axis")}}}, gn + "_xy");
        coords = reshapeTo(ctx, coords, {n, taps * oh, ow, 2}, gn + "_coords");
        mil::Value* image = offsetGroups == 1 ? x : sliceAxis(ctx, x, 1, g * cg, (g + 1) * cg, gn + "_image");
        mil::Value* sampled = reshapeTo(ctx, resampleAt(ctx, image, coords, "constant", gn + "_sampled"),
                                        {n, cg, taps, oh, ow}, gn + "_taps");
        if (mask) {
            mil::Value* m = reshapeTo(ctx, sliceAxis(ctx, mask, 1, g * taps, (g + 1) * taps, gn + "_mask"),
                                      {n, 1, taps, oh, ow}, gn + "_mask5d");
            sampled = binary(ctx, "mul", sampled, m, gn + "_masked");
        }
        columns.push_back(reshapeTo(ctx, sampled, {n, cg * taps, oh, ow}, gn + "_columns"));
    }
    mil::Value* cols = concatAxis(ctx, columns, 1, name + "_columns");
    std::vector<mil::OpInput> inputs = {
        {"x", {cols}},
        {"weight", {reshapeTo(ctx, weight, {cout, ws[1] * taps, 1, 1}, name + "_weight")}},
        {"strides", {b.constInts({1, 1}, name + "_strides")}},
        {"pad_type", {b.constString("valid", name + "_pad_type")}},
        {"dilations", {b.constInts({1, 1}, name + "_dilations")}},
        {"groups", {b.constInt(groups, name + "_groups")}}};
    if (hasArg(ctx, node, 4)) inputs.push_back({"bias", {ctx.tensorAs(node.inputs[4], dtype)}});
    emit(ctx, "conv", std::move(inputs), node.outputs[0]);
}

// torchvision::nms(boxes [B, 4] as (x1, y1, x2, y2), scores [B], iou_threshold): indices of the kept
// boxes in descending score order. Core ML's op wants center-form boxes with a batch and class axis,
// keeps at most max_boxes (all B here) and pads; the count of kept boxes is known only at run time.
void nms(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* boxes = ctx.tensor(node.inputs.at(0));
    const DType dtype = boxes->type.dtype;
    if (!isFloat(dtype)) ctx.fail("nms needs floating-point boxes, got " + boxes->type.toString());
    mil::Value* scores = ctx.tensorAs(node.inputs.at(1), dtype);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (boxes->type.rank() != 2 || (boxes->type.shape[1] != mil::kUnknownDim && boxes->type.shape[1] != 4))
        ctx.fail("nms needs boxes as a [N, 4] tensor (x1, y1, x2, y2), got " + boxes->type.toString());
    if (scores->type.rank() != 1) ctx.fail("nms needs scores as a [N] tensor, got " + scores->type.toString());
    const double iouThreshold = ctx.floatArg(node.inputs.at(2));
    // Core ML needs a fixed max_boxes; with a run-time box count this bound (coremltools' too) keeps
    // the first 10000 of torchvision's indices when there are more.
    const int64_t kMaxRuntimeBoxes = 10000;
    const int64_t count = boxes->type.shape[0] == mil::kUnknownDim ? kMaxRuntimeBoxes : boxes->type.shape[0];

    std::vector<mil::Value*> corners = b.add("split",
                                             {{"x", {boxes}},
                                              {"num_splits", {b.constInt(4, name + "_num_splits")}},
                                              {"axis", {b.constInt(1, name + "_split_axis")}}},
                                             name + "_corner");
    // x1 + w / 2 rather than (x1 + x2) / 2, whose sum can overflow fp16 for large coordinates.
    mil::Value* width = binary(ctx, "sub", corners[2], corners[0], name + "_width");
    mil::Value* height = binary(ctx, "sub", corners[3], corners[1], name + "_height");
    mil::Value* cx = binary(ctx, "add", corners[0], withScalar(ctx, "real_div", width, 2.0, name + "_half_width"),
                            name + "_cx");
    mil::Value* cy = binary(ctx, "add", corners[1], withScalar(ctx, "real_div", height, 2.0, name + "_half_height"),
                            name + "_cy");
    mil::Value* center = concatAxis(ctx, {cx, cy, width, height}, 1, name + "_center");
    mil::Value* batched = b.add1("expand_dims", {{"x", {center}}, {"axes", {b.constInts({0}, name + "_boxes_axes")}}},
                                 name + "_boxes");
    mil::Value* batchedScores = b.add1(
        "expand_dims", {{"x", {scores}}, {"axes", {b.constInts({0, -1}, name + "_scores_axes")}}}, name + "_scores");
    std::vector<mil::OpInput> inputs;
    const bool boxesLast = ctx.target() >= mil::Target::iOS17;
    if (boxesLast) {
        inputs = {{"boxes", {transposeTo(ctx, batched, {0, 2, 1}, name + "_boxes_t")}},
                  {"scores", {transposeTo(ctx, batchedScores, {0, 2, 1}, name + "_scores_t")}},
                  {"iou_threshold", {scalarConst(ctx, iouThreshold, dtype, name + "_iou_threshold")}},
                  {"max_boxes", {b.constInt(count, name + "_max_boxes")}}};
    } else {
        // torchvision drops no box for its score.
        mil::Value* noThreshold =
            scalarConst(ctx, std::numeric_limits<float>::lowest(), dtype, name + "_score_threshold");
        inputs = {{"boxes", {batched}},
                  {"scores", {batchedScores}},
                  {"iou_threshold", {scalarConst(ctx, iouThreshold, dtype, name + "_iou_threshold")}},
                  {"score_threshold", {noThreshold}},
                  {"max_boxes", {b.constInt(count, name + "_max_boxes")}}};
    }
    std::vector<mil::Value*> results = b.add("non_maximum_suppression", std::move(inputs), name + "_nms");
    mil::Value* padded = b.add1("squeeze", {{"x", {results[2]}}, {"axes", {b.constInts({0}, name + "_indices_axes")}}},
                                name + "_padded");
    // iOS17 has no count output: the kept indices are the ones that are not -1 padding.
    mil::Value* kept = boxesLast ? nullptr : results[3];
    if (boxesLast) {
        mil::Value* isKept = withScalar(ctx, "greater", results[2], -1.0, name + "_is_kept");
        mil::Value* flags = b.add1("cast", {{"x", {isKept}}, {"dtype", {b.constString("int32", name + "_kept_dtype")}}},
                                   name + "_kept_flags");
        kept = b.add1("reduce_sum", {{"x", {flags}}, {"axes", {b.constInts({-1}, name + "_kept_axes")}}},
                      name + "_kept_count");
    }
    mil::Value* keptCount =
        b.add1("squeeze", {{"x", {kept}}, {"axes", {b.constInts({0}, name + "_count_axes")}}}, name + "_count");
    mil::Value* positions = b.add1("range_1d",
                                   {{"end", {keptCount}},
                                    {"start", {b.constInt(0, name + "_range_start")}},
                                    {"step", {b.constInt(1, name + "_range_step")}}},
                                   name + "_positions");
    emit(ctx, "gather", {{"x", {padded}}, {"indices", {positions}}, {"axis", {b.constInt(0, name + "_gather_axis")}}},
         node.outputs[0]);
}

}  // namespace

void registerTorchvisionTranslators(TranslatorTable& t) {
    t.add({"torchvision::roi_align"}, roiAlign);
    t.add({"torchvision::deform_conv2d"}, deformConv2d);
    t.add({"torchvision::nms"}, nms);
}

}  // namespace cms::lower
