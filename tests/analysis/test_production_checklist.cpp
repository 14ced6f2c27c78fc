// The production checklist: each item's status comes from real data (import notices, settings, the written
// package, its placement estimate, an accuracy check) and is "not checked yet" without it.
#include "analysis/production_checklist.h"
#include "converter.h"
#include "support/test_support.h"

#include <nlohmann/json.hpp>

using namespace cms;
using namespace cms::analysis;

namespace {

ChecklistItem find(const std::vector<ChecklistItem>& items, const std::string& id) {
    for (const ChecklistItem& it : items)
        if (it.id == id) return it;
    throw std::runtime_error("no checklist item " + id);
}

// Every item carries a message id for the studio's translations, and its English detail holds each argument.
void checkMessageIds(const std::vector<ChecklistItem>& items) {
    for (const ChecklistItem& it : items) {
        QVERIFY2(!it.detailId.empty(), (it.id + ": " + it.detail).c_str());
        QVERIFY2(!it.detail.empty(), it.id.c_str());
        for (const std::string& a : it.detailArgs)
            QVERIFY2(it.detail.find(a) != std::string::npos, (it.detailId + ": " + a + " not in " + it.detail).c_str());
    }
}

ConversionSettings demoSettings(const test::ScratchDir& dir) {
    ConversionSettings s;
    s.modelPath = test::testModel("demo_cnn.pt");
    s.outputPath = dir.path("demo_cnn.mlpackage");
    s.inputs = {{"image", {1, 3, 32, 32}}};
    return s;
}

}  // namespace

class TestProductionChecklist : public QObject {
    Q_OBJECT
private slots:
    void nothingKnownIsNotChecked() {
        ChecklistData d;
        const auto items = evaluateChecklist(d);
        QCOMPARE(items.size(), size_t(9));
        checkMessageIds(items);
        for (const char* id : {"eval-mode", "preprocessing", "ml-program", "accuracy", "neural-engine",
                               "representative-inputs", "memory"})
            QVERIFY2(find(items, id).status == CheckStatus::NotChecked, id);
        // Settings alone decide these two.
        QCOMPARE(find(items, "compression").status, CheckStatus::Warn);
        QCOMPARE(find(items, "fallback").status, CheckStatus::Pass);
    }

    void trainingModeWarns() {
        ir::Graph g = importModel(test::testModel("training_mode.pt"));
        ChecklistData d;
        d.imported = true;
        d.importWarnings = g.warnings;
        const ChecklistItem& it = find(evaluateChecklist(d), "eval-mode");
        QCOMPARE(it.status, CheckStatus::Warn);
        QVERIFY2(it.detail.find("training mode") != std::string::npos, it.detail.c_str());
        QCOMPARE(it.fix, FixPlace::ModelExport);

        ir::Graph demo = importModel(test::testModel("demo_cnn.pt"));
        d.importWarnings = demo.warnings;
        QCOMPARE(find(evaluateChecklist(d), "eval-mode").status, CheckStatus::Pass);
    }

    void imageLikeInputsWithoutPreprocessingWarn() {
        ChecklistData d;
        d.settings.inputs = {{"image", {1, 3, 32, 32}}};
        ChecklistItem it = find(evaluateChecklist(d), "preprocessing");
        QCOMPARE(it.status, CheckStatus::Warn);
        QCOMPARE(it.fix, FixPlace::Inputs);
        QCOMPARE(it.fixField, std::string("image"));
        d.settings.inputs[0].image = ImageSpec{ColorLayout::RGB, 1.0, {}};
        QCOMPARE(find(evaluateChecklist(d), "preprocessing").status, CheckStatus::Warn);  // 0-255 pixels
        d.settings.inputs[0].image = ImageSpec{ColorLayout::RGB, 1 / 255.0, {-0.5, -0.5, -0.5}};
        QCOMPARE(find(evaluateChecklist(d), "preprocessing").status, CheckStatus::Pass);
        d.settings.inputs = {{"tokens", {1, 128}, DType::Int32}};
        QCOMPARE(find(evaluateChecklist(d), "preprocessing").status, CheckStatus::Pass);
    }

    void convertedPackageFeedsPackageItems() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir);
        const ConversionReport report = convertModel(s);
        const PackageFacts facts = packageFacts(s.outputPath, s.computeUnits);
        ChecklistData d;
        d.settings = s;
        d.conversion = &report;
        d.package = &facts.contents;
        d.placement = &facts.placement;
        const auto items = evaluateChecklist(d);
        checkMessageIds(items);
        QCOMPARE(find(items, "ml-program").status, CheckStatus::Pass);
        // fp16 demo CNN with ALL: the estimate puts (nearly) everything on the Neural Engine.
        const ChecklistItem& ne = find(items, "neural-engine");
        QVERIFY2(ne.status == CheckStatus::Pass, ne.detail.c_str());
        QVERIFY2(ne.detail.find("Neural Engine") != std::string::npos, ne.detail.c_str());
        const ChecklistItem& mem = find(items, "memory");
        QCOMPARE(mem.status, CheckStatus::Pass);
        QVERIFY(estimatedMemoryBytes(facts.placement) >= facts.placement.weightBytes);
        QVERIFY(facts.placement.weightBytes > 0);
        QCOMPARE(find(items, "compression").status, CheckStatus::Warn);

        // fp32 and CPU_ONLY: the Neural Engine item fails and points at the compute units.
        s.precision = Precision::Float32;
        s.computeUnits = ComputeUnits::CpuOnly;
        convertModel(s);
        const PackageFacts cpu = packageFacts(s.outputPath, s.computeUnits);
        d.settings = s;
        d.package = &cpu.contents;
        d.placement = &cpu.placement;
        const auto cpuItems = evaluateChecklist(d);
        checkMessageIds(cpuItems);
        QCOMPARE(find(cpuItems, "neural-engine").status, CheckStatus::Fail);
        QCOMPARE(find(cpuItems, "fallback").status, CheckStatus::Warn);
        QCOMPARE(find(cpuItems, "fallback").fixField, std::string("computeUnits"));
    }

    void compressionAppliedPasses() {
        test::ScratchDir dir;
        ConversionSettings s = demoSettings(dir);
        OpCompression int8;
        int8.method = CompressionMethod::LinearQuantize;
        s.compression.global = int8;
        s.target = mil::Target::iOS16;  // constexpr ops
        const ConversionReport report = convertModel(s);
        ChecklistData d;
        d.settings = s;
        d.conversion = &report;
        const ChecklistItem& it = find(evaluateChecklist(d), "compression");
        QVERIFY2(it.status == CheckStatus::Pass, it.detail.c_str());
        QCOMPARE(it.detailId, std::string("weights-compressed-ratio"));
        QCOMPARE(it.detailArgs.size(), size_t(4));
        QCOMPARE(it.detail, it.detailArgs[0] + " weights compressed: " + it.detailArgs[1] + " -> " + it.detailArgs[2] +
                                " (" + it.detailArgs[3] + "x smaller)");
        QVERIFY2(it.detail.find(std::to_string(report.compressedWeights) + " weights compressed") != std::string::npos,
                 it.detail.c_str());
    }

    void accuracyReportDecidesAccuracyItems() {
        AccuracyReport acc;
        acc.passed = false;
        acc.reference = "libtorch";
        acc.criteria.minSnrDb = 40;
        acc.inputs = {{"image", {1, 3, 32, 32}, "random (seed 0, standard normal)"}};
        OutputReport out;
        out.name = "logits";
        out.metrics.snrDb = 21.5;
        acc.outputs = {out};
        acc.suggestedFp32Ops = {"features.3"};
        ChecklistData d;
        d.accuracy = &acc;
        auto items = evaluateChecklist(d);
        QCOMPARE(find(items, "accuracy").status, CheckStatus::Fail);
        QVERIFY2(find(items, "accuracy").detail.find("21.5 dB") != std::string::npos, find(items, "accuracy").detail.c_str());
        QCOMPARE(find(items, "representative-inputs").status, CheckStatus::Warn);
        QCOMPARE(find(items, "fallback").status, CheckStatus::Warn);
        QCOMPARE(find(items, "fallback").fixField, std::string("fp32Ops"));

        acc.passed = true;
        acc.inputs[0].source = "cat.jpg (image resized to 32x32, RGB pixels 0-255)";
        d.settings.fp32Ops = {"features.3"};
        items = evaluateChecklist(d);
        QCOMPARE(find(items, "accuracy").status, CheckStatus::Pass);
        QCOMPARE(find(items, "representative-inputs").status, CheckStatus::Pass);
        QCOMPARE(find(items, "fallback").status, CheckStatus::Pass);

        const nlohmann::json j = nlohmann::json::parse(checklistToJson(items));
        QCOMPARE(j["checklist"].size(), size_t(9));
        QVERIFY(!j["checklist"][0].contains("detailId"));  // the CLI's JSON stays as it was
        QCOMPARE(j["checklist"][3]["status"].get<std::string>(), std::string("pass"));
        QVERIFY(checklistToText(items).find("[pass       ] Accuracy tested") != std::string::npos);
    }

    // The English details (the CLI's) read as before the message ids came; the ids and arguments describe them.
    void englishDetailsWithMessageIds() {
        ChecklistData d;
        auto items = evaluateChecklist(d);
        QCOMPARE(find(items, "eval-mode").detail, std::string("the model has not been imported yet"));
        QCOMPARE(find(items, "eval-mode").detailId, std::string("not-imported"));
        QCOMPARE(find(items, "preprocessing").detail, std::string("no input has a shape yet"));
        QCOMPARE(find(items, "ml-program").detail, std::string("not converted yet"));
        QCOMPARE(find(items, "accuracy").detail, std::string("no accuracy check has run on the converted package"));
        QCOMPARE(find(items, "compression").detail, std::string("no compression is set: weights are stored in fp16"));
        QCOMPARE(find(items, "compression").detailArgs, std::vector<std::string>{"fp16"});
        QCOMPARE(find(items, "memory").detail, std::string("not converted yet (the estimate reads the package)"));
        QCOMPARE(find(items, "fallback").detail,
                 std::string("compute units ALL: Core ML runs what the preferred device cannot on the GPU or CPU"));
        QCOMPARE(find(items, "fallback").detailId, std::string("falls-back-to-gpu-or-cpu"));

        d.settings.inputs = {{"image", {1, 3, 32, 32}}};
        d.settings.inputs[0].image = ImageSpec{ColorLayout::RGB, 1.0, {}};
        d.settings.computeUnits = ComputeUnits::CpuAndNeuralEngine;
        d.settings.fp32Ops = {"a", "b"};
        items = evaluateChecklist(d);
        checkMessageIds(items);
        QCOMPARE(find(items, "preprocessing").detail,
                 std::string("image input \"image\" has scale 1 and no bias: the model receives pixels of 0-255 "
                             "(right only if it normalises them itself)"));
        QCOMPARE(find(items, "preprocessing").detailArgs, std::vector<std::string>{"image"});
        QCOMPARE(find(items, "fallback").detail,
                 std::string("compute units CPU_AND_NE: Core ML runs what the preferred device cannot on the CPU; "
                             "2 op(s) kept in fp32"));
        QCOMPARE(find(items, "fallback").detailArgs, (std::vector<std::string>{"CPU_AND_NE", "2"}));

        AccuracyReport acc;
        acc.passed = false;
        acc.reference = "libtorch";
        acc.criteria.minSnrDb = 40;
        acc.inputs = {{"image", {1, 3, 32, 32}, "a.npz"}, {"mask", {1, 32}, "b.npz"}};
        OutputReport out;
        out.name = "logits";
        out.metrics.snrDb = 21.5;
        acc.outputs = {out};
        acc.suggestedFp32Ops = {"features.3"};
        d = {};
        d.accuracy = &acc;
        items = evaluateChecklist(d);
        checkMessageIds(items);
        QCOMPARE(find(items, "accuracy").detail,
                 "failed (" + acc.criteria.describe() + ", compared with libtorch); lowest SNR 21.5 dB on output \"logits\"");
        QCOMPARE(find(items, "accuracy").detailId, std::string("accuracy-failed-lowest-snr"));
        QCOMPARE(find(items, "representative-inputs").detail,
                 std::string("checked with image from a.npz, mask from b.npz"));
        QCOMPARE(find(items, "representative-inputs").detailArgs,
                 (std::vector<std::string>{"image", "a.npz", "mask", "b.npz"}));
        QCOMPARE(find(items, "fallback").detail,
                 std::string("the accuracy check suggests keeping 1 op(s) in fp32 that are not, e.g. features.3"));
    }
};

QTEST_APPLESS_MAIN(TestProductionChecklist)
#include "test_production_checklist.moc"
