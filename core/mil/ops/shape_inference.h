#pragma once
// Shape rules shared by several op declarations.
#include "mil/op_registry.h"

namespace cms::mil {

// numpy-style broadcasting of two shapes; unknown dims broadcast against 1 and each other.
Shape broadcastShapes(const InferContext& ctx, const Shape& a, const Shape& b);
// Result type of a binary elementwise op on inputs "x" and "y" (same dtype required).
TensorType binaryElementwiseType(const InferContext& ctx, DType resultDtype);

}  // namespace cms::mil
