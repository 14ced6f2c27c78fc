#pragma once
// TorchScript archive (torch.jit.trace / torch.jit.script output) -> IR graph.
// The only frontend that includes libtorch headers; this header does not.
#include <string>

#include "ir/graph.h"

namespace cms::frontends {

struct TorchScriptImportOptions {
    bool freeze = true;  // fold module attributes into constants (weights become IR constants)
    // For drawing the graph while the full import runs: skips libtorch's freeze (most of a large model's
    // import time) but still folds the weights in as constants. Other attributes (flags, sizes) may stay
    // attribute reads, so lower only graphs imported without it.
    bool preview = false;
};

// Loads onto the CPU whatever device the archive was saved from; puts a module still in
// training mode into eval mode with a warning; freezes and inlines; records each node's module
// path and source line. Throws cms::Error (Input) naming the file and what is wrong.
ir::Graph importTorchScript(const std::string& path, const TorchScriptImportOptions& options = {});

// True when the file looks like a TorchScript archive (a zip with a constants.pkl/code folder).
bool looksLikeTorchScript(const std::string& path);

}  // namespace cms::frontends
