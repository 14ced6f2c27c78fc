#pragma once
// Weights holding NaN or infinity convert, but every output they reach will be NaN or inf on device: the
// importers report them as warnings naming the weight and the node that reads it.
#include <string>
#include <vector>

#include "ir/graph.h"

namespace cms::ir {

// One warning per floating-point tensor constant with non-finite elements, in node order.
std::vector<std::string> nonFiniteConstantWarnings(const Graph& graph);

}  // namespace cms::ir
