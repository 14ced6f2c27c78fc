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
    // Weights already compressed (by an earlier config) that this config reaches but leaves as they
    // are, because joint compression is off or the pair of methods cannot be joined.
    size_t leftCompressed = 0;
    uint64_t bytesBefore() const;
    uint64_t bytesAfter() const;
};

// Joint compression, as coremltools' `joint_compression=True`: a config applied to a program whose
// weights an earlier config already compressed compresses them further instead of skipping them.
// Pruned weights (constexpr_sparse_to_dense) get their nonzero values palettized
// (constexpr_lut_to_sparse -> constexpr_sparse_to_dense) or quantized
// (constexpr_sparse_blockwise_shift_scale -> constexpr_sparse_to_dense); palettized or quantized
// weights get pruned the same two ways; a palettized weight's look-up table gets quantized per
// tensor (constexpr_blockwise_shift_scale -> constexpr_lut_to_dense). The config file format has no key for it (coremltools
// passes it as an argument): the CLI's --joint-compression and a second --config express it. iOS18.
struct CompressOptions {
    bool jointCompression = false;
    std::string configFile;  // named in errors
};

// Throws cms::Error(Settings) when a config entry cannot be applied at `target`: constexpr ops need
// iOS16; 4-bit quantization, per-block scales, grouped-channel tables, 3-bit palettes and joint
// compression need iOS18. The error names `file` and the config key.
void checkCompressionTarget(const CompressionConfig& config, mil::Target target, const std::string& file = {},
                            bool jointCompression = false);

// Compresses the main function's weights in place. Deterministic (k-means is seeded).
CompressionSummary compressProgram(mil::Program& program, const CompressionConfig& config,
                                   const CompressOptions& options = {});

}  // namespace cms::compress
