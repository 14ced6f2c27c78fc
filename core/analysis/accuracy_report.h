#pragma once
// The accuracy report: runs the source TorchScript model with libtorch and the converted package
// with our interpreter on the same inputs, compares every output, and optionally every layer
// (matched through provenance) to say where the error appears and which op first overflows. Keras models
// (no Keras runtime here) are compared with given reference outputs, or with their own fp32 conversion.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/accuracy_metrics.h"
#include "common/tensor.h"
#include "ir/provenance.h"

namespace cms::runtime {
class Interpreter;
}

namespace cms::analysis {

struct VerifyOptions {
    std::string modelPath;    // the source .pt
    std::string packagePath;  // the converted .mlpackage
    Criteria criteria;        // empty: SNR >= 40 dB for fp16 programs, >= 60 dB for fp32 ones
    // Input data files, each "PATH" or "NAME=PATH": .npz (arrays named after the inputs), .npy (one
    // input: NAME= or the model's only input), PNG/JPEG images (image inputs: NAME= or the next image
    // input in order; see readImage). Given files must cover every input; none: seeded random inputs.
    std::vector<std::string> inputFiles;
    // Reference outputs compared instead of running the source model, each "PATH" or "NAME=PATH": .npz
    // (arrays named after the outputs) or .npy (NAME= or the package's only output). Without them a Keras
    // model (no Keras runtime here) is compared with its own fp32 conversion.
    std::vector<std::string> referenceFiles;
    // Never run the source model's code (an untrusted TorchScript model): without reference files, compare
    // with the model's own fp32 conversion (converted again with the package's input shapes) in our interpreter.
    bool noReference = false;
    uint64_t seed = 0;
    bool perLayer = false;
    double jumpDb = 10.0;  // a drop this large from the previous layer, below the criterion, is a jump
    int timingRuns = 0;    // > 0: also time this many runs of each model (after the compared run)
};

struct InputInfo {
    std::string name;
    Shape shape;
    // "random (seed 0, standard normal)", "file.npz", "cat.jpg (image resized to 224x224, RGB pixels 0-255)"
    std::string source;
};

struct OutputReport {
    std::string name;
    Shape shape;
    TensorMetrics metrics;
    bool passed = false;
};

struct LayerReport {
    size_t order = 0;  // execution order among compared layers
    std::string opName, opType;
    ir::Provenance provenance;
    std::string referenceOp;  // the TorchScript node it was compared with (describe())
    int64_t count = 0;
    double snrDb = 0, maxAbsError = 0;
    double referenceMaxAbs = 0;  // largest magnitude in the reference value (> 65504 cannot be fp16)
    bool nonFinite = false;      // the converted value holds inf or NaN
};

struct NonFiniteOp {
    std::string opName, opType;
    ir::Provenance provenance;
    int64_t count = 0;  // inf/NaN elements
};

struct AccuracyReport {
    std::string modelPath, packagePath;
    std::string precision;  // "fp16" when the program computes in fp16, else "fp32"
    std::string reference;  // what the outputs were compared with: "libtorch", "reference files", "fp32 conversion"
    Criteria criteria;
    std::vector<InputInfo> inputs;
    std::vector<OutputReport> outputs;
    bool passed = false;
    bool perLayer = false;
    std::vector<LayerReport> layers;
    std::optional<size_t> firstJump;          // index into layers
    std::optional<NonFiniteOp> firstNonFinite;  // first op of the package producing inf/NaN
    // Module paths (or op types) to keep in fp32 (ConversionSettings::fp32Ops) for fp16 packages:
    // where the first inf/NaN appears, where the error first jumps, and (per layer) every layer whose
    // reference values exceed fp16's range together with the layer consuming them.
    std::vector<std::string> suggestedFp32Ops;
    // Median seconds per run when timing was asked for: the interpreter and libtorch's forward().
    std::optional<double> interpreterSeconds, referenceSeconds;
};

// Throws cms::Error when the model or package cannot be read or run.
AccuracyReport verifyPackage(const VerifyOptions& options);

// The inputs verifyPackage feeds a package: options.inputFiles when given, else random values
// seeded by options.seed (pixels for image inputs). `info` says where each came from.
std::map<std::string, Tensor> packageInputs(const VerifyOptions& options, const runtime::Interpreter& interp,
                                            std::vector<InputInfo>* info = nullptr);

std::string reportToJson(const AccuracyReport& r);
std::string reportToText(const AccuracyReport& r);

}  // namespace cms::analysis
