#pragma once
// Parameters of a module frozen with its parameters preserved become graph constants, and the
// arithmetic on them (transposes, slices, scalings of weights) is folded, as a plain freeze would
// do, without libtorch's clean-up passes that compare every pair of same-shaped weights.
#include <memory>

namespace torch::jit {
struct Graph;
struct Module;
}  // namespace torch::jit

namespace cms::frontends {

// `graph` is `module`'s inlined forward(); attribute reads of `self` that reach tensors are replaced
// by constants (one per tensor), then constant-only nodes are evaluated.
void foldParameters(const std::shared_ptr<torch::jit::Graph>& graph, const torch::jit::Module& module);

}  // namespace cms::frontends
