// Random sampling ops from Core ML's definitions: random_uniform on [low, high), random_normal with
// mean/stddev, random_categorical drawing `size` indices with replacement from logits (softmax of
// the last dimension) or unnormalised probabilities. A seed >= 0 makes a run reproducible (each
// op's own generator); seed -1 draws from the process-wide generator.
#include <ATen/CPUGeneratorImpl.h>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

c10::optional<at::Generator> generatorFor(const KernelContext& c) {
    const int64_t seed = c.intOr("seed", -1);
    if (seed < 0) return c10::nullopt;
    return at::detail::createCPUGenerator(static_cast<uint64_t>(seed));
}

std::vector<int64_t> sampledShape(const KernelContext& c) {
    std::vector<int64_t> shape = c.ints("shape");
    for (int64_t d : shape)
        if (d <= 0) c.fail("every dimension of shape must be positive");
    return shape;
}

Tensors randomUniform(const KernelContext& c) {
    const double low = c.floatOr("low", 0.0), high = c.floatOr("high", 1.0);
    if (high < low) c.fail("high must not be below low");
    at::Tensor out = at::empty(sampledShape(c), at::kFloat);
    if (high == low) return {out.fill_(low)};
    return {out.uniform_(low, high, generatorFor(c))};
}

Tensors randomNormal(const KernelContext& c) {
    const double mean = c.floatOr("mean", 0.0), stddev = c.floatOr("stddev", 1.0);
    if (stddev < 0) c.fail("stddev must not be negative");
    return {at::empty(sampledShape(c), at::kFloat).normal_(mean, stddev, generatorFor(c))};
}

Tensors randomCategorical(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const std::string mode = c.strOr("mode", "logits");
    const int64_t size = c.intOr("size", 1);
    if (mode != "logits" && mode != "probs") c.fail("mode must be \"logits\" or \"probs\"");
    if (x.dim() < 1) c.fail("x must have rank 1 or more");
    const int64_t events = x.size(-1);
    at::Tensor probs = mode == "logits" ? at::softmax(x.to(at::kFloat), -1) : x.to(at::kFloat);
    if (at::any(probs < 0).item<bool>()) c.fail("probabilities must not be negative");
    at::Tensor rows = probs.reshape({-1, events});
    at::Tensor samples = at::multinomial(rows, size, /*replacement=*/true, generatorFor(c));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 1);
    shape.push_back(size);
    return {samples.reshape(shape).to(at::kFloat)};
}
}  // namespace

void registerRandomKernels(KernelTable& t) {
    t["random_uniform"] = randomUniform;
    t["random_normal"] = randomNormal;
    t["random_categorical"] = randomCategorical;
}

}  // namespace cms::runtime
