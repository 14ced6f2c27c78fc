// Manifest.json and our provenance sidecar (Data/<studio>/provenance.json): the two JSON files of a package.
#include <string>

#include "fuzz_support.h"
#include "package/manifest.h"
#include "package/provenance_sidecar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] {
        const auto manifest = cms::package::Manifest::fromJson(text, "Manifest.json");
        // What was accepted must write out again and read back the same.
        const auto again = cms::package::Manifest::fromJson(manifest.toJson(), "Manifest.json");
        if (again.items().size() != manifest.items().size()) __builtin_trap();
    });
    cms::fuzz::expectCleanResult([&] {
        const auto prov = cms::package::provenanceFromJson(text, "provenance.json");
        const auto again = cms::package::provenanceFromJson(cms::package::provenanceToJson(prov), "provenance.json");
        if (again.size() != prov.size()) __builtin_trap();
    });
    return 0;
}
