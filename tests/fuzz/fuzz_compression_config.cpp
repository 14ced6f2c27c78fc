// The compression config: coremltools' OptimizationConfig YAML, and the same structure as JSON.
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "settings/compression_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] {
        const cms::CompressionConfig c = cms::compressionFromYaml(text, "config.yaml");
        if (cms::compressionFromYaml(cms::compressionToYaml(c), "config.yaml") != c) __builtin_trap();
    });
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_discarded())
        cms::fuzz::expectCleanResult([&] {
            const cms::CompressionConfig c = cms::compressionFromJson(j, "settings.json", "compression");
            if (cms::compressionFromJson(cms::compressionToJson(c), "settings.json", "compression") != c)
                __builtin_trap();
        });
    return 0;
}
