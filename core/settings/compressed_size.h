#pragma once
// The package's weight bytes before and after a compression config, computed from the imported
// model's own weight tensors (the bits, lookup tables, scales and sparsity masks each config
// would store), so the studio can show the effect of every settings change as it is made.
#include <cstdint>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "settings/compression_config.h"
#include "settings/conversion_settings.h"

namespace cms::ir {
class Graph;
}

namespace cms {

struct ModelWeight {
    std::string name;        // the constant's name (the MIL const it becomes is named after it)
    std::string opType;      // MIL op type of its consumer: "conv", "linear", "matmul", "gather" ...
    std::string modulePath;  // consumer's module path, e.g. "layer1.0.conv1"
    Tensor tensor;
};

// Every floating-point constant tensor the graph's ops consume, each once.
std::vector<ModelWeight> collectWeights(const ir::Graph& graph);
// The MIL op type a source op with weights lowers to ("aten::_convolution" -> "conv").
std::string milOpTypeForSourceOp(const std::string& sourceKind);

struct SizeEstimate {
    uint64_t uncompressedBytes = 0;  // weights at the conversion precision
    uint64_t estimatedBytes = 0;     // with the config applied
    size_t weightCount = 0;
    size_t compressedCount = 0;      // weights the config applies to (above its weight_threshold)
};

// Configs are matched like the converter does: op name (the weight's name, its MIL constant name or
// its reader's module path), then op type, then global.
SizeEstimate estimateCompressedSize(const std::vector<ModelWeight>& weights, const CompressionConfig& config,
                                    Precision precision);
// Bytes one weight takes under one config at the given float element size (2 or 4).
uint64_t compressedBytes(const ModelWeight& weight, const OpCompression& config, int floatBytes);

}  // namespace cms
