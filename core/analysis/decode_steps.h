#pragma once
// The accuracy report's sequence mode for stateful decoders: a prefill of a prompt, then N single-token
// decode steps, run through libtorch (whose buffers keep the cache) and through the package on one
// interpreter state object, comparing every output of every step. Each step feeds libtorch's greedy next token
// (the argmax of its logits at the last position) to both, so the two runs see the same sequence.
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/accuracy_metrics.h"

namespace cms::analysis {

struct DecodeStepOptions {
    std::string modelPath;    // the source .pt
    std::string packagePath;  // the converted .mlpackage (with states)
    int promptLength = 8;
    int decodeSteps = 16;
    uint64_t seed = 0;     // the prompt's tokens
    Criteria criteria;     // empty: SNR >= 40 dB for fp16 programs, >= 60 dB for fp32 ones
};

struct DecodeStepOutput {
    std::string name;
    Shape shape;
    TensorMetrics metrics;
    bool passed = false;
};

struct DecodeStep {
    int index = 0;            // 0 is the prefill
    int64_t position = 0;     // where this step's tokens start
    int64_t tokenCount = 0;
    int64_t nextToken = -1;        // libtorch's greedy next token
    int64_t packageNextToken = -1; // the package's
    std::vector<DecodeStepOutput> outputs;
    bool passed = false;
};

struct DecodeReport {
    std::string modelPath, packagePath;
    std::string tokensInput, positionInput;  // the package inputs used
    std::vector<std::string> states;
    Criteria criteria;
    std::vector<DecodeStep> steps;
    bool passed = false;
};

// The package must take int32 tokens [1, T] (T allowed to vary) and an int32 position [1], and return logits
// [1, T, vocab] among its outputs. Throws cms::Error (Input) naming what is missing.
DecodeReport runDecodeSteps(const DecodeStepOptions& options);
std::string decodeReportToJson(const DecodeReport& r);
std::string decodeReportToText(const DecodeReport& r);

}  // namespace cms::analysis
