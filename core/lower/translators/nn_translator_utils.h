#pragma once
// Helpers shared by the conv, pooling, normalization, linear, activation and elementwise translators.
#include <string>
#include <vector>

#include "lower/lower_context.h"

namespace cms::lower {

// True when argument `i` exists and is not None.
bool hasArg(const LowerContext& ctx, const ir::Node& node, size_t i);
// A torch int-or-list argument (stride, padding, dilation ...) with one value per spatial dim:
// a single value is repeated; any other count fails the node naming `what`.
std::vector<int64_t> perSpatialDim(const LowerContext& ctx, const ir::Value* v, size_t n, const std::string& what);
// The value of a conversion-time constant tensor (weights, running statistics); fails otherwise.
Tensor constantTensor(const LowerContext& ctx, const ir::Value* v, const std::string& what);
// A rank-0 const of `dtype` holding v.
mil::Value* scalarConst(LowerContext& ctx, double v, DType dtype, const std::string& name);
// A rank-1 const of `dtype`.
mil::Value* floatsConst(LowerContext& ctx, const std::vector<float>& v, DType dtype, const std::string& name);
// The transpose of a matrix (any dtype of whole bytes).
Tensor transposed2d(const Tensor& t);
// The shape as a static list, failing the node when a dimension is only known at run time.
Shape staticShape(const LowerContext& ctx, const mil::Value* v, const std::string& what);

}  // namespace cms::lower
