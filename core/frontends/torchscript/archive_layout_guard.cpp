#include "frontends/torchscript/archive_layout_guard.h"

#include <caffe2/serialize/versions.h>
#include <torch/version.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <vector>

#include "common/error.h"
#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/archive_probe.h"

namespace cms::frontends {

namespace {
// libtorch's zip reader (miniz) looks names up without regard to ASCII case.
bool sameNameIgnoringCase(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

std::vector<const ZipEntry*> entriesNamed(const ArchiveProbe& probe, const std::string& name) {
    std::vector<const ZipEntry*> found;
    for (const ZipEntry& e : probe.zipEntries)
        if (sameNameIgnoringCase(e.name, name)) found.push_back(&e);
    return found;
}

// The version as libtorch parses it (std::stoull: leading blanks and a sign allowed, anything after the digits
// ignored); nullopt when it does not parse or overflows.
std::optional<uint64_t> parseVersion(const std::string& text) {
    const char* begin = text.c_str();
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(begin, &end, 10);
    if (end == begin || errno == ERANGE) return std::nullopt;
    return static_cast<uint64_t>(v);
}
}  // namespace

void refuseArchivesLibtorchCannotOpen(const std::string& path) {
    ArchiveProbe probe;
    try {
        probe = probeArchive(path);
    } catch (const Error&) {
        return;  // a damaged directory is for libtorch's load to report
    }
    if (probe.kind != ArchiveKind::TorchScript || probe.zipEntries.empty()) return;
    const auto notFromTorch = [&](const std::string& what) {
        throw Error(ErrorKind::Input, "the archive " + what + ", unlike every archive torch.jit.save writes",
                    {path, ""}, "the file is damaged or was not written by torch.jit.save; export the model again");
    };
    // libtorch takes the folder holding everything from the first entry of the directory.
    const std::string& first = probe.zipEntries.front().name;
    const auto slash = first.find('/');
    if (slash == std::string::npos) notFromTorch("has its first entry, " + first + ", outside any folder");
    const std::string folder = first.substr(0, slash + 1);
    std::vector<const ZipEntry*> records = entriesNamed(probe, folder + ".data/version");
    if (records.empty()) records = entriesNamed(probe, folder + "version");
    if (records.empty()) notFromTorch("has no version record (" + folder + "version)");
    for (const ZipEntry* record : records) {
        // A damaged record throws here: the archive is damaged either way.
        const std::string text = readArchiveEntry(path, *record, record->name, 4096);
        const auto version = parseVersion(text);
        if (!version) notFromTorch("has a version record (" + record->name + ") that is not a number");
        constexpr uint64_t kMin = caffe2::serialize::kMinSupportedFileFormatVersion;
        constexpr uint64_t kMax = caffe2::serialize::kMaxSupportedFileFormatVersion;
        if (*version < kMin || *version > kMax)
            throw Error(ErrorKind::Input,
                        "the archive has format version " + std::to_string(*version) + "; libtorch " TORCH_VERSION
                        " reads versions " + std::to_string(kMin) + " to " + std::to_string(kMax),
                        {path, ""}, "export the model again with the PyTorch version closest to " TORCH_VERSION);
    }
}

}  // namespace cms::frontends
