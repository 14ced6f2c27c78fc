#pragma once
// Which MIL ops a source node became, and back: the link between the source graph's view model and
// the ML Program's. MIL ops carry the provenance lowering stamped on them (kept in the package's
// provenance sidecar), so the link works for a program read from disk as well.
#include <unordered_map>
#include <vector>

#include "graphview/graph_view_model.h"

namespace cms::graphview {

class ProgramLink {
public:
    // Both models must outlive the link.
    ProgramLink(const GraphViewModel& source, const GraphViewModel& program);

    // Display nodes of the program view lowered from this source display node (its interface node
    // for a model input or output); empty when the op was folded away or fused into another.
    const std::vector<int>& programNodesOf(int sourceNodeId) const;
    // Display nodes of the source view this MIL op (or function input/output) came from.
    const std::vector<int>& sourceNodesOf(int programNodeId) const;

private:
    std::unordered_map<int, std::vector<int>> toProgram_;
    std::unordered_map<int, std::vector<int>> toSource_;
};

}  // namespace cms::graphview
