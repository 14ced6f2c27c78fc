#include "graphview/program_link.h"

#include <map>
#include <string>
#include <tuple>

namespace cms::graphview {

namespace {

const std::vector<int>& lookup(const std::unordered_map<int, std::vector<int>>& map, int id) {
    static const std::vector<int> none;
    const auto it = map.find(id);
    return it == map.end() ? none : it->second;
}

// Without a node id (a package written before ids were recorded), module, op and line identify the
// node; ops emitted several times by one line then link to all of them.
using LooseKey = std::tuple<std::string, std::string, int>;
LooseKey looseKey(const ir::Provenance& p) { return {p.modulePath, p.sourceOp, p.line}; }

}  // namespace

ProgramLink::ProgramLink(const GraphViewModel& source, const GraphViewModel& program) {
    std::unordered_map<long long, int> byNodeId;
    std::map<LooseKey, std::vector<int>> byLooseKey;
    std::vector<int> inputs, outputs;
    for (const DisplayNode& n : source.nodes()) {
        if (n.source) {
            byNodeId[static_cast<long long>(n.source->id)] = n.id;
            ir::Provenance p = n.source->prov;
            if (p.sourceOp.empty()) p.sourceOp = n.source->kind;  // as lowering stamps it
            byLooseKey[looseKey(p)].push_back(n.id);
        } else if (n.family == OpFamily::Input) {
            inputs.push_back(n.id);
        } else if (n.family == OpFamily::Output) {
            outputs.push_back(n.id);
        }
    }
    const auto link = [&](int from, int to) {
        toProgram_[from].push_back(to);
        toSource_[to].push_back(from);
    };
    size_t input = 0, output = 0;
    for (const DisplayNode& n : program.nodes()) {
        if (!n.op) {
            // Function inputs and outputs follow the model's, in order.
            std::vector<int>& side = n.family == OpFamily::Input ? inputs : outputs;
            size_t& next = n.family == OpFamily::Input ? input : output;
            if (next < side.size()) link(side[next++], n.id);
            continue;
        }
        const ir::Provenance& p = n.op->prov;
        if (p.sourceNode >= 0) {
            if (const auto it = byNodeId.find(p.sourceNode); it != byNodeId.end()) link(it->second, n.id);
            continue;
        }
        if (const auto it = byLooseKey.find(looseKey(p)); it != byLooseKey.end())
            for (int s : it->second) link(s, n.id);
    }
}

const std::vector<int>& ProgramLink::programNodesOf(int sourceNodeId) const { return lookup(toProgram_, sourceNodeId); }

const std::vector<int>& ProgramLink::sourceNodesOf(int programNodeId) const { return lookup(toSource_, programNodeId); }

}  // namespace cms::graphview
