// avg_pool, max_pool and l2_pool (unchanged since iOS15).
#include <algorithm>
#include <cctype>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kInt32 = {DType::Int32};
const std::vector<DType> kString = {DType::String};
const std::vector<DType> kBool = {DType::Bool};

std::vector<TensorType> inferPool(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (x.rank() < 3 || x.rank() > 5) ctx.fail("x must have rank 3, 4 or 5 ([N, C, spatial...]), got " + x.toString());
    const size_t spatial = static_cast<size_t>(x.rank() - 2);
    const std::vector<int64_t> kernel = ctx.ints("kernel_sizes");
    const std::vector<int64_t> strides = ctx.intsOr("strides", std::vector<int64_t>(spatial, 1));
    std::string padType = ctx.stringValue("pad_type");
    std::transform(padType.begin(), padType.end(), padType.begin(), [](unsigned char c) { return std::tolower(c); });
    if (padType != "valid" && padType != "same" && padType != "custom" && padType != "same_lower")
        ctx.fail("unknown pad_type '" + padType + "' (valid, same, same_lower or custom)");
    const std::vector<int64_t> pad = ctx.intsOr("pad", std::vector<int64_t>(2 * spatial, 0));
    const bool ceilMode = ctx.boolOr("ceil_mode", false);
    if (ceilMode) {
        if (spatial > 2) ctx.fail("ceil_mode is only supported for 1-D and 2-D pooling");
        if (padType == "same") ctx.fail("ceil_mode must be false when pad_type is same");
        for (size_t i = 0; 2 * i + 1 < pad.size(); ++i)
            if (pad[2 * i] != pad[2 * i + 1]) ctx.fail("padding must be symmetric when ceil_mode is true");
    }
    if (ctx.target() == Target::iOS15 && padType == "same_lower")
        ctx.fail("pad_type same_lower needs iOS16 or newer");
    const Shape inSpatial(x.shape.begin() + 2, x.shape.end());
    const std::vector<int64_t> out =
        spatialOutputShape(ctx, padType, inSpatial, kernel, strides, std::vector<int64_t>(kernel.size(), 1), pad, ceilMode);
    Shape shape = {x.shape[0], x.shape[1]};
    shape.insert(shape.end(), out.begin(), out.end());
    return {TensorType{x.dtype, shape}};
}

std::vector<InputDecl> poolInputs() {
    return {
        {"x", false, false, false, kFloat},
        {"kernel_sizes", false, false, true, kInt32},
        {"strides", true, false, true, kInt32},
        {"pad_type", false, false, true, kString},
        {"pad", true, false, true, kInt32},
        {"ceil_mode", true, false, true, kBool},
    };
}
}  // namespace

void registerPoolOps(OpRegistry& r) {
    std::vector<InputDecl> avgInputs = poolInputs();
    avgInputs.push_back({"exclude_padding_from_average", true, false, true, kBool});
    r.add({"avg_pool", Target::iOS15, avgInputs, inferPool, "average over sliding windows of 1-3 spatial dimensions"});
    r.add({"max_pool", Target::iOS15, poolInputs(), inferPool, "maximum over sliding windows of 1-3 spatial dimensions"});
    r.add({"l2_pool", Target::iOS15, poolInputs(),
           [](const InferContext& ctx) {
               if (ctx.type("x").rank() - 2 > 2)
                   ctx.fail("l2_pool supports 1 or 2 spatial dimensions, got " + ctx.type("x").toString());
               return inferPool(ctx);
           },
           "square root of the sum of squares over sliding windows (1 or 2 spatial dimensions)"});
}

}  // namespace cms::mil
