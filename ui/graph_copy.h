#pragma once
// A copy of an imported graph that lowering may annotate (it writes tensor shapes into the graph's
// values) while the view still draws the original on the GUI thread. Weights are shared, not copied.
#include <memory>

namespace cms::ir {
class Graph;
}

namespace cms::ui {

// Same nodes (ids kept, so provenance links to them hold), values, constants and blocks.
std::shared_ptr<ir::Graph> copyGraph(const ir::Graph& graph);

}  // namespace cms::ui
