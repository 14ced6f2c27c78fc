#include "lower/composites/composite_template.h"

namespace cms::lower {

namespace {

// A seen type usable as an example ("fp32[1,3,8,8]"), or empty.
std::string exampleType(const std::string& seen) {
    const size_t open = seen.find('[');
    if (open == std::string::npos || seen.find(']') == std::string::npos || seen.find("?") != std::string::npos) return {};
    return seen.substr(0, seen.find(']') + 1);
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\\\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string compositeTemplate(const std::string& op, const std::string& schema, const std::vector<TemplateArg>& args,
                              const std::string& summary) {
    std::string sig = schema;
    if (sig.empty()) {
        sig = op + "(";
        for (size_t i = 0; i < args.size(); ++i) sig += (i ? ", " : "") + args[i].type + " " + args[i].name;
        sig += ") -> Tensor";
    }
    std::string firstTensor;
    std::string t;
    t += "# A composite for " + op + ": define it with MIL ops (docs/composites.md lists them), then\n";
    t += "# convert with --composites THIS_FILE. The example types are the ones the model uses.\n";
    t += "composites:\n";
    t += "  - op: " + quoted(sig) + "\n";
    t += "    summary: " + quoted(summary) + "\n";
    t += "    # Arguments in scope:";
    for (const TemplateArg& a : args) t += " " + a.name;
    t += "\n";
    for (const TemplateArg& a : args)
        if (!a.seen.empty()) t += "    #   " + a.name + " (" + a.type + "): " + a.seen + " in the model\n";
    t += "    let:\n";
    t += "      # name: mil_op(arg=expression, ...)   e.g. magnitude: abs(x=self)\n";
    t += "    # Replace compose_here with the composition; the check rejects this line until then.\n";
    std::string firstName;
    for (const TemplateArg& a : args)
        if (a.type.rfind("Tensor", 0) == 0) {
            firstName = a.name;
            break;
        }
    t += "    output: compose_here(x=" + (firstName.empty() ? std::string("...") : firstName) + ")\n";
    std::string inputs;
    for (const TemplateArg& a : args) {
        const std::string ex = exampleType(a.seen);
        if (a.type.rfind("Tensor", 0) == 0 && !ex.empty()) {
            inputs += (inputs.empty() ? "" : ", ") + a.name + ": " + quoted(ex);
            if (firstTensor.empty()) firstTensor = ex;
        } else if (a.type.rfind("Tensor", 0) != 0 && !a.seen.empty() && a.seen.find('[') == std::string::npos) {
            inputs += (inputs.empty() ? "" : ", ") + a.name + ": " + a.seen;
        }
    }
    if (!inputs.empty()) {
        t += "    example:\n";
        t += "      inputs: {" + inputs + "}\n";
        if (!firstTensor.empty())
            t += "      outputs: [" + quoted(firstTensor) + "]   # what " + op + " returns for these inputs: check it\n";
    }
    return t;
}

}  // namespace cms::lower
