#pragma once
// IR graph -> MIL program.
#include <string>
#include <vector>

#include "ir/graph.h"
#include "mil/program.h"
#include "settings/conversion_settings.h"

namespace cms::lower {

struct UnsupportedOp {
    std::string kind;                      // e.g. "aten::foo"
    std::vector<ir::Provenance> occurrences;
};

// Every source op without a translator, each listed once with all its occurrences.
std::vector<UnsupportedOp> findUnsupportedOps(const ir::Graph& graph);

// Lowers the graph in fp32 (precision is applied later by passes). Function inputs follow
// settings.inputs (by position; names and shapes from the settings), with image preprocessing
// (scale, bias) inserted as ops; outputs take settings.outputs names when given.
// Writes inferred dtypes/shapes back into the graph's tensor values for the graph view.
// Throws cms::Error: Unsupported (listing all unsupported ops) or Conversion (naming the node).
mil::Program lowerGraph(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings = nullptr);

}  // namespace cms::lower
