// The settings document (--config, .cmsproj): JSON with inputs, shapes, metadata and compression.
#include <string>

#include "fuzz_support.h"
#include "settings/conversion_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] {
        const cms::ConversionSettings s = cms::settingsFromJson(text, "settings.json");
        // A document we accepted must survive its own round trip.
        if (!(cms::settingsFromJson(cms::settingsToJson(s), "settings.json") == s)) __builtin_trap();
    });
    return 0;
}
