#pragma once
// Shape rules shared by several op declarations.
#include <optional>
#include <vector>

#include "mil/op_registry.h"

namespace cms::mil {

// numpy-style broadcasting of two shapes; unknown dims broadcast against 1 and each other.
Shape broadcastShapes(const InferContext& ctx, const Shape& a, const Shape& b);
// Result type of a binary elementwise op on inputs "x" and "y" (same dtype required).
TensorType binaryElementwiseType(const InferContext& ctx, DType resultDtype);
// What conversion time knows of an int tensor of rank <= 1 computed at run time, as a shape built
// from shape/gather/concat/cast ops over inputs with flexible dimensions is: its value per element,
// kUnknownDim where only the run time knows (a literal -1 reads as unknown too). Null when not even
// the length is known. Const tensors give their values.
std::optional<std::vector<int64_t>> partialIntValues(const Value& v);

}  // namespace cms::mil
