// The size report: per-weight bytes, bits and ratio from the programs before and after, and the
// package size progression, whose fp32/fp16 figures must equal what a dense package of that
// precision measures on disk.
#include <random>

#include <nlohmann/json.hpp>

#include "compress/compress_program.h"
#include "compress/size_report.h"
#include "compress/weights_listing.h"
#include "package/package.h"
#include "runtime/interpreter_test_util.h"

using namespace cms;
using cms::test::ProgramMaker;

namespace {

constexpr int64_t kOut = 64, kIn = 48;

// y = linear(x, W) + a small second weight (below the listing's 10 elements it stays inline).
ProgramMaker makeProgram(mil::Target target, DType dtype) {
    ProgramMaker m(target);
    std::mt19937 rng(3);
    std::normal_distribution<float> dist(0.0f, 0.05f);
    std::vector<float> w(size_t(kOut * kIn));
    for (float& v : w) v = dist(rng);
    mil::Value* x = m.input("x", {2, kIn}, dtype);
    mil::Value* weight = m.b().constant(Tensor::fromFloats(w, {kOut, kIn}, dtype), "fc_weight");
    mil::Value* bias = m.b().constant(Tensor::zeros(dtype, {kOut}), "fc_bias");
    m.output(m.op("linear", {{"x", {x}}, {"weight", {weight}}, {"bias", {bias}}}, "y"));
    return m;
}

CompressionConfig globalConfig(const OpCompression& c) {
    CompressionConfig cfg;
    cfg.global = c;
    return cfg;
}

}  // namespace

class TestSizeReport : public QObject {
    Q_OBJECT
private slots:
    void denseFiguresMatchDensePackagesOnDisk() {
        for (DType dtype : {DType::Float32, DType::Float16}) {
            test::ScratchDir dir;
            ProgramMaker m = makeProgram(mil::Target::iOS18, dtype);
            m.load(dir, "dense.mlpackage");
            const std::string pkg = dir.path("dense.mlpackage");
            const compress::SizeReport r = compress::buildSizeReport(nullptr, m.program(), pkg);
            QVERIFY(r.layers.empty());
            QCOMPARE(r.unchangedWeights, size_t(2));  // the weight and the 64-element bias
            const uint64_t onDisk = compress::diskBytes(pkg);
            QCOMPARE(r.package.compressedBytes, onDisk);
            QCOMPARE(dtype == DType::Float32 ? r.package.fp32Bytes : r.package.fp16Bytes, onDisk);
            const uint64_t floats = uint64_t(kOut * kIn + kOut);
            QCOMPARE(r.package.fp32Bytes - r.package.fp16Bytes, 2 * floats);
        }
    }

    void quantizedWeightPerLayerAndTotal() {
        test::ScratchDir dir;
        ProgramMaker dense = makeProgram(mil::Target::iOS18, DType::Float32);
        dense.load(dir, "dense.mlpackage");
        const uint64_t denseBytes = compress::diskBytes(dir.path("dense.mlpackage"));

        ProgramMaker m = makeProgram(mil::Target::iOS18, DType::Float32);
        const std::vector<compress::WeightInfo> before = compress::listWeights(m.program(), 10);
        OpCompression q = OpCompression::defaults(CompressionMethod::LinearQuantize);  // int8 symmetric per channel
        compress::compressProgram(m.program(), globalConfig(q));
        m.load(dir, "int8.mlpackage");
        const std::string pkg = dir.path("int8.mlpackage");
        const compress::SizeReport r = compress::buildSizeReport(&before, m.program(), pkg, denseBytes);
        QCOMPARE(r.layers.size(), size_t(1));
        const compress::LayerSize& l = r.layers[0];
        QCOMPARE(l.name, std::string("fc_weight"));
        QCOMPARE(l.op, std::string("linear"));
        QCOMPARE(l.encodingBefore, std::string("const"));
        QCOMPARE(l.encodingAfter, std::string("constexpr_blockwise_shift_scale"));
        QCOMPARE(l.bytesBefore, uint64_t(kOut * kIn * 4));
        QCOMPARE(l.bytesAfter, uint64_t(kOut * kIn + kOut * 4));  // int8 data and one fp32 scale per row
        QCOMPARE(l.bitsPerWeight(), 8.0 * double(kOut * kIn + kOut * 4) / double(kOut * kIn));
        QCOMPARE(r.ratio(), double(kOut * kIn * 4) / double(kOut * kIn + kOut * 4));
        QCOMPARE(r.unchangedWeights, size_t(1));
        QCOMPARE(r.package.inputBytes, denseBytes);
        QCOMPARE(r.package.compressedBytes, compress::diskBytes(pkg));
        QVERIFY(r.package.compressedBytes < denseBytes - uint64_t(kOut * kIn * 2));
        // The dense fp32 figure is the dense package up to the program text of the constexpr op.
        QVERIFY2(r.package.fp32Bytes > denseBytes - 64 && r.package.fp32Bytes < denseBytes + 1024,
                 qPrintable(QString("%1 vs %2").arg(r.package.fp32Bytes).arg(denseBytes)));

        const nlohmann::json j = compress::sizeReportToJson(r);
        QCOMPARE(j["layers"][0]["name"].get<std::string>(), std::string("fc_weight"));
        QCOMPARE(j["layers"][0]["bytesAfter"].get<uint64_t>(), l.bytesAfter);
        QCOMPARE(j["total"]["weights"].get<size_t>(), size_t(1));
        QCOMPARE(j["package"]["fp16Bytes"].get<uint64_t>(), r.package.fp16Bytes);
        const QString text = QString::fromStdString(compress::sizeReportText(r));
        QVERIFY2(text.contains("fc_weight") && text.contains("3.69x") && text.contains("8.67") &&
                     text.contains("Package size: fp32 ") && text.contains("-> compressed "),
                 qPrintable(text));
    }

    void jointStageReportsTheEarlierEncoding() {
        test::ScratchDir dir;
        ProgramMaker m = makeProgram(mil::Target::iOS18, DType::Float16);
        OpCompression prune = OpCompression::defaults(CompressionMethod::MagnitudePrune);
        prune.targetSparsity = 0.5;
        compress::compressProgram(m.program(), globalConfig(prune));
        const std::vector<compress::WeightInfo> before = compress::listWeights(m.program(), 10);
        OpCompression pal = OpCompression::defaults(CompressionMethod::Palettize);
        pal.bits = 4;
        compress::CompressOptions joint;
        joint.jointCompression = true;
        compress::compressProgram(m.program(), globalConfig(pal), joint);
        m.load(dir, "joint.mlpackage");
        const compress::SizeReport r = compress::buildSizeReport(&before, m.program(), dir.path("joint.mlpackage"));
        QCOMPARE(r.layers.size(), size_t(1));
        const int64_t n = kOut * kIn;
        QCOMPARE(r.layers[0].encodingBefore, std::string("constexpr_sparse_to_dense"));
        QCOMPARE(r.layers[0].encodingAfter, std::string("constexpr_lut_to_sparse+constexpr_sparse_to_dense"));
        QCOMPARE(r.layers[0].bytesBefore, uint64_t(n / 8 + n / 2 * 2));        // mask and fp16 nonzero values
        QCOMPARE(r.layers[0].bytesAfter, uint64_t(n / 8 + n / 2 / 2 + 16 * 2));  // mask, 4-bit indices, fp16 table
        QCOMPARE(*r.layers[0].sparsity, 0.5);
    }
};

QTEST_APPLESS_MAIN(TestSizeReport)
#include "test_size_report.moc"
