// Elementwise binary and unary ops: numpy broadcasting, same-dtype operands. Ops whose
// constraints change in iOS17 (clip, inverse, log, rsqrt) are declared again for it.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloatOrInt = {DType::Float16, DType::Float32, DType::Int32};
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kBool = {DType::Bool};

void binary(OpRegistry& r, const std::string& name, const std::string& summary, bool boolResult = false,
            const std::vector<DType>& dtypes = kFloatOrInt) {
    r.add({name, Target::iOS15, {{"x", false, false, false, dtypes}, {"y", false, false, false, dtypes}},
           [boolResult](const InferContext& ctx) {
               return std::vector<TensorType>{
                   binaryElementwiseType(ctx, boolResult ? DType::Bool : ctx.type("x").dtype)};
           },
           summary});
}

void unary(OpRegistry& r, const std::string& name, const std::string& summary,
           const std::vector<DType>& dtypes = kFloat) {
    r.add({name, Target::iOS15, {{"x", false, false, false, dtypes}},
           [](const InferContext& ctx) { return std::vector<TensorType>{ctx.type("x")}; }, summary});
}

// Unary ops with an optional const epsilon: in x's dtype on iOS15, any float dtype from iOS17.
void unaryWithEpsilon(OpRegistry& r, const std::string& name, const std::string& summary) {
    const std::vector<InputDecl> inputs = {{"x", false, false, false, kFloat}, {"epsilon", true, false, true, kFloat}};
    r.add({name, Target::iOS15, inputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "epsilon"});
               return std::vector<TensorType>{ctx.type("x")};
           },
           summary});
    r.add({name, Target::iOS17, inputs,
           [](const InferContext& ctx) { return std::vector<TensorType>{ctx.type("x")}; }, summary});
}
}  // namespace

void registerElementwiseOps(OpRegistry& r) {
    binary(r, "add", "x + y, elementwise with broadcasting");
    binary(r, "sub", "x - y, elementwise with broadcasting");
    binary(r, "mul", "x * y, elementwise with broadcasting");
    binary(r, "real_div", "x / y, elementwise with broadcasting");
    binary(r, "floor_div", "floor(x / y), elementwise with broadcasting");
    binary(r, "mod", "x mod y (sign of y), elementwise with broadcasting");
    binary(r, "pow", "x raised to the power y, elementwise with broadcasting");
    binary(r, "maximum", "the larger of x and y, elementwise with broadcasting");
    binary(r, "minimum", "the smaller of x and y, elementwise with broadcasting");
    binary(r, "equal", "x == y as bool, elementwise with broadcasting", true);
    binary(r, "not_equal", "x != y as bool, elementwise with broadcasting", true);
    binary(r, "less", "x < y as bool, elementwise with broadcasting", true);
    binary(r, "less_equal", "x <= y as bool, elementwise with broadcasting", true);
    binary(r, "greater", "x > y as bool, elementwise with broadcasting", true);
    binary(r, "greater_equal", "x >= y as bool, elementwise with broadcasting", true);
    binary(r, "logical_and", "x and y on bools, with broadcasting", true, kBool);
    binary(r, "logical_or", "x or y on bools, with broadcasting", true, kBool);
    binary(r, "logical_xor", "x xor y on bools, with broadcasting", true, kBool);

    unary(r, "relu", "max(x, 0)");
    unary(r, "abs", "|x|", kFloatOrInt);
    unary(r, "sign", "-1, 0 or 1 by the sign of x", kFloatOrInt);
    unary(r, "square", "x * x", kFloatOrInt);
    unary(r, "exp2", "2 raised to the power x", kFloatOrInt);
    unary(r, "exp", "e raised to the power x");
    unary(r, "sqrt", "square root of x");
    unary(r, "sin", "sine of x");
    unary(r, "cos", "cosine of x");
    unary(r, "tan", "tangent of x");
    unary(r, "asin", "arc sine of x");
    unary(r, "acos", "arc cosine of x");
    unary(r, "atan", "arc tangent of x");
    unary(r, "sinh", "hyperbolic sine of x");
    unary(r, "cosh", "hyperbolic cosine of x");
    unary(r, "tanh", "hyperbolic tangent of x");
    unary(r, "atanh", "inverse hyperbolic tangent of x");
    unary(r, "erf", "Gauss error function of x");
    unary(r, "floor", "x rounded down");
    unary(r, "ceil", "x rounded up");
    unary(r, "round", "x rounded to the nearest integer, halves to even");
    unary(r, "logical_not", "not x on bools", kBool);
    unaryWithEpsilon(r, "inverse", "1 / (x + epsilon)");
    unaryWithEpsilon(r, "log", "natural logarithm of (x + epsilon)");
    unaryWithEpsilon(r, "rsqrt", "1 / sqrt(x + epsilon)");

    const std::vector<InputDecl> clipInputs = {{"x", false, false, false, kFloat},
                                               {"alpha", false, false, true, kFloat},
                                               {"beta", false, false, true, kFloat}};
    r.add({"clip", Target::iOS15, clipInputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "alpha", "beta"});
               return std::vector<TensorType>{ctx.type("x")};
           },
           "min(max(x, alpha), beta)"});
    r.add({"clip", Target::iOS17, clipInputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "alpha", "beta"});
               if (ctx.floatValue("alpha") >= ctx.floatValue("beta"))
                   ctx.fail("alpha (" + std::to_string(ctx.floatValue("alpha")) + ") must be smaller than beta (" +
                            std::to_string(ctx.floatValue("beta")) + ")");
               return std::vector<TensorType>{ctx.type("x")};
           },
           "min(max(x, alpha), beta), with alpha < beta"});
    r.add({"threshold", Target::iOS15, {{"x", false, false, false, kFloatOrInt}, {"alpha", false, false, true, kFloatOrInt}},
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "alpha"});
               return std::vector<TensorType>{ctx.type("x")};
           },
           "max(x, alpha)"});
}

}  // namespace cms::mil
