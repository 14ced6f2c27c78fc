#pragma once
// coreml-cli verify: compares a converted package (run by our interpreter) with its source model
// (run by libtorch). Exit code 0 when the check passes, 3 when it runs but fails.
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analysis/accuracy_metrics.h"

namespace cms::cli {

// --rtol/--atol/--min-snr, shared by `verify` and `convert --verify`. NaN: not given on the command line.
struct CriteriaFlags {
    double rtol = std::numeric_limits<double>::quiet_NaN();
    double atol = std::numeric_limits<double>::quiet_NaN();
    double minSnr = std::numeric_limits<double>::quiet_NaN();
    analysis::Criteria criteria() const;
};
// Adds the three options to `cmd` (help texts start with `helpPrefix`); --min-snr excludes the other two.
// Returns them as {rtol, atol, min-snr} so a caller can add constraints of its own.
std::vector<CLI::Option*> addCriteriaOptions(CLI::App& cmd, CriteriaFlags& flags, const std::string& helpPrefix);

struct VerifyCommandOptions {
    std::string model;
    std::string package;
    std::vector<std::string> inputs;  // [NAME=]FILE: .npy, .npz, PNG or JPEG
    std::vector<std::string> references;  // [NAME=]FILE: .npy, .npz reference outputs
    CriteriaFlags criteria;
    bool perLayer = false;
    bool noReference = false;  // never run the source model's code (compare with its fp32 conversion)
    std::string json;  // file to write the JSON report to ("-" for stdout)
    uint64_t seed = 0;
    int timingRuns = 0;
    int decodeSteps = -1;   // >= 0: sequence mode (prefill, then this many decode steps on one state)
    int promptLength = 8;   // the prefill's token count in sequence mode
};
CLI::App* addVerifyCommand(CLI::App& app, VerifyCommandOptions& options);
int runVerify(const VerifyCommandOptions& options);
// Sequence mode of verify for stateful decoders (verify_decode_command.cpp).
int runVerifyDecode(const VerifyCommandOptions& options);

}  // namespace cms::cli
