#pragma once
// Building blocks shared by the padding, resampling, patch and torchvision translators.
#include <string>
#include <vector>

#include "lower/lower_context.h"

namespace cms::lower {

// x[..., begin:end, ...] along `axis` (static shape required).
mil::Value* sliceAxis(LowerContext& ctx, mil::Value* x, int64_t axis, int64_t begin, int64_t end, const std::string& name);
// x gathered along `axis` at constant indices (their shape replaces that dimension).
mil::Value* gatherConst(LowerContext& ctx, mil::Value* x, int64_t axis, const std::vector<int64_t>& indices,
                        const Shape& indexShape, const std::string& name);
mil::Value* concatAxis(LowerContext& ctx, const std::vector<mil::Value*>& values, int64_t axis, const std::string& name);
mil::Value* transposeTo(LowerContext& ctx, mil::Value* x, const std::vector<int64_t>& perm, const std::string& name);
// A binary elementwise op with a scalar float constant in x's dtype as y.
mil::Value* withScalar(LowerContext& ctx, const std::string& op, mil::Value* x, double y, const std::string& name);
mil::Value* binary(LowerContext& ctx, const std::string& op, mil::Value* x, mil::Value* y, const std::string& name);
// A float constant tensor of `shape` in `dtype`.
mil::Value* floatTensorConst(LowerContext& ctx, const std::vector<float>& v, const Shape& shape, DType dtype,
                             const std::string& name);
// Pads the last pads.size() dimensions of x: pads[i] = (before, after) for dimension rank - n + i.
// Negative amounts crop (constant_pad_nd allows them). Modes: constant, reflect, replicate, circular.
mil::Value* padDims(LowerContext& ctx, mil::Value* x, const std::vector<std::pair<int64_t, int64_t>>& pads,
                    const std::string& mode, double value, const std::string& name);

}  // namespace cms::lower
