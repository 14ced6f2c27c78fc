#include "frontends/torchscript/load_time_code.h"

#include <sstream>

#include "common/error.h"
#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/archive_probe.h"

namespace cms::frontends {

namespace {

// torch's printer writes code entries of a few hundred kilobytes at most; a larger one is not its output.
constexpr size_t kCodeEntryLimit = 64u << 20;

bool startsWith(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

bool endsWith(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "code/__torch__/models/block.py" -> "__torch__.models.block"
std::string moduleOf(const std::string& inner) {
    std::string m = inner.substr(5, inner.size() - 5 - 3);
    for (char& c : m)
        if (c == '/') c = '.';
    return m;
}

// The class whose body defines __setstate__ in one code entry, or "" when none does. The printer writes
// `class Name(Base):` at column 0 and methods as `  def name(` one level in.
std::string classDefiningSetState(const std::string& code) {
    std::istringstream lines(code);
    std::string line, currentClass;
    while (std::getline(lines, line)) {
        if (startsWith(line, "class ")) {
            const auto end = line.find_first_of("(:", 6);
            currentClass = line.substr(6, end == std::string::npos ? std::string::npos : end - 6);
        } else {
            const auto first = line.find_first_not_of(' ');
            if (first != std::string::npos && first > 0 && line.compare(first, 17, "def __setstate__(") == 0)
                return currentClass.empty() ? std::string("(a class)") : currentClass;
        }
    }
    return {};
}

}  // namespace

void refuseCodeRunAtLoad(const std::string& path) {
    const ArchiveProbe probe = probeArchive(path);
    const ArchiveEntries entries(path, probe);
    for (const std::string& name : probe.entries) {
        const auto slash = name.find('/');
        if (slash == std::string::npos) continue;
        const std::string inner = name.substr(slash + 1);
        if (!startsWith(inner, "code/") || !endsWith(inner, ".py")) continue;
        const auto code = entries.read(inner, kCodeEntryLimit);
        if (!code) continue;
        const std::string cls = classDefiningSetState(*code);
        if (cls.empty()) continue;
        throw Error(ErrorKind::Unsupported,
                    "class " + moduleOf(inner) + "." + cls +
                        " in this archive defines __setstate__, which libtorch runs while loading the model; "
                        "converting without running the model's code (--no-reference) cannot load it",
                    {path, inner},
                    "convert without --no-reference (in the studio, clear \"Never run the model's code\") only if "
                    "you trust this file, or save the model again without a custom __getstate__/__setstate__");
    }
}

}  // namespace cms::frontends
