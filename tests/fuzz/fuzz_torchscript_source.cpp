// The parser of TorchScript's serialized code for the archive outline: whatever the text, the class and method
// read, or NotUnderstood (the outline then falls back to libtorch's load); nothing else may escape.
#include "frontends/torchscript/torchscript_source.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] {
        for (const bool signatureOnly : {false, true}) {
            try {
                const auto cls = cms::frontends::tssource::readClass(text, "M", "forward", signatureOnly);
                if (cls && cls->method && cls->method->name != "forward") __builtin_trap();
            } catch (const cms::frontends::tssource::NotUnderstood&) {
                // the documented refusal
            }
        }
    });
    return 0;
}
