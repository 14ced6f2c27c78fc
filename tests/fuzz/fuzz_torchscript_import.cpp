// The TorchScript import the converter runs (archive probe, CRC check, pickle nesting guard, libtorch's load,
// freezing, graph translation to our IR) on archives mutated entry by entry. libtorch itself is not instrumented:
// coverage is our code's, and libtorch's part shows only as crashes, hangs, escaping exceptions or memory use.
#include <algorithm>
#include <cstring>
#include <random>

#include "archive_repack.h"
#include "common/log.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "fuzz_support.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

namespace {
using cms::fuzz::ArchiveMember;

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The entries libtorch interprets weigh more than tensor bytes (any bytes are a valid float) when choosing one.
unsigned weightOf(const std::string& name) {
    if (endsWith(name, ".pkl") || endsWith(name, ".py")) return 4;
    if (endsWith(name, "/version") || endsWith(name, ".debug_pkl")) return 2;
    return 1;
}

// Mutates `bytes` in place with libFuzzer's own byte mutations, leaving it room to grow up to `room` bytes.
void mutateBytes(std::string& bytes, size_t room) {
    const size_t size = bytes.size();
    bytes.resize(std::max<size_t>(size, 1) + room);
    bytes.resize(LLVMFuzzerMutate(reinterpret_cast<uint8_t*>(bytes.data()), size, bytes.size()));
}
}  // namespace

// One mutation of one archive: an entry's bytes (most of the time), its name, or the entry list itself (an entry
// dropped or repeated), then the whole re-packed as a valid zip. Inputs that are no zip get byte mutations.
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize, unsigned int seed) {
    auto members = cms::fuzz::readArchiveMembers(data, size, maxSize * 4);
    if (!members || members->empty()) return LLVMFuzzerMutate(data, size, maxSize);
    std::minstd_rand rng(seed);
    unsigned total = 0;
    for (const ArchiveMember& m : *members) total += weightOf(m.name);
    unsigned pick = std::uniform_int_distribution<unsigned>(0, total - 1)(rng);
    size_t index = 0;
    while (pick >= weightOf((*members)[index].name)) pick -= weightOf((*members)[index++].name);
    ArchiveMember& member = (*members)[index];
    const unsigned action = std::uniform_int_distribution<unsigned>(0, 99)(rng);
    const size_t room = 256;
    if (action < 88) {
        mutateBytes(member.bytes, room);
    } else if (action < 94) {
        mutateBytes(member.name, 16);
    } else if (action < 97) {
        members->erase(members->begin() + static_cast<std::ptrdiff_t>(index));
    } else {
        members->push_back(member);
    }
    const std::string packed = cms::fuzz::writeStoredArchive(*members);
    if (packed.size() > maxSize) return LLVMFuzzerMutate(data, size, maxSize);
    std::memcpy(data, packed.data(), packed.size());
    return packed.size();
}

// libtorch 1.13 leaks an archive's compilation unit (a reference cycle, ~120 KB per load) when one of its serialized
// free functions (code/__torch__/torch/nn/functional.py) fails to compile, whether by a syntax or a type error; no
// check before its load can foresee that short of compiling the code (docs/reliability.md, with the input). Leaks
// of memory allocated inside libtorch are therefore not findings here; leaks of what our code allocates still are.
extern "C" const char* __lsan_default_suppressions() { return "leak:libtorch_cpu.so\n"; }

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The importer's warnings (training mode, non-finite weights) on every input would drown libFuzzer's output.
    cms::logger()->set_level(spdlog::level::err);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = cms::fuzz::writeScratchFile(data, size, ".pt");
    cms::fuzz::expectCleanResult([&] {
        const cms::ir::Graph graph = cms::frontends::importTorchScript(path);
        if (graph.sourcePath != path) __builtin_trap();
    });
    return 0;
}
