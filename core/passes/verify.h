#pragma once
// Structural and type check of a whole program, run after every pass: catches a pass that leaves
// an op its declaration rejects, a stale output type, a value read before it is defined, or a
// duplicated name. Throws cms::Error(Internal) naming the op.
#include "mil/program.h"

namespace cms::passes {

void verifyProgram(const mil::Program& program);

}  // namespace cms::passes
