#pragma once
// coreml-cli verify: compares a converted package (run by our interpreter) with its source model
// (run by libtorch). Exit code 0 when the check passes, 3 when it runs but fails.
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cms::cli {

struct VerifyCommandOptions {
    std::string model;
    std::string package;
    std::vector<std::string> inputs;  // [NAME=]FILE: .npy, .npz, PNG or JPEG
    // NaN: not given on the command line.
    double rtol = std::numeric_limits<double>::quiet_NaN();
    double atol = std::numeric_limits<double>::quiet_NaN();
    double minSnr = std::numeric_limits<double>::quiet_NaN();
    bool perLayer = false;
    std::string json;  // file to write the JSON report to ("-" for stdout)
    uint64_t seed = 0;
    int timingRuns = 0;
};
CLI::App* addVerifyCommand(CLI::App& app, VerifyCommandOptions& options);
int runVerify(const VerifyCommandOptions& options);

}  // namespace cms::cli
