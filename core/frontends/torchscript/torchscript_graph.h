#pragma once
// Translation of a frozen, inlined TorchScript graph (or of a module's outline) into our IR. Internal to the
// TorchScript frontend: callers outside it use importTorchScript().
#include <memory>
#include <string>

#include "ir/graph.h"

namespace torch::jit {
struct Graph;
struct Module;
}

namespace cms::frontends {

// Appends the nodes of `source` (forward() of a frozen module whose class is `rootModuleType`)
// to `out` and sets its inputs, outputs and their user-facing names. Constants become IR values
// with `constant` set; weight tensors are borrowed, not copied. Throws cms::Error.
void translateTorchScriptGraph(const std::shared_ptr<torch::jit::Graph>& source, const std::string& rootModuleType,
                               ir::Graph& out);

// The outline of `root`'s forward() as written, not inlined: each method call on a submodule becomes one
// prim::CallMethod node whose provenance names that submodule (path and class); the root's own ops stay
// as they are, reading its attributes as constants. Throws cms::Error.
void translateModuleOutline(const torch::jit::Module& root, const std::string& rootModuleType, ir::Graph& out);

}  // namespace cms::frontends
