#include "frontends/torchscript/torchvision_ops.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "common/error.h"
#include "frontends/torchscript/archive_layout_guard.h"
#include "frontends/torchscript/class_body_guard.h"
#include "frontends/torchscript/pickle_nesting_guard.h"

namespace cms::frontends {

namespace {
namespace fs = std::filesystem;

// Where pip and Debian put Python packages; torchvision's ops library is torchvision/_C*.so there.
std::vector<fs::path> candidateLibraries() {
    std::vector<fs::path> roots = {"/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages"};
    const char* home = std::getenv("HOME");
    for (const fs::path base : {fs::path("/usr/lib"), fs::path("/usr/local/lib"),
                                home ? fs::path(home) / ".local/lib" : fs::path()}) {
        std::error_code ec;
        if (base.empty() || !fs::is_directory(base, ec)) continue;
        for (const auto& entry : fs::directory_iterator(base, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("python3", 0) != 0) continue;
            roots.push_back(entry.path() / "dist-packages");
            roots.push_back(entry.path() / "site-packages");
        }
    }
    std::vector<fs::path> found;
    for (const fs::path& root : roots) {
        std::error_code ec;
        const fs::path dir = root / "torchvision";
        if (!fs::is_directory(dir, ec)) continue;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            const std::string name = entry.path().filename().string();
            if (name.rfind("_C", 0) == 0 && entry.path().extension() == ".so") found.push_back(entry.path());
        }
    }
    return found;
}

bool mentionsTorchvisionOp(const std::exception& e) {
    return std::string(e.what()).find("torchvision::") != std::string::npos;
}
}  // namespace

std::string loadTorchvisionOps() {
    static std::mutex mutex;
    static std::string loaded;
    std::lock_guard<std::mutex> lock(mutex);
    if (!loaded.empty()) return loaded;
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("CMS_TORCHVISION_LIBRARY"); env && *env) candidates.push_back(env);
    else candidates = candidateLibraries();
    const std::string hint =
        "install torchvision built for libtorch " TORCH_VERSION " (e.g. Debian's python3-torchvision), or set "
        "CMS_TORCHVISION_LIBRARY to its ops library (torchvision/_C*.so)";
    if (candidates.empty())
        throw Error(ErrorKind::Input, "the model uses torchvision ops, and torchvision's ops library was not found", {},
                    hint);
    std::string errors;
    for (const fs::path& lib : candidates) {
        // RTLD_GLOBAL: the library registers its ops with libtorch's dispatcher while loading.
        if (dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
            loaded = lib.string();
            return loaded;
        }
        const char* why = dlerror();
        errors += (errors.empty() ? "" : "; ") + lib.string() + ": " + (why ? why : "unknown error");
    }
    throw Error(ErrorKind::Input, "the model uses torchvision ops, and torchvision's ops library could not be loaded (" +
                                      errors + ")",
                {}, hint);
}

// torch_backports.cpp registers newer ATen ops by static initialisation only; reading its flag
// keeps the linker from dropping it, so files saved by torch >= 2.0 load in every program.
extern const bool kTorchBackportsLinked;

torch::jit::Module loadWithTorchvisionOps(const std::string& path) {
    if (!kTorchBackportsLinked) throw std::logic_error("torch backports not registered");
    refuseArchivesLibtorchCannotOpen(path);
    refusePicklesLibtorchMishandles(path);
    refuseClassBodiesLibtorchMisreads(path);
    try {
        return torch::jit::load(path, c10::Device(c10::kCPU));
    } catch (const std::exception& e) {
        if (!mentionsTorchvisionOp(e)) throw;
    }
    loadTorchvisionOps();
    return torch::jit::load(path, c10::Device(c10::kCPU));
}

}  // namespace cms::frontends
