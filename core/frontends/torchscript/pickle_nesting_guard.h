#pragma once
#include <string>

namespace cms::frontends {

// Pickles libtorch's unpickler cannot be trusted with: it recurses once per nesting level and overflows the stack
// on a pickle nested some 100,000 levels deep, killing the process; it reserves whatever length a string declares
// before reading it (4 GB for 0xFFFFFFFF, found by fuzz_torchscript_import), even in an entry of a few hundred
// bytes; it pops without checking its stack. Throws cms::Error (Input) naming the file and the entry when a .pkl
// entry (data.pkl, constants.pkl, code/*.debug_pkl: libtorch unpickles each while loading) nests deeper than any
// saved module does, is cut off inside what it declares, or is malformed as pickle::Malformed says; and when
// data.pkl or constants.pkl declares a tensor outside its storage record (pickle_tensor_bounds.h), or a
// .debug_pkl does not read, by our reader and then by libtorch's (which reads it only inside an error message's
// noexcept what(): a failure there terminates the process). Anything else is left for libtorch to judge.
void refusePicklesLibtorchMishandles(const std::string& path);

}  // namespace cms::frontends
