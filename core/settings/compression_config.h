#pragma once
// Weight compression settings in the shape of coremltools' OptimizationConfig: a global config,
// per-op-type configs and per-op-name configs (the more specific wins), each one of the four
// compressor configs. Read and written as coremltools-style YAML and as part of the settings JSON.
#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json_fwd.hpp>

namespace cms {

enum class CompressionMethod { LinearQuantize, Palettize, ThresholdPrune, MagnitudePrune };
// "OpLinearQuantizerConfig", "OpPalettizerConfig", "OpThresholdPrunerConfig", "OpMagnitudePrunerConfig"
std::string compressionConfigType(CompressionMethod m);
std::optional<CompressionMethod> compressionMethodFromConfigType(const std::string& s);
std::string compressionMethodLabel(CompressionMethod m);  // "Linear quantization", "Palettization" ...

enum class CompressionGranularity { PerTensor, PerChannel, PerGroupedChannel, PerBlock };
std::string granularityName(CompressionGranularity g);  // "per_tensor", "per_channel" ...
std::optional<CompressionGranularity> granularityFromName(const std::string& s);

// One compressor config. Fields belong to the methods named beside them; the others keep their
// defaults and are not written.
struct OpCompression {
    CompressionMethod method = CompressionMethod::LinearQuantize;
    // Quantizer: "linear_symmetric" | "linear"; palettizer: "kmeans" | "uniform" | "unique".
    std::string mode = "linear_symmetric";
    // Quantizer: bits of the quantized dtype (4 or 8) and its signedness; palettizer: nbits
    // (1, 2, 3, 4, 6, 8), unused in "unique" mode (the weights decide).
    int bits = 8;
    bool isSigned = true;
    CompressionGranularity granularity = CompressionGranularity::PerChannel;
    int blockSize = 32;                // quantizer, per_block: input-axis block length
    int groupSize = 32;                // palettizer, per_grouped_channel: channels sharing one table
    std::optional<int> channelAxis;    // palettizer: grouping axis (default: picked by op type)
    int clusterDim = 1;                // palettizer: table entries are vectors of this length
    bool perChannelScale = false;      // palettizer: enable_per_channel_scale
    int kmeansWorkers = 1;             // palettizer: num_kmeans_workers
    double threshold = 1e-12;          // threshold pruner: |w| at or below it becomes zero
    double minimumSparsity = 0.5;      // threshold pruner: skip weights sparser than this only
    std::optional<double> targetSparsity;         // magnitude pruner
    std::optional<int> pruneBlockSize;            // magnitude pruner: block sparsity
    std::optional<std::pair<int, int>> nmRatio;   // magnitude pruner: n of every m weights zero
    std::optional<int> pruneDim;                  // magnitude pruner: 0 or 1
    // Weights with this many elements or fewer stay uncompressed (null in the YAML: none do).
    std::optional<int64_t> weightThreshold = 2048;

    // A config with the method's coremltools defaults.
    static OpCompression defaults(CompressionMethod m);
    bool operator==(const OpCompression& o) const;
    bool operator!=(const OpCompression& o) const { return !(*this == o); }
};

struct CompressionConfig {
    // nullopt in a map: that op type / op is left uncompressed (null in the YAML).
    std::optional<OpCompression> global;
    std::map<std::string, std::optional<OpCompression>> opTypes;  // MIL op type: "conv", "linear" ...
    std::map<std::string, std::optional<OpCompression>> opNames;  // MIL op or constant name

    bool empty() const { return !global && opTypes.empty() && opNames.empty(); }
    // The config that applies to a weight: by op name, then op type, then the global one.
    std::optional<OpCompression> resolve(const std::string& opName, const std::string& opType) const;
    bool operator==(const CompressionConfig& o) const {
        return global == o.global && opTypes == o.opTypes && opNames == o.opNames;
    }
    bool operator!=(const CompressionConfig& o) const { return !(*this == o); }
};

// coremltools' OptimizationConfig YAML. Errors name the file, the line and the key.
CompressionConfig compressionFromYaml(const std::string& text, const std::string& fileForErrors = {});
std::string compressionToYaml(const CompressionConfig& c);
CompressionConfig loadCompressionYaml(const std::string& path);
void saveCompressionYaml(const CompressionConfig& c, const std::string& path);

// The same structure inside the settings JSON (key "compression"); errors name the key path.
nlohmann::json compressionToJson(const CompressionConfig& c);
CompressionConfig compressionFromJson(const nlohmann::json& j, const std::string& fileForErrors,
                                      const std::string& keyPrefix);

}  // namespace cms
