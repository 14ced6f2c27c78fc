#pragma once
// IR graph -> MIL program.
#include <string>
#include <vector>

#include "ir/graph.h"
#include "lower/lower_context.h"
#include "mil/program.h"
#include "settings/conversion_settings.h"

namespace cms::lower {

// One input of an unsupported node as lowering saw it.
struct UnsupportedInput {
    std::string type;   // "fp32[1,3,8,8]", "float", "int[]", "None"; "unknown" after another failed op
    std::string value;  // a constant argument's value ("0.5", "[1, 1]"); empty for tensors
};

struct UnsupportedOp {
    std::string kind;                      // e.g. "aten::foo"
    std::vector<ir::Provenance> occurrences;
    // Per occurrence (same order), filled by surveyUnsupportedOps only.
    std::vector<std::vector<UnsupportedInput>> inputs;
};

class LowerContext;
// Translates the nodes of a nested IR block (a control-flow body) with the context's current
// builder, as the top-level nodes are; the current node is restored afterwards.
void translateNodes(LowerContext& ctx, const std::vector<ir::Node*>& nodes);

// Every source op without a translator, each listed once with all its occurrences. Without a
// table: the built-in translators and built-in composites.
std::vector<UnsupportedOp> findUnsupportedOps(const ir::Graph& graph);
std::vector<UnsupportedOp> findUnsupportedOps(const ir::Graph& graph, const TranslatorTable& table);
// The same, with each occurrence's input types: lowers what can be lowered (settings give the
// input shapes and the composites), skipping the nodes that depend on an unsupported one.
std::vector<UnsupportedOp> surveyUnsupportedOps(ir::Graph& graph, const ConversionSettings& settings);

// Lowers the graph in fp32 (precision is applied later by passes). Function inputs follow
// settings.inputs (by position; names and shapes from the settings), with image preprocessing
// (scale, bias) inserted as ops; outputs take settings.outputs names when given.
// Writes inferred dtypes/shapes back into the graph's tensor values for the graph view.
// Throws cms::Error: Unsupported (listing all unsupported ops) or Conversion (naming the node).
mil::Program lowerGraph(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings = nullptr);

}  // namespace cms::lower
