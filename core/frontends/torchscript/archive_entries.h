#pragma once
// Reads single entries of a torch archive (stored or deflated), each checked against its CRC-32, without
// libtorch. Entry names are given inside the archive's top folder ("data.pkl", "code/__torch__.py").
#include <map>
#include <optional>
#include <string>

#include "frontends/torchscript/archive_probe.h"

namespace cms::frontends {

// The bytes of `entry` of the zip at `path` (any name, inside the top folder or not), checked as
// ArchiveEntries::read checks them; errors call it `label`.
std::string readArchiveEntry(const std::string& path, const ZipEntry& entry, const std::string& label, size_t limit);

class ArchiveEntries {
public:
    // `probe` must be probeArchive(path) of a TorchScript archive.
    ArchiveEntries(std::string path, const ArchiveProbe& probe);

    bool contains(const std::string& inner) const { return entries_.count(inner) != 0; }
    // The entry's bytes; nullopt when there is no such entry. Throws cms::Error (Input) when it lies outside
    // the file, is larger than `limit` bytes, does not inflate or does not match its checksum.
    std::optional<std::string> read(const std::string& inner, size_t limit) const;

private:
    std::string path_;
    std::map<std::string, ZipEntry> entries_;
};

}  // namespace cms::frontends
