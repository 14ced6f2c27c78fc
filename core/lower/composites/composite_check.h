#pragma once
// The load-time check: a composite is built on its example signature with the MIL op
// declarations' own type inference, so a wrong op, argument, dtype or output shape is reported
// (file:line:column) before any model is converted.
#include "lower/composites/composite.h"

namespace cms::lower {

// Example tensors default to fp32[2,3,4,5]; non-tensor arguments to their schema default. The
// expected output types default to the first tensor argument's type (an elementwise op).
void checkComposite(const Composite& composite);

}  // namespace cms::lower
