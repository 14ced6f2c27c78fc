#include "frontends/torchscript/op_schema.h"

#include <regex>
#include <sstream>

#include <torch/csrc/jit/runtime/operator.h>

namespace cms::frontends {

namespace {

// "Tensor(a!) self" -> "Tensor self": aliasing is not something a composite can express.
std::string withoutAliasAnnotations(const std::string& schema) {
    static const std::regex alias(R"(Tensor\([a-z!*\->| ]*\))");
    return std::regex_replace(schema, alias, "Tensor");
}

bool isOutVariant(const c10::FunctionSchema& s) {
    return s.overload_name() == "out" || s.overload_name().find("_out") != std::string::npos || s.is_mutable();
}

}  // namespace

std::vector<std::string> torchOpSchemas(const std::string& kind) {
    std::vector<std::string> out;
    if (kind.find("::") == std::string::npos) return out;
    const std::string base = kind.substr(0, kind.find('.', kind.find("::")));
    try {
        for (const auto& op : torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(base))) {
            const c10::FunctionSchema& s = op->schema();
            if (isOutVariant(s)) continue;
            std::ostringstream text;
            text << s;
            out.push_back(withoutAliasAnnotations(text.str()));
        }
    } catch (const std::exception&) {
        // Not a symbol libtorch knows: no schema.
    }
    return out;
}

std::optional<std::string> torchOpSchemaFor(const std::string& kind, size_t inputCount, size_t outputCount) {
    if (kind.find("::") == std::string::npos) return std::nullopt;
    const std::string base = kind.substr(0, kind.find('.', kind.find("::")));
    std::optional<std::string> best;
    try {
        for (const auto& op : torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(base))) {
            const c10::FunctionSchema& s = op->schema();
            if (isOutVariant(s) || s.arguments().size() != inputCount || s.returns().size() != outputCount) continue;
            std::ostringstream text;
            text << s;
            // The plain overload ("aten::foo", or ".Tensor") over scalar-specialised ones.
            if (!best || s.overload_name().empty() || s.overload_name() == "Tensor") best = withoutAliasAnnotations(text.str());
            if (s.overload_name().empty()) break;
        }
    } catch (const std::exception&) {
    }
    return best;
}

}  // namespace cms::frontends
