#include "common/resource_path.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace cms {

namespace fs = std::filesystem;

std::string findResourceDir(const std::string& name) {
    std::vector<fs::path> candidates;
    if (const char* env = std::getenv("CMS_RESOURCES_DIR")) candidates.push_back(fs::path(env) / name);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path bin = exe.parent_path();
        candidates.push_back(bin / ".." / "resources" / name);                         // build tree: bin/
        candidates.push_back(bin / ".." / ".." / "resources" / name);                  // build tree: tests/bin/
        candidates.push_back(bin / ".." / "share" / "coreml-studio" / "resources" / name);  // installed
    }
#ifdef CMS_SOURCE_RESOURCES_DIR
    candidates.push_back(fs::path(CMS_SOURCE_RESOURCES_DIR) / name);
#endif
    for (const fs::path& p : candidates)
        if (fs::is_directory(p, ec)) return fs::weakly_canonical(p, ec).string();
    return {};
}

}  // namespace cms
