// The placement estimate on converted models: resnet50 in fp16 is estimated almost all on the Neural Engine
// and in fp32 on the GPU (and the comparison names fp32 as the reason for every move); a dilated convolution
// and an LSTM from real TorchScript models are kept off the Neural Engine; compressed weights move fewer bytes.
#include "analysis/placement.h"
#include "analysis/placement_compare.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::analysis;

namespace {

std::string convert(const std::string& model, const std::string& inputShape, Precision precision,
                    const std::string& out, const CompressionConfig& compression = {}) {
    ConversionSettings s;
    s.modelPath = model;
    s.outputPath = out;
    InputSpec in;
    in.name = importModel(model).inputNames.at(0);
    parseInputShape(inputShape, in);
    s.inputs = {in};
    s.precision = precision;
    s.target = mil::Target::iOS16;
    s.compression = compression;
    convertModel(s);
    return out;
}

PlacementPlan plan(const std::string& packagePath, ComputeUnits units, const std::string& chip = "M2-Ultra") {
    const package::PackageContents contents = package::readPackage(packagePath);
    return planPlacement(contents.program, ChipLibrary::shipped().find(chip), {units, inputFlexibility(contents)});
}

std::string summary(const PlacementPlan& p) {
    std::string s = p.chipId + " " + computeUnitsName(p.units) + ":";
    for (size_t d = 0; d < kDeviceCount; ++d)
        s += " " + deviceName(static_cast<Device>(d)) + " " + std::to_string(p.perDevice[d].ops) + " ops";
    for (const OpPlacement& o : p.ops)
        if (!o.reasons.empty()) {
            s += "; e.g. " + o.opName + " [" + reasonCodeName(o.reasons.front().code) + "] " + o.reasons.front().text;
            break;
        }
    return s;
}

}  // namespace

class TestPlacementModels : public QObject {
    Q_OBJECT
private slots:
    void resnet50Fp16OnTheNeuralEngineAndFp32OnTheGpu() {
        const std::string pt = test::testModel("tv_resnet50.pt");
        test::ScratchDir dir;
        const std::string fp16 = convert(pt, "1x3x224x224", Precision::Float16, dir.path("r50_fp16.mlpackage"));
        const std::string fp32 = convert(pt, "1x3x224x224", Precision::Float32, dir.path("r50_fp32.mlpackage"));

        for (const char* chip : {"M1-Max", "M2-Ultra", "M4-Max", "A16", "A17-Pro", "A18-Pro"}) {
            const PlacementPlan half = plan(fp16, ComputeUnits::All, chip);
            qInfo("%s fp16 ALL: NE %.1f%% of ops, %.2f%% of FLOPs, %.3f ms", chip,
                  100 * half.opFraction(Device::NeuralEngine), 100 * half.flopFraction(Device::NeuralEngine),
                  half.totalSeconds * 1e3);
            QVERIFY2(half.opFraction(Device::NeuralEngine) >= 0.97, summary(half).c_str());
            QVERIFY2(half.flopFraction(Device::NeuralEngine) >= 0.999, summary(half).c_str());
            QVERIFY(half.totalFlops > 8.0e9 && half.totalFlops < 8.4e9);  // resnet50: ~4.1 G multiply-adds

            const PlacementPlan full = plan(fp32, ComputeUnits::All, chip);
            qInfo("%s fp32 ALL: GPU %.1f%% of ops, %.3f ms", chip, 100 * full.opFraction(Device::Gpu),
                  full.totalSeconds * 1e3);
            QVERIFY2(full.opFraction(Device::Gpu) == 1.0, summary(full).c_str());
            for (const OpPlacement& o : full.ops) QVERIFY2(o.hasReason(ReasonCode::Fp32Precision), o.opName.c_str());
            // The Neural Engine's fp16 is the faster estimate on every chip.
            QVERIFY2(half.totalSeconds < full.totalSeconds, chip);
        }

        // Per compute units: without the GPU an fp32 model runs on the CPU; without the NE fp16 runs on the GPU.
        const PlacementPlan cpuNe32 = plan(fp32, ComputeUnits::CpuAndNeuralEngine);
        QVERIFY2(cpuNe32.opFraction(Device::Cpu) == 1.0, summary(cpuNe32).c_str());
        const PlacementPlan gpu16 = plan(fp16, ComputeUnits::CpuAndGpu);
        QVERIFY2(gpu16.opFraction(Device::Gpu) == 1.0, summary(gpu16).c_str());
        const PlacementPlan cpu16 = plan(fp16, ComputeUnits::CpuOnly);
        QVERIFY2(cpu16.opFraction(Device::Cpu) == 1.0, summary(cpu16).c_str());
        for (const PlacementPlan* p : {&cpuNe32, &gpu16, &cpu16}) {
            qInfo("M2-Ultra %s: %.3f ms",
                  (p == &cpuNe32 ? "fp32 CPU_AND_NE"
                   : p == &gpu16 ? "fp16 CPU_AND_GPU"
                                 : "fp16 CPU_ONLY"),
                  p->totalSeconds * 1e3);
        }

        // Before/after: every matched op moves GPU -> NE, and fp32 is the reason it was off before.
        const PlanComparison c = comparePlans(plan(fp32, ComputeUnits::All), plan(fp16, ComputeUnits::All));
        QVERIFY2(c.matched >= 120, std::to_string(c.matched).c_str());
        QVERIFY2(c.moved.size() + 2 >= c.matched, std::to_string(c.moved.size()).c_str());
        for (const OpMove& m : c.moved) {
            QVERIFY2(m.before == Device::Gpu, m.opName.c_str());
            const bool fp32Before =
                std::any_of(m.reasonsBefore.begin(), m.reasonsBefore.end(),
                            [](const PlacementReason& r) { return r.code == ReasonCode::Fp32Precision; });
            QVERIFY2(fp32Before, m.opName.c_str());
        }
        QVERIFY(c.secondsAfter < c.secondsBefore);
    }

    void flexibleShapesFromTheModelDescription() {
        // Issue 7's flexible inputs: the package's description says which input varies and how.
        const std::string pt = test::testModel("demo_cnn.pt");
        test::ScratchDir dir;
        const std::string range =
            convert(pt, "1x3x(64..256=224)x(64..256=224)", Precision::Float16, dir.path("range.mlpackage"));
        const std::string enumerated =
            convert(pt, "enum(1x3x224x224,1x3x256x256)", Precision::Float16, dir.path("enum.mlpackage"));

        const package::PackageContents rangeContents = package::readPackage(range);
        const std::vector<InputFlexibility> rangeFlex = inputFlexibility(rangeContents);
        QCOMPARE(rangeFlex.size(), size_t(1));
        QVERIFY(rangeFlex[0].rangeShaped);
        const std::vector<InputFlexibility> enumFlex = inputFlexibility(package::readPackage(enumerated));
        QCOMPARE(enumFlex.size(), size_t(1));
        QVERIFY(!enumFlex[0].rangeShaped);
        QCOMPARE(enumFlex[0].enumeratedShapes, size_t(2));

        // Cost figures at the default shape (224x224): the FLOPs of the fixed-shape conversion.
        const std::string fixed = convert(pt, "1x3x224x224", Precision::Float16, dir.path("fixed.mlpackage"));
        package::PackageContents specialized = package::readPackage(enumerated);
        QCOMPARE(specializeToDefaultShapes(specialized), size_t(0));
        const PlacementPlan fixedPlan = plan(fixed, ComputeUnits::All);
        const PlacementPlan atDefault =
            planPlacement(specialized.program, ChipLibrary::shipped().find("M2-Ultra"), {ComputeUnits::All, enumFlex});
        QCOMPARE(atDefault.totalFlops, fixedPlan.totalFlops);
        QVERIFY(std::abs(atDefault.totalSeconds - fixedPlan.totalSeconds) < 1e-12);

        const PlacementPlan r = plan(range, ComputeUnits::All);
        QCOMPARE(r.share(Device::NeuralEngine).ops, size_t(0));
        for (const OpPlacement& o : r.ops) QVERIFY2(o.hasReason(ReasonCode::RangeShape), o.opName.c_str());
        const PlacementPlan e = plan(enumerated, ComputeUnits::All);
        QVERIFY2(e.opFraction(Device::NeuralEngine) == 1.0, summary(e).c_str());

        const PlanComparison c = comparePlans(r, e);
        QVERIFY(c.moved.size() >= 15);
        for (const OpMove& m : c.moved) {
            QCOMPARE(m.after, Device::NeuralEngine);
            QCOMPARE(m.reasonsBefore.front().code, ReasonCode::RangeShape);
        }
    }

    void dilatedConvolutionModelIsKeptOffTheNeuralEngine() {
        const std::string pt = test::testModel("op_conv2d_dilated.pt");
        test::ScratchDir dir;
        const PlacementPlan p =
            plan(convert(pt, "1x3x12x12", Precision::Float16, dir.path("dilated.mlpackage")), ComputeUnits::All);
        const auto conv =
            std::find_if(p.ops.begin(), p.ops.end(), [](const OpPlacement& o) { return o.opType == "conv"; });
        QVERIFY(conv != p.ops.end());
        QVERIFY2(conv->hasReason(ReasonCode::DilatedConv) && conv->device != Device::NeuralEngine, summary(p).c_str());
        QVERIFY(!conv->provenance.empty());  // the package's sidecar links it to the source
    }

    void lstmModelIsKeptOffTheNeuralEngine() {
        const std::string pt = test::testModel("op_lstm.pt");
        test::ScratchDir dir;
        const PlacementPlan p =
            plan(convert(pt, "5x2x4", Precision::Float16, dir.path("lstm.mlpackage")), ComputeUnits::All);
        const auto lstm =
            std::find_if(p.ops.begin(), p.ops.end(), [](const OpPlacement& o) { return o.opType == "lstm"; });
        QVERIFY2(lstm != p.ops.end(), summary(p).c_str());
        QVERIFY2(lstm->hasReason(ReasonCode::OpNotOnNe) && lstm->device != Device::NeuralEngine, summary(p).c_str());
        QVERIFY(lstm->cost.flops > 0);
    }

    void transformerSplitIsNoSlowerThanTheGpuAlone() {
        // Swin-T's window partitions are rank-6 and its masks boolean: many ops leave the NE. The estimate must
        // not split the model so finely that hand-overs make ALL slower than the GPU alone.
        const std::string pt = test::testModel("zoo_swin_t.pt");
        test::ScratchDir dir;
        const std::string pkg = convert(pt, "1x3x224x224", Precision::Float16, dir.path("swin.mlpackage"));
        const PlacementPlan all = plan(pkg, ComputeUnits::All);
        const PlacementPlan gpu = plan(pkg, ComputeUnits::CpuAndGpu);
        qInfo("swin_t fp16 M2-Ultra: ALL %.3f ms (%zu hand-overs), CPU_AND_GPU %.3f ms", all.totalSeconds * 1e3,
              all.switches, gpu.totalSeconds * 1e3);
        QVERIFY2(all.totalSeconds <= gpu.totalSeconds * 1.0001, summary(all).c_str());
        size_t rank6 = 0;
        for (const OpPlacement& o : all.ops) rank6 += o.hasReason(ReasonCode::RankAboveLimit);
        QVERIFY(rank6 > 0);
    }

    void compressedWeightsKeepTheDevicesAndMoveFewerBytes() {
        const std::string pt = test::testModel("tv_resnet18.pt");
        test::ScratchDir dir;
        CompressionConfig int8;
        int8.global = OpCompression::defaults(CompressionMethod::LinearQuantize);
        const std::string plain = convert(pt, "1x3x224x224", Precision::Float16, dir.path("plain.mlpackage"));
        const std::string small = convert(pt, "1x3x224x224", Precision::Float16, dir.path("int8.mlpackage"), int8);
        const PlacementPlan a = plan(plain, ComputeUnits::All, "A17-Pro");
        const PlacementPlan b = plan(small, ComputeUnits::All, "A17-Pro");
        QVERIFY2(b.weightBytes < 0.6 * a.weightBytes,
                 (std::to_string(a.weightBytes) + " -> " + std::to_string(b.weightBytes)).c_str());
        const PlanComparison c = comparePlans(a, b);
        QVERIFY2(c.moved.empty(), c.moved.empty() ? "" : c.moved.front().opName.c_str());
        QVERIFY(c.matched + 1 >= a.ops.size());
        QVERIFY(b.totalSeconds <= a.totalSeconds);
    }
};

QTEST_APPLESS_MAIN(TestPlacementModels)
#include "test_placement_models.moc"
