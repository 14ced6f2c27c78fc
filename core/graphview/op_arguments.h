#pragma once
// Argument names of common source ops, so the inspector says "stride = [2, 2]" rather than
// "arg 3 = [2, 2]". TorchScript graphs carry only positions; the names are PyTorch's schemas.
#include <string>
#include <vector>

namespace cms::graphview {

// The names of `kind`'s arguments when it is known and takes exactly `count` of them; else empty.
std::vector<std::string> argumentNames(const std::string& kind, size_t count);

}  // namespace cms::graphview
