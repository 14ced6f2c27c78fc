#include "analysis/unsupported_report.h"

#include <nlohmann/json.hpp>

#include "analysis/unsupported_help.h"
#include "common/error.h"
#include "frontends/torchscript/op_schema.h"
#include "lower/composites/composite_library.h"
#include "lower/composites/composite_syntax.h"
#include "lower/composites/composite_template.h"
#include "lower/lowering.h"

namespace cms::analysis {

namespace {

// The schema's arguments as template arguments, with what the model passes in each.
std::vector<lower::TemplateArg> templateArgs(const std::string& schema, const lower::UnsupportedOp& op) {
    std::vector<lower::TemplateArg> args;
    const std::vector<lower::UnsupportedInput>* seen = op.inputs.empty() ? nullptr : &op.inputs.front();
    if (!schema.empty()) {
        try {
            const lower::OpSchema s = lower::parseSchema(schema, [](size_t) { return lower::SourcePos{}; });
            for (size_t i = 0; i < s.args.size(); ++i) {
                std::string value;
                if (seen && i < seen->size()) value = (*seen)[i].value.empty() ? (*seen)[i].type : (*seen)[i].value;
                args.push_back({s.args[i].name, s.args[i].type, value});
            }
            return args;
        } catch (const Error&) {
            // A schema our parser does not read: fall back to positions.
        }
    }
    const size_t n = seen ? seen->size() : 0;
    for (size_t i = 0; i < n; ++i) {
        const lower::UnsupportedInput& in = (*seen)[i];
        const bool tensor = in.value.empty() && in.type.find('[') != std::string::npos;
        args.push_back({"arg" + std::to_string(i), tensor ? "Tensor" : (in.type.empty() ? "Scalar" : in.type),
                        in.value.empty() ? in.type : in.value});
    }
    return args;
}

std::string inputText(const lower::UnsupportedInput& in) { return in.value.empty() ? in.type : in.type + " " + in.value; }

std::string firstSentence(const std::string& text) {
    const size_t end = text.find(". ");
    return end == std::string::npos ? text : text.substr(0, end + 1);
}

std::string location(const OpOccurrence& o) {
    std::string s = o.modulePath.empty() ? "(top level)" : o.modulePath;
    if (!o.moduleType.empty()) s += " [" + o.moduleType + "]";
    if (!o.file.empty()) s += " at " + o.file + (o.line > 0 ? ":" + std::to_string(o.line) : "");
    return s;
}

}  // namespace

const char* stepKindName(StepKind k) {
    switch (k) {
        case StepKind::BuiltinComposite: return "builtin-composite";
        case StepKind::UserComposite: return "user-composite";
        case StepKind::Rewrite: return "rewrite";
        case StepKind::Outside: return "outside";
    }
    return "step";
}

UnsupportedReport buildUnsupportedReport(ir::Graph& graph, const ConversionSettings& settings) {
    UnsupportedReport report;
    report.model = settings.modelPath.empty() ? graph.sourcePath : settings.modelPath;
    const std::vector<lower::UnsupportedOp> ops = lower::surveyUnsupportedOps(graph, settings);
    if (ops.empty()) return report;
    const OpHelpLibrary& help = OpHelpLibrary::shipped();

    // Optional built-in sets that would handle an op, by set name.
    std::vector<std::pair<std::string, std::vector<lower::CompositePtr>>> optional;
    for (const std::string& set : lower::optionalCompositeSets()) optional.emplace_back(set, lower::optionalComposites(set));

    for (const lower::UnsupportedOp& op : ops) {
        UnsupportedOpEntry e;
        e.op = op.kind;
        e.count = op.occurrences.size();
        report.totalOccurrences += e.count;
        for (size_t i = 0; i < op.occurrences.size(); ++i) {
            const ir::Provenance& p = op.occurrences[i];
            OpOccurrence o{p.modulePath, p.moduleType, p.file, p.line, {}};
            if (i < op.inputs.size())
                for (const lower::UnsupportedInput& in : op.inputs[i]) o.inputs.push_back(inputText(in));
            e.occurrences.push_back(o);
        }
        const size_t arity = op.inputs.empty() ? 0 : op.inputs.front().size();
        e.schema = frontends::torchOpSchemaFor(op.kind, arity, 1).value_or("");
        if (e.schema.empty()) {
            const std::vector<std::string> all = frontends::torchOpSchemas(op.kind);
            if (!all.empty()) e.schema = all.front();
        }
        const OpHelp h = help.lookup(op.kind, e.schema);
        e.explanation = h.explanation;

        for (const auto& [set, composites] : optional)
            if (const lower::CompositePtr c = lower::findComposite(composites, op.kind))
                e.steps.push_back({StepKind::BuiltinComposite, "apply the built-in composite set \"" + set + "\"",
                                   c->summary.empty() ? "" : op.kind + " becomes: " + c->summary + ".",
                                   "--composites builtin:" + set, ""});
        if (h.compositePossible) {
            const std::string summary = firstSentence(h.explanation);
            e.steps.push_back({StepKind::UserComposite, "write a composite operator",
                               "Define " + op.kind + " with Core ML's MIL ops in a composite file (docs/composites.md): "
                               "start from the template, fill in output:, then convert with --composites FILE.yaml.",
                               "--composites FILE.yaml",
                               lower::compositeTemplate(op.kind, e.schema, templateArgs(e.schema, op), summary)});
        }
        for (const RewriteHint& r : h.rewrites) e.steps.push_back({StepKind::Rewrite, r.title, r.detail, "", ""});
        if (!h.outside.empty())
            e.steps.push_back({StepKind::Outside, "keep it outside the model", h.outside, "", ""});
        report.ops.push_back(std::move(e));
    }
    return report;
}

std::string reportToJson(const UnsupportedReport& r) {
    nlohmann::json j;
    j["model"] = r.model;
    j["unsupportedOpCount"] = r.ops.size();
    j["occurrenceCount"] = r.totalOccurrences;
    j["ops"] = nlohmann::json::array();
    for (const UnsupportedOpEntry& e : r.ops) {
        nlohmann::json op = {{"op", e.op}, {"schema", e.schema}, {"count", e.count}, {"explanation", e.explanation}};
        op["occurrences"] = nlohmann::json::array();
        for (const OpOccurrence& o : e.occurrences)
            op["occurrences"].push_back({{"modulePath", o.modulePath}, {"moduleType", o.moduleType}, {"file", o.file},
                                         {"line", o.line}, {"inputs", o.inputs}});
        op["nextSteps"] = nlohmann::json::array();
        for (size_t i = 0; i < e.steps.size(); ++i) {
            const NextStep& s = e.steps[i];
            nlohmann::json step = {{"rank", i + 1}, {"kind", stepKindName(s.kind)}, {"title", s.title}, {"detail", s.detail}};
            if (!s.flag.empty()) step["flag"] = s.flag;
            if (!s.templateText.empty()) step["template"] = s.templateText;
            op["nextSteps"].push_back(step);
        }
        j["ops"].push_back(op);
    }
    return j.dump(2) + "\n";
}

std::string reportToText(const UnsupportedReport& r) {
    std::string t = std::to_string(r.ops.size()) + " operation type(s) in " + r.model + " cannot be converted (" +
                    std::to_string(r.totalOccurrences) + " node(s)).\n";
    for (const UnsupportedOpEntry& e : r.ops) {
        t += "\n" + e.op + "  x" + std::to_string(e.count) + "\n";
        if (!e.schema.empty()) t += "  Schema: " + e.schema + "\n";
        t += "  What it is: " + e.explanation + "\n";
        t += "  Where:\n";
        for (const OpOccurrence& o : e.occurrences) {
            std::string inputs;
            for (const std::string& in : o.inputs) inputs += (inputs.empty() ? "" : ", ") + in;
            t += "    " + location(o) + (inputs.empty() ? "" : "  inputs: " + inputs) + "\n";
        }
        t += "  Next steps:\n";
        for (size_t i = 0; i < e.steps.size(); ++i) {
            const NextStep& s = e.steps[i];
            t += "    " + std::to_string(i + 1) + ". " + s.title + (s.flag.empty() ? "" : " (" + s.flag + ")") + "\n";
            if (!s.detail.empty()) t += "       " + s.detail + "\n";
            if (!s.templateText.empty()) {
                t += "       Template:\n";
                size_t start = 0;
                while (start < s.templateText.size()) {
                    const size_t end = s.templateText.find('\n', start);
                    t += "         " + s.templateText.substr(start, end - start) + "\n";
                    if (end == std::string::npos) break;
                    start = end + 1;
                }
            }
        }
    }
    return t;
}

std::string reportSummary(const UnsupportedReport& r) {
    std::string t = std::to_string(r.ops.size()) + " operation type(s) cannot be converted (" +
                    std::to_string(r.totalOccurrences) + " node(s)):\n";
    for (const UnsupportedOpEntry& e : r.ops) {
        t += "  " + e.op + " x" + std::to_string(e.count) + ": " + firstSentence(e.explanation) + "\n";
        for (size_t i = 0; i < e.occurrences.size() && i < 3; ++i) {
            std::string inputs;
            for (const std::string& in : e.occurrences[i].inputs) inputs += (inputs.empty() ? "" : ", ") + in;
            t += "    at " + location(e.occurrences[i]) + (inputs.empty() ? "" : " (" + inputs + ")") + "\n";
        }
        if (e.occurrences.size() > 3) t += "    and " + std::to_string(e.occurrences.size() - 3) + " more\n";
        if (!e.steps.empty())
            t += "    next: " + e.steps.front().title + (e.steps.front().flag.empty() ? "" : " (" + e.steps.front().flag + ")") + "\n";
    }
    return t;
}

}  // namespace cms::analysis
