#pragma once
// Complex values in the lowering (see ComplexParts in lower_context.h): shared by the complex
// and spectral translators.
#include "lower/lower_context.h"

namespace cms::lower {

// A value as real and imaginary parts; `imag` is null for a real value (an fp32 tensor).
struct ComplexOperand {
    mil::Value* real = nullptr;
    mil::Value* imag = nullptr;
};

bool isComplex(const LowerContext& ctx, const ir::Value* v);
ComplexOperand complexOperand(LowerContext& ctx, const ir::Value* v);
// Binds `out` to the complex value (real, imag), recording the current node as its producer.
void bindComplex(LowerContext& ctx, const ir::Value* out, mil::Value* real, mil::Value* imag);

// Ops registered by other families that also take complex values (abs, add, sub, mul): when one of
// the node's inputs is complex, lowers it here and returns true. Every other node returns false and
// goes to its translator, where reading a complex input as a tensor fails with a clear error.
bool translateComplexNode(LowerContext& ctx, const ir::Node& node);

}  // namespace cms::lower
