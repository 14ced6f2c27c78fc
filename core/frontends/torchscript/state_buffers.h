#pragma once
// Module buffers that forward() writes in place (a KV cache updated with slice assignment, index_put_,
// copy_): freezing would fold them into constants and lose the writes, so they are lifted out of the
// module as graph inputs and handed to the IR graph as states (ir::Graph::states). Internal to the
// TorchScript frontend.
#include <memory>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "ir/graph.h"

namespace torch::jit {
struct Graph;
struct Module;
}  // namespace torch::jit

namespace cms::frontends {

struct MutatedBuffer {
    std::string path;  // attribute path from the root module, "layers.0.k_cache"
    DType dtype = DType::Float32;
    Shape shape;
};

// Finds the float tensor attributes of `module` that the inlined graph `source` writes in place (directly or
// through views) and replaces every read of each by one new trailing graph input. Call before the
// attributes are folded into constants.
std::vector<MutatedBuffer> liftMutatedBuffers(const std::shared_ptr<torch::jit::Graph>& source,
                                              const torch::jit::Module& module);

// After translation: moves the trailing IR inputs that liftMutatedBuffers made into graph.states.
void moveLiftedBuffersToStates(ir::Graph& graph, const std::vector<MutatedBuffer>& lifted);

}  // namespace cms::frontends
