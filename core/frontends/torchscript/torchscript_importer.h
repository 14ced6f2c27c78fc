#pragma once
// TorchScript archive (torch.jit.trace / torch.jit.script output) -> IR graph.
// The only frontend that includes libtorch headers; this header does not.
#include <string>

#include "ir/graph.h"

namespace cms::frontends {

struct TorchScriptImportOptions {
    bool freeze = true;  // fold module attributes into constants (weights become IR constants)
    // For drawing the graph collapsed while the full import runs: forward() read without freezing or
    // inlining (most of a large model's import time), each submodule call one node.
    // Drawn only (graphview::GraphViewModel's module outline), never lowered.
    bool outline = false;
    // With `outline`: read it from the archive's pickled module tree and serialized code without loading the
    // module (frontends/torchscript/archive_outline.h), falling back to libtorch's load for what that reader
    // does not follow. Off only to compare the two.
    bool outlineFromArchive = true;
};

// Loads onto the CPU whatever device the archive was saved from; puts a module still in
// training mode into eval mode with a warning; freezes and inlines; records each node's module
// path and source line. Throws cms::Error (Input) naming the file and what is wrong.
ir::Graph importTorchScript(const std::string& path, const TorchScriptImportOptions& options = {});

// True when the file looks like a TorchScript archive (a zip with a constants.pkl/code folder).
bool looksLikeTorchScript(const std::string& path);

}  // namespace cms::frontends
