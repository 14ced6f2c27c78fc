#pragma once
// The unsupported-op report: each op the model uses that cannot be converted, once, with its
// occurrences (module path, source line, input types), a plain-language explanation and ranked
// next steps. JSON for the GUI and tools, text for people.
#include <string>
#include <vector>

#include "ir/graph.h"
#include "settings/conversion_settings.h"

namespace cms::analysis {

struct OpOccurrence {
    std::string modulePath;
    std::string moduleType;
    std::string file;
    int line = 0;
    std::vector<std::string> inputs;  // "fp32[1,3,8,8]", "float 0.5", "unknown"
};

enum class StepKind { BuiltinComposite, UserComposite, Rewrite, Outside };
const char* stepKindName(StepKind k);  // "builtin-composite", "user-composite", "rewrite", "outside"

struct NextStep {
    StepKind kind;
    std::string title;
    std::string detail;
    std::string flag;          // builtin-composite: the option that applies it
    std::string templateText;  // user-composite: the starter file
};

struct UnsupportedOpEntry {
    std::string op;
    std::string schema;  // TorchScript schema when known
    size_t count = 0;
    std::vector<OpOccurrence> occurrences;
    std::string explanation;
    std::vector<NextStep> steps;  // best first
};

struct UnsupportedReport {
    std::string model;
    size_t totalOccurrences = 0;
    std::vector<UnsupportedOpEntry> ops;
    bool empty() const { return ops.empty(); }
};

// Surveys the graph (lowering what it can, for input types) with the settings' composites.
UnsupportedReport buildUnsupportedReport(ir::Graph& graph, const ConversionSettings& settings);
std::string reportToJson(const UnsupportedReport& r);
// Everything, templates included (`coreml-cli ops`).
std::string reportToText(const UnsupportedReport& r);
// A few lines per op: count, where, what it is, the best next step (`coreml-cli convert`).
std::string reportSummary(const UnsupportedReport& r);

}  // namespace cms::analysis
