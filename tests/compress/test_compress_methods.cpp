// Each compression method, encoded for each target, written as a package, read back and run by the
// interpreter: the decoded weight must equal the reference decompression exactly, and the encoding
// must be the constexpr op Core ML defines for that target. The package read back is also
// decompressed (`coreml-cli decompress`), written and read again: its dense constant must equal
// the same reference. Joint compression (pruned + palettized / quantized and the reverse) too.
#include <random>

#include "compress/compress_program.h"
#include "compress/decompress.h"
#include "compress/weight_math.h"
#include "compress/weights_listing.h"
#include "package/package.h"
#include "runtime/interpreter_test_util.h"

using namespace cms;
using cms::test::ProgramMaker;

namespace {

constexpr int64_t kOut = 64, kIn = 48;  // 3072 elements: above coremltools' 2048 threshold

std::vector<float> randomWeights(int64_t n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> dist(0.0f, 0.05f);
    std::vector<float> w(static_cast<size_t>(n));
    for (float& v : w) v = dist(rng);
    return w;
}

struct Result {
    std::vector<float> decoded;  // the weight as the interpreter decoded it, [kOut, kIn]
    std::vector<float> decompressed;  // the weight after decompressing the package read back
    std::vector<std::string> opTypes;
    compress::CompressionSummary summary;  // of the last stage
    std::vector<compress::WeightInfo> listed;  // `coreml-cli weights` of the package read back
    std::optional<std::vector<float>> listedDecode;  // the listing's own decoding of the compressed weight
};

// The dense weight "fc_weight" of a package after decompressing it and writing it again.
std::vector<float> decompressedWeight(const std::string& package, const std::string& output) {
    package::PackageContents c = package::readPackage(package);
    compress::decompressProgram(c.program);
    package::writePackage(c.program, c.description, output);
    const package::PackageContents back = package::readPackage(output);
    for (const auto& op : back.program.main().body.ops) {
        if (op->type.rfind("constexpr_", 0) == 0) return {};  // not fully decompressed
        if (op->type == "const" && op->output()->name == "fc_weight") return op->output()->constValue->toFloats();
    }
    return {};
}

// y = linear(I, W): the identity input makes the output W^T exactly (in fp32 and fp16). Each
// stage is one config applied after the other (joint compression on from the second stage when
// `joint`).
Result runStages(mil::Target target, const std::vector<float>& w, const std::vector<OpCompression>& stages, bool joint,
                 DType dtype = DType::Float32, Shape shape = {kOut, kIn}) {
    test::ScratchDir dir;
    ProgramMaker m(target);
    const int64_t out = shape[0], in = shape[1];
    std::vector<float> eye(static_cast<size_t>(in * in), 0.0f);
    for (int64_t i = 0; i < in; ++i) eye[static_cast<size_t>(i * in + i)] = 1.0f;
    mil::Value* x = m.input("x", {in, in}, dtype);
    mil::Value* weight = m.b().constant(Tensor::fromFloats(w, shape, dtype), "fc_weight");
    mil::Value* bias = m.b().constant(Tensor::zeros(dtype, {out}), "fc_bias");
    m.output(m.op("linear", {{"x", {x}}, {"weight", {weight}}, {"bias", {bias}}}, "y"));
    Result r;
    for (size_t i = 0; i < stages.size(); ++i) {
        CompressionConfig cfg;
        cfg.global = stages[i];
        compress::CompressOptions options;
        options.jointCompression = joint && i > 0;
        r.summary = compress::compressProgram(m.program(), cfg, options);
    }
    runtime::Interpreter interp = m.load(dir);
    r.decompressed = decompressedWeight(dir.path("model.mlpackage"), dir.path("dense.mlpackage"));
    for (const auto& op : interp.program().main().body.ops) {
        r.opTypes.push_back(op->type);
        if (op->type.rfind("constexpr_", 0) == 0) r.listedDecode = compress::decodeConstexpr(*op);
    }
    r.listed = compress::listWeights(interp.program());
    const std::vector<float> y = interp.run({{"x", Tensor::fromFloats(eye, {in, in}, dtype)}}).at("y").toFloats();
    r.decoded.resize(y.size());
    for (int64_t o = 0; o < out; ++o)
        for (int64_t i = 0; i < in; ++i) r.decoded[static_cast<size_t>(o * in + i)] = y[static_cast<size_t>(i * out + o)];
    return r;
}

Result runCompressed(mil::Target target, const std::vector<float>& w, const OpCompression& config,
                     DType dtype = DType::Float32, Shape shape = {kOut, kIn}) {
    return runStages(target, w, {config}, false, dtype, shape);
}

bool contains(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::vector<float> asStored(const std::vector<float>& w, DType dtype) {
    return Tensor::fromFloats(w, {static_cast<int64_t>(w.size())}, dtype).toFloats();
}

OpCompression quantizer(int bits, bool isSigned, const char* mode, CompressionGranularity g, int block = 32) {
    OpCompression c = OpCompression::defaults(CompressionMethod::LinearQuantize);
    c.bits = bits;
    c.isSigned = isSigned;
    c.mode = mode;
    c.granularity = g;
    c.blockSize = block;
    return c;
}

OpCompression palettizer(int bits, const char* mode, CompressionGranularity g = CompressionGranularity::PerTensor,
                         int group = 16) {
    OpCompression c = OpCompression::defaults(CompressionMethod::Palettize);
    c.bits = bits;
    c.mode = mode;
    c.granularity = g;
    c.groupSize = group;
    return c;
}

OpCompression magnitudePruner(double sparsity) {
    OpCompression c = OpCompression::defaults(CompressionMethod::MagnitudePrune);
    c.targetSparsity = sparsity;
    return c;
}

std::vector<float> masked(const std::vector<float>& v, const std::vector<bool>& keep) {
    std::vector<float> out(v);
    for (size_t i = 0; i < out.size(); ++i)
        if (!keep[i]) out[i] = 0.0f;
    return out;
}

const std::vector<int> kAllBits = {1, 2, 3, 4, 6, 8};

QString errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TestCompressMethods : public QObject {
    Q_OBJECT
private slots:
    void linearQuantizationPerTargetAndGranularity() {
        const std::vector<float> w = randomWeights(kOut * kIn, 1);
        struct Case {
            mil::Target target;
            int bits;
            bool isSigned;
            const char* mode;
            CompressionGranularity g;
            compress::BlockSizes blocks;
            const char* op;
        };
        using G = CompressionGranularity;
        const Case cases[] = {
            {mil::Target::iOS16, 8, true, "linear_symmetric", G::PerChannel, {1, 0}, "constexpr_affine_dequantize"},
            {mil::Target::iOS16, 8, false, "linear", G::PerTensor, {0, 0}, "constexpr_affine_dequantize"},
            {mil::Target::iOS17, 8, false, "linear_symmetric", G::PerChannel, {1, 0}, "constexpr_affine_dequantize"},
            {mil::Target::iOS17, 8, true, "linear", G::PerChannel, {1, 0}, "constexpr_affine_dequantize"},
            {mil::Target::iOS18, 8, true, "linear_symmetric", G::PerChannel, {1, 0}, "constexpr_blockwise_shift_scale"},
            {mil::Target::iOS18, 4, true, "linear_symmetric", G::PerBlock, {1, 16}, "constexpr_blockwise_shift_scale"},
            {mil::Target::iOS18, 4, false, "linear", G::PerBlock, {1, 8}, "constexpr_blockwise_shift_scale"},
            {mil::Target::iOS18, 8, false, "linear", G::PerTensor, {0, 0}, "constexpr_blockwise_shift_scale"},
        };
        for (const Case& c : cases) {
            const QByteArray label = QByteArray::number(c.bits) + (c.isSigned ? " signed " : " unsigned ") + c.mode +
                                     " " + granularityName(c.g).c_str() + " " + mil::targetName(c.target).c_str();
            const Result r = runCompressed(c.target, w, quantizer(c.bits, c.isSigned, c.mode, c.g, int(c.blocks[1])));
            QVERIFY2(contains(r.opTypes, c.op), label);
            QVERIFY2(!contains(r.opTypes, "const") || r.summary.weights.size() == 1, label);
            const compress::LinearQuantized q =
                compress::quantizeLinear(w, {kOut, kIn}, c.blocks, c.bits, c.isSigned,
                                         std::string(c.mode) == "linear_symmetric", DType::Float32);
            QVERIFY2(r.decoded == compress::dequantize(q, {kOut, kIn}), label);
            // Rounding error at most half a step per element.
            const compress::BlockSizes& b = c.blocks;
            const std::vector<int64_t> blockOf = compress::blockOfElements({kOut, kIn}, b);
            for (size_t i = 0; i < w.size(); ++i)
                QVERIFY2(std::fabs(r.decoded[i] - w[i]) <= 0.5001f * q.scale[static_cast<size_t>(blockOf[i])], label);
            QCOMPARE(r.summary.weights.size(), size_t(1));
            QCOMPARE(r.summary.weights[0].bits, c.bits);
            QVERIFY2(r.listedDecode && *r.listedDecode == r.decoded, label);
            QVERIFY2(r.decompressed == r.decoded, label);
            QCOMPARE(r.listed.size(), size_t(1));
            QCOMPARE(r.listed[0].bits, c.bits);
            QCOMPARE(r.listed[0].encoding, std::string(c.op));
        }
    }

    void fp16WeightsKeepFp16Scales() {
        const std::vector<float> w = asStored(randomWeights(kOut * kIn, 2), DType::Float16);
        const Result r = runCompressed(mil::Target::iOS16, w,
                                       quantizer(8, true, "linear_symmetric", CompressionGranularity::PerChannel),
                                       DType::Float16);
        const compress::LinearQuantized q = compress::quantizeLinear(w, {kOut, kIn}, {1, 0}, 8, true, true, DType::Float16);
        QVERIFY(r.decoded == asStored(compress::dequantize(q, {kOut, kIn}), DType::Float16));
    }

    void palettizationPerTargetBitsAndMode() {
        const std::vector<float> w = randomWeights(kOut * kIn, 3);
        struct Case {
            mil::Target target;
            int bits;
            const char* mode;
            CompressionGranularity g;
            compress::BlockSizes blocks;
        };
        using G = CompressionGranularity;
        const Case cases[] = {
            {mil::Target::iOS16, 1, "kmeans", G::PerTensor, {0, 0}}, {mil::Target::iOS16, 2, "kmeans", G::PerTensor, {0, 0}},
            {mil::Target::iOS16, 4, "kmeans", G::PerTensor, {0, 0}}, {mil::Target::iOS16, 6, "kmeans", G::PerTensor, {0, 0}},
            {mil::Target::iOS17, 8, "kmeans", G::PerTensor, {0, 0}}, {mil::Target::iOS16, 4, "uniform", G::PerTensor, {0, 0}},
            {mil::Target::iOS18, 3, "kmeans", G::PerTensor, {0, 0}}, {mil::Target::iOS18, 6, "kmeans", G::PerTensor, {0, 0}},
            {mil::Target::iOS18, 4, "kmeans", G::PerGroupedChannel, {16, 0}},
            {mil::Target::iOS18, 2, "uniform", G::PerGroupedChannel, {16, 0}},
        };
        for (const Case& c : cases) {
            const QByteArray label = QByteArray::number(c.bits) + " bits " + c.mode + " " +
                                     granularityName(c.g).c_str() + " " + mil::targetName(c.target).c_str();
            const Result r = runCompressed(c.target, w, palettizer(c.bits, c.mode, c.g, 16));
            QVERIFY2(contains(r.opTypes, "constexpr_lut_to_dense"), label);
            const std::vector<int> allowed = {1, 2, 3, 4, 6, 8};
            const compress::Palettized p =
                compress::palettize(w, {kOut, kIn}, c.blocks, c.bits, c.mode, allowed, DType::Float32);
            QVERIFY2(r.decoded == compress::expandPalette(p, {kOut, kIn}), label);
            std::vector<float> distinct(r.decoded);
            std::sort(distinct.begin(), distinct.end());
            const size_t tables = c.g == G::PerTensor ? 1 : kOut / 16;
            QVERIFY2(size_t(std::unique(distinct.begin(), distinct.end()) - distinct.begin()) <= tables << c.bits, label);
            QCOMPARE(r.summary.weights.at(0).bits, c.bits);
            QVERIFY2(r.listedDecode && *r.listedDecode == r.decoded, label);
            QVERIFY2(r.decompressed == r.decoded, label);
            QCOMPARE(r.listed.at(0).bits, c.bits);
        }
    }

    void uniquePalettizationIsLossless() {
        std::vector<float> w = randomWeights(kOut * kIn, 4);
        for (float& v : w) v = std::round(v * 100.0f) / 100.0f;  // a few dozen distinct values
        for (mil::Target t : {mil::Target::iOS16, mil::Target::iOS18}) {
            const Result r = runCompressed(t, w, palettizer(0, "unique"));
            QVERIFY(contains(r.opTypes, "constexpr_lut_to_dense"));
            QVERIFY(r.decoded == w);
            QVERIFY(r.summary.weights.at(0).bits <= 6);
        }
    }

    void kmeansIsDeterministicAndFindsClusters() {
        // Four tight clusters: 2-bit k-means must place one entry in each.
        std::vector<float> w = randomWeights(4096, 5);
        const float centres[] = {-1.0f, -0.25f, 0.5f, 2.0f};
        for (size_t i = 0; i < w.size(); ++i) w[i] = centres[i % 4] + w[i] * 0.01f;
        const auto p1 = compress::palettize(w, {64, 64}, {0, 0}, 2, "kmeans", {1, 2, 4}, DType::Float32, 7);
        const auto p2 = compress::palettize(w, {64, 64}, {0, 0}, 2, "kmeans", {1, 2, 4}, DType::Float32, 7);
        QVERIFY(p1.lut == p2.lut && p1.indices == p2.indices);
        std::vector<float> lut(p1.lut);
        std::sort(lut.begin(), lut.end());
        for (int j = 0; j < 4; ++j) QVERIFY2(std::fabs(lut[size_t(j)] - centres[j]) < 0.01f, qPrintable(QString::number(lut[size_t(j)])));
    }

    void pruningPerTarget() {
        const std::vector<float> w = randomWeights(kOut * kIn, 6);
        for (mil::Target t : {mil::Target::iOS16, mil::Target::iOS18}) {
            OpCompression mag = OpCompression::defaults(CompressionMethod::MagnitudePrune);
            mag.targetSparsity = 0.75;
            Result r = runCompressed(t, w, mag);
            QVERIFY(contains(r.opTypes, "constexpr_sparse_to_dense"));
            const std::vector<bool> keep = compress::magnitudeMask(w, 0.75);
            for (size_t i = 0; i < w.size(); ++i) QCOMPARE(r.decoded[i], keep[i] ? w[i] : 0.0f);
            QCOMPARE(std::count(keep.begin(), keep.end(), false), long(w.size() * 3 / 4));
            QCOMPARE(r.summary.weights.at(0).sparsity, 0.75);
            QVERIFY(r.listedDecode && *r.listedDecode == r.decoded);
            QVERIFY(r.decompressed == r.decoded);
            QCOMPARE(*r.listed.at(0).sparsity, 0.75);

            OpCompression nm = OpCompression::defaults(CompressionMethod::MagnitudePrune);
            nm.targetSparsity.reset();
            nm.nmRatio = std::make_pair(2, 4);
            r = runCompressed(t, w, nm);
            for (int64_t o = 0; o < kOut; ++o)
                for (int64_t g = 0; g < kIn; g += 4) {
                    int zeros = 0;
                    float keptMin = 1e9f, droppedMax = 0;
                    for (int64_t j = g; j < g + 4; ++j) {
                        const size_t i = static_cast<size_t>(o * kIn + j);
                        if (r.decoded[i] == 0.0f) {
                            ++zeros;
                            droppedMax = std::max(droppedMax, std::fabs(w[i]));
                        } else {
                            QCOMPARE(r.decoded[i], w[i]);
                            keptMin = std::min(keptMin, std::fabs(w[i]));
                        }
                    }
                    QCOMPARE(zeros, 2);
                    QVERIFY(droppedMax <= keptMin);
                }

            OpCompression th = OpCompression::defaults(CompressionMethod::ThresholdPrune);
            th.threshold = 0.04;
            th.minimumSparsity = 0.3;
            r = runCompressed(t, w, th);
            QVERIFY(contains(r.opTypes, "constexpr_sparse_to_dense"));
            for (size_t i = 0; i < w.size(); ++i) QCOMPARE(r.decoded[i], std::fabs(w[i]) > 0.04f ? w[i] : 0.0f);
            th.minimumSparsity = 0.9;  // the weight is not that sparse: left dense
            r = runCompressed(t, w, th);
            QVERIFY(!contains(r.opTypes, "constexpr_sparse_to_dense"));
            QVERIFY(r.decoded == w);
        }
    }

    void smallWeightsStayDense() {
        const std::vector<float> w = randomWeights(32 * 64, 8);  // exactly 2048 elements
        const Result r = runCompressed(mil::Target::iOS16, w,
                                       quantizer(8, true, "linear_symmetric", CompressionGranularity::PerChannel),
                                       DType::Float32, {32, 64});
        QVERIFY(r.summary.weights.empty());
        QCOMPARE(r.summary.consideredWeights, size_t(1));
        QVERIFY(r.decoded == w);
    }

    // Every method x weight dtype x granularity x target Core ML accepts: encode, write, read back,
    // run, decompress; each compared with the reference computation.
    void matrixEncodeReadBackDecompress() {
        using G = CompressionGranularity;
        using Reference = std::function<std::vector<float>(const std::vector<float>&, DType)>;
        struct Method {
            const char* name;
            OpCompression config;
            const char* encoding16;  // the op on iOS16/17
            const char* encoding18;
            Reference reference;
        };
        // int8 symmetric per channel, written out plainly: scale = max|row| / 127, stored in the
        // weight's dtype; q = round(w / scale); decoded q * scale.
        const Reference int8PerChannel = [](const std::vector<float>& w, DType dtype) {
            std::vector<float> out(w.size());
            for (int64_t o = 0; o < kOut; ++o) {
                double m = 0;
                for (int64_t i = 0; i < kIn; ++i) m = std::max(m, std::fabs(double(w[size_t(o * kIn + i)])));
                const float scale = asStored({float(m / 127.0)}, dtype)[0];
                for (int64_t i = 0; i < kIn; ++i) {
                    const size_t k = size_t(o * kIn + i);
                    out[k] = float(std::clamp(std::nearbyint(double(w[k]) / double(scale)), -127.0, 127.0)) * scale;
                }
            }
            return out;
        };
        const auto quantRef = [](compress::BlockSizes b, int bits, bool isSigned, bool symmetric) -> Reference {
            return [=](const std::vector<float>& w, DType dtype) {
                return compress::dequantize(compress::quantizeLinear(w, {kOut, kIn}, b, bits, isSigned, symmetric, dtype),
                                            {kOut, kIn});
            };
        };
        const auto paletteRef = [](compress::BlockSizes b, int bits, const char* mode) -> Reference {
            return [=](const std::vector<float>& w, DType dtype) {
                return compress::expandPalette(compress::palettize(w, {kOut, kIn}, b, bits, mode, kAllBits, dtype), {kOut, kIn});
            };
        };
        OpCompression nm = OpCompression::defaults(CompressionMethod::MagnitudePrune);
        nm.targetSparsity.reset();
        nm.nmRatio = std::make_pair(3, 4);
        OpCompression threshold = OpCompression::defaults(CompressionMethod::ThresholdPrune);
        threshold.threshold = 0.03;
        threshold.minimumSparsity = 0.3;
        const Method methods[] = {
            {"int8 symmetric per_channel", quantizer(8, true, "linear_symmetric", G::PerChannel),
             "constexpr_affine_dequantize", "constexpr_blockwise_shift_scale", int8PerChannel},
            {"uint8 affine per_tensor", quantizer(8, false, "linear", G::PerTensor), "constexpr_affine_dequantize",
             "constexpr_blockwise_shift_scale", quantRef({0, 0}, 8, false, false)},
            {"int8 affine per_channel", quantizer(8, true, "linear", G::PerChannel), "constexpr_affine_dequantize",
             "constexpr_blockwise_shift_scale", quantRef({1, 0}, 8, true, false)},
            {"int4 symmetric per_block 16", quantizer(4, true, "linear_symmetric", G::PerBlock, 16), nullptr,
             "constexpr_blockwise_shift_scale", quantRef({1, 16}, 4, true, true)},
            {"uint4 affine per_block 8", quantizer(4, false, "linear", G::PerBlock, 8), nullptr,
             "constexpr_blockwise_shift_scale", quantRef({1, 8}, 4, false, false)},
            {"2-bit kmeans per_tensor", palettizer(2, "kmeans"), "constexpr_lut_to_dense", "constexpr_lut_to_dense",
             paletteRef({0, 0}, 2, "kmeans")},
            {"6-bit kmeans per_tensor", palettizer(6, "kmeans"), "constexpr_lut_to_dense", "constexpr_lut_to_dense",
             paletteRef({0, 0}, 6, "kmeans")},
            {"4-bit uniform per_tensor", palettizer(4, "uniform"), "constexpr_lut_to_dense", "constexpr_lut_to_dense",
             paletteRef({0, 0}, 4, "uniform")},
            {"3-bit kmeans per_tensor", palettizer(3, "kmeans"), nullptr, "constexpr_lut_to_dense",
             paletteRef({0, 0}, 3, "kmeans")},
            {"4-bit kmeans per_grouped_channel 16", palettizer(4, "kmeans", G::PerGroupedChannel, 16), nullptr,
             "constexpr_lut_to_dense", paletteRef({16, 0}, 4, "kmeans")},
            {"magnitude 0.6", magnitudePruner(0.6), "constexpr_sparse_to_dense", "constexpr_sparse_to_dense",
             [](const std::vector<float>& w, DType) { return masked(w, compress::magnitudeMask(w, 0.6)); }},
            {"n:m 3:4", nm, "constexpr_sparse_to_dense", "constexpr_sparse_to_dense",
             [](const std::vector<float>& w, DType) { return masked(w, compress::nmMask(w, {kOut, kIn}, 3, 4, 1)); }},
            {"threshold 0.03", threshold, "constexpr_sparse_to_dense", "constexpr_sparse_to_dense",
             [](const std::vector<float>& w, DType) { return masked(w, compress::thresholdMask(w, 0.03)); }},
        };
        const std::vector<float> raw = randomWeights(kOut * kIn, 21);
        int combinations = 0;
        for (const Method& method : methods)
            for (mil::Target target : {mil::Target::iOS16, mil::Target::iOS17, mil::Target::iOS18})
                for (DType dtype : {DType::Float32, DType::Float16}) {
                    const char* encoding = target >= mil::Target::iOS18 ? method.encoding18 : method.encoding16;
                    const QByteArray label = QByteArray(method.name) + " " + mil::targetName(target).c_str() + " " +
                                             dtypeName(dtype).c_str();
                    if (!encoding) {  // Core ML has no encoding for it before iOS18: the config is refused
                        CompressionConfig cfg;
                        cfg.global = method.config;
                        QVERIFY2(errorOf([&] { compress::checkCompressionTarget(cfg, target, "cfg.yaml"); }).contains("iOS18"),
                                 label);
                        continue;
                    }
                    const std::vector<float> w = asStored(raw, dtype);
                    const Result r = runCompressed(target, w, method.config, dtype);
                    QVERIFY2(contains(r.opTypes, encoding), label);
                    const std::vector<float> expected = asStored(method.reference(w, dtype), dtype);
                    QVERIFY2(r.decoded == expected, label);
                    QVERIFY2(r.decompressed == expected, label);
                    QVERIFY2(r.listedDecode && asStored(*r.listedDecode, dtype) == expected, label);
                    ++combinations;
                }
        QCOMPARE(combinations, 2 * (9 * 3 + 4 * 1));
    }

    // coremltools' joint compression: a pruned weight palettized or quantized (its nonzero values,
    // with the tables or scales of the dense layout), and a quantized or palettized one pruned.
    void jointPrunedThenPalettizedOrQuantized() {
        using G = CompressionGranularity;
        const std::vector<float> raw = randomWeights(kOut * kIn, 31);
        struct Case {
            OpCompression config;
            const char* first;  // the sparse-to-sparse op
            std::function<std::vector<float>(const std::vector<float>&, DType)> dense;  // of the pruned weight
            int bits;
        };
        const Case cases[] = {
            {palettizer(4, "kmeans"), "constexpr_lut_to_sparse",
             [](const std::vector<float>& w, DType d) {
                 return compress::expandPalette(compress::palettize(w, {kOut, kIn}, {0, 0}, 4, "kmeans", kAllBits, d), {kOut, kIn});
             }, 4},
            {palettizer(2, "uniform", G::PerGroupedChannel, 16), "constexpr_lut_to_sparse",
             [](const std::vector<float>& w, DType d) {
                 return compress::expandPalette(compress::palettize(w, {kOut, kIn}, {16, 0}, 2, "uniform", kAllBits, d), {kOut, kIn});
             }, 2},
            {quantizer(8, true, "linear_symmetric", G::PerChannel), "constexpr_sparse_blockwise_shift_scale",
             [](const std::vector<float>& w, DType d) {
                 return compress::dequantize(compress::quantizeLinear(w, {kOut, kIn}, {1, 0}, 8, true, true, d), {kOut, kIn});
             }, 8},
            {quantizer(4, false, "linear", G::PerBlock, 16), "constexpr_sparse_blockwise_shift_scale",
             [](const std::vector<float>& w, DType d) {
                 return compress::dequantize(compress::quantizeLinear(w, {kOut, kIn}, {1, 16}, 4, false, false, d), {kOut, kIn});
             }, 4},
        };
        for (DType dtype : {DType::Float32, DType::Float16})
            for (const Case& c : cases) {
                const QByteArray label = QByteArray(c.first) + " " + QByteArray::number(c.bits) + " " + dtypeName(dtype).c_str();
                const std::vector<float> w = asStored(raw, dtype);
                const std::vector<bool> keep = compress::magnitudeMask(w, 0.5);
                const std::vector<float> expected = asStored(masked(c.dense(masked(w, keep), dtype), keep), dtype);
                const Result r = runStages(mil::Target::iOS18, w, {magnitudePruner(0.5), c.config}, true, dtype);
                QVERIFY2(contains(r.opTypes, c.first) && contains(r.opTypes, "constexpr_sparse_to_dense"), label);
                QVERIFY2(!contains(r.opTypes, "constexpr_lut_to_dense") && !contains(r.opTypes, "constexpr_blockwise_shift_scale"),
                         label);
                QVERIFY2(r.decoded == expected, label);
                QVERIFY2(r.decompressed == expected, label);
                QCOMPARE(r.summary.weights.size(), size_t(1));
                QCOMPARE(r.summary.weights[0].encoding, std::string(c.first) + "+constexpr_sparse_to_dense");
                QCOMPARE(r.summary.weights[0].bits, c.bits);
                QCOMPARE(r.listed.at(0).encoding, std::string(c.first) + "+constexpr_sparse_to_dense");
                QCOMPARE(r.listed.at(0).bits, c.bits);
                QVERIFY2(*r.listed.at(0).sparsity >= 0.5, label);
                // Stored: the 1-bit mask, one index or integer per kept element, tables or scales.
                const uint64_t n = uint64_t(kOut * kIn);
                QVERIFY2(r.listed.at(0).storedBytes <= n / 8 + n / 2 * uint64_t(c.bits) / 8 + 1200, label);
            }
    }

    void jointQuantizedOrPalettizedThenPruned() {
        using G = CompressionGranularity;
        const std::vector<float> w = randomWeights(kOut * kIn, 41);
        const std::vector<float> quantized = compress::dequantize(
            compress::quantizeLinear(w, {kOut, kIn}, {1, 0}, 8, true, true, DType::Float32), {kOut, kIn});
        Result r = runStages(mil::Target::iOS18, w, {quantizer(8, true, "linear_symmetric", G::PerChannel), magnitudePruner(0.5)},
                             true);
        QVERIFY(contains(r.opTypes, "constexpr_sparse_blockwise_shift_scale"));
        QVERIFY(r.decoded == masked(quantized, compress::magnitudeMask(quantized, 0.5)));
        QVERIFY(r.decompressed == r.decoded);

        const std::vector<float> palettized = compress::expandPalette(
            compress::palettize(w, {kOut, kIn}, {0, 0}, 4, "kmeans", kAllBits, DType::Float32), {kOut, kIn});
        r = runStages(mil::Target::iOS18, w, {palettizer(4, "kmeans"), magnitudePruner(0.75)}, true);
        QVERIFY(contains(r.opTypes, "constexpr_lut_to_sparse"));
        QVERIFY(r.decoded == masked(palettized, compress::magnitudeMask(palettized, 0.75)));
        QVERIFY(r.decompressed == r.decoded);
        QCOMPARE(r.listed.at(0).encoding, std::string("constexpr_lut_to_sparse+constexpr_sparse_to_dense"));
    }

    // Palettized, then quantized: the look-up table is quantized per tensor and dequantized by a
    // constexpr_blockwise_shift_scale feeding constexpr_lut_to_dense, as coremltools chains them.
    void jointPalettizedThenTableQuantized() {
        using G = CompressionGranularity;
        const std::vector<float> raw = randomWeights(kOut * kIn, 61);
        for (DType dtype : {DType::Float32, DType::Float16})
            for (bool isSigned : {true, false}) {
                const QByteArray label = QByteArray(dtypeName(dtype).c_str()) + (isSigned ? " int8" : " uint8 affine");
                const std::vector<float> w = asStored(raw, dtype);
                compress::Palettized p = compress::palettize(w, {kOut, kIn}, {0, 0}, 4, "kmeans", kAllBits, dtype);
                const Shape lutShape = {1, 1, 16, 1};
                p.lut = asStored(compress::dequantize(compress::quantizeLinear(p.lut, lutShape, {0, 0, 0, 0}, 8, isSigned,
                                                                                isSigned, dtype),
                                                      lutShape),
                                 dtype);
                const Result r = runStages(mil::Target::iOS18, w,
                                           {palettizer(4, "kmeans"),
                                            quantizer(8, isSigned, isSigned ? "linear_symmetric" : "linear", G::PerTensor)},
                                           true, dtype);
                QVERIFY2(contains(r.opTypes, "constexpr_blockwise_shift_scale") && contains(r.opTypes, "constexpr_lut_to_dense"),
                         label);
                QVERIFY2(r.decoded == compress::expandPalette(p, {kOut, kIn}), label);
                QVERIFY2(r.decompressed == r.decoded, label);
                QCOMPARE(r.summary.weights.at(0).encoding, std::string("constexpr_blockwise_shift_scale+constexpr_lut_to_dense"));
                QCOMPARE(r.listed.at(0).encoding, std::string("constexpr_blockwise_shift_scale+constexpr_lut_to_dense"));
                QCOMPARE(r.listed.at(0).bits, 4);
            }
        const QString e = errorOf([&] {
            runStages(mil::Target::iOS18, raw, {palettizer(4, "kmeans"), quantizer(8, true, "linear_symmetric", G::PerChannel)},
                      true);
        });
        QVERIFY2(e.contains("global_config.granularity: ") && e.contains("look-up table") && e.contains("per_tensor"),
                 qPrintable(e));
    }

    void jointCompressionNeedsTheOptionAndIOS18() {
        const std::vector<float> w = randomWeights(kOut * kIn, 51);
        const std::vector<float> pruned = masked(w, compress::magnitudeMask(w, 0.5));
        // Without joint compression the pruned weight is left as it is, as coremltools does.
        const Result r = runStages(mil::Target::iOS18, w, {magnitudePruner(0.5), palettizer(4, "kmeans")}, false);
        QVERIFY(!contains(r.opTypes, "constexpr_lut_to_sparse") && !contains(r.opTypes, "constexpr_lut_to_dense"));
        QCOMPARE(r.summary.leftCompressed, size_t(1));
        QVERIFY(r.summary.weights.empty());
        QVERIFY(r.decoded == pruned);
        // Pairs Core ML cannot join (palettizing a palettized weight) are left too.
        const Result twice = runStages(mil::Target::iOS18, w, {palettizer(4, "kmeans"), palettizer(2, "kmeans")}, true);
        QCOMPARE(twice.summary.leftCompressed, size_t(1));
        QCOMPARE(twice.listed.at(0).bits, 4);

        for (mil::Target t : {mil::Target::iOS16, mil::Target::iOS17}) {
            CompressionConfig cfg;
            cfg.global = palettizer(4, "kmeans");
            mil::Program program;
            program.target = t;
            program.addFunction("main", t);
            compress::CompressOptions options;
            options.jointCompression = true;
            options.configFile = "pal.yaml";
            const QString e = errorOf([&] { compress::compressProgram(program, cfg, options); });
            QVERIFY2(e.startsWith("pal.yaml") && e.contains("joint compression") && e.contains("needs iOS18"), qPrintable(e));
        }
    }

    void targetGatingAndBadConfigs() {
        const auto gate = [](const OpCompression& c, mil::Target t) {
            CompressionConfig cfg;
            cfg.global = c;
            return errorOf([&] { compress::checkCompressionTarget(cfg, t, "cfg.yaml"); });
        };
        using G = CompressionGranularity;
        QVERIFY(gate(quantizer(8, true, "linear_symmetric", G::PerChannel), mil::Target::iOS15).contains("from iOS16"));
        QVERIFY(gate(quantizer(4, true, "linear_symmetric", G::PerChannel), mil::Target::iOS17).contains("4-bit quantization needs iOS18"));
        QVERIFY(gate(quantizer(8, true, "linear_symmetric", G::PerBlock), mil::Target::iOS16).contains("per-block quantization needs iOS18"));
        QVERIFY(gate(palettizer(3, "kmeans"), mil::Target::iOS17).contains("3-bit palettes need iOS18"));
        QVERIFY(gate(palettizer(4, "kmeans", G::PerGroupedChannel), mil::Target::iOS16).contains("per_grouped_channel palettization needs iOS18"));
        QVERIFY(gate(palettizer(5, "kmeans"), mil::Target::iOS18).contains("nbits 5"));
        QVERIFY(gate(quantizer(8, true, "linear_symmetric", G::PerBlock), mil::Target::iOS16).startsWith("cfg.yaml"));
        QVERIFY(gate(quantizer(4, true, "linear_symmetric", G::PerBlock), mil::Target::iOS18).isEmpty());
        // A block size that does not divide the input axis names the weight and its op.
        const QString e = errorOf([] {
            runCompressed(mil::Target::iOS18, randomWeights(kOut * kIn, 9), quantizer(4, true, "linear_symmetric", G::PerBlock, 20));
        });
        QVERIFY2(e.contains("fc_weight") && e.contains("block_size 20"), qPrintable(e));
    }

    // Each bad config names the config file and the key: the target checks before any work, the
    // per-weight checks (a block size that does not divide the weight's axis) when compressing.
    void badConfigsNameFileAndKey() {
        using G = CompressionGranularity;
        const auto gate = [](const char* key, const OpCompression& c, mil::Target t) {
            CompressionConfig cfg;
            if (std::string(key) == "global_config") cfg.global = c;
            else cfg.opTypes["linear"] = c;
            return errorOf([&] { compress::checkCompressionTarget(cfg, t, "cfg.yaml"); });
        };
        QCOMPARE(gate("global_config", quantizer(8, true, "linear_symmetric", G::PerBlock), mil::Target::iOS16).section('\n', 0, 0),
                 QString("cfg.yaml: global_config.granularity: per-block quantization needs iOS18 (the target is iOS16)"));
        QCOMPARE(gate("op_type_configs", palettizer(4, "kmeans", G::PerGroupedChannel), mil::Target::iOS17).section('\n', 0, 0),
                 QString("cfg.yaml: op_type_configs.linear.granularity: per_grouped_channel palettization needs iOS18 "
                         "(the target is iOS17)"));
        QCOMPARE(gate("global_config", palettizer(5, "kmeans"), mil::Target::iOS18).section('\n', 0, 0),
                 QString("cfg.yaml: global_config.nbits: nbits 5 is not one of 1, 2, 3, 4, 6, 8"));
        QCOMPARE(gate("global_config", quantizer(4, true, "linear_symmetric", G::PerChannel), mil::Target::iOS17).section('\n', 0, 0),
                 QString("cfg.yaml: global_config.dtype: 4-bit quantization needs iOS18 (the target is iOS17)"));

        ProgramMaker m(mil::Target::iOS18);
        mil::Value* x = m.input("x", {2, kIn});
        mil::Value* w = m.b().constant(Tensor::fromFloats(randomWeights(kOut * kIn, 9), {kOut, kIn}), "fc_weight");
        m.output(m.op("linear", {{"x", {x}}, {"weight", {w}}}, "y"));
        CompressionConfig cfg;
        cfg.opTypes["linear"] = quantizer(4, true, "linear_symmetric", G::PerBlock, 20);
        compress::CompressOptions options;
        options.configFile = "q4.yaml";
        const QString e = errorOf([&] { compress::compressProgram(m.program(), cfg, options); });
        QVERIFY2(e.startsWith("q4.yaml: ") && e.contains("op_type_configs.linear.block_size: cannot compress weight "
                                                         "\"fc_weight\" 64x48 of linear") &&
                     e.contains("block_size 20 does not divide the input-channel axis of 48"),
                 qPrintable(e));
    }
};

QTEST_APPLESS_MAIN(TestCompressMethods)
#include "test_compress_methods.moc"
