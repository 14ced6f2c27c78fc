#include "frontends/torchscript/pickle_nesting_guard.h"

#include <cstddef>
#include <optional>

#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/safe_pickle.h"

namespace cms::frontends {

void refusePicklesTooDeepForLibtorch(const std::string& path) {
    // Larger pickles than this are not walked (module trees are kilobytes; the weights live in data/).
    constexpr size_t kLimit = size_t(256) << 20;
    std::optional<ArchiveEntries> entries;
    try {
        const ArchiveProbe probe = probeArchive(path);
        if (probe.kind != ArchiveKind::TorchScript) return;  // libtorch's load reports what the file is
        entries.emplace(path, probe);
    } catch (const Error&) {
        return;  // a damaged directory is for libtorch's load to report
    }
    for (const char* name : {"data.pkl", "constants.pkl"}) {
        try {
            if (const auto bytes = entries->read(name, kLimit)) pickle::parse(*bytes, name);
        } catch (const pickle::NestingTooDeep&) {
            throw Error(ErrorKind::Input, "the archive's " + std::string(name) + " is nested deeper than " +
                                              std::to_string(pickle::kMaxDepth) + " levels, which no saved module is",
                        {path, ""}, "the file is damaged or crafted; do not load it, export the model again");
        } catch (const Error&) {
            // Damaged entries and pickle features this reader does not follow are for libtorch's load to report.
        }
    }
}

}  // namespace cms::frontends
