// Each compression method, encoded for each target, written as a package, read back and run by the
// interpreter: the decoded weight must equal the reference decompression exactly, and the encoding
// must be the constexpr op Core ML defines for that target.
#include <random>

#include "compress/compress_program.h"
#include "compress/weight_math.h"
#include "compress/weights_listing.h"
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
    std::vector<std::string> opTypes;
    compress::CompressionSummary summary;
    std::vector<compress::WeightInfo> listed;  // `coreml-cli weights` of the package read back
    std::optional<std::vector<float>> listedDecode;  // the listing's own decoding of the compressed weight
};

// y = linear(I, W): the identity input makes the output W^T exactly (in fp32 and fp16).
Result runCompressed(mil::Target target, const std::vector<float>& w, const OpCompression& config,
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
    CompressionConfig cfg;
    cfg.global = config;
    Result r;
    r.summary = compress::compressProgram(m.program(), cfg);
    runtime::Interpreter interp = m.load(dir);
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
};

QTEST_APPLESS_MAIN(TestCompressMethods)
#include "test_compress_methods.moc"
