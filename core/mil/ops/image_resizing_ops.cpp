// upsample_nearest_neighbor and upsample_bilinear: integer or fractional scale factors on the last
// two dimensions. iOS16 adds half_pixel_centers to upsample_bilinear.
#include <cmath>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kScale = {DType::Float32, DType::Int32};

// Core ML's size rule: floor(scale * size), with the scale as stored (fp32 or int32).
int64_t scaled(const InferContext& ctx, const char* name, int64_t size) {
    if (size == kUnknownDim) return kUnknownDim;
    if (!ctx.has(name)) return size;
    const double factor = ctx.type(name).dtype == DType::Int32 ? static_cast<double>(ctx.intValue(name))
                                                               : static_cast<double>(static_cast<float>(ctx.floatValue(name)));
    return static_cast<int64_t>(std::floor(factor * static_cast<double>(size)));
}

std::vector<TensorType> inferUpsample(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (x.rank() < 3) ctx.fail("x must have rank 3 or more ([..., H, W]), got " + x.toString());
    Shape out = x.shape;
    out[out.size() - 2] = scaled(ctx, "scale_factor_height", out[out.size() - 2]);
    out[out.size() - 1] = scaled(ctx, "scale_factor_width", out[out.size() - 1]);
    return {TensorType{x.dtype, out}};
}
}  // namespace

void registerImageResizingOps(OpRegistry& r) {
    const std::vector<InputDecl> nearest = {{"x", false, false, false, kFloat},
                                            {"scale_factor_height", true, false, true, kScale},
                                            {"scale_factor_width", true, false, true, kScale}};
    r.add({"upsample_nearest_neighbor", Target::iOS15, nearest, inferUpsample,
           "enlarges the last two dimensions by scale factors, repeating the nearest element"});
    std::vector<InputDecl> bilinear = nearest;
    bilinear.push_back({"align_corners", true, false, true, {DType::Bool}});
    r.add({"upsample_bilinear", Target::iOS15, bilinear, inferUpsample,
           "enlarges the last two dimensions by scale factors with bilinear interpolation"});
    bilinear.push_back({"half_pixel_centers", true, false, true, {DType::Bool}});
    r.add({"upsample_bilinear", Target::iOS16, bilinear, inferUpsample,
           "enlarges the last two dimensions by scale factors with bilinear interpolation"});
}

}  // namespace cms::mil
