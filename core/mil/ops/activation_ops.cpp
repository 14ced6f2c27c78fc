// Activation ops. Parameterised ones take const alpha/beta: in x's dtype on iOS15, in a float
// dtype of their own (shared by alpha and beta) from iOS17.
#include <cmath>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kString = {DType::String};

using Check = void (*)(const InferContext&);
void noCheck(const InferContext&) {}

void unary(OpRegistry& r, const std::string& name, const std::string& summary) {
    r.add({name, Target::iOS15, {{"x", false, false, false, kFloat}},
           [](const InferContext& ctx) { return std::vector<TensorType>{ctx.type("x")}; }, summary});
}

// An op with const parameters `params` (alpha, or alpha and beta), declared for iOS15 and,
// when `reversioned`, again for iOS17 where the parameters get their own dtype.
void parameterised(OpRegistry& r, const std::string& name, std::vector<const char*> params, bool reversioned,
                   Check check, const std::string& summary) {
    std::vector<InputDecl> inputs = {{"x", false, false, false, kFloat}};
    for (const char* p : params) inputs.push_back({p, false, false, true, kFloat});
    const std::vector<Target> targets =
        reversioned ? std::vector<Target>{Target::iOS15, Target::iOS17} : std::vector<Target>{Target::iOS15};
    for (Target t : targets) {
        r.add({name, t, inputs,
               [t, params, check](const InferContext& ctx) {
                   if (t == Target::iOS15)
                       for (const char* p : params) requireSameDtype(ctx, {"x", p});
                   else if (params.size() == 2)
                       requireSameDtype(ctx, {params[0], params[1]});
                   check(ctx);
                   return std::vector<TensorType>{ctx.type("x")};
               },
               summary});
    }
}

void checkPrelu(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (x.rank() < 3 || x.rank() > 5) ctx.fail("x must have rank 3, 4 or 5, got " + x.toString());
    const Tensor& alpha = ctx.constant("alpha");
    if (alpha.rank() != 1) ctx.fail("alpha must have rank 1");
    if (alpha.shape()[0] != x.shape[1])
        ctx.fail("alpha holds " + std::to_string(alpha.shape()[0]) + " values but x has " + std::to_string(x.shape[1]) +
                 " channels");
    if (x.rank() != 4) {
        const std::vector<float> a = alpha.toFloats();
        for (float v : a)
            if (std::fabs(v - a[0]) > 1e-5f) ctx.fail("for rank 3 or 5 inputs all alpha values must be equal");
    }
}

void checkSoftplusParametric(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    if (x.rank() < 3) ctx.fail("x must have rank 3 or more, got " + x.toString());
    for (const char* p : {"alpha", "beta"}) {
        const TensorType& t = ctx.type(p);
        if (t.rank() != 1) ctx.fail(std::string(p) + " must have rank 1");
        if (t.shape[0] != x.shape[1])
            ctx.fail(std::string(p) + " must hold one value per channel of x " + x.toString());
    }
}
}  // namespace

void registerActivationOps(OpRegistry& r) {
    unary(r, "relu6", "min(max(x, 0), 6)");
    unary(r, "sigmoid", "1 / (1 + exp(-x))");
    unary(r, "silu", "x * sigmoid(x)");
    unary(r, "softplus", "log(1 + exp(x))");
    unary(r, "softsign", "x / (1 + |x|)");

    r.add({"gelu", Target::iOS15, {{"x", false, false, false, kFloat}, {"mode", true, false, true, kString}},
           [](const InferContext& ctx) {
               const std::string mode = ctx.stringOr("mode", "EXACT");
               if (mode != "EXACT" && mode != "TANH_APPROXIMATION" && mode != "SIGMOID_APPROXIMATION")
                   ctx.fail("unknown gelu mode '" + mode + "' (EXACT, TANH_APPROXIMATION or SIGMOID_APPROXIMATION)");
               return std::vector<TensorType>{ctx.type("x")};
           },
           "Gaussian error linear unit, exact or approximated with tanh or sigmoid"});

    parameterised(r, "clamped_relu", {"alpha", "beta"}, true, noCheck, "min(beta, x >= 0 ? x : alpha * x)");
    parameterised(r, "elu", {"alpha"}, true, noCheck, "x > 0 ? x : alpha * (exp(x) - 1)");
    parameterised(r, "leaky_relu", {"alpha"}, true, noCheck, "x >= 0 ? x : alpha * x");
    parameterised(r, "linear_activation", {"alpha", "beta"}, true, noCheck, "alpha * x + beta");
    parameterised(r, "prelu", {"alpha"}, true, checkPrelu, "x >= 0 ? x : alpha[c] * x, one alpha per channel");
    parameterised(r, "scaled_tanh", {"alpha", "beta"}, true, noCheck, "alpha * tanh(beta * x)");
    parameterised(r, "sigmoid_hard", {"alpha", "beta"}, true, noCheck, "min(max(alpha * x + beta, 0), 1)");
    parameterised(r, "softplus_parametric", {"alpha", "beta"}, true, checkSoftplusParametric,
                  "alpha[c] * log(1 + exp(beta[c] * x)), per channel");
    parameterised(r, "thresholded_relu", {"alpha"}, true, noCheck, "x >= alpha ? x : 0");
}

}  // namespace cms::mil
