#include "compress/compress_program.h"

#include <fnmatch.h>

#include <algorithm>
#include <stdexcept>

#include "common/error.h"
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

void checkEntry(const OpCompression& c, const std::string& where, Target target, const std::string& file) {
    const std::string ctx = "compression config (" + where + "): ";
    const std::string raise = "set the deployment target to iOS18 (--target iOS18), or ";
    if (target < Target::iOS16)
        configError(file, ctx + methodWord(c.method) + " writes constexpr ops, which Core ML runs from iOS16 on (the "
                    "target is " + mil::targetName(target) + ")",
                    "set the deployment target to iOS16 or later (--target iOS16), or remove the compression config");
    switch (c.method) {
        case CompressionMethod::LinearQuantize:
            if (c.mode != "linear_symmetric" && c.mode != "linear")
                configError(file, ctx + "quantization mode \"" + c.mode + "\" is not one of linear_symmetric, linear", kConfigHint);
            if (c.bits != 8 && c.bits != 4)
                configError(file, ctx + "quantization to " + std::to_string(c.bits) + " bits; Core ML stores 4 or 8",
                            kConfigHint);
            if (c.bits == 4 && target < Target::iOS18)
                configError(file, ctx + "4-bit quantization needs iOS18 (the target is " + mil::targetName(target) + ")",
                            raise + "quantize to 8 bits (dtype: int8)");
            if (c.granularity == CompressionGranularity::PerBlock && target < Target::iOS18)
                configError(file, ctx + "per-block quantization needs iOS18 (the target is " + mil::targetName(target) + ")",
                            raise + "use granularity per_channel");
            if (c.granularity == CompressionGranularity::PerGroupedChannel)
                configError(file, ctx + "per_grouped_channel is a palettization granularity",
                            "use per_tensor, per_channel or per_block for quantization");
            if (c.granularity == CompressionGranularity::PerBlock && c.blockSize <= 0)
                configError(file, ctx + "block_size must be positive", kConfigHint);
            break;
        case CompressionMethod::Palettize: {
            if (c.mode != "kmeans" && c.mode != "uniform" && c.mode != "unique")
                configError(file, ctx + "palettization mode \"" + c.mode + "\" is not one of kmeans, uniform, unique",
                            kConfigHint);
            const bool known = c.bits == 1 || c.bits == 2 || c.bits == 3 || c.bits == 4 || c.bits == 6 || c.bits == 8;
            if (c.mode != "unique" && !known)
                configError(file, ctx + "nbits " + std::to_string(c.bits) + " is not one of 1, 2, 3, 4, 6, 8", kConfigHint);
            if (c.mode != "unique" && c.bits == 3 && target < Target::iOS18)
                configError(file, ctx + "3-bit palettes need iOS18 (the target is " + mil::targetName(target) + ")",
                            raise + "use 2 or 4 bits");
            if (c.granularity == CompressionGranularity::PerGroupedChannel && target < Target::iOS18)
                configError(file, ctx + "per_grouped_channel palettization needs iOS18 (the target is " +
                            mil::targetName(target) + ")", raise + "use granularity per_tensor");
            if (c.granularity == CompressionGranularity::PerChannel || c.granularity == CompressionGranularity::PerBlock)
                configError(file, ctx + "palettization granularity must be per_tensor or per_grouped_channel, not " +
                            granularityName(c.granularity), kConfigHint);
            if (c.granularity == CompressionGranularity::PerGroupedChannel && c.groupSize <= 0)
                configError(file, ctx + "group_size must be positive", kConfigHint);
            if (c.clusterDim != 1)
                throw Error(ErrorKind::Unsupported, ctx + "vector palettization (cluster_dim " +
                            std::to_string(c.clusterDim) + ") is not supported yet", {file, {}}, "use cluster_dim: 1");
            if (c.perChannelScale)
                throw Error(ErrorKind::Unsupported, ctx + "enable_per_channel_scale is not supported yet", {file, {}},
                            "remove enable_per_channel_scale from the config");
            break;
        }
        case CompressionMethod::ThresholdPrune:
            if (c.threshold < 0) configError(file, ctx + "threshold must not be negative", kConfigHint);
            break;
        case CompressionMethod::MagnitudePrune:
            if (c.pruneBlockSize)
                throw Error(ErrorKind::Unsupported, ctx + "block sparsity (block_size) is not supported yet", {file, {}},
                            "use target_sparsity or n_m_ratio");
            if (c.targetSparsity && (*c.targetSparsity < 0 || *c.targetSparsity > 1))
                configError(file, ctx + "target_sparsity must lie in [0, 1]", kConfigHint);
            if (c.nmRatio && (c.nmRatio->first < 0 || c.nmRatio->second <= 0 || c.nmRatio->first > c.nmRatio->second))
                configError(file, ctx + "n_m_ratio must have 0 <= n <= m", kConfigHint);
            if (!c.targetSparsity && !c.nmRatio)
                configError(file, ctx + "magnitude pruning needs target_sparsity or n_m_ratio", kConfigHint);
            break;
    }
}

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

// The config reaching a weight through one reader: by name (the weight's, the reader's, or the
// reader's module path, globs allowed), then by the reader's op type, then the global one.
std::optional<OpCompression> configFor(const CompressionConfig& c, const mil::Value* w, const Use& use) {
    if (auto it = c.opNames.find(w->name); it != c.opNames.end()) return it->second;
    if (auto it = c.opNames.find(use.op->name); it != c.opNames.end()) return it->second;
    for (const auto& [pattern, cfg] : c.opNames)
        if (globMatch(pattern, use.op->prov.modulePath) || globMatch(pattern, use.op->name)) return cfg;
    if (auto it = c.opTypes.find(use.op->type); it != c.opTypes.end()) return it->second;
    return c.global;
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

class WeightCompressor {
public:
    WeightCompressor(mil::Program& program, mil::Operation* constOp, const Use& use, const OpCompression& config)
        : program_(program), op_(constOp), use_(use), config_(config), w_(constOp->output()),
          b_(program, program.main().body, program.target) {
        b_.setProvenance(constOp->prov);
        b_.setInsertBefore(constOp);
        values_ = w_->constValue->toFloats();
        record_.name = w_->name;
        record_.opName = use.op->name;
        record_.opType = use.op->type;
        record_.modulePath = use.op->prov.modulePath;
        record_.shape = w_->type.shape;
        record_.dtype = w_->type.dtype;
        record_.method = config.method;
        record_.bytesBefore = w_->constValue->nbytes();
    }

    // The replacement's output, or null when the method leaves this weight as it is.
    mil::Value* run() {
        try {
            switch (config_.method) {
                case CompressionMethod::LinearQuantize: return quantize();
                case CompressionMethod::Palettize: return palettize();
                case CompressionMethod::ThresholdPrune:
                case CompressionMethod::MagnitudePrune: return prune();
            }
        } catch (const std::invalid_argument& e) {
            throw Error(ErrorKind::Settings,
                        "cannot " + std::string(config_.method == CompressionMethod::Palettize ? "palettize" : "compress") +
                            " weight \"" + w_->name + "\" " + shapeToString(w_->type.shape) + " of " + use_.op->type +
                            " " + use_.op->name + ": " + e.what(),
                        {{}, use_.op->prov.describe()},
                        "change this op's entry in the compression config (op_name_configs), or set it to null to "
                        "leave it uncompressed");
        }
        return nullptr;
    }

    CompressedWeight record() const { return record_; }

private:
    mil::Value* param(const Tensor& t, const std::string& suffix) {
        record_.bytesAfter += t.nbytes();
        return b_.constant(t, w_->name + "_" + suffix);
    }

    mil::Value* quantize() {
        const Shape& shape = w_->type.shape;
        const auto [outAxis, inAxis] = channelAxes(use_, w_);
        BlockSizes blocks(shape.size(), 0);
        if (config_.granularity != CompressionGranularity::PerTensor) blocks[static_cast<size_t>(outAxis)] = 1;
        if (config_.granularity == CompressionGranularity::PerBlock) {
            if (shape[static_cast<size_t>(inAxis)] % config_.blockSize != 0)
                throw std::invalid_argument("block_size " + std::to_string(config_.blockSize) +
                                            " does not divide the input-channel axis of " +
                                            std::to_string(shape[static_cast<size_t>(inAxis)]));
            blocks[static_cast<size_t>(inAxis)] = config_.blockSize;
        }
        const bool symmetric = config_.mode == "linear_symmetric";
        const DType qType = quantizedDtype(config_.bits, config_.isSigned);
        const LinearQuantized q = quantizeLinear(values_, shape, blocks, config_.bits, config_.isSigned, symmetric, w_->type.dtype);
        record_.bits = config_.bits;
        const bool anyOffset = std::any_of(q.zeroPoint.begin(), q.zeroPoint.end(), [](int64_t z) { return z != 0; });
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

    mil::Value* palettize() {
        const Shape& shape = w_->type.shape;
        BlockSizes blocks(shape.size(), 0);
        if (config_.granularity == CompressionGranularity::PerGroupedChannel) {
            int64_t axis = config_.channelAxis ? *config_.channelAxis : channelAxes(use_, w_).first;
            if (axis < 0) axis += static_cast<int64_t>(shape.size());
            if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
                throw std::invalid_argument("channel_axis is outside the weight's rank");
            if (shape[static_cast<size_t>(axis)] % config_.groupSize != 0 && config_.groupSize < shape[static_cast<size_t>(axis)])
                throw std::invalid_argument("group_size " + std::to_string(config_.groupSize) + " does not divide the " +
                                            std::to_string(shape[static_cast<size_t>(axis)]) + " channels");
            blocks[static_cast<size_t>(axis)] = config_.groupSize;
        }
        const bool ios18 = program_.target >= Target::iOS18;
        const std::vector<int> allowed = ios18 ? std::vector<int>{1, 2, 3, 4, 6, 8} : std::vector<int>{1, 2, 4, 6, 8};
        const Palettized p = compress::palettize(values_, shape, blocks, config_.mode == "unique" ? 0 : config_.bits,
                                                 config_.mode, allowed, w_->type.dtype);
        record_.bits = p.bits;
        record_.encoding = "constexpr_lut_to_dense";
        const int64_t entries = int64_t(1) << p.bits;
        if (ios18) {
            Shape lutShape = p.grid;
            lutShape.push_back(entries);
            lutShape.push_back(1);
            return b_.add1(record_.encoding,
                           {{"indices", {param(Tensor::fromInts(p.indices, shape, indexDtype(p.bits)), "indices")}},
                            {"lut", {param(Tensor::fromFloats(p.lut, lutShape, w_->type.dtype), "lut")}}},
                           w_->name);
        }
        return b_.add1(record_.encoding,
                       {{"indices", {param(packedBytes(p.indices, indexDtype(p.bits)), "indices")}},
                        {"lut", {param(Tensor::fromFloats(p.lut, {entries}, w_->type.dtype), "lut")}},
                        {"shape", {param(shapeTensor(shape), "shape")}}},
                       w_->name);
    }

    mil::Value* prune() {
        const Shape& shape = w_->type.shape;
        std::vector<bool> keep;
        if (config_.method == CompressionMethod::ThresholdPrune) {
            keep = thresholdMask(values_, config_.threshold);
            if (sparsityOf(keep) < config_.minimumSparsity) return nullptr;  // too dense to gain from a mask
        } else if (config_.nmRatio) {
            int64_t axis = config_.pruneDim ? *config_.pruneDim : channelAxes(use_, w_).second;
            if (axis < 0 || axis >= static_cast<int64_t>(shape.size()))
                throw std::invalid_argument("the n:m axis is outside the weight's rank");
            keep = nmMask(values_, shape, config_.nmRatio->first, config_.nmRatio->second, axis);
        } else {
            keep = magnitudeMask(values_, *config_.targetSparsity);
        }
        std::vector<float> nonzero;
        for (size_t i = 0; i < keep.size(); ++i)
            if (keep[i]) nonzero.push_back(values_[i]);
        if (nonzero.empty()) return nullptr;  // Core ML cannot hold an empty nonzero_data
        record_.sparsity = sparsityOf(keep);
        record_.encoding = "constexpr_sparse_to_dense";
        const Tensor data = Tensor::fromFloats(nonzero, {static_cast<int64_t>(nonzero.size())}, w_->type.dtype);
        std::vector<int64_t> bits(keep.begin(), keep.end());
        if (program_.target >= Target::iOS18)
            return b_.add1(record_.encoding,
                           {{"nonzero_data", {param(data, "nonzero_data")}},
                            {"mask", {param(Tensor::fromInts(bits, shape, DType::UInt1), "mask")}}},
                           w_->name);
        return b_.add1(record_.encoding,
                       {{"nonzero_data", {param(data, "nonzero_data")}},
                        {"mask", {param(packedBytes(bits, DType::UInt1), "mask")}},
                        {"shape", {param(shapeTensor(shape), "shape")}}},
                       w_->name);
    }

    mil::Program& program_;
    mil::Operation* op_;
    Use use_;
    const OpCompression& config_;
    mil::Value* w_;
    mil::Builder b_;
    std::vector<float> values_;
    CompressedWeight record_;
};

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

void checkCompressionTarget(const CompressionConfig& config, mil::Target target, const std::string& file) {
    if (config.global) checkEntry(*config.global, "global_config", target, file);
    for (const auto& [name, c] : config.opTypes)
        if (c) checkEntry(*c, "op_type_configs." + name, target, file);
    for (const auto& [name, c] : config.opNames)
        if (c) checkEntry(*c, "op_name_configs." + name, target, file);
}

CompressionSummary compressProgram(mil::Program& program, const CompressionConfig& config) {
    CompressionSummary summary;
    if (config.empty()) return summary;
    checkCompressionTarget(config, program.target);
    mil::Block& body = program.main().body;
    const auto uses = mil::buildUses(body);
    std::vector<mil::Operation*> consts;
    for (const auto& op : body.ops)
        if (op->type == "const") consts.push_back(op.get());
    for (mil::Operation* op : consts) {
        mil::Value* w = op->output();
        if (!w || !w->constValue || !isFloat(w->type.dtype) || w->type.dtype == DType::Float64 || w->type.rank() < 2)
            continue;
        if (w->type.dtype == DType::BFloat16 || mil::isBlockOutput(body, w)) continue;
        const auto it = uses.find(w);
        if (it == uses.end() || it->second.empty()) continue;
        std::vector<Use> readers;
        bool ordinary = true;
        for (mil::Operation* user : it->second) {
            if (user->type.rfind("constexpr_", 0) == 0) ordinary = false;
            for (const auto& in : user->inputs)
                for (const mil::Value* v : in.values)
                    if (v == w) readers.push_back({user, in.name});
        }
        if (!ordinary || readers.empty()) continue;
        ++summary.consideredWeights;
        const std::optional<OpCompression> chosen = configFor(config, w, readers.front());
        for (const Use& r : readers)
            if (configFor(config, w, r) != chosen)
                throw Error(ErrorKind::Settings,
                            "weight \"" + w->name + "\" is read by " + readers.front().op->name + " and " + r.op->name +
                                ", whose compression configs differ",
                            {{}, r.op->prov.describe()},
                            "give the weight its own entry in op_name_configs (by its name \"" + w->name + "\")");
        if (!chosen) continue;
        if (chosen->weightThreshold && w->type.isStatic() && shapeNumel(w->type.shape) <= *chosen->weightThreshold)
            continue;
        WeightCompressor compressor(program, op, readers.front(), *chosen);
        mil::Value* replacement = compressor.run();
        if (!replacement) continue;
        // The decoded constant keeps the weight's name, so reports and provenance still find it.
        const std::string name = w->name;
        mil::replaceAllUses(body, w, replacement);
        body.ops.erase(std::find_if(body.ops.begin(), body.ops.end(), [&](const auto& o) { return o.get() == op; }));
        replacement->name = name;
        replacement->producer->name = name;
        summary.weights.push_back(compressor.record());
    }
    return summary;
}

}  // namespace cms::compress
