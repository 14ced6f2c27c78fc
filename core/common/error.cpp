#include "common/error.h"

namespace cms {

Error::Error(ErrorKind kind, std::string message, ErrorLocation where, std::string hint)
    : std::runtime_error(compose(message, where, hint)),
      kind_(kind), message_(std::move(message)), where_(std::move(where)), hint_(std::move(hint)) {}

std::string Error::compose(const std::string& message, const ErrorLocation& where, const std::string& hint) {
    std::string s;
    if (!where.file.empty()) s += where.file + ": ";
    if (!where.node.empty()) s += where.node + ": ";
    s += message;
    if (!hint.empty()) s += "\nWhat to do: " + hint;
    return s;
}

Error Error::withFile(const std::string& file) const {
    if (!where_.file.empty()) return *this;
    return Error(kind_, message_, ErrorLocation{file, where_.node}, hint_);
}

const char* errorKindName(ErrorKind k) {
    switch (k) {
        case ErrorKind::Input: return "input error";
        case ErrorKind::Settings: return "settings error";
        case ErrorKind::Unsupported: return "unsupported";
        case ErrorKind::Conversion: return "conversion error";
        case ErrorKind::Package: return "package error";
        case ErrorKind::Cancelled: return "cancelled";
        case ErrorKind::Internal: return "internal error";
    }
    return "error";
}

}  // namespace cms
