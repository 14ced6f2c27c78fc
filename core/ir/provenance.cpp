#include "ir/provenance.h"

namespace cms::ir {

std::string Provenance::describe() const {
    std::string s = modulePath.empty() ? std::string("<top>") : modulePath;
    std::string detail = sourceOp;
    if (!file.empty()) {
        const auto slash = file.find_last_of('/');
        std::string base = slash == std::string::npos ? file : file.substr(slash + 1);
        if (!detail.empty()) detail += ", ";
        detail += base + (line > 0 ? ":" + std::to_string(line) : "");
    }
    if (!detail.empty()) s += " (" + detail + ")";
    return s;
}

}  // namespace cms::ir
