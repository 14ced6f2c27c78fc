#pragma once
// libtorch's zip reader checks no CRCs: a flipped bit in a weight loads, and converts, silently. The importer
// checks every stored entry against its CRC-32 first.
#include <optional>
#include <string>

#include "frontends/torchscript/archive_probe.h"

namespace cms::frontends {

// The name of the first entry of `probe` (read from `path`) whose bytes, stored or inflated, do not match its
// CRC-32, or lie outside the file, or do not inflate; nullopt when all match. (torch stores tensors, deflates code.)
std::optional<std::string> firstCorruptEntry(const std::string& path, const ArchiveProbe& probe);

}  // namespace cms::frontends
