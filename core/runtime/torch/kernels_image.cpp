// upsample_nearest_neighbor and upsample_bilinear as separable 1-D resampling of the last two
// dimensions: each output position reads the input at a source coordinate given by Core ML's
// sampling rule, so every mode (integer or fractional scale, aligned corners, half-pixel centers)
// runs through the same code. resample reads the four (or one nearest) pixels around each
// coordinate, with out-of-image pixels taken from the padding Core ML describes.
#include <algorithm>
#include <cmath>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

double scaleOf(const KernelContext& c, const std::string& name) {
    if (!c.has(name)) return 1.0;
    return c.inputType(name).dtype == DType::Int32 ? static_cast<double>(c.intValue(name))
                                                   : static_cast<double>(static_cast<float>(c.floatValue(name)));
}

// Linear interpolation along `axis` at source coordinates `src` (clamped to the input).
at::Tensor lerpAlong(const at::Tensor& x, int64_t axis, const std::vector<double>& src) {
    const int64_t in = x.size(axis);
    std::vector<int64_t> lo, hi;
    std::vector<float> w;
    for (double s : src) {
        s = std::clamp(s, 0.0, static_cast<double>(in - 1));
        const int64_t l = static_cast<int64_t>(std::floor(s));
        lo.push_back(l);
        hi.push_back(std::min(l + 1, in - 1));
        w.push_back(static_cast<float>(s - static_cast<double>(l)));
    }
    std::vector<int64_t> wShape(static_cast<size_t>(x.dim()), 1);
    wShape[static_cast<size_t>(axis)] = static_cast<int64_t>(src.size());
    const at::Tensor weight = at::tensor(w).reshape(wShape);
    const at::Tensor a = x.index_select(axis, at::tensor(lo));
    const at::Tensor b = x.index_select(axis, at::tensor(hi));
    return a + (b - a) * weight;
}

Tensors upsampleNearest(const KernelContext& c) {
    at::Tensor y = c.in("x");
    const mil::TensorType& out = c.outputType();
    const int64_t rank = y.dim();
    const double scales[2] = {scaleOf(c, "scale_factor_height"), scaleOf(c, "scale_factor_width")};
    for (int k = 0; k < 2; ++k) {
        const int64_t axis = rank - 2 + k;
        const int64_t in = y.size(axis);
        // A size only known at run time follows Core ML's rule: floor(input * scale).
        const int64_t declared = out.shape[static_cast<size_t>(axis)];
        const int64_t n = declared != mil::kUnknownDim ? declared : static_cast<int64_t>(std::floor(static_cast<double>(in) * scales[k]));
        // Output position i reads input floor(i / scale), the last input row at most.
        std::vector<int64_t> src;
        for (int64_t i = 0; i < n; ++i)
            src.push_back(std::min(in - 1, static_cast<int64_t>(std::floor(static_cast<double>(i) / scales[k]))));
        y = y.index_select(axis, at::tensor(src));
    }
    return {y.contiguous()};
}

Tensors upsampleBilinear(const KernelContext& c) {
    at::Tensor y = c.in("x");
    const mil::TensorType& out = c.outputType();
    const int64_t rank = y.dim();
    const bool alignCorners = c.boolOr("align_corners", true);
    const bool halfPixel = c.boolOr("half_pixel_centers", !alignCorners);
    for (int k = 0; k < 2; ++k) {
        const int64_t axis = rank - 2 + k;
        const int64_t in = y.size(axis);
        const int64_t declared = out.shape[static_cast<size_t>(axis)];
        const double scale = scaleOf(c, k == 0 ? "scale_factor_height" : "scale_factor_width");
        const int64_t n = declared != mil::kUnknownDim ? declared : static_cast<int64_t>(std::floor(static_cast<double>(in) * scale));
        std::vector<double> src;
        for (int64_t i = 0; i < n; ++i) {
            if (alignCorners)
                src.push_back(n > 1 ? static_cast<double>(i) * static_cast<double>(in - 1) / static_cast<double>(n - 1) : 0.0);
            else if (halfPixel)
                src.push_back((static_cast<double>(i) + 0.5) * static_cast<double>(in) / static_cast<double>(n) - 0.5);
            else
                src.push_back(static_cast<double>(i) * static_cast<double>(in) / static_cast<double>(n));
        }
        y = lerpAlong(y, axis, src);
    }
    return {y.contiguous()};
}
// Pixel indices outside [0, n) mapped by a resample padding mode; `valid` is false where the pixel
// takes the constant padding value.
at::Tensor padIndex(const at::Tensor& i, int64_t n, const std::string& mode, at::Tensor& valid) {
    valid = (i >= 0).logical_and(i < n);
    if (mode == "constant" || mode == "border") return i.clamp(0, n - 1);
    if (n == 1) return at::zeros_like(i);
    if (mode == "reflection") {  // |1 2 3| -> 2 3 2 1 2 3 2 1 2: mirrored at the edge pixels
        const at::Tensor m = at::remainder(i.abs(), 2 * (n - 1));
        return at::where(m >= n, 2 * (n - 1) - m, m);
    }
    // symmetric: |1 2 3| -> 3 2 1 1 2 3 3 2 1: mirrored beyond the edge pixels
    const at::Tensor m = at::remainder(i, 2 * n);
    return at::where(m >= n, 2 * n - 1 - m, m);
}

// Input pixel coordinate of a coordinate given in `mode`, for an axis of n pixels.
at::Tensor toPixels(const at::Tensor& v, int64_t n, const std::string& mode, bool alignCorners) {
    const double size = static_cast<double>(n);
    if (mode == "unnormalized") return v;
    if (mode == "normalized_minus_one_to_one")
        return alignCorners ? (v + 1.0) * 0.5 * (size - 1.0) : ((v + 1.0) * size - 1.0) * 0.5;
    return alignCorners ? v * (size - 1.0) : v * size - 0.5;  // normalized_zero_to_one
}

Tensors resample(const KernelContext& c) {
    const at::Tensor x = c.in("x");
    const at::Tensor coords = c.in("coordinates").to(at::kFloat);
    const std::string sampling = c.str("sampling_mode"), padding = c.str("padding_mode");
    const std::string mode = c.str("coordinates_mode");
    const bool alignCorners = c.boolOr("align_corners", false);
    const double padValue = c.floatValue("padding_value");
    const int64_t batch = x.size(0), channels = x.size(1), h = x.size(2), w = x.size(3);
    const int64_t oh = coords.size(1), ow = coords.size(2);
    const at::Tensor px = toPixels(coords.select(3, 0), w, mode, alignCorners).to(at::kDouble);
    const at::Tensor py = toPixels(coords.select(3, 1), h, mode, alignCorners).to(at::kDouble);
    const at::Tensor flat = x.reshape({batch, channels, h * w});
    // The value of pixel (iy, ix) per output position, padding applied.
    auto pixel = [&](const at::Tensor& iy, const at::Tensor& ix) {
        at::Tensor vy, vx;
        const at::Tensor my = padIndex(iy, h, padding, vy), mx = padIndex(ix, w, padding, vx);
        const at::Tensor index = (my * w + mx).reshape({batch, 1, oh * ow}).expand({batch, channels, oh * ow});
        at::Tensor v = flat.gather(2, index).reshape({batch, channels, oh, ow});
        if (padding == "constant")
            v = at::where(vy.logical_and(vx).unsqueeze(1), v, at::scalar_tensor(padValue, v.options()));
        return v;
    };
    if (sampling == "nearest") return {pixel(at::round(py).to(at::kLong), at::round(px).to(at::kLong)).contiguous()};
    const at::Tensor fy = at::floor(py), fx = at::floor(px);
    const at::Tensor wy = (py - fy).to(at::kFloat).unsqueeze(1), wx = (px - fx).to(at::kFloat).unsqueeze(1);
    const at::Tensor y0 = fy.to(at::kLong), x0 = fx.to(at::kLong);
    const at::Tensor top = pixel(y0, x0) * (1 - wx) + pixel(y0, x0 + 1) * wx;
    const at::Tensor bottom = pixel(y0 + 1, x0) * (1 - wx) + pixel(y0 + 1, x0 + 1) * wx;
    return {(top * (1 - wy) + bottom * wy).contiguous()};
}
}  // namespace

void registerImageResizingKernels(KernelTable& t) {
    t["upsample_nearest_neighbor"] = upsampleNearest;
    t["upsample_bilinear"] = upsampleBilinear;
    t["resample"] = resample;
}

}  // namespace cms::runtime
