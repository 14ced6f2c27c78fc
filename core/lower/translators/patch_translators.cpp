// Sliding-window patches: im2col (nn.Unfold) as a grouped convolution with one-hot kernels, col2im
// (nn.Fold) as the matching transposed convolution (overlaps add up), Tensor.unfold as a gather of
// window indices. One-hot weights keep the copies exact in any precision.
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"
#include "lower/translators/vision_translator_utils.h"

namespace cms::lower {

namespace {

struct Window {
    std::vector<int64_t> kernel, dilation, padding, stride;
};

// (kernel_size, dilation, padding, stride) starting at argument `first`, two values each.
Window windowArgs(const LowerContext& ctx, const ir::Node& node, size_t first) {
    Window w;
    w.kernel = perSpatialDim(ctx, node.inputs.at(first), 2, "kernel_size");
    w.dilation = perSpatialDim(ctx, node.inputs.at(first + 1), 2, "dilation");
    w.padding = perSpatialDim(ctx, node.inputs.at(first + 2), 2, "padding");
    w.stride = perSpatialDim(ctx, node.inputs.at(first + 3), 2, "stride");
    for (size_t i = 0; i < 2; ++i)
        if (w.kernel[i] <= 0 || w.dilation[i] <= 0 || w.stride[i] <= 0 || w.padding[i] < 0)
            ctx.fail("kernel_size, dilation and stride must be positive and padding non-negative");
    return w;
}

// [C * kh * kw, 1, kh, kw]: output channel c * K + k copies kernel position k of channel c.
mil::Value* oneHotKernels(LowerContext& ctx, int64_t channels, const Window& w, DType dtype, const std::string& name) {
    const int64_t k = w.kernel[0] * w.kernel[1];
    std::vector<float> v(static_cast<size_t>(channels * k * k), 0.0f);
    for (int64_t c = 0; c < channels; ++c)
        for (int64_t i = 0; i < k; ++i) v[static_cast<size_t>((c * k + i) * k + i)] = 1.0f;
    return floatTensorConst(ctx, v, {channels * k, 1, w.kernel[0], w.kernel[1]}, dtype, name);
}

int64_t blocks(int64_t size, int64_t kernel, int64_t dilation, int64_t padding, int64_t stride) {
    return (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
}

// im2col(input [N, C, H, W] or [C, H, W], kernel_size, dilation, padding, stride) -> [N, C*kh*kw, L].
void im2col(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (!isFloat(x->type.dtype)) ctx.fail("unfold (im2col) needs a float tensor, got " + x->type.toString());
    const bool batched = x->type.rank() == 4;
    if (!batched && x->type.rank() != 3) ctx.fail("unfold (im2col) needs a [N, C, H, W] or [C, H, W] input, got " + x->type.toString());
    if (!batched) x = b.add1("expand_dims", {{"x", {x}}, {"axes", {b.constInts({0}, name + "_batch_axes")}}}, name + "_batched");
    const Shape shape = staticShape(ctx, x, "unfold (im2col)");
    const Window w = windowArgs(ctx, node, 1);
    const int64_t oh = blocks(shape[2], w.kernel[0], w.dilation[0], w.padding[0], w.stride[0]);
    const int64_t ow = blocks(shape[3], w.kernel[1], w.dilation[1], w.padding[1], w.stride[1]);
    if (oh <= 0 || ow <= 0) ctx.fail("the kernel does not fit the padded input " + x->type.toString());
    const int64_t k = w.kernel[0] * w.kernel[1];
    mil::Value* patches = b.add1(
        "conv",
        {{"x", {x}},
         {"weight", {oneHotKernels(ctx, shape[1], w, x->type.dtype, name + "_kernels")}},
         {"strides", {b.constInts(w.stride, name + "_strides")}},
         {"pad_type", {b.constString("custom", name + "_pad_type")}},
         {"pad", {b.constInts({w.padding[0], w.padding[0], w.padding[1], w.padding[1]}, name + "_pad")}},
         {"dilations", {b.constInts(w.dilation, name + "_dilations")}},
         {"groups", {b.constInt(shape[1], name + "_groups")}}},
        name + "_patches");
    Shape out = {shape[0], shape[1] * k, oh * ow};
    if (!batched) out.erase(out.begin());
    ctx.bind(node.outputs[0], reshapeTo(ctx, patches, out, name));
}

// col2im(input [N, C*kh*kw, L] or [C*kh*kw, L], output_size, kernel_size, dilation, padding, stride)
// -> [N, C, H, W]: each block is added back at its window position.
void col2im(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (!isFloat(x->type.dtype)) ctx.fail("fold (col2im) needs a float tensor, got " + x->type.toString());
    const bool batched = x->type.rank() == 3;
    if (!batched && x->type.rank() != 2) ctx.fail("fold (col2im) needs a [N, C*K, L] or [C*K, L] input, got " + x->type.toString());
    if (!batched) x = b.add1("expand_dims", {{"x", {x}}, {"axes", {b.constInts({0}, name + "_batch_axes")}}}, name + "_batched");
    const Shape shape = staticShape(ctx, x, "fold (col2im)");
    const std::vector<int64_t> size = perSpatialDim(ctx, node.inputs.at(1), 2, "output_size");
    const Window w = windowArgs(ctx, node, 2);
    const int64_t k = w.kernel[0] * w.kernel[1];
    if (shape[1] % k != 0)
        ctx.fail(std::to_string(shape[1]) + " rows are not a multiple of the kernel size " + std::to_string(k));
    const int64_t channels = shape[1] / k;
    const int64_t oh = blocks(size[0], w.kernel[0], w.dilation[0], w.padding[0], w.stride[0]);
    const int64_t ow = blocks(size[1], w.kernel[1], w.dilation[1], w.padding[1], w.stride[1]);
    if (oh <= 0 || ow <= 0 || oh * ow != shape[2])
        ctx.fail("fold to " + listText(size) + " gives " + std::to_string(oh) + " x " + std::to_string(ow) +
                 " blocks, but the input holds " + std::to_string(shape[2]));
    mil::Value* grid = reshapeTo(ctx, x, {shape[0], shape[1], oh, ow}, name + "_blocks");
    mil::Value* summed = b.add1(
        "conv_transpose",
        {{"x", {grid}},
         {"weight", {oneHotKernels(ctx, channels, w, x->type.dtype, name + "_kernels")}},
         {"strides", {b.constInts(w.stride, name + "_strides")}},
         {"pad_type", {b.constString("valid", name + "_pad_type")}},
         {"dilations", {b.constInts(w.dilation, name + "_dilations")}},
         {"groups", {b.constInt(channels, name + "_groups")}}},
        name + "_summed");
    // The unpadded canvas: drop the padding, and add the rows/columns no block reaches (zeros).
    const Shape canvas = staticShape(ctx, summed, "fold (col2im)");
    std::vector<std::pair<int64_t, int64_t>> crop;
    for (size_t i = 0; i < 2; ++i)
        crop.emplace_back(-w.padding[i], size[i] + w.padding[i] - canvas[2 + i]);
    mil::Value* y = padDims(ctx, summed, crop, "constant", 0.0, batched ? name : name + "_unbatched");
    if (!batched) y = b.add1("squeeze", {{"x", {y}}, {"axes", {b.constInts({0}, name + "_squeeze_axes")}}}, name);
    ctx.bind(node.outputs[0], y);
}

// unfold(self, dimension, size, step): windows of `size` elements every `step` along `dimension`,
// the window becoming a new last dimension.
void unfold(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const Shape shape = staticShape(ctx, x, "Tensor.unfold");
    const int64_t rank = static_cast<int64_t>(shape.size());
    const int64_t dim = rank == 0 ? 0 : normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), rank);
    const int64_t size = ctx.intArg(node.inputs.at(2)), step = ctx.intArg(node.inputs.at(3));
    if (rank == 0) ctx.fail("Tensor.unfold of a 0-d tensor is not supported", "unsqueeze the tensor first");
    const int64_t length = shape[static_cast<size_t>(dim)];
    if (size <= 0 || step <= 0 || size > length)
        ctx.fail("unfold(" + std::to_string(dim) + ", " + std::to_string(size) + ", " + std::to_string(step) +
                 ") does not fit a dimension of size " + std::to_string(length));
    const int64_t n = (length - size) / step + 1;
    std::vector<int64_t> idx;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < size; ++j) idx.push_back(i * step + j);
    const bool last = dim == rank - 1;
    mil::Value* windows = gatherConst(ctx, x, dim, idx, {n, size}, last ? name : name + "_windows");
    if (last) {
        ctx.bind(node.outputs[0], windows);
        return;
    }
    // [..., n, size, rest...] -> [..., n, rest..., size]
    std::vector<int64_t> perm;
    for (int64_t i = 0; i <= dim; ++i) perm.push_back(i);
    for (int64_t i = dim + 2; i <= rank; ++i) perm.push_back(i);
    perm.push_back(dim + 1);
    ctx.bind(node.outputs[0], transposeTo(ctx, windows, perm, name));
}

}  // namespace

void registerPatchTranslators(TranslatorTable& t) {
    t.add({"aten::im2col"}, im2col);
    t.add({"aten::col2im"}, col2im);
    t.add({"aten::unfold"}, unfold);
}

}  // namespace cms::lower
