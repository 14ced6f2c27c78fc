#pragma once
// The Python frames a TorchScript node's recorded source stands for: shared by the libtorch graph translation
// and the archive outline, which read the same debug records. Without libtorch.
#include <string>
#include <vector>

namespace cms::frontends {

struct SourceFrame {
    std::string file;
    int line = 0;
};

// A traced node's original range holds the Python stack at trace time, innermost first, one
// "path(line): function" per line. Returns those frames, or none when `text` is ordinary code.
std::vector<SourceFrame> parseTraceStack(const std::string& text);

// Frames inside torch itself (nn.Module plumbing, functional, the tracer) or in TorchScript's
// serialized code mean nothing to users; their own model code (torchvision included) does.
bool isUserVisible(const std::string& file);

}  // namespace cms::frontends
