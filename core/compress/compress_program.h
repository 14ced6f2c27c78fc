#pragma once
// Applies a compression config to a converted program: every constant weight its config reaches
// (by op name or module path, then op type, then the global config; larger than the config's
// weight_threshold, rank 2 or more, floating point, read by ordinary ops) is replaced by the
// constexpr op Core ML defines for the method and the program's target.
#include <cstdint>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "mil/program.h"
#include "settings/compression_config.h"

namespace cms::compress {

struct CompressedWeight {
    std::string name;        // the weight's value name (kept by the constexpr op that replaces it)
    std::string opName;      // the op reading it
    std::string opType;      // its type: conv, linear, matmul ...
    std::string modulePath;  // source module path, when known
    Shape shape;
    DType dtype = DType::Float32;
    CompressionMethod method = CompressionMethod::LinearQuantize;
    std::string encoding;    // the constexpr op written
    int bits = 0;            // bits per stored element (quantized dtype, palette index); 0 for pruning
    double sparsity = 0.0;   // fraction of zeros, for pruning
    uint64_t bytesBefore = 0;
    uint64_t bytesAfter = 0;  // every constant the constexpr op reads
};

struct CompressionSummary {
    std::vector<CompressedWeight> weights;  // in program order
    size_t consideredWeights = 0;           // float constants of rank >= 2 read by ordinary ops
    uint64_t bytesBefore() const;
    uint64_t bytesAfter() const;
};

// Throws cms::Error(Settings) when a config entry cannot be applied at `target`: constexpr ops need
// iOS16; 4-bit quantization, per-block scales, grouped-channel tables and 3-bit palettes need iOS18.
// `file` names the config in the error.
void checkCompressionTarget(const CompressionConfig& config, mil::Target target, const std::string& file = {});

// Compresses the main function's weights in place. Deterministic (k-means is seeded).
CompressionSummary compressProgram(mil::Program& program, const CompressionConfig& config);

}  // namespace cms::compress
