// `coreml-cli ops`: every source op a model uses, how often, and whether it can be converted.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "converter.h"
#include "lower/lowering.h"

namespace cms::cli {

CLI::App* addOpsCommand(CLI::App& app, OpsOptions& o) {
    CLI::App* c = app.add_subcommand("ops", "List a model's source ops with counts and whether each converts");
    c->add_option("MODEL", o.model, "TorchScript file")->required();
    c->add_flag("--json", o.json, "Print JSON instead of text");
    return c;
}

int runOps(const OpsOptions& o) {
    const ir::Graph graph = importModel(o.model);
    std::map<std::string, size_t> counts;
    for (const ir::Node* n : graph.allNodes()) ++counts[n->kind];
    std::set<std::string> unsupported;
    for (const lower::UnsupportedOp& u : lower::findUnsupportedOps(graph)) unsupported.insert(u.kind);

    std::vector<std::pair<std::string, size_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });

    if (o.json) {
        nlohmann::json j;
        j["model"] = o.model;
        j["inputs"] = graph.inputNames;
        j["outputs"] = graph.outputNames;
        j["ops"] = nlohmann::json::array();
        for (const auto& [kind, n] : rows)
            j["ops"].push_back({{"op", kind}, {"count", n}, {"supported", unsupported.count(kind) == 0}});
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }
    std::string inputs, outputs;
    for (const auto& n : graph.inputNames) inputs += (inputs.empty() ? "" : ", ") + n;
    for (const auto& n : graph.outputNames) outputs += (outputs.empty() ? "" : ", ") + n;
    std::printf("Model:   %s\nInputs:  %s\nOutputs: %s\n", o.model.c_str(), inputs.c_str(), outputs.c_str());
    std::printf("%-36s %6s  %s\n", "op", "count", "converts");
    for (const auto& [kind, n] : rows)
        std::printf("%-36s %6zu  %s\n", kind.c_str(), n, unsupported.count(kind) ? "NO" : "yes");
    if (unsupported.empty()) std::printf("Every op has a translator.\n");
    else std::printf("%zu op type%s without a translator.\n", unsupported.size(), unsupported.size() == 1 ? "" : "s");
    return 0;
}

}  // namespace cms::cli
