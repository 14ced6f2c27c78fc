#include "settings/compressed_size.h"

#include <cctype>
#include <cmath>
#include <set>
#include <unordered_set>

#include "ir/graph.h"

namespace cms {

namespace {

bool isFloatWeight(DType d) { return d == DType::Float32 || d == DType::Float16 || d == DType::Float64; }

uint64_t bitsToBytes(uint64_t bits) { return (bits + 7) / 8; }

// The axis Core ML treats as the weight's output channels: the last for matmul's right operand,
// the first for conv, linear and embedding tables.
int64_t outputChannels(const ModelWeight& w) {
    const Shape& s = w.tensor.shape();
    if (s.empty()) return 1;
    return w.opType == "matmul" ? s.back() : s.front();
}

int64_t inputChannels(const ModelWeight& w) {
    const Shape& s = w.tensor.shape();
    if (s.size() < 2) return 1;
    return w.opType == "matmul" ? s[s.size() - 2] : s[1];
}

// MIL names keep letters and digits only (mil::Program::uniqueName): "layer1.0.weight" -> "layer1_0_weight".
std::string milConstantName(std::string name) {
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

int64_t ceilDiv(int64_t a, int64_t b) { return b <= 0 ? 1 : (a + b - 1) / b; }

}  // namespace

std::string milOpTypeForSourceOp(const std::string& kind) {
    if (kind == "aten::conv1d" || kind == "aten::conv2d" || kind == "aten::conv3d" || kind == "aten::_convolution" ||
        kind == "aten::convolution")
        return "conv";
    if (kind.rfind("aten::conv_transpose", 0) == 0) return "conv_transpose";
    if (kind == "aten::linear" || kind == "aten::addmm") return "linear";
    if (kind == "aten::matmul" || kind == "aten::mm" || kind == "aten::bmm") return "matmul";
    if (kind == "aten::embedding") return "gather";
    const size_t colon = kind.rfind(':');
    return colon == std::string::npos ? kind : kind.substr(colon + 1);
}

std::vector<ModelWeight> collectWeights(const ir::Graph& graph) {
    std::vector<ModelWeight> out;
    std::set<const ir::Value*> seen;
    for (const ir::Node* n : graph.allNodes()) {
        for (const ir::Value* v : n->inputs) {
            if (!v->constant || !std::holds_alternative<Tensor>(*v->constant) || !seen.insert(v).second) continue;
            const Tensor& t = std::get<Tensor>(*v->constant);
            if (!isFloatWeight(t.dtype()) || t.numel() == 0) continue;
            std::string opType = milOpTypeForSourceOp(n->kind);
            // _convolution's seventh argument says whether it is a transposed convolution.
            if (n->kind == "aten::_convolution" && n->inputs.size() > 6 && n->inputs[6]->constant &&
                std::holds_alternative<bool>(*n->inputs[6]->constant) && std::get<bool>(*n->inputs[6]->constant))
                opType = "conv_transpose";
            out.push_back({v->name, opType, n->prov.modulePath, t});
        }
    }
    return out;
}

uint64_t compressedBytes(const ModelWeight& w, const OpCompression& c, int floatBytes) {
    const int64_t numel = w.tensor.numel();
    const uint64_t plain = uint64_t(numel) * uint64_t(floatBytes);
    const int64_t cout = outputChannels(w);
    switch (c.method) {
        case CompressionMethod::LinearQuantize: {
            int64_t scales = 1;
            if (c.granularity == CompressionGranularity::PerChannel) scales = cout;
            if (c.granularity == CompressionGranularity::PerBlock)
                scales = cout * (c.blockSize == 0 ? 1 : ceilDiv(inputChannels(w), c.blockSize));
            uint64_t bytes = bitsToBytes(uint64_t(numel) * c.bits) + uint64_t(scales) * floatBytes;
            if (c.mode == "linear") bytes += bitsToBytes(uint64_t(scales) * c.bits);  // zero points
            return bytes;
        }
        case CompressionMethod::Palettize: {
            int nbits = c.bits;
            if (c.mode == "unique") {
                // The smallest table that holds every distinct value; more than 256 cannot be palettized.
                std::unordered_set<float> distinct;
                for (float v : w.tensor.toFloats()) {
                    distinct.insert(v);
                    if (distinct.size() > 256) return plain;
                }
                nbits = 8;
                for (int n : {1, 2, 4, 6, 8})
                    if ((size_t(1) << n) >= distinct.size()) {
                        nbits = n;
                        break;
                    }
            }
            const int64_t dim = std::max(1, c.clusterDim);
            const int64_t tables = c.granularity == CompressionGranularity::PerGroupedChannel ? ceilDiv(cout, c.groupSize) : 1;
            uint64_t bytes = bitsToBytes(uint64_t(ceilDiv(numel, dim)) * nbits) +
                             uint64_t(tables) * (uint64_t(1) << nbits) * uint64_t(dim) * floatBytes;
            if (c.perChannelScale) bytes += uint64_t(cout) * floatBytes;
            return bytes;
        }
        case CompressionMethod::ThresholdPrune: {
            int64_t zeros = 0;
            for (float v : w.tensor.toFloats()) zeros += std::fabs(v) <= c.threshold;
            if (double(zeros) / double(numel) < c.minimumSparsity) return plain;  // not sparse enough: left as is
            return bitsToBytes(uint64_t(numel)) + uint64_t(numel - zeros) * floatBytes;
        }
        case CompressionMethod::MagnitudePrune: {
            double density = 1.0;
            if (c.targetSparsity) density = 1.0 - *c.targetSparsity;
            if (c.nmRatio) density = 1.0 - double(c.nmRatio->first) / double(c.nmRatio->second);
            const uint64_t kept = uint64_t(std::ceil(double(numel) * density));
            return bitsToBytes(uint64_t(numel)) + kept * floatBytes;
        }
    }
    return plain;
}

SizeEstimate estimateCompressedSize(const std::vector<ModelWeight>& weights, const CompressionConfig& config,
                                    Precision precision) {
    const int floatBytes = precision == Precision::Float16 ? 2 : 4;
    SizeEstimate e;
    for (const ModelWeight& w : weights) {
        const uint64_t plain = uint64_t(w.tensor.numel()) * floatBytes;
        e.uncompressedBytes += plain;
        ++e.weightCount;
        std::optional<OpCompression> c = config.resolve(w.name, w.opType);
        // By name the converter also knows a weight by its MIL constant name and its reader's module path.
        for (const std::string& name : {milConstantName(w.name), w.modulePath}) {
            if (config.opNames.count(w.name) || name.empty()) break;
            if (auto it = config.opNames.find(name); it != config.opNames.end()) {
                c = it->second;
                break;
            }
        }
        if (!c || (c->weightThreshold && w.tensor.numel() <= *c->weightThreshold)) {
            e.estimatedBytes += plain;
            continue;
        }
        ++e.compressedCount;
        e.estimatedBytes += compressedBytes(w, *c, floatBytes);
    }
    return e;
}

}  // namespace cms
