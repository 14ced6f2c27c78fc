#include "fuzz_support.h"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <unistd.h>

#include "common/error.h"

namespace cms::fuzz {

namespace {
[[noreturn]] void reject(const std::string& why) {
    std::fprintf(stderr, "fuzz target: %s\n", why.c_str());
    std::abort();
}

struct ScratchFiles {
    std::map<std::string, std::string> bySuffix;
    ~ScratchFiles() {
        for (const auto& [suffix, path] : bySuffix) std::remove(path.c_str());
    }
};
ScratchFiles& scratch() {
    static ScratchFiles files;
    return files;
}
}  // namespace

void expectCleanResult(const std::function<void()>& parse) {
    try {
        parse();
    } catch (const Error& e) {
        if (e.file().empty()) reject("a cms::Error without a file: " + std::string(e.what()));
        if (e.kind() == ErrorKind::Internal) reject("an internal error on bad input: " + std::string(e.what()));
    } catch (const std::exception& e) {
        reject(std::string("an exception other than cms::Error escaped: ") + e.what());
    } catch (...) {
        reject("a non-standard exception escaped");
    }
}

const std::string& writeScratchFile(const uint8_t* data, size_t size, const std::string& suffix) {
    auto& path = scratch().bySuffix[suffix];
    if (path.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        path = (std::filesystem::path(tmp && *tmp ? tmp : "/tmp") /
                ("cms-fuzz-" + std::to_string(::getpid()) + suffix)).string();
    }
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) reject("cannot create the scratch file " + path);
    if (size > 0 && std::fwrite(data, 1, size, f) != size) reject("cannot write the scratch file " + path);
    std::fclose(f);
    return path;
}

}  // namespace cms::fuzz
