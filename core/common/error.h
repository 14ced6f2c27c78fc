#pragma once
// Typed errors. Every error a user can meet names the file, the node and what to do about it.
#include <stdexcept>
#include <string>

namespace cms {

enum class ErrorKind {
    Input,        // the model file is missing, unreadable or not what it claims to be
    Settings,     // the settings document or a command-line option is invalid
    Unsupported,  // the model uses something we cannot convert
    Conversion,   // an op could not be lowered with the given shapes/attributes
    Package,      // writing or reading an .mlpackage failed
    Cancelled,    // the user cancelled a running job
    Internal,     // a bug in the converter: the message says so
};

struct ErrorLocation {
    std::string file;  // the file being read or written
    std::string node;  // source node: module path, op and source line where known
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, std::string message, ErrorLocation where = {}, std::string hint = {});

    ErrorKind kind() const { return kind_; }
    const std::string& message() const { return message_; }
    const std::string& file() const { return where_.file; }
    const std::string& node() const { return where_.node; }
    const std::string& hint() const { return hint_; }
    // Re-throwable copy with a file filled in when it was not known where the error arose.
    Error withFile(const std::string& file) const;

private:
    static std::string compose(const std::string& message, const ErrorLocation& where, const std::string& hint);
    ErrorKind kind_;
    std::string message_;
    ErrorLocation where_;
    std::string hint_;
};

const char* errorKindName(ErrorKind k);

}  // namespace cms
