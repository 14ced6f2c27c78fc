#pragma once
// Shared by the fuzz_keras_* targets (include it in exactly one file of each): a Keras model file through
// importKeras under the fuzz targets' rule (a clean cms::Error naming the file, or a graph), what a graph the
// importer accepted must satisfy, and the sanitizer settings for the C libraries the Keras readers call.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>

#include "frontends/keras/keras_importer.h"
#include "fuzz_support.h"

namespace cms::fuzz {

// Every node reads only values that exist before it (graph inputs, constants, earlier nodes' outputs) and the
// outputs are among them: a graph that breaks this would fail later in lowering with an internal error, or worse.
inline void checkKerasGraph(const ir::Graph& graph) {
    std::unordered_set<const ir::Value*> known(graph.top().inputs.begin(), graph.top().inputs.end());
    for (const ir::Node* node : graph.top().nodes) {
        if (!node) __builtin_trap();
        for (const ir::Value* in : node->inputs) {
            if (!in) __builtin_trap();
            if (!known.count(in) && !(in->constant && !in->producer)) __builtin_trap();
        }
        for (const ir::Value* out : node->outputs) {
            if (!out || out->producer != node) __builtin_trap();
            known.insert(out);
        }
    }
    if (graph.top().outputs.size() != graph.outputNames.size()) __builtin_trap();
    for (const ir::Value* out : graph.top().outputs)
        if (!out || (!known.count(out) && !out->constant)) __builtin_trap();
}

// Writes the input as a model file with `suffix` (".keras", ".h5") and imports it in this process: importKeras's
// child process per input would cost more than the import, and would hide the library crashes the fuzzers look for.
inline void importKerasInput(const uint8_t* data, size_t size, const std::string& suffix) {
    const std::string& path = writeScratchFile(data, size, suffix);
    expectCleanResult([&] { checkKerasGraph(frontends::importKerasInProcess(path)); });
}

}  // namespace cms::fuzz

// libhdf5 and libzip are Debian's builds, not instrumented, and written for C's malloc: for an impossible size
// computed from damaged bytes they expect a null pointer back, which they report as an error (ASan would abort
// instead). Our own code allocates with operator new, which ASan still reports when it fails.
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }

// libhdf5 1.10.8 loses a metadata cache entry (424 bytes) when H5Fopen fails on some damaged object headers, while
// opening the root group (docs/reliability.md). Debian's libhdf5 has no frame pointers, so a leak's stack ends at the
// library's own malloc call and the suppression can only name the library: it hides whatever libhdf5 allocates and
// loses, not what our code allocates.
extern "C" const char* __lsan_default_suppressions() { return "leak:libhdf5_serial.so\n"; }
