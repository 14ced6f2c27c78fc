// Composite operator files (docs/composites.md): YAML parsed, then type- and shape-checked.
#include <string>

#include "fuzz_support.h"
#include "lower/composites/composite_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] { cms::lower::parseComposites(text, "composites.yaml", "fuzz"); });
    return 0;
}
