#pragma once
// The module outline (TorchScriptImportOptions::outline) read straight from the archive: the module tree in
// data.pkl (read by a pickle reader that runs nothing) and the root class's serialized forward() in code/,
// without torch::jit::load compiling every class of the model first (0.74 s of a 5,000-node transformer's
// first paint). It builds the graph translateModuleOutline builds from the loaded module: each call on a
// submodule one prim::CallMethod node, the root's own ops with libtorch's schemas (defaults filled in), its
// attributes as constants. Anything it does not follow gives nullopt, never a different graph: the caller
// then loads the module with libtorch.
#include <optional>
#include <string>
#include <vector>

#include "frontends/torchscript/archive_probe.h"
#include "ir/graph.h"

namespace cms::frontends {

struct ArchiveOutline {
    ir::Graph graph;
    // Module paths ("" for the root) still in training mode, in libtorch's named_modules() order.
    std::vector<std::string> trainingModules;
};

// `probe` is probeArchive(path) of a TorchScript archive. nullopt (with the reason in `whyNot`) when the
// archive uses anything outside what this reader follows, or a part of it is damaged.
std::optional<ArchiveOutline> readArchiveOutline(const std::string& path, const ArchiveProbe& probe,
                                                 std::string* whyNot = nullptr);

}  // namespace cms::frontends
