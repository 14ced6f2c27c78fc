// Elementwise binary and unary ops, with numpy broadcasting. Semantics from Core ML's op
// definitions: floor_div and mod round towards -inf (mod takes the sign of y), round goes to even,
// inverse/log/rsqrt add an epsilon whose default is expressed in x's dtype.
#include <cmath>

#include "common/half.h"
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

#define BINARY(NAME, EXPR)                                          \
    Tensors NAME(const KernelContext& c) {                          \
        const at::Tensor& x = c.in("x");                            \
        const at::Tensor& y = c.in("y");                            \
        return {EXPR};                                              \
    }
BINARY(add, at::add(x, y))
BINARY(sub, at::sub(x, y))
BINARY(mul, at::mul(x, y))
BINARY(realDiv, at::div(x, y))
BINARY(floorDiv, at::div(x, y, "floor"))
BINARY(mod, at::remainder(x, y))
BINARY(pow, at::pow(x, y))
BINARY(maximum, at::maximum(x, y))
BINARY(minimum, at::minimum(x, y))
BINARY(equal, at::eq(x, y))
BINARY(notEqual, at::ne(x, y))
BINARY(less, at::lt(x, y))
BINARY(lessEqual, at::le(x, y))
BINARY(greater, at::gt(x, y))
BINARY(greaterEqual, at::ge(x, y))
BINARY(logicalAnd, at::logical_and(x, y))
BINARY(logicalOr, at::logical_or(x, y))
BINARY(logicalXor, at::logical_xor(x, y))
#undef BINARY

#define UNARY(NAME, EXPR)                   \
    Tensors NAME(const KernelContext& c) {  \
        const at::Tensor& x = c.in("x");    \
        return {EXPR};                      \
    }
UNARY(relu, at::relu(x))
UNARY(abs, at::abs(x))
UNARY(sign, at::sign(x))
UNARY(square, at::mul(x, x))
UNARY(exp2, at::exp2(x.to(at::kFloat)))
UNARY(exp, at::exp(x))
UNARY(sqrt, at::sqrt(x))
UNARY(sin, at::sin(x))
UNARY(cos, at::cos(x))
UNARY(tan, at::tan(x))
UNARY(asin, at::asin(x))
UNARY(acos, at::acos(x))
UNARY(atan, at::atan(x))
UNARY(sinh, at::sinh(x))
UNARY(cosh, at::cosh(x))
UNARY(tanh, at::tanh(x))
UNARY(atanh, at::atanh(x))
UNARY(erf, at::erf(x))
UNARY(floor, at::floor(x))
UNARY(ceil, at::ceil(x))
UNARY(round, at::round(x))
UNARY(logicalNot, at::logical_not(x))
#undef UNARY

// The epsilon input, or Core ML's default for it stored in x's dtype (1e-45 is 0 in fp16).
double epsilon(const KernelContext& c, double dflt) {
    if (c.has("epsilon")) return c.floatValue("epsilon");
    if (c.inputType("x").dtype == DType::Float16) return halfToFloat(floatToHalf(static_cast<float>(dflt)));
    return static_cast<float>(dflt);
}

Tensors inverse(const KernelContext& c) { return {at::reciprocal(at::add(c.in("x"), epsilon(c, 1e-4)))}; }
Tensors log(const KernelContext& c) { return {at::log(at::add(c.in("x"), epsilon(c, 1e-45)))}; }
Tensors rsqrt(const KernelContext& c) { return {at::rsqrt(at::add(c.in("x"), epsilon(c, 1e-12)))}; }

Tensors clip(const KernelContext& c) {
    return {at::minimum(at::maximum(c.in("x"), c.in("alpha")), c.in("beta"))};
}
Tensors threshold(const KernelContext& c) { return {at::maximum(c.in("x"), c.in("alpha"))}; }
}  // namespace

void registerElementwiseKernels(KernelTable& t) {
    t["add"] = add;
    t["sub"] = sub;
    t["mul"] = mul;
    t["real_div"] = realDiv;
    t["floor_div"] = floorDiv;
    t["mod"] = mod;
    t["pow"] = pow;
    t["maximum"] = maximum;
    t["minimum"] = minimum;
    t["equal"] = equal;
    t["not_equal"] = notEqual;
    t["less"] = less;
    t["less_equal"] = lessEqual;
    t["greater"] = greater;
    t["greater_equal"] = greaterEqual;
    t["logical_and"] = logicalAnd;
    t["logical_or"] = logicalOr;
    t["logical_xor"] = logicalXor;
    t["relu"] = relu;
    t["abs"] = abs;
    t["sign"] = sign;
    t["square"] = square;
    t["exp2"] = exp2;
    t["exp"] = exp;
    t["sqrt"] = sqrt;
    t["sin"] = sin;
    t["cos"] = cos;
    t["tan"] = tan;
    t["asin"] = asin;
    t["acos"] = acos;
    t["atan"] = atan;
    t["sinh"] = sinh;
    t["cosh"] = cosh;
    t["tanh"] = tanh;
    t["atanh"] = atanh;
    t["erf"] = erf;
    t["floor"] = floor;
    t["ceil"] = ceil;
    t["round"] = round;
    t["logical_not"] = logicalNot;
    t["inverse"] = inverse;
    t["log"] = log;
    t["rsqrt"] = rsqrt;
    t["clip"] = clip;
    t["threshold"] = threshold;
}

}  // namespace cms::runtime
