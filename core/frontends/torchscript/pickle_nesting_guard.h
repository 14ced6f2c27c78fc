#pragma once
#include <string>

namespace cms::frontends {

// libtorch's unpickler recurses once per nesting level and overflows the stack on a data.pkl or constants.pkl
// nested some 100,000 levels deep, killing the process. Throws cms::Error (Input) naming the file and the entry
// when either pickle nests deeper than any saved module does; anything else is left for libtorch to judge.
void refusePicklesTooDeepForLibtorch(const std::string& path);

}  // namespace cms::frontends
