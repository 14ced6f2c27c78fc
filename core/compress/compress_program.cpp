#include "compress/compress_program.h"

#include <fnmatch.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <stdexcept>

#include "common/error.h"
#include "compress/decompress.h"
#include "compress/parallel_for.h"
#include "compress/weight_math.h"
#include "mil/builder.h"

namespace cms::compress {

namespace {

using mil::Target;

const char* const kConfigHint = "edit the compression config";

std::string methodWord(CompressionMethod m) { return compressionMethodLabel(m); }

[[noreturn]] void configError(const std::string& file, const std::string& what, const std::string& hint) {
    throw Error(ErrorKind::Settings, what, {file, {}}, hint);
}

// Errors name the config key: `entry` is the entry ("global_config", "op_type_configs.conv" ...),
// the field follows it.
void checkEntry(const OpCompression& c, const std::string& entry, Target target, const std::string& file) {
    const auto at = [&](const char* field) { return entry + "." + field + ": "; };
    const std::string raise = "set the deployment target to iOS18 (--target iOS18), or ";
    const std::string is = " (the target is " + mil::targetName(target) + ")";
    if (target < Target::iOS16)
        configError(file, entry + ": " + methodWord(c.method) + " writes constexpr ops, which Core ML runs from iOS16 on" + is,
                    "set the deployment target to iOS16 or later (--target iOS16), or remove the compression config");
    switch (c.method) {
        case CompressionMethod::LinearQuantize:
            if (c.mode != "linear_symmetric" && c.mode != "linear")
                configError(file, at("mode") + "quantization mode \"" + c.mode + "\" is not one of linear_symmetric, linear",
                            kConfigHint);
            if (c.bits != 8 && c.bits != 4)
                configError(file, at("dtype") + "quantization to " + std::to_string(c.bits) + " bits; Core ML stores 4 or 8",
                            kConfigHint);
            if (c.bits == 4 && target < Target::iOS18)
                configError(file, at("dtype") + "4-bit quantization needs iOS18" + is, raise + "quantize to 8 bits (dtype: int8)");
            if (c.granularity == CompressionGranularity::PerBlock && target < Target::iOS18)
                configError(file, at("granularity") + "per-block quantization needs iOS18" + is,
                            raise + "use granularity per_channel");
            if (c.granularity == CompressionGranularity::PerGroupedChannel)
                configError(file, at("granularity") + "per_grouped_channel is a palettization granularity",
                            "use per_tensor, per_channel or per_block for quantization");
            if (c.granularity == CompressionGranularity::PerBlock && c.blockSize <= 0)
                configError(file, at("block_size") + "block_size must be positive", kConfigHint);
            break;
        case CompressionMethod::Palettize: {
            if (c.mode != "kmeans" && c.mode != "uniform" && c.mode != "unique")
                configError(file, at("mode") + "palettization mode \"" + c.mode + "\" is not one of kmeans, uniform, unique",
                            kConfigHint);
            const bool known = c.bits == 1 || c.bits == 2 || c.bits == 3 || c.bits == 4 || c.bits == 6 || c.bits == 8;
            if (c.mode != "unique" && !known)
                configError(file, at("nbits") + "nbits " + std::to_string(c.bits) + " is not one of 1, 2, 3, 4, 6, 8",
                            kConfigHint);
            if (c.mode != "unique" && c.bits == 3 && target < Target::iOS18)
                configError(file, at("nbits") + "3-bit palettes need iOS18" + is, raise + "use 2 or 4 bits");
            if (c.granularity == CompressionGranularity::PerGroupedChannel && target < Target::iOS18)
                configError(file, at("granularity") + "per_grouped_channel palettization needs iOS18" + is,
                            raise + "use granularity per_tensor");
            if (c.granularity == CompressionGranularity::PerChannel || c.granularity == CompressionGranularity::PerBlock)
                configError(file, at("granularity") + "palettization granularity must be per_tensor or per_grouped_channel, not " +
                            granularityName(c.granularity), kConfigHint);
            if (c.granularity == CompressionGranularity::PerGroupedChannel && c.groupSize <= 0)
                configError(file, at("group_size") + "group_size must be positive", kConfigHint);
            if (c.clusterDim != 1)
                throw Error(ErrorKind::Unsupported, at("cluster_dim") + "vector palettization (cluster_dim " +
                            std::to_string(c.clusterDim) + ") is not supported yet", {file, {}}, "use cluster_dim: 1");
            if (c.perChannelScale)
                throw Error(ErrorKind::Unsupported, at("enable_per_channel_scale") + "per-channel scales are not supported yet",
                            {file, {}}, "remove enable_per_channel_scale from the config");
            break;
        }
        case CompressionMethod::ThresholdPrune:
            if (c.threshold < 0) configError(file, at("threshold") + "threshold must not be negative", kConfigHint);
            break;
        case CompressionMethod::MagnitudePrune:
            if (c.pruneBlockSize)
                throw Error(ErrorKind::Unsupported, at("block_size") + "block sparsity is not supported yet", {file, {}},
                            "use target_sparsity or n_m_ratio");
            if (c.targetSparsity && (*c.targetSparsity < 0 || *c.targetSparsity > 1))
                configError(file, at("target_sparsity") + "target_sparsity must lie in [0, 1]", kConfigHint);
            if (c.nmRatio && (c.nmRatio->first < 0 || c.nmRatio->second <= 0 || c.nmRatio->first > c.nmRatio->second))
                configError(file, at("n_m_ratio") + "n_m_ratio must have 0 <= n <= m", kConfigHint);
            if (!c.targetSparsity && !c.nmRatio)
                configError(file, entry + ": magnitude pruning needs target_sparsity or n_m_ratio", kConfigHint);
            break;
    }
}

// A config value that does not fit one weight (a block size that does not divide its axis ...):
// `field` is the config key to name.
struct FieldError : std::invalid_argument {
    FieldError(std::string f, const std::string& what) : std::invalid_argument(what), field(std::move(f)) {}
    std::string field;
};

struct Use {
    mil::Operation* op;
    std::string input;  // the input name reading the weight
};

// Output and input channel axes of a weight as its reader uses it (coremltools' convention).
std::pair<int64_t, int64_t> channelAxes(const Use& use, const mil::Value* w) {
    const int64_t rank = w->type.rank();
    int64_t out = 0, in = 1;
    if (use.op->type == "conv_transpose") {
        out = 1;
        in = 0;
    } else if (use.op->type == "matmul") {
        const bool isY = use.input == "y";
        const mil::Value* t = use.op->input(isY ? "transpose_y" : "transpose_x");
        const bool transposed = t && t->constValue && t->constValue->scalarAsInt() != 0;
        if (isY) {
            out = transposed ? rank - 2 : rank - 1;
            in = transposed ? rank - 1 : rank - 2;
        } else {
            out = transposed ? rank - 1 : rank - 2;
            in = transposed ? rank - 2 : rank - 1;
        }
    }
    return {out, in};
}

bool globMatch(const std::string& pattern, const std::string& text) {
    return !text.empty() && fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

// The config reaching a weight through one reader, and its key for errors: by name (the weight's,
// the reader's, or the reader's module path, globs allowed), then by the reader's op type, then the
// global one.
struct Chosen {
    std::optional<OpCompression> config;
    std::string key;
};

Chosen configFor(const CompressionConfig& c, const mil::Value* w, const Use& use) {
    if (auto it = c.opNames.find(w->name); it != c.opNames.end()) return {it->second, "op_name_configs." + it->first};
    if (auto it = c.opNames.find(use.op->name); it != c.opNames.end()) return {it->second, "op_name_configs." + it->first};
    for (const auto& [pattern, cfg] : c.opNames)
        if (globMatch(pattern, use.op->prov.modulePath) || globMatch(pattern, use.op->name))
            return {cfg, "op_name_configs." + pattern};
    if (auto it = c.opTypes.find(use.op->type); it != c.opTypes.end()) return {it->second, "op_type_configs." + it->first};
    return {c.global, "global_config"};
}

DType quantizedDtype(int bits, bool isSigned) {
    if (bits == 4) return isSigned ? DType::Int4 : DType::UInt4;
    return isSigned ? DType::Int8 : DType::UInt8;
}

DType indexDtype(int bits) {
    switch (bits) {
        case 1: return DType::UInt1;
        case 2: return DType::UInt2;
        case 3: return DType::UInt3;
        case 4: return DType::UInt4;
        case 6: return DType::UInt6;
        default: return DType::UInt8;
    }
}

// A sub-byte array as the iOS16 ops take it: its packed bytes as a uint8 vector.
Tensor packedBytes(const std::vector<int64_t>& values, DType subByte) {
    const Tensor packed = Tensor::fromInts(values, {static_cast<int64_t>(values.size())}, subByte);
    std::vector<uint8_t> bytes(packed.bytes(), packed.bytes() + packed.nbytes());
    const int64_t n = static_cast<int64_t>(bytes.size());
    return Tensor(DType::UInt8, {n}, std::move(bytes));
}

Tensor shapeTensor(const Shape& s) { return Tensor::fromInts(s, {static_cast<int64_t>(s.size())}, DType::UInt32); }

bool isConstexpr(const mil::Operation* op) { return op && op->type.rfind("constexpr_", 0) == 0; }

// The encoding already holding a weight that joint compression builds on: a pruned weight
// (iOS18 constexpr_sparse_to_dense of constants) or a quantized or palettized one
// (constexpr_blockwise_shift_scale, iOS18 constexpr_lut_to_dense of scalar tables).
struct Existing {
    mil::Operation* op = nullptr;
    std::vector<float> dense;  // its decoded values
    uint64_t storedBytes = 0;
};

std::optional<Existing> existingEncoding(mil::Operation* op) {
    if (op->type != "constexpr_sparse_to_dense" && op->type != "constexpr_blockwise_shift_scale" &&
        op->type != "constexpr_lut_to_dense")
        return std::nullopt;
    if (op->hasInput("shape")) return std::nullopt;  // the iOS16 forms do not chain
    Existing e;
    e.op = op;
    for (const auto& in : op->inputs)
        for (const mil::Value* v : in.values) {
            if (!v->constValue) return std::nullopt;  // already a chain
            e.storedBytes += v->constValue->nbytes();
        }
    if (const mil::Value* lut = op->input("lut"); lut && lut->type.shape.back() != 1) return std::nullopt;
    const auto outs = evaluateConstexpr(*op, [op](const std::string& name) -> const Tensor* {
        const mil::Value* v = op->input(name);
        return v && v->constValue ? &*v->constValue : nullptr;
    });
    if (!outs) return std::nullopt;
    e.dense = outs->front().toFloats();
    return e;
}

double maskSparsity(const std::vector<int64_t>& mask) {
    const auto zeros = std::count(mask.begin(), mask.end(), int64_t(0));
    return mask.empty() ? 0.0 : double(zeros) / double(mask.size());
}

std::vector<int64_t> maskOf(const std::vector<bool>& keep) { return std::vector<int64_t>(keep.begin(), keep.end()); }

template <typename T>
std::vector<T> atMask(const std::vector<T>& values, const std::vector<int64_t>& mask) {
    std::vector<T> out;
    for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) out.push_back(values[i]);
    return out;
}

// Encodes one weight under one config: a dense constant, or (joint compression) a weight an
// earlier config encoded.
class WeightCompressor {
public:
    // `source` is the const op, or the existing encoding's op; `values` the weight's dense values.
    WeightCompressor(mil::Program& program, mil::Operation* source, const Use& use, const OpCompression& config,
                     std::vector<float> values, std::optional<Existing> existing)
        : program_(program), use_(use), config_(config), w_(source->output()),
          b_(program, program.main().body, program.target), values_(std::move(values)), existing_(std::move(existing)) {
        b_.setProvenance(source->prov);
        b_.setInsertBefore(source);
        record_.name = w_->name;
        record_.opName = use.op->name;
        record_.opType = use.op->type;
        record_.modulePath = use.op->prov.modulePath;
        record_.shape = w_->type.shape;
        record_.dtype = w_->type.dtype;
        record_.method = config.method;
        record_.bytesBefore = existing_ ? existing_->storedBytes : w_->constValue->nbytes();
    }

    // The costly numerics (quantization, k-means, masks), reading only this weight's values: safe to run
    // beside other compressors' prepare(). A config value that does not fit the weight throws FieldError.
    void prepare() {
        switch (config_.method) {
            case CompressionMethod::LinearQuantize:
                if (existing_ && existing_->op->type == "constexpr_lut_to_dense") return;  // a small table: in run()
                quantized_ = quantizeLinear(values_, w_->type.shape, quantizationBlocks(), config_.bits, config_.isSigned,
                                            config_.mode == "linear_symmetric", w_->type.dtype);
                break;
            case CompressionMethod::Palettize: palettized_ = palettizeValues(); break;
            case CompressionMethod::ThresholdPrune:
            case CompressionMethod::MagnitudePrune: keep_ = pruneMask(); return;  // pruning stores kept values
        }
        values_ = std::vector<float>();  // encoded now: the dense copy is not needed any more
    }

    // Writes the encoding into the program (after prepare()): its output, or null when the method leaves
    // this weight as it is.
    mil::Value* run() {
        switch (config_.method) {
            case CompressionMethod::LinearQuantize: return quantize();
            case CompressionMethod::Palettize: return palettize();
            case CompressionMethod::ThresholdPrune:
            case CompressionMethod::MagnitudePrune: return prune();
        }
        return nullptr;
    }

    CompressedWeight record() const { return record_; }

private:
    mil::Value* param(const Tensor& t, const std::string& suffix) {
        record_.bytesAfter += t.nbytes();
        return b_.constant(t, w_->name + "_" + suffix);
    }
    // A constant of the existing encoding the replacement reads again.
    mil::Value* reuse(mil::Value* v) {
        record_.bytesAfter += v->constValue->nbytes();
        return v;
    }
    bool sparseSource() const { return existing_ && existing_->op->type == "constexpr_sparse_to_dense"; }

    mil::Value* quantize() {
        if (existing_ && existing_->op->type == "constexpr_lut_to_dense") return quantizeLut();
        const Shape& shape = w_->type.shape;
        const int64_t outAxis = channelAxes(use_, w_).first;
        const DType qType = quantizedDtype(config_.bits, config_.isSigned);
        const LinearQuantized& q = *quantized_;
        record_.bits = config_.bits;
        const bool anyOffset = std::any_of(q.zeroPoint.begin(), q.zeroPoint.end(), [](int64_t z) { return z != 0; });
        if (sparseSource()) {
            // Pruned, then quantized: the nonzero values are quantized with scales of the dense
            // layout, as coremltools chains them.
            mil::Operation* sparse = existing_->op;
            mil::Value* mask = reuse(sparse->input("mask"));
            const std::vector<int64_t> m = mask->constValue->toInts();
            const std::vector<int64_t> nonzero = atMask(q.data, m);
            record_.sparsity = maskSparsity(m);
            std::vector<mil::OpInput> in = {
                {"data_mask", {mask}},
                {"nonzero_data", {param(Tensor::fromInts(nonzero, {int64_t(nonzero.size())}, qType), "quantized")}},
                {"scale", {param(Tensor::fromFloats(q.scale, q.grid, w_->type.dtype), "scale")}}};
            if (anyOffset) in.push_back({"offset", {param(Tensor::fromInts(q.zeroPoint, q.grid, qType), "offset")}});
            const std::vector<mil::Value*> outs = b_.add("constexpr_sparse_blockwise_shift_scale", std::move(in), w_->name + "_quantized");
            record_.encoding = "constexpr_sparse_blockwise_shift_scale+constexpr_sparse_to_dense";
            // The mask the sparse op passes on (equal to its input): a constexpr input is stored as a
            // literal, so reading the constant twice would store it twice.
            return b_.add1("constexpr_sparse_to_dense", {{"nonzero_data", {outs[1]}}, {"mask", {outs[0]}}}, w_->name);
        }
        const Tensor data = Tensor::fromInts(q.data, shape, qType);
        if (program_.target >= Target::iOS18) {
            record_.encoding = "constexpr_blockwise_shift_scale";
            std::vector<mil::OpInput> in = {{"data", {param(data, "quantized")}},
                                            {"scale", {param(Tensor::fromFloats(q.scale, q.grid, w_->type.dtype), "scale")}}};
            if (anyOffset) in.push_back({"offset", {param(Tensor::fromInts(q.zeroPoint, q.grid, qType), "offset")}});
            return b_.add1(record_.encoding, std::move(in), w_->name);
        }
        // iOS16/17: one scale (and zero point) for the tensor, or one per output channel.
        record_.encoding = "constexpr_affine_dequantize";
        const bool perChannel = config_.granularity == CompressionGranularity::PerChannel;
        const Shape paramShape = perChannel ? Shape{shape[static_cast<size_t>(outAxis)]} : Shape{};
        return b_.add1(record_.encoding,
                       {{"quantized_data", {param(data, "quantized")}},
                        {"zero_point", {param(Tensor::fromInts(q.zeroPoint, paramShape, qType), "zero_point")}},
                        {"scale", {param(Tensor::fromFloats(q.scale, paramShape, w_->type.dtype), "scale")}},
                        {"axis", {param(Tensor::scalarInt(perChannel ? outAxis : 0), "axis")}}},
                       w_->name);
    }

    // Palettized, then quantized: coremltools quantizes the look-up table itself, with one scale
    // for all of it (its axes are not the weight's), and feeds the dequantized table to the
    // palettization op.
    BlockSizes quantizationBlocks() const {
        const Shape& shape = w_->type.shape;
        const auto [outAxis, inAxis] = channelAxes(use_, w_);
        BlockSizes blocks(shape.size(), 0);
        if (config_.granularity != CompressionGranularity::PerTensor) blocks[static_cast<size_t>(outAxis)] = 1;
        if (config_.granularity == CompressionGranularity::PerBlock) {
            if (shape[static_cast<size_t>(inAxis)] % config_.blockSize != 0)
                throw FieldError("block_size", "block_size " + std::to_string(config_.blockSize) +
                                                   " does not divide the input-channel axis of " +
                                                   std::to_string(shape[static_cast<size_t>(inAxis)]));
            blocks[static_cast<size_t>(inAxis)] = config_.blockSize;
        }
        return blocks;
    }

    mil::Value* quantizeLut() {
        if (config_.granularity != CompressionGranularity::PerTensor)
            throw FieldError("granularity", "quantizing a palettized weight quantizes its look-up table, which takes "
                                            "granularity per_tensor only");
        mil::Operation* op = existing_->op;
        const Tensor& lut = *op->input("lut")->constValue;
        const Shape& shape = lut.shape();
        const DType qType = quantizedDtype(config_.bits, config_.isSigned);
        const LinearQuantized q = quantizeLinear(lut.toFloats(), shape, BlockSizes(shape.size(), 0), config_.bits,
                                                 config_.isSigned, config_.mode == "linear_symmetric", lut.dtype());
        const bool anyOffset = std::any_of(q.zeroPoint.begin(), q.zeroPoint.end(), [](int64_t z) { return z != 0; });
        std::vector<mil::OpInput> in = {{"data", {param(Tensor::fromInts(q.data, shape, qType), "lut_quantized")}},
                                        {"scale", {param(Tensor::fromFloats(q.scale, q.grid, lut.dtype()), "lut_scale")}}};
        if (anyOffset) in.push_back({"offset", {param(Tensor::fromInts(q.zeroPoint, q.grid, qType), "lut_offset")}});
        mil::Value* table = b_.add1("constexpr_blockwise_shift_scale", std::move(in), w_->name + "_lut");
        mil::Value* indices = reuse(op->input("indices"));
        record_.bits = dtypeBits(indices->constValue->dtype());
        record_.encoding = "constexpr_blockwise_shift_scale+constexpr_lut_to_dense";
        return b_.add1("constexpr_lut_to_dense", {{"indices", {indices}}, {"lut", {table}}}, w_->name);
    }

    Palettized palettizeValues() const {
        const Shape& shape = w_->type.shape;
        BlockSizes blocks(shape.size(), 0);
        if (config_.granularity == CompressionGranularity::PerGroupedChannel) {
            int64_t axis = config_.channelAxis ? *config_.channelAxis : channelAxes(use_, w_).first;
            if (axis < 0) axis += static_cast<int64_t>(shape.size());
            if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
                throw FieldError("channel_axis", "channel_axis is outside the weight's rank");
            if (shape[static_cast<size_t>(axis)] % config_.groupSize != 0 && config_.groupSize < shape[static_cast<size_t>(axis)])
                throw FieldError("group_size", "group_size " + std::to_string(config_.groupSize) + " does not divide the " +
                                                   std::to_string(shape[static_cast<size_t>(axis)]) + " channels");
            blocks[static_cast<size_t>(axis)] = config_.groupSize;
        }
        const std::vector<int> allowed = program_.target >= Target::iOS18 ? std::vector<int>{1, 2, 3, 4, 6, 8}
                                                                          : std::vector<int>{1, 2, 4, 6, 8};
        try {
            return compress::palettize(values_, shape, blocks, config_.mode == "unique" ? 0 : config_.bits, config_.mode,
                                       allowed, w_->type.dtype);
        } catch (const std::invalid_argument& e) {
            throw FieldError("mode", e.what());
        }
    }

    mil::Value* palettize() {
        const Shape& shape = w_->type.shape;
        const bool ios18 = program_.target >= Target::iOS18;
        const Palettized& p = *palettized_;
        record_.bits = p.bits;
        const int64_t entries = int64_t(1) << p.bits;
        if (ios18) {
            Shape lutShape = p.grid;
            lutShape.push_back(entries);
            lutShape.push_back(1);
            const Tensor lut = Tensor::fromFloats(p.lut, lutShape, w_->type.dtype);
            if (sparseSource()) {
                // Pruned, then palettized: the dense layout (pruned zeros included, as coremltools
                // does) is palettized and only the indices of kept elements are stored; the new
                // sparse_to_dense reads the mask lut_to_sparse passes on.
                mil::Value* mask = reuse(existing_->op->input("mask"));
                const std::vector<int64_t> m = mask->constValue->toInts();
                const std::vector<int64_t> nonzero = atMask(p.indices, m);
                record_.sparsity = maskSparsity(m);
                const std::vector<mil::Value*> outs = b_.add(
                    "constexpr_lut_to_sparse",
                    {{"indices_mask", {mask}},
                     {"indices_nonzero_data",
                      {param(Tensor::fromInts(nonzero, {int64_t(nonzero.size())}, indexDtype(p.bits)), "indices")}},
                     {"lut", {param(lut, "lut")}}},
                    w_->name + "_palettized");
                record_.encoding = "constexpr_lut_to_sparse+constexpr_sparse_to_dense";
                return b_.add1("constexpr_sparse_to_dense", {{"nonzero_data", {outs[1]}}, {"mask", {outs[0]}}}, w_->name);
            }
            record_.encoding = "constexpr_lut_to_dense";
            return b_.add1(record_.encoding,
                           {{"indices", {param(Tensor::fromInts(p.indices, shape, indexDtype(p.bits)), "indices")}},
                            {"lut", {param(lut, "lut")}}},
                           w_->name);
        }
        record_.encoding = "constexpr_lut_to_dense";
        return b_.add1(record_.encoding,
                       {{"indices", {param(packedBytes(p.indices, indexDtype(p.bits)), "indices")}},
                        {"lut", {param(Tensor::fromFloats(p.lut, {entries}, w_->type.dtype), "lut")}},
                        {"shape", {param(shapeTensor(shape), "shape")}}},
                       w_->name);
    }

    std::vector<bool> pruneMask() const {
        if (config_.method == CompressionMethod::ThresholdPrune) return thresholdMask(values_, config_.threshold);
        if (config_.nmRatio) {
            const Shape& shape = w_->type.shape;
            int64_t axis = config_.pruneDim ? *config_.pruneDim : channelAxes(use_, w_).second;
            if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
                throw FieldError("dim", "the n:m axis is outside the weight's rank");
            return nmMask(values_, shape, config_.nmRatio->first, config_.nmRatio->second, axis);
        }
        return magnitudeMask(values_, *config_.targetSparsity);
    }

    mil::Value* prune() {
        const Shape& shape = w_->type.shape;
        const std::vector<bool>& keep = *keep_;
        if (config_.method == CompressionMethod::ThresholdPrune && sparsityOf(keep) < config_.minimumSparsity)
            return nullptr;  // too dense to gain from a mask
        const std::vector<int64_t> mask = maskOf(keep);
        if (std::none_of(mask.begin(), mask.end(), [](int64_t m) { return m != 0; }))
            return nullptr;  // Core ML cannot hold an empty nonzero_data
        record_.sparsity = sparsityOf(keep);
        if (existing_) return pruneEncoded(mask);
        const std::vector<float> nonzero = atMask(values_, mask);
        record_.encoding = "constexpr_sparse_to_dense";
        const Tensor data = Tensor::fromFloats(nonzero, {static_cast<int64_t>(nonzero.size())}, w_->type.dtype);
        if (program_.target >= Target::iOS18)
            return b_.add1(record_.encoding,
                           {{"nonzero_data", {param(data, "nonzero_data")}},
                            {"mask", {param(Tensor::fromInts(mask, shape, DType::UInt1), "mask")}}},
                           w_->name);
        return b_.add1(record_.encoding,
                       {{"nonzero_data", {param(data, "nonzero_data")}},
                        {"mask", {param(packedBytes(mask, DType::UInt1), "mask")}},
                        {"shape", {param(shapeTensor(shape), "shape")}}},
                       w_->name);
    }

    // Quantized or palettized, then pruned: the kept elements' stored integers or indices go to the
    // sparse form of the same op, whose scales or tables are read again.
    mil::Value* pruneEncoded(const std::vector<int64_t>& mask) {
        mil::Operation* op = existing_->op;
        mil::Value* maskValue = param(Tensor::fromInts(mask, w_->type.shape, DType::UInt1), "mask");
        std::vector<mil::Value*> outs;
        if (op->type == "constexpr_blockwise_shift_scale") {
            const Tensor& data = *op->input("data")->constValue;
            const std::vector<int64_t> nonzero = atMask(data.toInts(), mask);
            std::vector<mil::OpInput> in = {
                {"data_mask", {maskValue}},
                {"nonzero_data", {param(Tensor::fromInts(nonzero, {int64_t(nonzero.size())}, data.dtype()), "quantized")}},
                {"scale", {reuse(op->input("scale"))}}};
            if (mil::Value* offset = op->input("offset")) in.push_back({"offset", {reuse(offset)}});
            outs = b_.add("constexpr_sparse_blockwise_shift_scale", std::move(in), w_->name + "_quantized");
        } else {
            const Tensor& indices = *op->input("indices")->constValue;
            const std::vector<int64_t> nonzero = atMask(indices.toInts(), mask);
            outs = b_.add("constexpr_lut_to_sparse",
                          {{"indices_mask", {maskValue}},
                           {"indices_nonzero_data",
                            {param(Tensor::fromInts(nonzero, {int64_t(nonzero.size())}, indices.dtype()), "indices")}},
                           {"lut", {reuse(op->input("lut"))}}},
                          w_->name + "_palettized");
        }
        record_.bits = op->type == "constexpr_lut_to_dense" ? dtypeBits(op->input("indices")->constValue->dtype())
                                                             : dtypeBits(op->input("data")->constValue->dtype());
        record_.encoding = outs.front()->producer->type + "+constexpr_sparse_to_dense";
        return b_.add1("constexpr_sparse_to_dense", {{"nonzero_data", {outs[1]}}, {"mask", {outs[0]}}}, w_->name);
    }

    mil::Program& program_;
    Use use_;
    const OpCompression& config_;
    mil::Value* w_;
    mil::Builder b_;
    std::vector<float> values_;
    std::optional<Existing> existing_;
    CompressedWeight record_;
    // prepare()'s results, for run().
    std::optional<LinearQuantized> quantized_;
    std::optional<Palettized> palettized_;
    std::optional<std::vector<bool>> keep_;
};

// Readers of a value, each with the input name it is read through.
std::vector<Use> readersOf(const mil::Value* w, const std::vector<mil::Operation*>& users) {
    std::vector<Use> readers;
    for (mil::Operation* user : users)
        for (const auto& in : user->inputs)
            for (const mil::Value* v : in.values)
                if (v == w) readers.push_back({user, in.name});
    return readers;
}

// Removes ops whose outputs nobody reads any more, among `candidates` (an encoding replaced by a
// joint one, and the constants only it read).
void removeUnused(mil::Block& body, std::vector<mil::Operation*> candidates) {
    bool changed = true;
    while (changed) {
        changed = false;
        const auto uses = mil::buildUses(body);
        for (auto it = candidates.begin(); it != candidates.end();) {
            mil::Operation* op = *it;
            const bool unused = std::all_of(op->outputs.begin(), op->outputs.end(), [&](const mil::Value* v) {
                const auto u = uses.find(v);
                return (u == uses.end() || u->second.empty()) && !mil::isBlockOutput(body, v);
            });
            if (!unused) {
                ++it;
                continue;
            }
            for (const auto& in : op->inputs)
                for (const mil::Value* v : in.values)
                    if (v->producer) candidates.push_back(v->producer);
            body.ops.erase(std::find_if(body.ops.begin(), body.ops.end(), [&](const auto& o) { return o.get() == op; }));
            candidates.erase(std::remove(candidates.begin(), candidates.end(), op), candidates.end());
            changed = true;
            break;
        }
    }
}

// A weight chosen for compression, encoded when its window comes.
struct Job {
    mil::Operation* op;  // the const, or the encoding a joint config replaces
    Use reader;
    Chosen chosen;
    std::unique_ptr<WeightCompressor> compressor;
    std::exception_ptr error;  // raised in program order, when the weights before it are written
};

// Weights whose numerics run together, and their total size in elements: small weights share the threads,
// a large one runs alone with the parallel loops inside it; the bound keeps only a few dense copies alive.
constexpr size_t kWindowWeights = 64;
constexpr int64_t kWindowElements = int64_t(1) << 22;

}  // namespace

uint64_t CompressionSummary::bytesBefore() const {
    uint64_t n = 0;
    for (const auto& w : weights) n += w.bytesBefore;
    return n;
}

uint64_t CompressionSummary::bytesAfter() const {
    uint64_t n = 0;
    for (const auto& w : weights) n += w.bytesAfter;
    return n;
}

void checkCompressionTarget(const CompressionConfig& config, mil::Target target, const std::string& file,
                            bool jointCompression) {
    if (jointCompression && target < Target::iOS18 && !config.empty())
        configError(file, "joint compression (joint_compression) needs iOS18; the program's target is " +
                              mil::targetName(target),
                    "convert the model again with --target iOS18, or compress without --joint-compression");
    if (config.global) checkEntry(*config.global, "global_config", target, file);
    for (const auto& [name, c] : config.opTypes)
        if (c) checkEntry(*c, "op_type_configs." + name, target, file);
    for (const auto& [name, c] : config.opNames)
        if (c) checkEntry(*c, "op_name_configs." + name, target, file);
}

CompressionSummary compressProgram(mil::Program& program, const CompressionConfig& config, const CompressOptions& options) {
    CompressionSummary summary;
    if (config.empty()) return summary;
    checkCompressionTarget(config, program.target, options.configFile, options.jointCompression);
    mil::Block& body = program.main().body;
    const auto uses = mil::buildUses(body);
    // Candidates: dense constants, and the encodings an earlier config wrote (in program order).
    std::vector<mil::Operation*> candidates;
    for (const auto& op : body.ops)
        if (op->type == "const" || isConstexpr(op.get())) candidates.push_back(op.get());
    // First the weights to compress are chosen (no program change yet), then they are encoded a window at a
    // time: the numerics of a window's weights run in parallel, their encodings are written in program order.
    std::vector<Job> jobs;
    for (mil::Operation* op : candidates) {
        mil::Value* w = op->output();
        if (!w || !isFloat(w->type.dtype) || w->type.dtype == DType::Float64 || w->type.rank() < 2) continue;
        if (w->type.dtype == DType::BFloat16 || mil::isBlockOutput(body, w) || !w->type.isStatic()) continue;
        if (op->outputs.size() != 1) continue;
        const auto it = uses.find(w);
        if (it == uses.end() || it->second.empty()) continue;
        // Only weights read by ordinary ops: parameters of an encoding are not weights of their own.
        if (std::any_of(it->second.begin(), it->second.end(), isConstexpr)) continue;
        const std::vector<Use> readers = readersOf(w, it->second);
        if (readers.empty()) continue;
        if (op->type == "const" && !w->constValue) continue;
        const Chosen chosen = configFor(config, w, readers.front());
        Job job{op, readers.front(), chosen, {}, {}};
        for (const Use& r : readers)
            if (configFor(config, w, r).config != chosen.config) {
                // Raised when the weights before it are encoded, as a one-by-one pass would.
                job.error = std::make_exception_ptr(Error(
                    ErrorKind::Settings,
                    "weight \"" + w->name + "\" is read by " + readers.front().op->name + " and " + r.op->name +
                        ", whose compression configs differ",
                    {options.configFile, r.op->prov.describe()},
                    "give the weight its own entry in op_name_configs (by its name \"" + w->name + "\")"));
                break;
            }
        if (job.error) {
            jobs.push_back(std::move(job));
            break;
        }
        if (isConstexpr(op)) {
            if (!chosen.config) continue;
            const bool pruning = chosen.config->method == CompressionMethod::ThresholdPrune ||
                                 chosen.config->method == CompressionMethod::MagnitudePrune;
            // Joinable pairs: a pruned weight palettized or quantized, a palettized or quantized one
            // pruned, a palettized one quantized (its look-up table).
            const bool hasExisting = options.jointCompression && existingEncoding(op);
            const bool lutQuantized =
                op->type == "constexpr_lut_to_dense" && chosen.config->method == CompressionMethod::LinearQuantize;
            const bool joinable = hasExisting && ((op->type == "constexpr_sparse_to_dense") != pruning || lutQuantized);
            if (!joinable) {
                ++summary.leftCompressed;
                continue;
            }
        } else {
            ++summary.consideredWeights;
        }
        if (!chosen.config) continue;
        if (chosen.config->weightThreshold && shapeNumel(w->type.shape) <= *chosen.config->weightThreshold) continue;
        jobs.push_back(std::move(job));
    }

    const auto configError = [&](const Job& job, const std::invalid_argument& e) {
        const auto* field = dynamic_cast<const FieldError*>(&e);
        const mil::Value* w = job.op->output();
        return Error(ErrorKind::Settings,
                     job.chosen.key + (field ? "." + field->field : std::string()) + ": cannot compress weight \"" +
                         w->name + "\" " + shapeToString(w->type.shape) + " of " + job.reader.op->type + " " +
                         job.reader.op->name + ": " + e.what(),
                     {options.configFile, job.reader.op->prov.describe()},
                     "change " + job.chosen.key + " in the compression config, or give this op its own entry in "
                     "op_name_configs (null leaves it uncompressed)");
    };
    for (size_t first = 0; first < jobs.size();) {
        size_t last = first;
        int64_t elements = 0;
        while (last < jobs.size() && last - first < kWindowWeights) {
            const int64_t n = shapeNumel(jobs[last].op->output()->type.shape);
            if (last > first && elements + n > kWindowElements) break;
            elements += n;
            ++last;
        }
        for (size_t j = first; j < last; ++j) {
            Job& job = jobs[j];
            if (job.error) continue;
            // Decoded again here rather than kept from the choice: only a window's dense copies are held.
            std::optional<Existing> existing = isConstexpr(job.op) ? existingEncoding(job.op) : std::nullopt;
            std::vector<float> values = existing ? existing->dense : job.op->output()->constValue->toFloats();
            job.compressor = std::make_unique<WeightCompressor>(program, job.op, job.reader, *job.chosen.config,
                                                                std::move(values), std::move(existing));
        }
        const auto prepare = [&](size_t i) {
            Job& job = jobs[first + i];
            if (!job.compressor) return;
            try {
                job.compressor->prepare();
            } catch (...) {
                job.error = std::current_exception();
            }
        };
        // One large weight alone keeps the parallel loops inside its own numerics.
        if (last - first == 1) prepare(0);
        else parallelFor(last - first, prepare);

        for (size_t j = first; j < last; ++j) {
            Job& job = jobs[j];
            mil::Value* w = job.op->output();
            mil::Value* replacement = nullptr;
            try {
                if (job.error) std::rethrow_exception(job.error);
                replacement = job.compressor->run();
            } catch (const std::invalid_argument& e) {
                throw configError(job, e);
            }
            if (!replacement) {
                job.compressor.reset();
                continue;
            }
            // The decoded weight keeps its name, so reports, provenance and later configs still find it.
            const std::string name = w->name;
            mil::replaceAllUses(body, w, replacement);
            removeUnused(body, {job.op});
            replacement->name = name;
            replacement->producer->name = name;
            summary.weights.push_back(job.compressor->record());
            job.compressor.reset();
            // The program keeps removed ops' values: drop the dense weight's data so its storage (a borrowed
            // libtorch tensor, or a copy) is freed as compression goes rather than after the whole program.
            if (w->isConst() && std::none_of(body.ops.begin(), body.ops.end(),
                                             [w](const auto& op) { return op->output() == w; }))
                w->constValue.reset();
        }
        first = last;
    }
    return summary;
}

}  // namespace cms::compress
