#pragma once
// The help text for ops the converter cannot convert (resources/ops/unsupported-op-help.yaml):
// a plain-language explanation and known rewrites, with a fallback for ops it does not list.
#include <string>
#include <vector>

namespace cms::analysis {

struct RewriteHint {
    std::string title;
    std::string detail;
};

struct OpHelp {
    bool listed = false;          // false: the generic fallback
    std::string explanation;
    bool compositePossible = true;
    std::vector<RewriteHint> rewrites;
    std::string outside;          // how to keep the op out of the model; may be empty
};

class OpHelpLibrary {
public:
    // The shipped file (found like the composites); throws cms::Error when it is missing or malformed.
    static const OpHelpLibrary& shipped();
    static OpHelpLibrary load(const std::string& path);

    // Help for `op` ("aten::foo", overloads and coremltools' spellings folded); {op} and {schema}
    // in the text are replaced.
    OpHelp lookup(const std::string& op, const std::string& schema) const;
    // Every op name the file lists (as written).
    std::vector<std::string> listedNames() const;

private:
    struct Entry {
        std::vector<std::string> ops;
        OpHelp help;
    };
    std::vector<Entry> entries_;
    OpHelp fallback_;
};

}  // namespace cms::analysis
