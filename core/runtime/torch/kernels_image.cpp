// upsample_nearest_neighbor and upsample_bilinear as separable 1-D resampling of the last two
// dimensions: each output position reads the input at a source coordinate given by Core ML's
// sampling rule, so every mode (integer or fractional scale, aligned corners, half-pixel centers)
// runs through the same code.
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
        const int64_t in = y.size(axis), n = out.shape[static_cast<size_t>(axis)];
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
        const int64_t in = y.size(axis), n = out.shape[static_cast<size_t>(axis)];
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
}  // namespace

void registerImageResizingKernels(KernelTable& t) {
    t["upsample_nearest_neighbor"] = upsampleNearest;
    t["upsample_bilinear"] = upsampleBilinear;
}

}  // namespace cms::runtime
