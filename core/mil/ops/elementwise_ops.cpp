// Elementwise binary and unary ops (iOS15 opset): numpy broadcasting, same-dtype operands.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloatOrInt = {DType::Float16, DType::Float32, DType::Int32};
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};

void binary(OpRegistry& r, const std::string& name, const std::string& summary, bool boolResult = false) {
    r.add({name, Target::iOS15, {{"x", false, false, false, kFloatOrInt}, {"y", false, false, false, kFloatOrInt}},
           [boolResult](const InferContext& ctx) {
               return std::vector<TensorType>{
                   binaryElementwiseType(ctx, boolResult ? DType::Bool : ctx.type("x").dtype)};
           },
           summary});
}

void unary(OpRegistry& r, const std::string& name, const std::string& summary) {
    r.add({name, Target::iOS15, {{"x", false, false, false, kFloat}},
           [](const InferContext& ctx) { return std::vector<TensorType>{ctx.type("x")}; }, summary});
}
}  // namespace

void registerElementwiseOps(OpRegistry& r) {
    binary(r, "add", "x + y, elementwise with broadcasting");
    binary(r, "sub", "x - y, elementwise with broadcasting");
    binary(r, "mul", "x * y, elementwise with broadcasting");
    binary(r, "real_div", "x / y, elementwise with broadcasting");
    unary(r, "relu", "max(x, 0)");
}

}  // namespace cms::mil
