// The placement cost model: FLOPs, bytes and roofline times of a convolution and a matmul against values
// worked out by hand from the shapes and the chip figures (resources/placement/chips.yaml), the chip figures
// the issue names, and compressed weights counted at their stored size.
#include "analysis/cost_model.h"
#include "placement_programs.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::analysis;

namespace {

const ChipProfile& chip(const std::string& id) { return ChipLibrary::shipped().find(id); }

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

}  // namespace

class TestPlacementCost : public QObject {
    Q_OBJECT
private slots:
    void chipFiguresAreTheGuides() {
        QCOMPARE(chip("M1-Max").memoryBandwidth, 400e9);
        QCOMPARE(chip("M1-Max").neQuotedOps, 15.8e12);
        QCOMPARE(chip("M2-Ultra").memoryBandwidth, 800e9);
        QCOMPARE(chip("M2-Ultra").neQuotedOps, 31.6e12);
        QCOMPARE(chip("M4-Max").memoryBandwidth, 546e9);
        QCOMPARE(chip("M4-Max").neQuotedOps, 38e12);
        for (const char* phone : {"A16", "A17-Pro", "A18-Pro"}) {
            const ChipProfile& c = chip(phone);
            QVERIFY2(c.memoryBandwidth > 40e9 && c.memoryBandwidth < 100e9, phone);
            QVERIFY2(c.neQuotedOps >= 17e12, phone);
            QVERIFY2(!c.source.empty(), phone);
        }
    }

    void convRooflineMatchesHandComputedValues() {
        // fp16 conv 64 -> 64 channels, 3x3, same padding, on 56x56, with bias.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 64, 56, 56});
        p.conv(x, p.weights({64, 64, 3, 3}), {1, 1}, "conv", p.weights({64}));
        const OpCost c = estimateOpCost(p.last(), chip("M2-Ultra"));
        // 2 x (56*56*64 outputs) x (64*3*3 MACs each) + one bias add per output.
        QCOMPARE(c.flops, 231411712.0);
        QCOMPARE(c.weightBytes, 73856.0);       // 64*64*9 + 64 fp16 values
        QCOMPARE(c.activationBytes, 802816.0);  // input and output, 200704 fp16 values each
        QVERIFY(near(c.intensity(), 231411712.0 / 876672.0));
        // Compute-bound everywhere: FLOPs / peak.
        QVERIFY(near(c.secondsOn(Device::NeuralEngine), 231411712.0 / 31.6e12));  // 7.32 us
        QVERIFY(near(c.secondsOn(Device::Gpu), 231411712.0 / 27.2e12));           // 8.51 us
        QVERIFY(near(c.secondsOn(Device::Cpu), 231411712.0 / 1792e9));            // 129 us
        // M4 Max: the quoted 38 TOPS counts int8 operations; fp16 gets half.
        QVERIFY(near(estimateOpCost(p.last(), chip("M4-Max")).secondsOn(Device::NeuralEngine), 231411712.0 / 19e12));
    }

    void matmulRooflineMatchesHandComputedValues() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 128, 256});
        p.matmul(x, p.weights({256, 512}), "mm");
        const OpCost c = estimateOpCost(p.last(), chip("M2-Ultra"));
        QCOMPARE(c.flops, 33554432.0);                                           // 2 x 128 x 512 x 256
        QCOMPARE(c.weightBytes, 262144.0);                                       // 256*512 fp16
        QCOMPARE(c.activationBytes, 196608.0);                                   // 128*256 + 128*512 fp16
        QVERIFY(near(c.secondsOn(Device::NeuralEngine), 33554432.0 / 31.6e12));  // compute-bound: 1.06 us
        QVERIFY(near(c.secondsOn(Device::Gpu), 33554432.0 / 27.2e12));
    }

    void matrixVectorProductIsMemoryBound() {
        // One row against a 4096x4096 fp16 matrix on an iPhone: the weights' bytes set the time.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 1, 4096});
        p.matmul(x, p.weights({4096, 4096}), "mv");
        const OpCost c = estimateOpCost(p.last(), chip("A17-Pro"));
        QCOMPARE(c.flops, 33554432.0);
        const double bytes = 4096.0 * 4096 * 2 + 4096 * 2 + 4096 * 2;
        QVERIFY(near(c.weightBytes + c.activationBytes, bytes));
        QVERIFY(near(c.secondsOn(Device::NeuralEngine), bytes / 51.2e9));  // 656 us, not 33554432 / 17.5e12 = 1.9 us
        QVERIFY(c.intensity() < 1.01);
    }

    void compressedWeightsMoveAtTheirStoredSize() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 256});
        mil::Builder& b = p.b();
        mil::Value* w = b.add1("constexpr_affine_dequantize",
                               {{"quantized_data", {b.constant(Tensor::zeros(DType::Int8, {512, 256}), "q")}},
                                {"zero_point", {b.constant(Tensor::zeros(DType::Int8, {512}), "zp")}},
                                {"scale", {p.weights({512})}},
                                {"axis", {b.constInt(0)}}},
                               "w_dequant");
        p.matmul(x, w, "fc", true);
        const OpCost c = estimateOpCost(p.last(), chip("M2-Ultra"));
        QCOMPARE(c.flops, 2.0 * 512 * 256);
        // int8 data + int8 zero points + fp16 scales + the int32 axis, instead of 512*256 fp16 values.
        QCOMPARE(c.weightBytes, 512.0 * 256 + 512 + 512 * 2 + 4);
        QCOMPARE(storedWeightBytes(*p.last().input("y")), c.weightBytes);
    }
};

QTEST_APPLESS_MAIN(TestPlacementCost)
#include "test_placement_cost.moc"
