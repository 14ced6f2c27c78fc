#include "support/test_support.h"

#include <filesystem>

namespace cms::test {

std::string testModel(const std::string& fileName) {
    const std::string p = std::string(CMS_TEST_MODELS_DIR) + "/" + fileName;
    if (!std::filesystem::exists(p))
        throw std::runtime_error("test model " + p + " is missing: run the generate_models test first (ctest does)");
    return p;
}

ScratchDir::ScratchDir() { dir_.setAutoRemove(true); }

std::string ScratchDir::path(const std::string& child) const {
    const std::string base = dir_.path().toStdString();
    return child.empty() ? base : base + "/" + child;
}

std::string sourceDir() { return CMS_SOURCE_DIR; }

}  // namespace cms::test
