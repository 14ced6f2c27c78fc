#include "frontends/torchscript/pickle_nesting_guard.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <cstddef>
#include <cctype>
#include <exception>
#include <optional>

#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/debug_pickle_form.h"
#include "frontends/torchscript/pickle_tensor_bounds.h"
#include "frontends/torchscript/safe_pickle.h"

namespace cms::frontends {

namespace {
bool endsWithIgnoringCase(const std::string& name, const std::string& tail) {
    if (name.size() < tail.size()) return false;
    for (size_t i = 0; i < tail.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(name[name.size() - tail.size() + i])) !=
            std::tolower(static_cast<unsigned char>(tail[i])))
            return false;
    return true;
}
bool sameNameIgnoringCase(const std::string& a, const std::string& b) {
    return a.size() == b.size() && endsWithIgnoringCase(a, b);
}
}  // namespace

void refusePicklesLibtorchMishandles(const std::string& path) {
    // Larger pickles than this are not walked (module trees are kilobytes; the weights live in data/).
    constexpr size_t kLimit = size_t(256) << 20;
    ArchiveProbe probe;
    try {
        probe = probeArchive(path);
    } catch (const Error&) {
        return;  // a damaged directory is for libtorch's load to report
    }
    if (probe.kind != ArchiveKind::TorchScript) return;  // libtorch's load reports what the file is
    // Every entry libtorch may unpickle, whatever folder it is in: libtorch finds its records by name ignoring
    // case, in the folder of the directory's first entry, which need not be data.pkl's.
    for (const ZipEntry& entry : probe.zipEntries) {
        if (!endsWithIgnoringCase(entry.name, ".pkl") && !endsWithIgnoringCase(entry.name, ".debug_pkl")) continue;
        const std::string& name = entry.name;
        pickle::ValuePtr root;
        try {
            root = pickle::parse(readArchiveEntry(path, entry, name, kLimit), name);
        } catch (const pickle::NestingTooDeep&) {
            throw Error(ErrorKind::Input, "the archive's " + name + " is nested deeper than " +
                                              std::to_string(pickle::kMaxDepth) + " levels, which no saved module is",
                        {path, ""}, "the file is damaged or crafted; do not load it, export the model again");
        } catch (const pickle::Malformed& e) {  // cut off, or popping more than it pushed
            throw Error(ErrorKind::Input, "the archive's " + e.message(), {path, ""},
                        "the file is damaged or crafted; do not load it, export the model again");
        } catch (const Error& e) {
            // Damaged entries and pickle features this reader does not follow are for libtorch's load to report,
            // except in debug pickles: libtorch reads those where it cannot fail (below), and its unpickler
            // corrupts its heap on some that this reader refuses (found by fuzz_torchscript_import), so they are
            // not handed to it.
            if (!endsWithIgnoringCase(name, ".debug_pkl")) continue;
            throw Error(ErrorKind::Input, "the archive's " + e.message(), {path, ""},
                        "the file is damaged or crafted; do not load it, export the model again");
        }
        if (endsWithIgnoringCase(name, ".debug_pkl")) {
            if (const auto why = debugPickleMisformed(*root))
                throw Error(ErrorKind::Input,
                            "the archive's " + name + " holds " + *why + ", unlike torch's debug records", {path, ""},
                            "the file is damaged or crafted; do not load it, export the model again");
            // libtorch unpickles a debug pickle only while formatting an error message, in a noexcept what():
            // if its unpickler fails there, the process terminates. So it must read here, now.
            std::string failure;
            try {
                const std::string bytes = readArchiveEntry(path, entry, name, kLimit);
                torch::jit::unpickle(bytes.data(), bytes.size());
            } catch (const std::exception& e) {
                failure = e.what();
                failure = failure.substr(0, failure.find('\n'));
            }
            if (!failure.empty())
                throw Error(ErrorKind::Input, "the archive's " + name + " cannot be read by libtorch: " + failure,
                            {path, ""}, "the file is damaged or crafted; do not load it, export the model again");
            continue;
        }
        if (!endsWithIgnoringCase(name, "data.pkl") && !endsWithIgnoringCase(name, "constants.pkl")) continue;
        // data.pkl's storages are the records in data/, constants.pkl's those in constants/.
        const std::string storageFolder = name.substr(0, name.size() - 4) + "/";
        const auto recordBytes = [&](const std::string& key) {
            std::optional<uint64_t> smallest;
            for (const ZipEntry& e : probe.zipEntries)
                if (sameNameIgnoringCase(e.name, storageFolder + key) && (!smallest || e.uncompressedSize < *smallest))
                    smallest = e.uncompressedSize;
            return smallest;
        };
        if (const auto outside = tensorOutsideItsStorage(*root, recordBytes))
            throw Error(ErrorKind::Input, "the archive's " + name + " declares " + *outside, {path, ""},
                        "the file is damaged or crafted; do not load it, export the model again");
    }
}

}  // namespace cms::frontends
