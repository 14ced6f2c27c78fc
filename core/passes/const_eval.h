#pragma once
// Evaluates one MIL op on constant inputs at conversion time, for constant folding.
#include <optional>

#include "mil/program.h"

namespace cms::passes {

// The value of `op`'s single output when every input it reads is const (or, for `shape`, has a
// static type) and the op is one we know how to evaluate; nullopt otherwise. The result has the
// op's recorded output type.
std::optional<Tensor> evaluateConstOp(const mil::Operation& op);
// Whether evaluateConstOp knows this op type.
bool canEvaluate(const std::string& opType);

}  // namespace cms::passes
