// The zip directory reader that tells a TorchScript archive from a state_dict, a truncated zip or a Keras file.
#include "frontends/torchscript/archive_probe.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = cms::fuzz::writeScratchFile(data, size, ".pt");
    cms::fuzz::expectCleanResult([&] {
        const auto probe = cms::frontends::probeArchive(path);
        const auto diagnosis = cms::frontends::diagnoseArchive(probe.kind);
        if (probe.kind != cms::frontends::ArchiveKind::TorchScript && diagnosis.message.empty()) __builtin_trap();
    });
    return 0;
}
