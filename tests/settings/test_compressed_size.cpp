// The compressed-size estimate: the bytes each method stores, worked out by hand for small
// weights, config resolution by name/type/global, and weight collection from a graph.
#include "ir/graph.h"
#include "settings/compressed_size.h"
#include "support/test_support.h"

using namespace cms;

namespace {

ModelWeight weight(const std::string& name, const std::string& opType, Shape shape, std::vector<float> values = {}) {
    const int64_t n = shapeNumel(shape);
    if (values.empty())
        for (int64_t i = 0; i < n; ++i) values.push_back(float(i % 7) - 3.0f);
    return {name, opType, "", Tensor::fromFloats(values, shape)};
}

}  // namespace

class TestCompressedSize : public QObject {
    Q_OBJECT
private slots:
    void linearQuantizationBytes() {
        const ModelWeight w = weight("w", "conv", {64, 32, 3, 3});  // 18432 elements
        OpCompression c = OpCompression::defaults(CompressionMethod::LinearQuantize);  // int8 per channel
        QCOMPARE(compressedBytes(w, c, 2), uint64_t(18432 + 64 * 2));
        c.bits = 4;
        c.granularity = CompressionGranularity::PerBlock;
        c.blockSize = 16;  // 32 input channels -> 2 blocks per output channel
        QCOMPARE(compressedBytes(w, c, 2), uint64_t(18432 / 2 + 64 * 2 * 2));
        c.mode = "linear";  // zero points too, 4 bits each
        QCOMPARE(compressedBytes(w, c, 2), uint64_t(18432 / 2 + 64 * 2 * 2 + 64));
        c.granularity = CompressionGranularity::PerTensor;
        QCOMPARE(compressedBytes(w, c, 4), uint64_t(18432 / 2 + 4 + 1));
    }

    void palettizationBytes() {
        const ModelWeight w = weight("w", "linear", {100, 50});
        OpCompression c = OpCompression::defaults(CompressionMethod::Palettize);  // kmeans 4 bits per tensor
        QCOMPARE(compressedBytes(w, c, 2), uint64_t(5000 / 2 + 16 * 2));
        c.granularity = CompressionGranularity::PerGroupedChannel;
        c.groupSize = 32;  // 100 channels -> 4 tables
        QCOMPARE(compressedBytes(w, c, 2), uint64_t(5000 / 2 + 4 * 16 * 2));
        // unique: the weights hold 7 distinct values -> 3 bits would do, 4 is the next allowed width
        c = OpCompression::defaults(CompressionMethod::Palettize);
        c.mode = "unique";
        QCOMPARE(compressedBytes(w, c, 4), uint64_t(5000 / 2 + 16 * 4));
        std::vector<float> many;
        for (int i = 0; i < 5000; ++i) many.push_back(float(i));
        QCOMPARE(compressedBytes(weight("w", "linear", {100, 50}, many), c, 4), uint64_t(5000 * 4));  // not palettizable
    }

    void pruningBytes() {
        std::vector<float> values(1000, 1.0f);
        for (int i = 0; i < 600; ++i) values[i] = 0.0f;
        const ModelWeight w = weight("w", "linear", {10, 100}, values);
        OpCompression t = OpCompression::defaults(CompressionMethod::ThresholdPrune);
        QCOMPARE(compressedBytes(w, t, 2), uint64_t(125 + 400 * 2));  // mask + 400 kept values
        t.minimumSparsity = 0.7;  // 60% zeros is not enough: stored as is
        QCOMPARE(compressedBytes(w, t, 2), uint64_t(2000));
        OpCompression m = OpCompression::defaults(CompressionMethod::MagnitudePrune);
        m.targetSparsity = 0.75;
        QCOMPARE(compressedBytes(w, m, 4), uint64_t(125 + 250 * 4));
        m.targetSparsity.reset();
        m.nmRatio = std::make_pair(1, 4);
        QCOMPARE(compressedBytes(w, m, 4), uint64_t(125 + 750 * 4));
    }

    void estimateResolvesConfigsAndThresholds() {
        const std::vector<ModelWeight> weights = {weight("conv1.weight", "conv", {64, 64, 3, 3}),   // 36864
                                                  weight("fc.weight", "linear", {10, 64}),          // 640: below 2048
                                                  weight("proj.weight", "linear", {128, 64})};      // 8192
        CompressionConfig c;
        QCOMPARE(estimateCompressedSize(weights, c, Precision::Float16).estimatedBytes,
                 uint64_t((36864 + 640 + 8192) * 2));
        c.global = OpCompression::defaults(CompressionMethod::LinearQuantize);
        SizeEstimate e = estimateCompressedSize(weights, c, Precision::Float16);
        QCOMPARE(e.uncompressedBytes, uint64_t((36864 + 640 + 8192) * 2));
        QCOMPARE(e.compressedCount, size_t(2));
        QCOMPARE(e.estimatedBytes, uint64_t(36864 + 64 * 2 + 640 * 2 + 8192 + 128 * 2));
        c.opTypes["linear"] = std::nullopt;  // linear weights stay as they are
        c.opNames["conv1.weight"] = OpCompression::defaults(CompressionMethod::Palettize);
        e = estimateCompressedSize(weights, c, Precision::Float32);
        QCOMPARE(e.compressedCount, size_t(1));
        QCOMPARE(e.estimatedBytes, uint64_t(36864 / 2 + 16 * 4 + (640 + 8192) * 4));

        // An op name may be the weight's MIL constant name or its reader's module path.
        std::vector<ModelWeight> named = weights;
        named[2].modulePath = "encoder.proj";
        c.opNames.clear();
        c.opNames["conv1_weight"] = OpCompression::defaults(CompressionMethod::Palettize);
        c.opNames["encoder.proj"] = OpCompression::defaults(CompressionMethod::LinearQuantize);
        e = estimateCompressedSize(named, c, Precision::Float32);
        QCOMPARE(e.compressedCount, size_t(2));
        QCOMPARE(e.estimatedBytes, uint64_t(36864 / 2 + 16 * 4 + 640 * 4 + 8192 + 128 * 4));
    }

    void collectsConsumedFloatConstantsOnce() {
        ir::Graph g;
        ir::Value* x = g.newValue("x", ir::ValueKind::Tensor);
        g.top().inputs.push_back(x);
        ir::Value* w = g.newConstant("fc.weight", Tensor::fromFloats(std::vector<float>(12, 0.5f), {3, 4}));
        ir::Value* ids = g.newConstant("ids", Tensor::fromInts({1, 2}, {2}));
        for (const char* kind : {"aten::linear", "aten::matmul"}) {
            ir::Node* n = g.newNode(kind);
            n->prov.modulePath = "fc";
            n->inputs = {x, w, ids};
            n->outputs = {g.newValue(std::string(kind) + "_out", ir::ValueKind::Tensor)};
            g.top().nodes.push_back(n);
        }
        const std::vector<ModelWeight> weights = collectWeights(g);
        QCOMPARE(weights.size(), size_t(1));  // the int tensor is no weight; the shared one counts once
        QCOMPARE(QString::fromStdString(weights[0].opType), QString("linear"));
        QCOMPARE(QString::fromStdString(weights[0].modulePath), QString("fc"));
    }
};

QTEST_APPLESS_MAIN(TestCompressedSize)
#include "test_compressed_size.moc"
