#pragma once
// Shape and type rules shared by the conv, pooling, normalization and linear op declarations.
// They follow Core ML's own type inference, because packages are checked against it.
#include <initializer_list>
#include <string>
#include <vector>

#include "mil/op_registry.h"

namespace cms::mil {

// Output sizes of the spatial dimensions of a conv or pooling op. `padType` is valid, same,
// same_lower or custom; `customPad` holds (before, after) per spatial dimension and may be
// empty (all zeros). Unknown input sizes give unknown output sizes.
std::vector<int64_t> spatialOutputShape(const InferContext& ctx, const std::string& padType, const Shape& inputSpatial,
                                        const std::vector<int64_t>& kernel, const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& dilations, const std::vector<int64_t>& customPad,
                                        bool ceilMode);

// Inputs bound to one type domain of Core ML's declaration must share a dtype (absent inputs are skipped).
void requireSameDtype(const InferContext& ctx, std::initializer_list<const char*> names);

// True when the value is computed from constants only (Core ML calls this "descendant of const").
bool isDescendantOfConst(const Value& v);

}  // namespace cms::mil
