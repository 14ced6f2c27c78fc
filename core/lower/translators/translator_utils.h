#pragma once
// Small helpers shared by the translators.
#include <string>
#include <vector>

#include "lower/lower_context.h"

namespace cms::lower {

// A torch dim normalised against `rank`; fails the node when out of range.
int64_t normalizeDim(const LowerContext& ctx, int64_t dim, int64_t rank);
// Adds one MIL op whose output becomes `out` (named after it) and returns it.
mil::Value* emit(LowerContext& ctx, const std::string& type, std::vector<mil::OpInput> inputs, const ir::Value* out);
// The node's first output is its first input, unchanged (no op is emitted).
void bindSame(LowerContext& ctx, const ir::Node& node);
// The MIL element type a torch ScalarType code lowers to (fp32 for every float type, int32 for
// every integer type: precision is chosen later by passes); fails for unsupported codes.
DType dtypeFromTorchScalarType(const LowerContext& ctx, int64_t code);
// The torch ScalarType code of a MIL element type (for prim::dtype).
int64_t torchScalarTypeOf(DType dtype);
// The elements of a list value, whether a list of items or a constant int/float/bool list.
std::vector<Lowered> elementsOf(LowerContext& ctx, const ir::Value* list);
// The tensors of a list value (constant items become const ops); fails for non-tensor items.
std::vector<mil::Value*> tensorsOf(LowerContext& ctx, const ir::Value* list);
// Shape as "1x3x224x224" for messages.
inline std::string shapeText(const Shape& s) { return shapeToString(s); }
// A torch size argument as written, e.g. "[7, -1]" (shapeText would print -1 as "?").
std::string listText(const std::vector<int64_t>& v);
// A reshape of x to `shape` (already resolved), or x itself when the shape does not change.
mil::Value* reshapeTo(LowerContext& ctx, mil::Value* x, const Shape& shape, const std::string& name);

// ---- Sizes only known at run time (flexible inputs) ----
// Dimension d of x: a conversion-time int when static, else the run-time size as a 0-d int32
// tensor (shape + gather).
Lowered dimOf(LowerContext& ctx, mil::Value* x, int64_t d, const std::string& name);
// True when every item is a conversion-time number.
bool allConstant(const std::vector<Lowered>& items);
// A 1-D int32 tensor of the items (conversion-time ints or run-time 0-d / 1-element tensors): a
// const when all are known, else a concat of the pieces.
mil::Value* intVector(LowerContext& ctx, const std::vector<Lowered>& items, const std::string& name);
// A reshape of x to the torch size list `items` (ints, run-time sizes, at most one -1): a const
// shape when at most one entry is only known at run time (it becomes the -1), else a run-time one.
mil::Value* reshapeToItems(LowerContext& ctx, mil::Value* x, const std::vector<Lowered>& items, const std::string& name);
// A one-line account of the dimensions of the node's tensor inputs that vary with a flexible
// model input ("input 0 fp32[1,8,?,?]: dimensions 2, 3"), empty when all are static.
std::string symbolicDimsText(LowerContext& ctx, const ir::Node& node);

}  // namespace cms::lower
