#pragma once
// The adapter that makes a composite a translator: it binds the node's inputs to the schema's
// arguments (by position, defaults for the rest) and emits the composite's MIL ops.
#include <memory>

#include "lower/composites/composite.h"
#include "lower/lower_context.h"

namespace cms::lower {

Translator compositeTranslator(std::shared_ptr<const Composite> composite);

}  // namespace cms::lower
