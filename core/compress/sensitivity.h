#pragma once
// Sensitivity analysis of weight compression: for every compressible layer, the model's output SNR
// when only that layer is compressed with each candidate setting (through the interpreter, against
// the uncompressed package's output), and a recommender that picks a setting per layer to make the
// weights as small as possible while the whole model stays above an SNR target. coremltools has no
// such search; the result is an ordinary mixed config (op_name_configs) that `convert --compress` takes.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/tensor.h"
#include "mil/target.h"
#include "settings/compression_config.h"

namespace cms::compress {

// One setting to try, with a short label: "int8" (symmetric, per channel), "int4-b32" (symmetric int4,
// blocks of 32 input channels; iOS18), "pal6" (6-bit k-means, one table per tensor; pal3 needs
// iOS18), "pal4-g16" (tables per group of 16 output channels; iOS18).
struct Candidate {
    std::string label;
    OpCompression config;
};
// Throws cms::Error (Settings) naming the label and the forms it accepts.
Candidate parseCandidate(const std::string& label);
// int8, pal6, pal4, pal2, and from iOS18 also int4-b32 and pal3.
std::vector<std::string> defaultCandidateLabels(mil::Target target);

struct LayerSensitivity {
    std::string weight;  // the weight's value name
    std::string opName, opType, modulePath;
    Shape shape;
    int64_t params = 0;
    uint64_t bytes = 0;                    // as stored uncompressed
    std::vector<std::optional<double>> snrDb;  // per candidate; nullopt: the candidate cannot encode it
    std::vector<uint64_t> bytesAfter;          // per candidate (0 where it does not apply)
    double meanSnrDb() const;                  // over the candidates that apply, +inf counted as 100 dB
};

struct SensitivityOptions {
    std::vector<std::string> candidates;  // labels; empty: defaultCandidateLabels(target)
    std::vector<std::string> inputFiles;  // as `verify` takes them; empty: random inputs
    int samples = 1;                      // random input sets (seeds seed, seed+1, ...)
    uint64_t seed = 0;
    double targetSnrDb = 35.0;
    int64_t minElements = 2048;  // smaller weights stay uncompressed (coremltools' weight_threshold)
    unsigned threads = 0;        // 0: one per core
};

struct Recommendation {
    CompressionConfig config;       // op_name_configs keyed by module path (op name where that is ambiguous)
    std::vector<int> choice;        // per layer: candidate index, or -1 (left uncompressed)
    double predictedSnrDb = 0;      // from the per-layer noise, assumed to add up
    double measuredSnrDb = 0;       // running the interpreter with every chosen layer compressed
    bool meetsTarget = false;
    int verifications = 0;          // combined runs: a failure tightens the noise budget, a wide margin widens it
    uint64_t bytesBefore = 0, bytesAfter = 0;  // of the compressible layers
};

// Every layer compressed with one candidate: what a uniform config gives.
struct UniformResult {
    std::string label;
    double snrDb = 0;
    uint64_t bytesAfter = 0;  // compressible layers; layers it cannot encode count uncompressed
};

struct SensitivityReport {
    std::string packagePath;
    std::vector<std::string> candidates;  // labels, in column order
    std::vector<std::string> skippedCandidates;  // "int4-b32: needs iOS18 ..."
    std::vector<LayerSensitivity> layers;        // in program order
    std::vector<UniformResult> uniform;          // per candidate
    Recommendation recommendation;
    double targetSnrDb = 0;
    int samples = 0;
    unsigned threads = 0;
    std::map<std::string, double> seconds;  // "baseline", "encode", "layers", "recommend", "total"
    // Layer indices from most to least sensitive (lowest mean SNR first).
    std::vector<size_t> ranking() const;
};

// Reads the package, runs it once per input set to record every intermediate value, encodes every
// compressible weight with each candidate (the same code `compress` uses, decoded by the interpreter),
// then re-runs only the ops downstream of each replaced weight. Throws cms::Error for packages
// below iOS16 (constexpr ops do not exist there) or without compressible weights.
SensitivityReport analyseSensitivity(const std::string& packagePath, const SensitivityOptions& options);

// Output SNR of one package against another on the same inputs (options.inputFiles, or
// options.samples random sets): how a package compressed with the recommendation really does.
double comparePackages(const std::string& referencePath, const std::string& otherPath, const SensitivityOptions& options);

nlohmann::json sensitivityToJson(const SensitivityReport& report);
std::string sensitivityToText(const SensitivityReport& report);

}  // namespace cms::compress
