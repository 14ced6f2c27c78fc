#pragma once
// `coreml-cli sensitivity MODEL [PKG]`: per-layer compression sensitivity and a recommended mixed config.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cms::cli {

struct SensitivityCommandOptions {
    std::string model;    // .pt to convert first, or an existing .mlpackage
    std::string package;  // where the .pt's uncompressed package is written (default: a scratch folder)
    std::vector<std::string> inputs;  // --input NAME:SHAPE..., as convert
    std::string precision = "fp16";
    std::string target = "iOS16";
    double targetSnrDb = 35.0;
    std::vector<std::string> candidates;  // --candidates int8,pal6,...
    std::vector<std::string> inputData;   // --input-data FILE, as verify's --input-data
    int samples = 1;
    uint64_t seed = 0;
    int64_t minElements = 2048;
    std::string jsonPath;        // --json OUT.json
    std::string configOut;       // --config-out cfg.yaml
    std::string compressedOut;   // --compressed-out OUT.mlpackage
};
CLI::App* addSensitivityCommand(CLI::App& app, SensitivityCommandOptions& options);
int runSensitivity(const SensitivityCommandOptions& options);

}  // namespace cms::cli
