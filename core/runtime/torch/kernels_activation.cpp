// Activation ops, as Core ML defines them (value formulas from the op definitions).
#include <cmath>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

// A per-channel parameter shaped to broadcast against dimension 1 of a rank-`rank` tensor.
at::Tensor perChannel(const at::Tensor& p, int64_t rank) {
    std::vector<int64_t> shape(static_cast<size_t>(rank), 1);
    if (rank > 1) shape[1] = p.numel();
    else shape[0] = p.numel();
    return p.reshape(shape);
}

Tensors relu6(const KernelContext& c) { return {at::clamp(c.in("x"), 0.0, 6.0)}; }
Tensors sigmoid(const KernelContext& c) { return {at::sigmoid(c.in("x"))}; }
Tensors silu(const KernelContext& c) { return {at::mul(c.in("x"), at::sigmoid(c.in("x")))}; }
Tensors softplus(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::add(at::log1p(at::exp(at::neg(at::abs(x)))), at::relu(x))};
}
Tensors softsign(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::div(x, at::add(at::abs(x), 1.0))};
}

Tensors gelu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const std::string mode = c.strOr("mode", "EXACT");
    if (mode == "EXACT") return {at::mul(at::mul(x, 0.5), at::add(at::erf(at::mul(x, M_SQRT1_2)), 1.0))};
    if (mode == "TANH_APPROXIMATION") {
        const at::Tensor inner = at::mul(at::add(x, at::mul(at::pow(x, 3), 0.044715)), std::sqrt(2.0 / M_PI));
        return {at::mul(at::mul(x, 0.5), at::add(at::tanh(inner), 1.0))};
    }
    if (mode == "SIGMOID_APPROXIMATION") return {at::mul(x, at::sigmoid(at::mul(x, 1.702)))};
    c.fail("unknown gelu mode '" + mode + "'");
}

Tensors clampedRelu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const double alpha = c.floatValue("alpha"), beta = c.floatValue("beta");
    return {at::add(at::clamp_max(at::relu(x), beta), at::clamp_max(at::mul(at::clamp_max(x, 0.0), alpha), beta))};
}
Tensors elu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::where(at::gt(x, 0), x, at::mul(at::expm1(x), c.floatValue("alpha")))};
}
Tensors leakyRelu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::where(at::ge(x, 0), x, at::mul(x, c.floatValue("alpha")))};
}
Tensors linearActivation(const KernelContext& c) {
    return {at::add(at::mul(c.in("x"), c.floatValue("alpha")), c.floatValue("beta"))};
}
Tensors prelu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor alpha = perChannel(c.in("alpha"), x.dim());
    return {at::add(at::relu(x), at::mul(at::clamp_max(x, 0.0), alpha))};
}
Tensors scaledTanh(const KernelContext& c) {
    return {at::mul(at::tanh(at::mul(c.in("x"), c.floatValue("beta"))), c.floatValue("alpha"))};
}
Tensors sigmoidHard(const KernelContext& c) {
    return {at::clamp(at::add(at::mul(c.in("x"), c.floatValue("alpha")), c.floatValue("beta")), 0.0, 1.0)};
}
Tensors softplusParametric(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor alpha = perChannel(c.in("alpha"), x.dim());
    const at::Tensor beta = perChannel(c.in("beta"), x.dim());
    return {at::mul(alpha, at::log1p(at::exp(at::mul(x, beta))))};
}
Tensors thresholdedRelu(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    return {at::where(at::ge(x, c.floatValue("alpha")), x, at::zeros_like(x))};
}
}  // namespace

void registerActivationKernels(KernelTable& t) {
    t["relu6"] = relu6;
    t["sigmoid"] = sigmoid;
    t["silu"] = silu;
    t["softplus"] = softplus;
    t["softsign"] = softsign;
    t["gelu"] = gelu;
    t["clamped_relu"] = clampedRelu;
    t["elu"] = elu;
    t["leaky_relu"] = leakyRelu;
    t["linear_activation"] = linearActivation;
    t["prelu"] = prelu;
    t["scaled_tanh"] = scaledTanh;
    t["sigmoid_hard"] = sigmoidHard;
    t["softplus_parametric"] = softplusParametric;
    t["thresholded_relu"] = thresholdedRelu;
}

}  // namespace cms::runtime
