#pragma once
// Scalar arithmetic on conversion-time numbers (shape computations left by tracing, e.g.
// `channels // groups` in channel shuffle), evaluated before a node reaches its translator.
#include "lower/lower_context.h"

namespace cms::lower {

// Folds `node` when it is number arithmetic or a comparison whose inputs are all known numbers
// (Python scalars or one-element tensors): binds the result and returns true.
bool foldScalarNode(LowerContext& ctx, const ir::Node& node);

}  // namespace cms::lower
