#pragma once
// The structure-aware mutator of fuzz_torchscript_import works on an archive's entries, not its bytes: the importer
// checks every entry's CRC-32, so a byte flipped anywhere in a zip stops there. These read a zip held in memory
// (stored or deflated entries, as torch writes them) and write entries back as a valid zip with correct CRCs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cms::fuzz {

struct ArchiveMember {
    std::string name;
    std::string bytes;  // uncompressed
};

// The entries in central directory order; nullopt when the bytes are not a zip this reader follows (no zip64,
// stored or deflated only) or an entry would inflate past `limit` bytes.
std::optional<std::vector<ArchiveMember>> readArchiveMembers(const uint8_t* data, size_t size, size_t limit);

// A zip of `members`, every one stored, each entry's data aligned to 64 bytes as torch aligns them (so tensors
// can be mapped in place), with correct CRC-32s.
std::string writeStoredArchive(const std::vector<ArchiveMember>& members);

}  // namespace cms::fuzz
