// Convolution, pooling, normalization and linear-algebra ops on ATen's CPU kernels. Padding is
// resolved from Core ML's pad types here (same: the odd cell goes after, same_lower: before).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

struct Padding {
    std::vector<int64_t> before, after;
    bool symmetric() const { return before == after; }
};

// Per spatial dimension padding for `padType` (valid, same, same_lower or custom).
Padding resolvePadding(const KernelContext& c, const std::string& padType, const at::Tensor& x,
                       const std::vector<int64_t>& kernel, const std::vector<int64_t>& strides,
                       const std::vector<int64_t>& dilations) {
    const size_t n = kernel.size();
    Padding p{std::vector<int64_t>(n, 0), std::vector<int64_t>(n, 0)};
    if (padType == "valid") return p;
    if (padType == "custom") {
        const std::vector<int64_t> pad = c.intsOr("pad", std::vector<int64_t>(2 * n, 0));
        if (pad.size() != 2 * n) c.fail("pad must hold two values per spatial dimension");
        for (size_t i = 0; i < n; ++i) {
            p.before[i] = pad[2 * i];
            p.after[i] = pad[2 * i + 1];
        }
        return p;
    }
    if (padType != "same" && padType != "same_lower") c.fail("unknown pad_type '" + padType + "'");
    for (size_t i = 0; i < n; ++i) {
        const int64_t in = x.size(static_cast<int64_t>(2 + i));
        const int64_t k = (kernel[i] - 1) * dilations[i] + 1;
        const int64_t s = strides[i];
        const int64_t out = (in + s - 1) / s;
        const int64_t total = std::max<int64_t>(0, (out - 1) * s + k - in);
        p.before[i] = padType == "same" ? total / 2 : total - total / 2;
        p.after[i] = total - p.before[i];
    }
    return p;
}

// at::constant_pad_nd wants (before, after) pairs starting from the last dimension.
at::Tensor padSpatial(const at::Tensor& x, const Padding& p, double value) {
    std::vector<int64_t> pads;
    for (size_t i = p.before.size(); i-- > 0;) {
        pads.push_back(p.before[i]);
        pads.push_back(p.after[i]);
    }
    return at::constant_pad_nd(x, pads, value);
}

std::vector<int64_t> spatialKernel(const at::Tensor& w) { return std::vector<int64_t>(w.sizes().begin() + 2, w.sizes().end()); }

Tensors conv(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& w = c.in("weight");
    const size_t n = static_cast<size_t>(x.dim() - 2);
    const std::vector<int64_t> kernel = spatialKernel(w);
    const std::vector<int64_t> strides = c.intsOr("strides", std::vector<int64_t>(n, 1));
    const std::vector<int64_t> dilations = c.intsOr("dilations", std::vector<int64_t>(n, 1));
    const Padding p = resolvePadding(c, c.strOr("pad_type", "valid"), x, kernel, strides, dilations);
    const at::Tensor bias = c.has("bias") ? c.in("bias") : at::Tensor();
    const int64_t groups = c.intOr("groups", 1);
    if (p.symmetric())
        return {at::convolution(x, w, bias, strides, p.before, dilations, false, std::vector<int64_t>(n, 0), groups)};
    return {at::convolution(padSpatial(x, p, 0.0), w, bias, strides, std::vector<int64_t>(n, 0), dilations, false,
                            std::vector<int64_t>(n, 0), groups)};
}

// Transposed convolution: the unpadded result is computed, then cropped by the padding to the
// declared output size; when output_shape asks for more, ATen's output padding supplies the tail.
Tensors convTranspose(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& w = c.in("weight");  // [C_in, C_out / groups, k...]
    const size_t n = static_cast<size_t>(x.dim() - 2);
    const std::vector<int64_t> kernel = spatialKernel(w);
    const std::vector<int64_t> strides = c.intsOr("strides", std::vector<int64_t>(n, 1));
    const std::vector<int64_t> dilations = c.intsOr("dilations", std::vector<int64_t>(n, 1));
    const int64_t groups = c.intOr("groups", 1);
    const at::Tensor bias = c.has("bias") ? c.in("bias") : at::Tensor();
    const std::string padType = c.strOr("pad_type", "valid");
    std::vector<int64_t> target(c.outputType().shape.begin() + 2, c.outputType().shape.end());
    std::vector<int64_t> before(n, 0), extra(n, 0);
    for (size_t i = 0; i < n; ++i) {
        const int64_t in = x.size(static_cast<int64_t>(2 + i));
        const int64_t unpadded = strides[i] * (in - 1) + (kernel[i] - 1) * dilations[i] + 1;
        if (target[i] == mil::kUnknownDim) {
            // A size only known at run time: Core ML's output size for the pad type.
            const std::vector<int64_t> pad = c.intsOr("pad", std::vector<int64_t>(2 * n, 0));
            target[i] = padType == "custom"                          ? unpadded - pad[2 * i] - pad[2 * i + 1]
                        : padType == "same" || padType == "same_lower" ? in * strides[i]
                                                                       : unpadded;
        }
        if (padType == "custom") {
            before[i] = c.intsOr("pad", std::vector<int64_t>(2 * n, 0))[2 * i];
        } else if (padType == "same" || padType == "same_lower") {
            const int64_t total = std::max<int64_t>(0, unpadded - target[i]);
            before[i] = padType == "same" ? total / 2 : total - total / 2;
        } else if (padType != "valid") {
            c.fail("unknown pad_type '" + padType + "'");
        }
        extra[i] = std::max<int64_t>(0, before[i] + target[i] - unpadded);
        if (extra[i] >= std::max(strides[i], dilations[i]))
            c.fail("output_shape is larger than the transposed convolution can produce");
    }
    at::Tensor full =
        at::convolution(x, w, bias, strides, std::vector<int64_t>(n, 0), dilations, true, extra, groups);
    for (size_t i = 0; i < n; ++i) full = full.narrow(static_cast<int64_t>(2 + i), before[i], target[i]);
    return {full.contiguous()};
}

// Pooling through ATen's 2-D/3-D kernels (1-D inputs get a unit height).
struct PoolSetup {
    at::Tensor x;
    std::vector<int64_t> kernel, strides;
    Padding pad;
    bool ceil = false;
    bool oneD = false;
};

PoolSetup poolSetup(const KernelContext& c) {
    PoolSetup s;
    s.x = c.in("x");
    const size_t n = static_cast<size_t>(s.x.dim() - 2);
    s.kernel = c.ints("kernel_sizes");
    s.strides = c.intsOr("strides", std::vector<int64_t>(n, 1));
    if (s.kernel.size() != n || s.strides.size() != n) c.fail("kernel_sizes and strides need one value per spatial dimension");
    std::string padType = c.str("pad_type");
    std::transform(padType.begin(), padType.end(), padType.begin(), [](unsigned char ch) { return std::tolower(ch); });
    s.pad = resolvePadding(c, padType, s.x, s.kernel, s.strides, std::vector<int64_t>(n, 1));
    s.ceil = c.boolOr("ceil_mode", false);
    if (n == 1) {
        s.oneD = true;
        s.x = s.x.unsqueeze(2);
        s.kernel.insert(s.kernel.begin(), 1);
        s.strides.insert(s.strides.begin(), 1);
        s.pad.before.insert(s.pad.before.begin(), 0);
        s.pad.after.insert(s.pad.after.begin(), 0);
    }
    return s;
}

// ATen takes symmetric padding up to half the kernel; anything else is applied explicitly.
bool nativePadding(const PoolSetup& s) {
    if (!s.pad.symmetric()) return false;
    for (size_t i = 0; i < s.kernel.size(); ++i)
        if (s.pad.before[i] > s.kernel[i] / 2) return false;
    return true;
}

at::Tensor poolResult(const PoolSetup& s, at::Tensor y) { return s.oneD ? y.squeeze(2) : y; }

Tensors maxPool(const KernelContext& c) {
    PoolSetup s = poolSetup(c);
    const std::vector<int64_t> ones(s.kernel.size(), 1);
    const bool native = nativePadding(s);
    if (!native && s.ceil) c.fail("ceil_mode with padding larger than half the kernel is not supported");
    const at::Tensor x = native ? s.x : padSpatial(s.x, s.pad, -std::numeric_limits<double>::infinity());
    const std::vector<int64_t> pad = native ? s.pad.before : std::vector<int64_t>(s.kernel.size(), 0);
    at::Tensor y = s.kernel.size() == 2 ? at::max_pool2d(x, s.kernel, s.strides, pad, ones, s.ceil)
                                        : at::max_pool3d(x, s.kernel, s.strides, pad, ones, s.ceil);
    return {poolResult(s, y)};
}

// Sum or average over windows of an explicitly padded input (no implicit padding in ATen).
at::Tensor windowSum(const PoolSetup& s, const at::Tensor& x, bool ceil) {
    const std::vector<int64_t> zeros(s.kernel.size(), 0);
    if (s.kernel.size() == 2) return at::avg_pool2d(x, s.kernel, s.strides, zeros, ceil, true, 1);
    return at::avg_pool3d(x, s.kernel, s.strides, zeros, ceil, true, 1);
}

Tensors avgPool(const KernelContext& c) {
    PoolSetup s = poolSetup(c);
    const bool exclude = c.boolOr("exclude_padding_from_average", false);
    if (nativePadding(s)) {
        at::Tensor y = s.kernel.size() == 2
                           ? at::avg_pool2d(s.x, s.kernel, s.strides, s.pad.before, s.ceil, !exclude)
                           : at::avg_pool3d(s.x, s.kernel, s.strides, s.pad.before, s.ceil, !exclude);
        return {poolResult(s, y)};
    }
    if (s.ceil) c.fail("ceil_mode with padding larger than half the kernel is not supported");
    const at::Tensor sum = windowSum(s, padSpatial(s.x, s.pad, 0.0), false);
    if (!exclude) {
        int64_t size = 1;
        for (int64_t k : s.kernel) size *= k;
        return {poolResult(s, at::div(sum, static_cast<double>(size)))};
    }
    std::vector<int64_t> unitShape = {1, 1};
    for (int64_t i = 2; i < s.x.dim(); ++i) unitShape.push_back(s.x.size(i));
    const at::Tensor count = windowSum(s, padSpatial(at::ones(unitShape, s.x.options()), s.pad, 0.0), false);
    return {poolResult(s, at::div(sum, count))};
}

Tensors l2Pool(const KernelContext& c) {
    PoolSetup s = poolSetup(c);
    if (s.kernel.size() != 2) c.fail("l2_pool supports 1 or 2 spatial dimensions");
    const at::Tensor sq = at::mul(s.x, s.x);
    at::Tensor sum;
    if (nativePadding(s)) sum = at::avg_pool2d(sq, s.kernel, s.strides, s.pad.before, s.ceil, true, 1);
    else if (!s.ceil) sum = windowSum(s, padSpatial(sq, s.pad, 0.0), false);
    else c.fail("ceil_mode with padding larger than half the kernel is not supported");
    return {poolResult(s, at::sqrt(sum))};
}

// A per-channel vector shaped to broadcast against dimension 1 of a rank-`rank` tensor.
at::Tensor channelView(const at::Tensor& v, int64_t rank) {
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    shape[1] = v.numel();
    return v.reshape(shape);
}

Tensors batchNorm(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    if (x.dim() < 2) c.fail("x must have rank 2 or more");
    const double eps = c.floatOr("epsilon", 1e-5);
    const at::Tensor gamma = c.has("gamma") ? c.in("gamma") : at::Tensor();
    const at::Tensor beta = c.has("beta") ? c.in("beta") : at::Tensor();
    return {at::batch_norm(x, gamma, beta, c.in("mean"), c.in("variance"), false, 0.0, eps, false)};
}

Tensors instanceNorm(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    if (x.dim() < 3) c.fail("x must have rank 3 or more");
    std::vector<int64_t> dims;
    for (int64_t d = 2; d < x.dim(); ++d) dims.push_back(d);
    const at::Tensor mean = at::mean(x, dims, true);
    const at::Tensor centred = at::sub(x, mean);
    const at::Tensor var = at::mean(at::mul(centred, centred), dims, true);
    at::Tensor y = at::div(centred, at::sqrt(at::add(var, c.floatOr("epsilon", 1e-5))));
    if (c.has("gamma")) y = at::mul(y, channelView(c.in("gamma"), x.dim()));
    if (c.has("beta")) y = at::add(y, channelView(c.in("beta"), x.dim()));
    return {y};
}

Tensors layerNorm(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    std::vector<int64_t> axes;
    if (c.has("axes"))
        for (int64_t a : c.ints("axes")) axes.push_back(c.axis(a, x.dim()));
    else
        for (int64_t a = 0; a < x.dim(); ++a) axes.push_back(a);
    std::sort(axes.begin(), axes.end());
    const at::Tensor mean = at::mean(x, axes, true);
    const at::Tensor centred = at::sub(x, mean);
    const at::Tensor var = at::mean(at::mul(centred, centred), axes, true);
    at::Tensor y = at::div(centred, at::sqrt(at::add(var, c.floatOr("epsilon", 1e-5))));
    // gamma and beta hold the normalized dimensions in axis order; 1 elsewhere broadcasts.
    std::vector<int64_t> paramShape(static_cast<size_t>(x.dim()), 1);
    for (int64_t a : axes) paramShape[static_cast<size_t>(a)] = x.size(a);
    if (c.has("gamma")) y = at::mul(y, c.in("gamma").reshape(paramShape));
    if (c.has("beta")) y = at::add(y, c.in("beta").reshape(paramShape));
    return {y};
}

Tensors l2Norm(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    if (x.dim() < 3) c.fail("x must have rank 3 or more");
    const double eps = c.floatOr("epsilon", 1e-6);
    const at::Tensor sum = at::sum(at::mul(x, x), {x.dim() - 3, x.dim() - 2, x.dim() - 1}, true);
    return {at::div(x, at::sqrt(at::add(sum, eps)))};
}

// The window placement for even sizes is not specified by Core ML; it is centred as PyTorch does
// (size/2 channels before, (size-1)/2 after).
Tensors localResponseNorm(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    if (x.dim() < 3) c.fail("x must have rank 3 or more");
    const int64_t size = c.intValue("size");
    const double alpha = c.floatOr("alpha", 1e-4), beta = c.floatOr("beta", 0.75), k = c.floatOr("k", 1.0);
    const int64_t channels = x.size(1);
    at::Tensor sq = at::mul(x, x).reshape({x.size(0), 1, channels, -1});
    sq = at::constant_pad_nd(sq, {0, 0, size / 2, (size - 1) / 2}, 0.0);
    const at::Tensor sum = at::avg_pool2d(sq, {size, 1}, {1, 1}, {0, 0}, false, true, 1).reshape(x.sizes());
    return {at::div(x, at::pow(at::add(at::mul(sum, alpha / static_cast<double>(size)), k), beta))};
}

Tensors linear(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor w = c.in("weight").to(x.scalar_type());
    const at::Tensor bias = c.has("bias") ? c.in("bias").to(x.scalar_type()) : at::Tensor();
    return {at::linear(x, w, bias)};
}

Tensors matmul(const KernelContext& c) {
    at::Tensor x = c.in("x");
    at::Tensor y = c.in("y");
    if (c.boolOr("transpose_x", false)) x = x.transpose(-1, -2);
    if (c.boolOr("transpose_y", false)) y = y.transpose(-1, -2);
    if (x.scalar_type() != y.scalar_type()) y = y.to(x.scalar_type());
    return {at::matmul(x, y)};
}

// Core ML implements two equations (in letters of first appearance): "abcd,adce->abce" and
// "abc,cbd->abd"; both are batched products over the second-to-last axis.
Tensors einsum(const KernelContext& c) {
    const std::vector<at::Tensor> v = c.list("values");
    if (v.size() != 2) c.fail("einsum takes two values");
    std::string eq = c.str("equation");
    eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
    return {at::einsum(eq, {v[0], v[1]})};
}
}  // namespace

void registerNnKernels(KernelTable& t) {
    t["conv"] = conv;
    t["conv_transpose"] = convTranspose;
    t["max_pool"] = maxPool;
    t["avg_pool"] = avgPool;
    t["l2_pool"] = l2Pool;
    t["batch_norm"] = batchNorm;
    t["instance_norm"] = instanceNorm;
    t["layer_norm"] = layerNorm;
    t["l2_norm"] = l2Norm;
    t["local_response_norm"] = localResponseNorm;
    t["linear"] = linear;
    t["matmul"] = matmul;
    t["einsum"] = einsum;
}

}  // namespace cms::runtime
