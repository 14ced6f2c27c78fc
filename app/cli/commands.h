#pragma once
// coreml-cli's subcommands. Each add* function declares a subcommand's options; each run* executes
// it and returns the process exit code, throwing cms::Error or UsageError for main to report.
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "verify_command.h"

namespace cms::cli {

// Exit code of a run that worked but whose accuracy check (verify, convert --verify) failed:
// distinct from 1 (could not run) and 2 (usage).
constexpr int kAccuracyCheckFailed = 3;

// The command line itself is wrong (exit code 2), as opposed to a model or input problem (1).
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ConvertOptions {
    std::string model;
    std::string output;
    std::vector<std::string> inputs;
    std::vector<std::string> states;  // --state NAME:SHAPE, repeatable: buffers kept as Core ML states
    std::vector<std::string> outputNames;
    std::string precision;
    std::string target;
    std::string config;
    std::string saveConfig;
    // --verify: check the package against the model right after converting.
    bool verify = false;
    CriteriaFlags criteria;
    std::vector<std::string> composites;  // --composites FILE|builtin:NAME, repeatable
    std::string reportPath;               // --report FILE.json: the unsupported-op report
    std::string compress;                 // --compress CONFIG.yaml: coremltools OptimizationConfig
    std::string sizeReportPath;           // --size-report FILE.json: with --compress, the size report
    std::vector<std::string> keepFp32;    // --keep-fp32 OP_TYPE|MODULE_PATH, repeatable (fp32Ops)
    bool noReference = false;             // --no-reference: --verify never runs the model's code
};
CLI::App* addConvertCommand(CLI::App& app, ConvertOptions& options);
int runConvert(const ConvertOptions& options, int verbosity);

struct InspectOptions {
    std::string package;
    bool json = false;
};
CLI::App* addInspectCommand(CLI::App& app, InspectOptions& options);
int runInspect(const InspectOptions& options);

struct OpsOptions {
    std::string model;
    bool json = false;
    std::vector<std::string> inputs;      // --input NAME:SHAPE, for the input types in the report
    std::vector<std::string> composites;  // --composites FILE|builtin:NAME
    std::string reportPath;               // --report FILE.json
};
CLI::App* addOpsCommand(CLI::App& app, OpsOptions& options);
int runOps(const OpsOptions& options);

struct WeightsOptions {
    std::string package;
    int64_t minElements = 2048;
    bool json = false;
};
CLI::App* addWeightsCommand(CLI::App& app, WeightsOptions& options);
int runWeights(const WeightsOptions& options);

struct PlanOptions {
    std::string package;
    std::string chip = "M2-Ultra";
    std::string units = "ALL";
    std::string jsonPath;                 // --json FILE
    std::string compare;                  // --compare PKG: the package to compare with
    std::vector<std::string> inputs;      // --input NAME:SHAPE: treat an input as flexible
    size_t top = 10;
    bool listChips = false;
};
CLI::App* addPlanCommand(CLI::App& app, PlanOptions& options);
int runPlan(const PlanOptions& options);

// "12.3 MB": sizes as people read them.
std::string humanBytes(uint64_t bytes);

}  // namespace cms::cli
