#pragma once
// Translation of a frozen, inlined TorchScript graph into our IR. Internal to the TorchScript
// frontend: callers outside it use importTorchScript().
#include <memory>
#include <string>

#include "ir/graph.h"

namespace torch::jit {
struct Graph;
}

namespace cms::frontends {

// Appends the nodes of `source` (forward() of a frozen module whose class is `rootModuleType`)
// to `out` and sets its inputs, outputs and their user-facing names. Constants become IR values
// with `constant` set; weight tensors are borrowed, not copied. Throws cms::Error.
void translateTorchScriptGraph(const std::shared_ptr<torch::jit::Graph>& source, const std::string& rootModuleType,
                               ir::Graph& out);

}  // namespace cms::frontends
