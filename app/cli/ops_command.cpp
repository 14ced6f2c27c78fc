// `coreml-cli ops`: every source op a model uses, how often, whether it converts and what
// converts it (a translator, a built-in composite, the user's composite), then the
// unsupported-op report for the rest, before any conversion is attempted.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "analysis/unsupported_report.h"
#include "commands.h"
#include "common/error.h"
#include "converter.h"
#include "lower/composites/composite_library.h"
#include "lower/lowering.h"

namespace cms::cli {

namespace {

struct OpStatus {
    bool supported = false;
    std::string handler;  // "translator", "built-in composite", "composite FILE:LINE:COL"
    std::string remedy;   // for an unsupported op: the optional set that would handle it
};

std::map<std::string, OpStatus> statusOf(const std::set<std::string>& kinds, const std::vector<std::string>& composites) {
    const lower::TranslatorTable native = lower::TranslatorTable::instance();
    const lower::TranslatorTable table = lower::translatorTableFor(composites);
    const std::vector<lower::CompositePtr> user = lower::loadComposites(composites);
    std::vector<std::pair<std::string, std::vector<lower::CompositePtr>>> optional;
    for (const std::string& set : lower::optionalCompositeSets()) optional.emplace_back(set, lower::optionalComposites(set));

    std::map<std::string, OpStatus> out;
    for (const std::string& kind : kinds) {
        OpStatus s;
        s.supported = static_cast<bool>(table.find(kind));
        if (const lower::CompositePtr c = lower::findComposite(user, kind)) {
            s.handler = "composite " + c->pos.describe() + (native.find(kind) ? " (overrides the translator)" : "");
        } else if (native.find(kind)) {
            s.handler = "translator";
        } else if (const lower::CompositePtr b = lower::findComposite(lower::builtinComposites(), kind)) {
            s.handler = "built-in composite";
        } else if (!s.supported) {
            for (const auto& [set, list] : optional)
                if (lower::findComposite(list, kind)) s.remedy = "--composites builtin:" + set;
        } else {
            s.handler = "translator";  // prim ops folded at conversion time
        }
        out[kind] = s;
    }
    return out;
}

}  // namespace

CLI::App* addOpsCommand(CLI::App& app, OpsOptions& o) {
    CLI::App* c = app.add_subcommand("ops", "List a model's source ops with counts, whether each converts and what "
                                            "converts it, then report the ones that do not");
    c->add_option("MODEL", o.model, "TorchScript file or Keras model (.h5, .keras)")->required();
    c->add_flag("--json", o.json, "Print JSON instead of text");
    c->add_option("--input", o.inputs, "NAME:SHAPE (as for convert): shows the input types of unsupported ops")
        ->allow_extra_args(false);
    c->add_option("--composites", o.composites, "Composite file or builtin:NAME, as for convert (repeatable)")
        ->allow_extra_args(false);
    c->add_option("--report", o.reportPath, "Also write the unsupported-op report as JSON to this file");
    return c;
}

int runOps(const OpsOptions& o) {
    ir::Graph graph = importModel(o.model);
    std::map<std::string, size_t> counts;
    for (const ir::Node* n : graph.allNodes()) ++counts[n->kind];
    std::set<std::string> kinds;
    for (const auto& [kind, n] : counts) kinds.insert(kind);
    const std::map<std::string, OpStatus> status = statusOf(kinds, o.composites);

    ConversionSettings settings;
    settings.modelPath = o.model;
    settings.composites = o.composites;
    for (const std::string& text : o.inputs) {
        try {
            settings.inputs.push_back(parseInputSpec(text));
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
    }
    // Input types need every input's shape; without them the report still lists every op and place.
    if (settings.inputs.size() == graph.inputNames.size()) settings = completeSettings(graph, settings);
    else settings.inputs.clear();
    const analysis::UnsupportedReport report = analysis::buildUnsupportedReport(graph, settings);
    if (!o.reportPath.empty()) {
        std::ofstream out(o.reportPath, std::ios::binary);
        out << analysis::reportToJson(report);
        if (!out.good())
            throw Error(ErrorKind::Input, "cannot write the report", ErrorLocation{o.reportPath, {}},
                        "check that the folder exists and is writable");
    }

    std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    size_t unsupported = 0;
    for (const auto& [kind, s] : status) unsupported += s.supported ? 0 : 1;

    if (o.json) {
        nlohmann::json j;
        j["model"] = o.model;
        j["inputs"] = graph.inputNames;
        j["outputs"] = graph.outputNames;
        j["states"] = nlohmann::json::array();  // buffers written in place: --state NAME:SHAPE
        for (const auto& st : graph.states) j["states"].push_back({{"name", st.name}, {"shape", st.value->shape}});
        j["ops"] = nlohmann::json::array();
        for (const auto& [kind, n] : rows) {
            const OpStatus& s = status.at(kind);
            nlohmann::json op = {{"op", kind}, {"count", n}, {"supported", s.supported}};
            if (!s.handler.empty()) op["convertedBy"] = s.handler;
            if (!s.remedy.empty()) op["builtinComposite"] = s.remedy;
            j["ops"].push_back(op);
        }
        j["unsupported"] = nlohmann::json::parse(analysis::reportToJson(report));
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::string inputs, outputs;
    for (const auto& n : graph.inputNames) inputs += (inputs.empty() ? "" : ", ") + n;
    for (const auto& n : graph.outputNames) outputs += (outputs.empty() ? "" : ", ") + n;
    std::printf("Model:   %s\nInputs:  %s\nOutputs: %s\n", o.model.c_str(), inputs.c_str(), outputs.c_str());
    std::string states;
    for (const auto& st : graph.states) states += " --state " + st.name + ":" + shapeToString(st.value->shape);
    if (!states.empty()) std::printf("Buffers written in place (Core ML states, iOS18):%s\n", states.c_str());
    std::printf("%-36s %6s  %-8s %s\n", "op", "count", "converts", "by");
    for (const auto& [kind, n] : rows) {
        const OpStatus& s = status.at(kind);
        const std::string by = s.supported ? s.handler : (s.remedy.empty() ? "-" : "not by default; " + s.remedy);
        std::printf("%-36s %6zu  %-8s %s\n", kind.c_str(), n, s.supported ? "yes" : "NO", by.c_str());
    }
    if (unsupported == 0) {
        std::printf("Every op converts.\n");
        return 0;
    }
    std::printf("%zu op type%s cannot be converted.\n\n%s", unsupported, unsupported == 1 ? "" : "s",
                analysis::reportToText(report).c_str());
    return 0;
}

}  // namespace cms::cli
