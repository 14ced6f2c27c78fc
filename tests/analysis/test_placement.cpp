// The placement rule engine on hand-built ML Programs: each rule fires on a program built to trigger it
// (fp32, dilated convolution, range-shaped and over-enumerated inputs, unknown dimensions, an op without
// Neural Engine support, rank and dimension limits, composite parts, device switches, compute units).
#include "analysis/placement.h"
#include "analysis/placement_compare.h"
#include "common/error.h"
#include "package/package.h"
#include "placement_programs.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::analysis;

namespace {

const ChipProfile& chip(const std::string& id) { return ChipLibrary::shipped().find(id); }

PlacementPlan place(const test::PlacementProgram& p, ComputeUnits units = ComputeUnits::All,
                    std::vector<InputFlexibility> inputs = {}, const std::string& chipId = "M2-Ultra") {
    return planPlacement(p.program(), chip(chipId), {units, std::move(inputs)});
}

OpPlacement op(const PlacementPlan& plan, const std::string& name) {  // a copy: plans are often temporaries
    const OpPlacement* p = plan.find(name);
    if (!p) qFatal("no op named %s in the plan", name.c_str());
    return *p;
}

std::string describe(const OpPlacement& p) {
    std::string s = p.opName + " on " + deviceName(p.device) + ":";
    for (const PlacementReason& r : p.reasons) s += " [" + reasonCodeName(r.code) + "] " + r.text;
    return s;
}

}  // namespace

class TestPlacement : public QObject {
    Q_OBJECT
private slots:
    void rulesFileNamesEveryReasonWithASource() {
        const PlacementRules& rules = PlacementRules::shipped();
        for (ReasonCode c :
             {ReasonCode::Fp32Precision, ReasonCode::DilatedConv, ReasonCode::RangeShape,
              ReasonCode::EnumeratedShapesOverLimit, ReasonCode::OpNotOnNe, ReasonCode::RankAboveLimit,
              ReasonCode::DimensionAboveLimit, ReasonCode::CompositePartOffNe, ReasonCode::IsolatedRun}) {
            QVERIFY2(!rules.reason(c).text.empty(), reasonCodeName(c).c_str());
            QVERIFY2(rules.reason(c).source.size() > 20, reasonCodeName(c).c_str());
        }
        QCOMPARE(rules.maxEnumeratedShapes, size_t(128));
        QCOMPARE(rules.maxDimension, int64_t(16384));
        QVERIFY(rules.switchSeconds(Device::NeuralEngine, Device::Gpu) >
                rules.switchSeconds(Device::NeuralEngine, Device::Cpu));
    }

    void fp16ConvRunsOnTheNeuralEngine() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.conv(x, p.weights({16, 16, 3, 3}), {1, 1}, "conv_plain"));
        const PlacementPlan plan = place(p);
        QCOMPARE(plan.ops.size(), size_t(1));  // constants are not placed
        const OpPlacement& c = op(plan, "conv_plain");
        QVERIFY2(c.device == Device::NeuralEngine && c.reasons.empty() && c.neCapable, describe(c).c_str());
        QCOMPARE(plan.flopFraction(Device::NeuralEngine), 1.0);
    }

    void dilatedConvIsKeptOffTheNeuralEngine() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.conv(x, p.weights({16, 16, 3, 3}), {2, 2}, "conv_dilated"));
        const OpPlacement& c = op(place(p), "conv_dilated");
        QVERIFY2(c.hasReason(ReasonCode::DilatedConv) && !c.neCapable, describe(c).c_str());
        QCOMPARE(c.device, Device::Gpu);
        QVERIFY(c.reasons.front().text.find("[2, 2]") != std::string::npos);
    }

    void fp32ProgramRunsOnTheGpuOrTheCpu() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32}, DType::Float32);
        p.output(p.unary("relu", p.conv(x, p.weights({16, 16, 3, 3}, DType::Float32), {1, 1}, "conv32"), "relu32"));
        const PlacementPlan all = place(p);
        for (const OpPlacement& o : all.ops) {
            QVERIFY2(o.device == Device::Gpu && o.hasReason(ReasonCode::Fp32Precision), describe(o).c_str());
            QVERIFY(o.reasons.front().text.find("fp32") != std::string::npos);
        }
        // Without the GPU the fallback is the CPU, and the plan says why.
        const PlacementPlan cpuNe = place(p, ComputeUnits::CpuAndNeuralEngine);
        for (const OpPlacement& o : cpuNe.ops)
            QVERIFY2(o.device == Device::Cpu && o.hasReason(ReasonCode::Fp32Precision) &&
                         o.hasReason(ReasonCode::UnitsExcludeGpu),
                     describe(o).c_str());
    }

    void computeUnitsLimitTheDevices() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.conv(x, p.weights({16, 16, 3, 3}), {1, 1}, "conv_units"));
        const OpPlacement& cpuOnly = op(place(p, ComputeUnits::CpuOnly), "conv_units");
        QVERIFY2(cpuOnly.device == Device::Cpu && cpuOnly.hasReason(ReasonCode::UnitsExcludeNe) &&
                     cpuOnly.hasReason(ReasonCode::UnitsExcludeGpu),
                 describe(cpuOnly).c_str());
        const OpPlacement& gpu = op(place(p, ComputeUnits::CpuAndGpu), "conv_units");
        QVERIFY2(gpu.device == Device::Gpu && gpu.reasons.size() == 1 && gpu.hasReason(ReasonCode::UnitsExcludeNe),
                 describe(gpu).c_str());
        QCOMPARE(op(place(p, ComputeUnits::CpuAndNeuralEngine), "conv_units").device, Device::NeuralEngine);
    }

    void rangeShapedInputKeepsItsDependentsOffTheNeuralEngine() {
        // Declared flexible (settings or the package's description): every op reading it follows.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        mil::Value* y = p.input("y", {1, 16, 32, 32});
        p.output(p.unary("relu", x, "relu_x"));
        p.output(p.unary("sigmoid", y, "sigmoid_y"));
        InputSpec spec = parseInputSpec("x:1x16x(16..64=32)x32:dtype=fp16");
        const std::vector<InputFlexibility> flex = inputFlexibility(std::vector<InputSpec>{spec});
        QCOMPARE(flex.size(), size_t(1));
        QVERIFY(flex[0].rangeShaped);
        const PlacementPlan plan = place(p, ComputeUnits::All, flex);
        const OpPlacement& rx = op(plan, "relu_x");
        QVERIFY2(rx.hasReason(ReasonCode::RangeShape) && rx.device != Device::NeuralEngine, describe(rx).c_str());
        QVERIFY(rx.reasons.front().text.find("'x'") != std::string::npos);
        const OpPlacement& sy = op(plan, "sigmoid_y");
        QVERIFY2(sy.device == Device::NeuralEngine && sy.reasons.empty(), describe(sy).c_str());
    }

    void unknownDimensionInTheProgramIsARangeInput() {
        // A package whose program keeps a range dimension as unknown: read from the package itself.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, mil::kUnknownDim, 32});
        p.output(p.unary("relu", x, "relu_dyn"));
        package::PackageContents contents;
        contents.program = p.take();
        const std::vector<InputFlexibility> flex = inputFlexibility(contents);
        QCOMPARE(flex.size(), size_t(1));
        QCOMPARE(flex[0].input, std::string("x"));
        const PlacementPlan plan = planPlacement(contents.program, chip("M2-Ultra"), {ComputeUnits::All, flex});
        const OpPlacement& r = op(plan, "relu_dyn");
        QVERIFY2(r.hasReason(ReasonCode::RangeShape) && r.device != Device::NeuralEngine, describe(r).c_str());
        QVERIFY(!r.cost.shapesKnown);
        // Without the description the unknown dimension alone still keeps it off.
        const OpPlacement& alone = op(planPlacement(contents.program, chip("M2-Ultra"), {}), "relu_dyn");
        QVERIFY2(alone.hasReason(ReasonCode::UnknownDimension), describe(alone).c_str());
    }

    void moreThan128EnumeratedShapesLeaveTheNeuralEngine() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.unary("relu", x, "relu_enum"));
        const OpPlacement& within = op(place(p, ComputeUnits::All, {{"x", false, 128}}), "relu_enum");
        QVERIFY2(within.device == Device::NeuralEngine, describe(within).c_str());
        const OpPlacement& over = op(place(p, ComputeUnits::All, {{"x", false, 129}}), "relu_enum");
        QVERIFY2(over.hasReason(ReasonCode::EnumeratedShapesOverLimit) && over.device != Device::NeuralEngine,
                 describe(over).c_str());
        QVERIFY(over.reasons.front().text.find("129") != std::string::npos);
    }

    void flexibleVersusEnumeratedComparisonNamesTheRange() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.conv(x, p.weights({16, 16, 3, 3}), {1, 1}, "conv_flex"));
        const PlacementPlan range = place(p, ComputeUnits::All, {{"x", true, 0}});
        const PlacementPlan enumerated = place(p, ComputeUnits::All, {{"x", false, 4}});
        const PlanComparison c = comparePlans(range, enumerated);
        QCOMPARE(c.matched, size_t(1));
        QCOMPARE(c.moved.size(), size_t(1));
        QCOMPARE(c.moved[0].before, Device::Gpu);
        QCOMPARE(c.moved[0].after, Device::NeuralEngine);
        QCOMPARE(c.moved[0].reasonsBefore.front().code, ReasonCode::RangeShape);
        QVERIFY(c.moved[0].reasonsAfter.empty());
    }

    void opWithoutNeuralEngineSupport() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.gather(x, "gather_rows"));
        const OpPlacement& g = op(place(p), "gather_rows");
        QVERIFY2(g.hasReason(ReasonCode::OpNotOnNe) && g.device == Device::Gpu, describe(g).c_str());
        QVERIFY2(g.reasons.front().text.find("hollance") != std::string::npos, describe(g).c_str());
    }

    void rankAndDimensionLimits() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 2, 3, 4, 5});
        p.output(p.unary("relu", x, "relu_rank5"));
        mil::Value* wide = p.input("wide", {1, 20000});
        p.output(p.unary("relu", wide, "relu_wide"));
        const PlacementPlan plan = place(p);
        const OpPlacement& r5 = op(plan, "relu_rank5");
        QVERIFY2(r5.hasReason(ReasonCode::RankAboveLimit) && r5.device != Device::NeuralEngine, describe(r5).c_str());
        const OpPlacement& w = op(plan, "relu_wide");
        QVERIFY2(w.hasReason(ReasonCode::DimensionAboveLimit) && w.device != Device::NeuralEngine, describe(w).c_str());
        QVERIFY(w.reasons.front().text.find("20000") != std::string::npos);
    }

    void partsOfOneSourceOpStayTogether() {
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        ir::Provenance prov;
        prov.modulePath = "block.embed";
        prov.sourceOp = "aten::embedding_bag";
        prov.sourceNode = 7;
        p.b().setProvenance(prov);
        mil::Value* g = p.gather(x, "bag_gather");
        p.output(p.unary("relu", g, "bag_relu"));
        const OpPlacement& part = op(place(p), "bag_relu");
        QVERIFY2(part.hasReason(ReasonCode::CompositePartOffNe) && part.device != Device::NeuralEngine,
                 describe(part).c_str());
        QVERIFY(part.reasons.front().text.find("bag_gather") != std::string::npos);
        QVERIFY(part.reasons.front().text.find("block.embed") != std::string::npos);
    }

    void shortNeuralEngineRunFallsBackWithItsNeighbours() {
        // gather -> relu -> gather: one small relu on the NE would cost two NE<->GPU hand-overs.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 16, 32, 32});
        p.output(p.gather(p.unary("relu", p.gather(x, "first_gather"), "lonely_relu"), "second_gather"));
        const PlacementPlan plan = place(p);
        const OpPlacement& r = op(plan, "lonely_relu");
        QVERIFY2(r.neCapable && r.device == Device::Gpu && r.hasReason(ReasonCode::IsolatedRun), describe(r).c_str());
        QVERIFY(r.reasons.front().text.find("on the GPU") != std::string::npos);
        QCOMPARE(op(plan, "first_gather").device, Device::Gpu);
        QCOMPARE(plan.switches, size_t(0));
        // Without the GPU the gathers run on the CPU and the relu follows them there.
        const OpPlacement& cpu = op(place(p, ComputeUnits::CpuAndNeuralEngine), "lonely_relu");
        QVERIFY2(cpu.device == Device::Cpu && cpu.hasReason(ReasonCode::IsolatedRun), describe(cpu).c_str());
    }

    void modelFasterWithoutTheNeuralEngineRunsOffIt() {
        // Small NE-capable ops interleaved with gathers the NE cannot take: the hand-overs cost more than the
        // NE saves, so the whole model is estimated on the GPU, each op saying why.
        test::PlacementProgram p;
        mil::Value* v = p.input("x", {1, 16, 32, 32});
        for (int i = 0; i < 6; ++i) {
            mil::Value* a = p.unary("relu", v, "relu_" + std::to_string(i));
            mil::Value* b = p.unary("sigmoid", v, "sigmoid_" + std::to_string(i));
            v = p.b().add1("add", {{"x", {p.gather(a, "ga_" + std::to_string(i), 16)}}, {"y", {b}}},
                           "sum_" + std::to_string(i));
        }
        p.output(v);
        const PlacementPlan plan = place(p);
        QCOMPARE(plan.share(Device::NeuralEngine).ops, size_t(0));
        const OpPlacement& s = op(plan, "sigmoid_3");
        QVERIFY2(s.device == Device::Gpu && s.hasReason(ReasonCode::IsolatedRun), describe(s).c_str());
        QCOMPARE(plan.switches, size_t(0));
    }

    void largeConvStaysOnTheNeuralEngineAndItsNeighbourGoesToTheCpu() {
        // On a phone the NE is far ahead of the GPU: a big convolution pays for its switches. The small gather
        // between two convolutions is handed to the CPU, cheaper to switch to than the GPU.
        test::PlacementProgram p;
        mil::Value* x = p.input("x", {1, 64, 128, 128});
        mil::Value* c1 = p.conv(x, p.weights({64, 64, 3, 3}), {1, 1}, "big_conv1");
        mil::Value* g = p.gather(c1, "middle_gather", 64);
        p.output(p.conv(g, p.weights({64, 64, 3, 3}), {1, 1}, "big_conv2"));
        const PlacementPlan plan = place(p, ComputeUnits::All, {}, "A17-Pro");
        QCOMPARE(op(plan, "big_conv1").device, Device::NeuralEngine);
        QCOMPARE(op(plan, "big_conv2").device, Device::NeuralEngine);
        const OpPlacement& mid = op(plan, "middle_gather");
        QVERIFY2(mid.device == Device::Cpu && mid.hasReason(ReasonCode::CheaperOnCpu), describe(mid).c_str());
        QCOMPARE(plan.switches, size_t(2));
        const double switches = 2 * PlacementRules::shipped().switchSeconds(Device::NeuralEngine, Device::Cpu);
        QVERIFY(std::abs(plan.switchSeconds - switches) < 1e-12);
    }

    void unknownChipListsTheKnownOnes() {
        try {
            ChipLibrary::shipped().find("M9-Hyper");
            QFAIL("an unknown chip was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Settings);
            QVERIFY(std::string(e.what()).find("M2-Ultra") != std::string::npos);
        }
        QCOMPARE(ChipLibrary::shipped().find("m2_ultra").id, std::string("M2-Ultra"));
    }
};

QTEST_APPLESS_MAIN(TestPlacement)
#include "test_placement.moc"
