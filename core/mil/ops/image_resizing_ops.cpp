// upsample_nearest_neighbor and upsample_bilinear: integer or fractional scale factors on the last
// two dimensions. iOS16 adds half_pixel_centers to upsample_bilinear. resample: sampling an image at
// given (x, y) coordinates; iOS16 and iOS17 widen the coordinate dtypes.
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

std::vector<TensorType> inferResample(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& coords = ctx.type("coordinates");
    if (x.rank() != 4) ctx.fail("x must have rank 4 ([B, C, H, W]), got " + x.toString());
    if (coords.rank() != 4) ctx.fail("coordinates must have rank 4 ([B, H, W, 2]), got " + coords.toString());
    if (x.shape[0] != kUnknownDim && coords.shape[0] != kUnknownDim && x.shape[0] != coords.shape[0])
        ctx.fail("x " + x.toString() + " and coordinates " + coords.toString() + " must have the same batch size");
    if (coords.shape[3] != kUnknownDim && coords.shape[3] != 2)
        ctx.fail("the last dimension of coordinates must be 2 (x, y), got " + coords.toString());
    if (ctx.type("padding_value").dtype != x.dtype) ctx.fail("padding_value must have x's dtype");
    const std::string sampling = ctx.stringValue("sampling_mode");
    if (sampling != "bilinear" && sampling != "nearest") ctx.fail("sampling_mode must be bilinear or nearest");
    const std::string padding = ctx.stringValue("padding_mode");
    if (padding != "constant" && padding != "border" && padding != "reflection" && padding != "symmetric")
        ctx.fail("padding_mode must be constant, border, reflection or symmetric");
    const std::string mode = ctx.stringValue("coordinates_mode");
    if (mode != "unnormalized" && mode != "normalized_minus_one_to_one" && mode != "normalized_zero_to_one")
        ctx.fail("coordinates_mode must be unnormalized, normalized_minus_one_to_one or normalized_zero_to_one");
    return {TensorType{x.dtype, {x.shape[0], x.shape[1], coords.shape[1], coords.shape[2]}}};
}

std::vector<InputDecl> resampleInputs(std::vector<DType> coordinateDtypes) {
    return {{"x", false, false, false, kFloat},
            {"coordinates", false, false, false, std::move(coordinateDtypes)},
            {"sampling_mode", false, false, true, {DType::String}},
            {"padding_mode", false, false, true, {DType::String}},
            {"padding_value", false, false, true, kFloat},
            {"coordinates_mode", false, false, true, {DType::String}},
            {"align_corners", false, false, true, {DType::Bool}}};
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
    const std::string resampleSummary = "samples an image at given (x, y) coordinates, bilinear or nearest";
    r.add({"resample", Target::iOS15, resampleInputs({DType::Int32, DType::Float32}), inferResample, resampleSummary});
    r.add({"resample", Target::iOS16, resampleInputs({DType::Int32, DType::Float16, DType::Float32}), inferResample,
           resampleSummary});
    r.add({"resample", Target::iOS17,
           resampleInputs({DType::Int8, DType::UInt8, DType::Int16, DType::UInt16, DType::Int32, DType::Float16,
                           DType::Float32}),
           inferResample, resampleSummary});
}

}  // namespace cms::mil
