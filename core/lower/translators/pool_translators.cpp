// Pooling: max_pool1d/2d/3d (+ _with_indices), avg_pool1d/2d/3d, adaptive avg/max pooling.
// torch's ceil_mode is matched exactly: Core ML's ceil_mode when it gives torch's sizes,
// otherwise extra end padding (which only max pooling and padding-excluding averages ignore).
#include <algorithm>
#include <cmath>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

int64_t floorDiv(int64_t a, int64_t b) { return static_cast<int64_t>(std::floor(static_cast<double>(a) / b)); }

// torch's pooling output size (aten/src/ATen/native/Pool.h semantics, dilation 1).
int64_t torchPoolSize(int64_t in, int64_t k, int64_t s, int64_t pad, bool ceil) {
    int64_t out = floorDiv(in + 2 * pad - k + (ceil ? s - 1 : 0), s) + 1;
    if (ceil && (out - 1) * s >= in + pad) --out;
    return out;
}

// Core ML's output size for pads (before, after) with and without ceil_mode.
int64_t coremlPoolSize(int64_t in, int64_t k, int64_t s, int64_t before, int64_t after, bool ceil) {
    const int64_t pad = before + after;
    if (!ceil) return static_cast<int64_t>(std::floor(static_cast<double>(in + pad - k) / s + 1));
    int64_t out = static_cast<int64_t>(std::floor(static_cast<double>(in + pad - k + s - 1) / s + 1));
    if (pad > 0 && static_cast<double>((out - 1) * s) >= in + pad / 2.0) --out;
    return out;
}

struct PoolPlan {
    std::vector<int64_t> pad;  // (before, after) per spatial dim
    bool ceilMode = false;
    bool padGrown = false;  // end padding was added to reach torch's ceil_mode sizes
    bool ceilMatters = false;
};

PoolPlan planPool(const LowerContext& ctx, const Shape& spatial, const std::vector<int64_t>& kernel,
                  const std::vector<int64_t>& stride, const std::vector<int64_t>& padding, bool ceil) {
    const size_t n = kernel.size();
    PoolPlan p;
    for (size_t i = 0; i < n; ++i) {
        p.pad.push_back(padding[i]);
        p.pad.push_back(padding[i]);
        if (2 * padding[i] > kernel[i])
            ctx.fail("padding " + std::to_string(padding[i]) + " must be at most half the kernel size " + std::to_string(kernel[i]));
    }
    if (!ceil) return p;
    std::vector<int64_t> want(n);
    if (std::find(spatial.begin(), spatial.end(), mil::kUnknownDim) != spatial.end()) {
        // Sizes only known at run time: Core ML's ceil_mode rule equals torch's for every input size
        // when the padding is symmetric and nonzero (both drop a last window starting in the end
        // padding), or, without padding, when no window can start past the input (kernel >= stride).
        for (size_t i = 0; i < n; ++i)
            if (n > 2 || (padding[i] == 0 && kernel[i] < stride[i]))
                ctx.fail("ceil_mode pooling over a size only known at run time (spatial dimension " + std::to_string(i) +
                             ") is supported for 1-D and 2-D pooling with padding, or a kernel at least as large as the stride; "
                             "this one has kernel " + std::to_string(kernel[i]) + ", stride " + std::to_string(stride[i]) +
                             ", padding 0",
                         "give the flexible input a fixed size in that dimension, or pool without ceil_mode");
        p.ceilMode = true;
        p.ceilMatters = true;
        return p;
    }
    for (size_t i = 0; i < n; ++i) {
        want[i] = torchPoolSize(spatial[i], kernel[i], stride[i], padding[i], true);
        p.ceilMatters = p.ceilMatters || want[i] != torchPoolSize(spatial[i], kernel[i], stride[i], padding[i], false);
    }
    if (!p.ceilMatters) return p;
    bool coremlAgrees = n <= 2;
    for (size_t i = 0; i < n && coremlAgrees; ++i)
        coremlAgrees = coremlPoolSize(spatial[i], kernel[i], stride[i], padding[i], padding[i], true) == want[i];
    if (coremlAgrees) {
        p.ceilMode = true;
        return p;
    }
    for (size_t i = 0; i < n; ++i)
        while (coremlPoolSize(spatial[i], kernel[i], stride[i], p.pad[2 * i], p.pad[2 * i + 1], false) < want[i]) {
            ++p.pad[2 * i + 1];
            p.padGrown = true;
        }
    return p;
}

mil::Value* emitPool(LowerContext& ctx, const std::string& type, mil::Value* x, const std::vector<int64_t>& kernel,
                     const std::vector<int64_t>& stride, const PoolPlan& plan, const std::string& name,
                     std::optional<bool> excludePadding) {
    mil::Builder& b = ctx.builder();
    bool anyPad = false;
    for (int64_t p : plan.pad) anyPad = anyPad || p != 0;
    std::vector<mil::OpInput> inputs = {{"x", {x}},
                                        {"kernel_sizes", {b.constInts(kernel, name + "_kernel_sizes")}},
                                        {"strides", {b.constInts(stride, name + "_strides")}},
                                        {"pad_type", {b.constString(anyPad ? "custom" : "valid", name + "_pad_type")}}};
    if (anyPad) inputs.push_back({"pad", {b.constInts(plan.pad, name + "_pad")}});
    if (excludePadding) inputs.push_back({"exclude_padding_from_average", {b.constBool(*excludePadding, name + "_exclude_pad")}});
    inputs.push_back({"ceil_mode", {b.constBool(plan.ceilMode, name + "_ceil_mode")}});
    return b.add1(type, std::move(inputs), name);
}

struct PoolArgs {
    mil::Value* x = nullptr;
    std::vector<int64_t> kernel, stride, padding;
    bool ceil = false;
};

// (input, kernel_size, stride, padding, ...): stride [] means stride = kernel.
PoolArgs poolArgs(LowerContext& ctx, const ir::Node& node, size_t spatialRank) {
    PoolArgs a;
    a.x = ctx.tensor(node.inputs.at(0));
    if (a.x->type.rank() != static_cast<int64_t>(spatialRank) + 2)
        ctx.fail("pooling input " + a.x->type.toString() + " must be batched ([N, C, spatial...])",
                 "add a batch dimension to the input (unsqueeze(0)) before pooling");
    a.kernel = perSpatialDim(ctx, node.inputs.at(1), spatialRank, "kernel_size");
    const bool hasStride = hasArg(ctx, node, 2) && !ctx.intsArg(node.inputs[2]).empty();
    a.stride = hasStride ? perSpatialDim(ctx, node.inputs[2], spatialRank, "stride") : a.kernel;
    a.padding = hasArg(ctx, node, 3) ? perSpatialDim(ctx, node.inputs[3], spatialRank, "padding")
                                     : std::vector<int64_t>(spatialRank, 0);
    return a;
}

Shape spatialOf(const mil::Value* x) { return Shape(x->type.shape.begin() + 2, x->type.shape.end()); }

// max_poolNd(input, kernel_size, stride, padding, dilation, ceil_mode)
// True when a node of the graph, or the graph's outputs, read `v`.
bool isRead(const LowerContext& ctx, const ir::Value* v) {
    for (const ir::Node* n : ctx.graph().allNodes())
        if (std::find(n->inputs.begin(), n->inputs.end(), v) != n->inputs.end()) return true;
    const auto& outs = ctx.graph().top().outputs;
    return std::find(outs.begin(), outs.end(), v) != outs.end();
}

template <size_t N>
void maxPool(LowerContext& ctx, const ir::Node& node) {
    // max_poolNd_with_indices: Core ML's max_pool gives no positions (coremltools leaves them unbound too).
    if (node.outputs.size() > 1 && isRead(ctx, node.outputs[1]))
        ctx.fail("the indices of max pooling (return_indices=True) are used, and Core ML's max_pool does not return them",
                 "pool without return_indices; max_unpool, which needs them, cannot be converted either");
    PoolArgs a = poolArgs(ctx, node, N);
    if (hasArg(ctx, node, 4))
        for (int64_t d : perSpatialDim(ctx, node.inputs[4], N, "dilation"))
            if (d != 1) ctx.fail("max pooling with dilation " + std::to_string(d) + " is not supported by Core ML");
    a.ceil = hasArg(ctx, node, 5) && ctx.boolArg(node.inputs[5]);
    const PoolPlan plan = planPool(ctx, spatialOf(a.x), a.kernel, a.stride, a.padding, a.ceil);
    ctx.bind(node.outputs.at(0), emitPool(ctx, "max_pool", a.x, a.kernel, a.stride, plan, ctx.nameFor(node.outputs[0]), {}));
}

// avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)
// avg_pool2d/3d(... , divisor_override)
template <size_t N>
void avgPool(LowerContext& ctx, const ir::Node& node) {
    PoolArgs a = poolArgs(ctx, node, N);
    a.ceil = hasArg(ctx, node, 4) && ctx.boolArg(node.inputs[4]);
    const bool countPad = !hasArg(ctx, node, 5) || ctx.boolArg(node.inputs[5]);
    const bool hasDivisor = hasArg(ctx, node, 6);
    const PoolPlan plan = planPool(ctx, spatialOf(a.x), a.kernel, a.stride, a.padding, a.ceil);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (plan.padGrown && countPad)
        ctx.fail("avg_pool with ceil_mode=True and count_include_pad=True cannot be matched for this input size",
                 "use count_include_pad=False or ceil_mode=False for this pooling layer");
    if (!hasDivisor) {
        ctx.bind(node.outputs[0], emitPool(ctx, "avg_pool", a.x, a.kernel, a.stride, plan, name, !countPad));
        return;
    }
    // sum / divisor = (average over the whole window, padding included) * window size / divisor.
    if (plan.ceilMatters)
        ctx.fail("avg_pool with divisor_override and ceil_mode=True is not supported for this input size",
                 "use ceil_mode=False with divisor_override");
    const int64_t divisor = ctx.intArg(node.inputs[6]);
    if (divisor == 0) ctx.fail("divisor_override must not be zero");
    int64_t window = 1;
    for (int64_t k : a.kernel) window *= k;
    mil::Value* avg = emitPool(ctx, "avg_pool", a.x, a.kernel, a.stride, plan, name + "_window_mean", false);
    const double factor = static_cast<double>(window) / static_cast<double>(divisor);
    emit(ctx, "mul", {{"x", {avg}}, {"y", {scalarConst(ctx, factor, avg->type.dtype, name + "_scale")}}}, node.outputs[0]);
}

// adaptive_{avg,max}_poolNd(input, output_size): global pooling as a reduction over the spatial
// axes; otherwise a pool whose kernel and stride tile the input exactly.
template <size_t N, bool Max>
void adaptivePool(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::vector<int64_t> outSize = perSpatialDim(ctx, node.inputs.at(1), N, "output_size");
    const int64_t rank = x->type.rank();
    if (rank < static_cast<int64_t>(N) + 1) ctx.fail("adaptive pooling input " + x->type.toString() + " has too few dimensions");
    bool global = true;
    for (int64_t o : outSize) global = global && o == 1;
    if (global) {
        std::vector<int64_t> axes;
        for (size_t i = 0; i < N; ++i) axes.push_back(-static_cast<int64_t>(N) + static_cast<int64_t>(i));
        emit(ctx, Max ? "reduce_max" : "reduce_mean",
             {{"x", {x}}, {"axes", {b.constInts(axes, name + "_axes")}}, {"keep_dims", {b.constBool(true, name + "_keep_dims")}}},
             node.outputs[0]);
        return;
    }
    if (rank != static_cast<int64_t>(N) + 2)
        ctx.fail("adaptive pooling input " + x->type.toString() + " must be batched ([N, C, spatial...])",
                 "add a batch dimension to the input (unsqueeze(0)) before pooling");
    std::vector<int64_t> kernel(N), stride(N);
    for (size_t i = 0; i < N; ++i) {
        const int64_t in = x->type.shape[2 + i];
        if (in == mil::kUnknownDim) ctx.fail("adaptive pooling to a size other than 1 needs fixed input sizes");
        if (outSize[i] <= 0 || in % outSize[i] != 0)
            ctx.fail("adaptive pooling from size " + std::to_string(in) + " to " + std::to_string(outSize[i]) +
                         " has windows of different sizes, which Core ML pooling cannot express",
                     "choose an input size that is a multiple of the output size, or pool to 1");
        stride[i] = in / outSize[i];
        kernel[i] = in - stride[i] * (outSize[i] - 1);
    }
    PoolPlan plan;
    plan.pad.assign(2 * N, 0);
    ctx.bind(node.outputs[0], emitPool(ctx, Max ? "max_pool" : "avg_pool", x, kernel, stride, plan, name,
                                       Max ? std::optional<bool>{} : std::optional<bool>{false}));
}

}  // namespace

void registerPoolTranslators(TranslatorTable& t) {
    t.add({"aten::max_pool1d", "aten::max_pool1d_with_indices"}, maxPool<1>);
    t.add({"aten::max_pool2d", "aten::max_pool2d_with_indices"}, maxPool<2>);
    t.add({"aten::max_pool3d", "aten::max_pool3d_with_indices"}, maxPool<3>);
    t.add({"aten::avg_pool1d"}, avgPool<1>);
    t.add({"aten::avg_pool2d"}, avgPool<2>);
    t.add({"aten::avg_pool3d"}, avgPool<3>);
    t.add({"aten::adaptive_avg_pool1d"}, adaptivePool<1, false>);
    t.add({"aten::adaptive_avg_pool2d", "aten::_adaptive_avg_pool2d"}, adaptivePool<2, false>);
    t.add({"aten::adaptive_avg_pool3d", "aten::_adaptive_avg_pool3d"}, adaptivePool<3, false>);
    t.add({"aten::adaptive_max_pool1d"}, adaptivePool<1, true>);
    t.add({"aten::adaptive_max_pool2d"}, adaptivePool<2, true>);
    t.add({"aten::adaptive_max_pool3d"}, adaptivePool<3, true>);
}

}  // namespace cms::lower
