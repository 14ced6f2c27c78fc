#pragma once
// How much memory this process can still take, so that a model too large for the machine (or for the limits
// the process runs under) is refused with a clear message before libtorch tries to allocate it.
#include <cstdint>
#include <string>

namespace cms {

// The smallest of: the system's MemAvailable, and the headroom left under RLIMIT_AS and RLIMIT_DATA
// (limit minus what the process already maps). UINT64_MAX when none of them is known.
uint64_t availableMemoryBytes();

// Throws cms::Error (Input) naming `file` when `bytes` (what doing `what`, e.g. "loading the model's weights",
// needs) exceed availableMemoryBytes().
void checkFitsInMemory(uint64_t bytes, const std::string& what, const std::string& file);

// "1.5 GB", "64.0 MB", "512 bytes".
std::string formatBytes(uint64_t bytes);

}  // namespace cms
