#pragma once
// Shared by the fuzz targets: what counts as a correct answer to a hostile input, and scratch files for the
// parsers that read paths (the weight file is memory-mapped, the archive probe reads a zip directory).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace cms::fuzz {

// Runs `parse`. The only acceptable failure is a cms::Error that names a file and is not an internal error
// (bad input is the user's problem to fix, and the message must say where). Anything else escaping, a
// different exception type, or an error without a file aborts, which libFuzzer records as a crash.
void expectCleanResult(const std::function<void()>& parse);

// A per-process scratch file (under $TMPDIR, removed at exit) holding exactly `bytes`; returns its path.
const std::string& writeScratchFile(const uint8_t* data, size_t size, const std::string& suffix);

}  // namespace cms::fuzz
