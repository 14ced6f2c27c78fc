// cast: element type conversion. iOS17 adds the 8- and 16-bit integer types.
#include <algorithm>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"

namespace cms::mil {

namespace {
void declareCast(OpRegistry& r, Target since, std::vector<DType> types) {
    r.add({"cast", since,
           {{"x", false, false, false, types}, {"dtype", false, false, true, {DType::String}}},
           [types](const InferContext& ctx) {
               const std::string name = ctx.stringValue("dtype");
               const std::optional<DType> to = dtypeFromName(name);
               if (!to || std::find(types.begin(), types.end(), *to) == types.end())
                   ctx.fail("cannot cast to '" + name + "' for " + targetName(ctx.target()));
               return std::vector<TensorType>{TensorType{*to, ctx.type("x").shape}};
           },
           "x converted to another element type"});
}
}  // namespace

void registerCastOps(OpRegistry& r) {
    declareCast(r, Target::iOS15, {DType::Float16, DType::Float32, DType::Int32, DType::Bool});
    declareCast(r, Target::iOS17, {DType::Float16, DType::Float32, DType::Int8, DType::UInt8, DType::Int16, DType::UInt16,
                                   DType::Int32, DType::Bool});
}

}  // namespace cms::mil
