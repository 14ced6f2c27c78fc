#pragma once
// libtorch 1.13 builds a tensor from a pickle's _rebuild_tensor_v2(storage, offset, sizes, strides) over a storage
// as large as its record in the archive, and checks neither against the other: a tensor reaching past its record
// is read out of bounds later (found by fuzz_torchscript_import: a 2-float tensor over a 7-byte record). This
// checks what data.pkl and constants.pkl declare against the records before libtorch loads them.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "frontends/torchscript/safe_pickle.h"

namespace cms::frontends {

// The first tensor in `root` (a parsed data.pkl or constants.pkl) that a torch archive could not have written:
// a negative offset, size or stride, or elements reaching past the bytes of its storage record, described for a
// message; nullopt when all lie inside. `recordBytes(key)` gives the size of storage `key`'s record, nullopt when
// there is none (libtorch reports that itself). Storages of types it does not know are not judged.
std::optional<std::string> tensorOutsideItsStorage(
    const pickle::Value& root, const std::function<std::optional<uint64_t>(const std::string& key)>& recordBytes);

}  // namespace cms::frontends
