#pragma once
// `coreml-cli compress` and `coreml-cli decompress`: weight compression of an existing package, and
// back to dense weights.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cms::cli {

struct CompressOptions {
    std::string package;
    std::string output;
    std::vector<std::string> configs;  // --config CFG.yaml, repeatable: applied in order
    bool jointCompression = false;     // --joint-compression (coremltools' joint_compression=True)
    std::string sizeReportPath;        // --size-report FILE.json
    bool quiet = false;                // --quiet: no size report text
};
CLI::App* addCompressCommand(CLI::App& app, CompressOptions& options);
int runCompress(const CompressOptions& options);

struct DecompressOptions {
    std::string package;
    std::string output;
};
CLI::App* addDecompressCommand(CLI::App& app, DecompressOptions& options);
int runDecompress(const DecompressOptions& options);

}  // namespace cms::cli
