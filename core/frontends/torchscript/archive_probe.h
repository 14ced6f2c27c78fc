#pragma once
// Identifies what a would-be TorchScript file really is by reading its zip directory, without
// libtorch: cheap enough for file dialogs, and precise enough to tell users what they handed us.
#include <cstdint>
#include <string>
#include <vector>

namespace cms::frontends {

enum class ArchiveKind {
    Missing,        // no such file, or not a regular file
    Unreadable,     // exists but cannot be opened (permissions, I/O error)
    Empty,          // zero bytes
    TorchScript,    // zip with code/ or constants.pkl: torch.jit.save output
    PickleZip,      // zip with data.pkl only: torch.save output (usually a state_dict)
    LegacyPickle,   // a bare pickle stream: torch.save with the pre-1.6 format
    TruncatedZip,   // starts like a zip but its central directory is missing or cut off
    OtherZip,       // a valid zip, but not one torch wrote
    Hdf5,           // an HDF5 file (e.g. a Keras .h5 model)
    Unknown,        // none of the above
};

// A zip directory entry, as far as checking its stored bytes needs.
struct ZipEntry {
    std::string name;
    uint32_t crc32 = 0;
    uint16_t method = 0;  // 0: stored (as torch writes every entry), 8: deflated
    uint64_t compressedSize = 0;
    uint64_t localHeaderOffset = 0;
    uint64_t uncompressedSize = 0;  // as the directory declares it: the size libtorch gives the record
};

struct ArchiveProbe {
    ArchiveKind kind = ArchiveKind::Unknown;
    std::vector<std::string> entries;  // zip entry names, when the directory could be read
    // Uncompressed bytes of the tensor storages (entries in the archive's data/ folder), as the directory
    // declares them: what loading the archive will allocate at least.
    uint64_t storageBytes = 0;
    std::vector<ZipEntry> zipEntries;  // the same entries with their checksums and positions
};

ArchiveProbe probeArchive(const std::string& path);

// The user-facing explanation and hint for a file that is not a loadable TorchScript archive;
// empty strings for ArchiveKind::TorchScript.
struct ArchiveDiagnosis {
    std::string message;
    std::string hint;
};
ArchiveDiagnosis diagnoseArchive(ArchiveKind kind);

}  // namespace cms::frontends
