#pragma once
// Bounds on the sizes a Keras file may declare. The importer computes every layer's output shape from the config
// (sizes times strides, products of dimensions), in 64-bit integers: with these bounds none of that arithmetic can
// overflow, and a shape or weight that no device could hold is refused before anything is sized from it.
#include <cstdint>
#include <optional>
#include <string>

#include "common/tensor.h"

namespace cms::frontends::keras {

// One dimension of a tensor: within int32, as Core ML's shapes are.
constexpr int64_t kMaxDimension = (int64_t(1) << 31) - 1;
// Elements of one tensor, as the settings readers' input check allows.
constexpr int64_t kMaxElements = int64_t(1) << 48;
// A size, count or axis in a layer's config (kernel_size, strides, units, num_heads, ...): no layer has one near it.
constexpr int64_t kMaxConfigInteger = int64_t(1) << 24;

// The hint of errors about values no Keras version writes.
constexpr const char* kDamagedFileHint = "check the model file: it may be damaged or not written by Keras";

// What is wrong with `shape` as a tensor's shape (no dimension at all, a dimension below 1 or over kMaxDimension,
// more than kMaxElements elements), or nothing.
std::optional<std::string> shapeProblem(const Shape& shape);

}  // namespace cms::frontends::keras
