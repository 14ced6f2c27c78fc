// Composite operators: the built-in and user composites computed through the interpreter match
// libtorch; a user composite overrides a built-in translator; malformed files fail at load with
// the file, line and column; the unsupported-op report of a model with ops nothing converts.
#include "analysis/accuracy_report.h"
#include "analysis/unsupported_help.h"
#include "analysis/unsupported_report.h"
#include "common/error.h"
#include "converter.h"
#include "lower/composites/composite_library.h"
#include "lower/composites/composite_loader.h"
#include "support/test_support.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

using namespace cms;

namespace {

const std::string kCompositeDir = std::string(CMS_SOURCE_DIR) + "/tests/data/composites/";

// The message of the cms::Error that loading `text` throws, or a marker when it loads.
std::string loadError(const std::string& text) {
    try {
        lower::parseComposites(text, "bad.yaml", "test");
    } catch (const Error& e) {
        return e.what();
    }
    return "no error thrown";
}

ConversionSettings fixtureSettings(const std::string& name, const test::ScratchDir& scratch) {
    std::ifstream in(test::testModel("comp_" + name + ".json"));
    const nlohmann::json spec = nlohmann::json::parse(in);
    ConversionSettings s;
    s.modelPath = test::testModel("comp_" + name + ".pt");
    s.outputPath = scratch.path(name + ".mlpackage");
    s.precision = Precision::Float32;
    for (const auto& i : spec["inputs"]) s.inputs.push_back({i["name"].get<std::string>(), i["shape"].get<Shape>()});
    for (const auto& c : spec["composites"]) {
        const std::string entry = c.get<std::string>();
        s.composites.push_back(entry.rfind("builtin:", 0) == 0 ? entry : kCompositeDir + entry);
    }
    return s;
}

analysis::AccuracyReport convertAndVerify(const ConversionSettings& s) {
    convertModel(s);
    analysis::VerifyOptions options;
    options.modelPath = s.modelPath;
    options.packagePath = s.outputPath;
    options.seed = 11;
    return analysis::verifyPackage(options);
}

}  // namespace

class TestComposites : public QObject {
    Q_OBJECT
private slots:
    void compositesMatchLibtorch_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"hardshrink", "softshrink", "celu", "logaddexp", "selu", "mish", "fake_quantize"})
            QTest::newRow(n) << QString(n);
    }
    void compositesMatchLibtorch() {
        QFETCH(QString, name);
        test::ScratchDir scratch;
        try {
            const analysis::AccuracyReport report = convertAndVerify(fixtureSettings(name.toStdString(), scratch));
            QVERIFY2(report.passed, analysis::reportToText(report).c_str());
        } catch (const Error& e) {
            QFAIL(e.what());
        }
    }

    // The override really replaces the translator: a composite computing something else than
    // selu makes the same model disagree with libtorch.
    void userCompositeOverridesTheTranslator() {
        test::ScratchDir scratch;
        ConversionSettings s = fixtureSettings("selu", scratch);
        const std::string wrong = scratch.path("wrong_selu.yaml");
        std::ofstream(wrong) << "composites:\n  - op: \"aten::selu(Tensor self) -> Tensor\"\n"
                                "    output: mul(x=elu(x=self, alpha=1.6732632), y=2.0)\n";
        s.composites = {wrong};
        QVERIFY(!convertAndVerify(s).passed);
        // Later files win: the guide's selu after the wrong one restores the match.
        s.composites = {wrong, kCompositeDir + "selu.yaml"};
        s.outputPath = scratch.path("selu2.mlpackage");
        QVERIFY(convertAndVerify(s).passed);
    }

    void builtinsApplyOnlyWhereNoTranslatorExists() {
        const lower::TranslatorTable table = lower::translatorTableFor({});
        QVERIFY(table.find("aten::hardshrink"));
        QVERIFY(table.find("aten::logaddexp"));
        QVERIFY(!lower::TranslatorTable::instance().find("aten::hardshrink"));
        QVERIFY(!table.find("aten::quantize_per_tensor"));  // optional set: only on request
        QVERIFY(lower::translatorTableFor({"builtin:fake-quantize"}).find("aten::quantize_per_tensor"));
        QVERIFY(lower::findComposite(lower::builtinComposites(), "aten::softshrink_"));  // in-place form folds
    }

    void malformedFilesPointAtTheMistake_data() {
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("expected");
        // Each case is `    output: <expression>` on line 3 (the expression starts in column 13).
        QTest::newRow("syntax") << "mul(x=self y=2.0)" << "bad.yaml:3:24: syntax error: expected ')' closing the arguments of mul, found 'y'";
        QTest::newRow("unknown op") << "frobnicate(x=self)" << "bad.yaml:3:13: unknown MIL op 'frobnicate'";
        QTest::newRow("unknown argument") << "relu(x=self, alpha=1.0)" << "bad.yaml:3:26: MIL op 'relu' has no argument 'alpha'";
        QTest::newRow("arity") << "add(x=self)"
                               << "bad.yaml:3:13: wrong number of arguments: MIL op 'add' needs 2 (x, y), 1 given; missing y";
        QTest::newRow("shape") << "reduce_sum(x=self, axes=[1])"
                               << "bad.yaml:3:13: wrong output shape: on the example signature, output 0 of aten::hardshrink is fp32[2,4,5] but fp32[2,3,4,5] is expected";
        QTest::newRow("dtype") << "greater(x=self, y=lambd)"
                               << "bad.yaml:3:13: dtype mismatch: on the example signature, output 0 of aten::hardshrink is bool[2,3,4,5] but fp32[2,3,4,5] is expected";
        QTest::newRow("dtype of an op input") << "add(x=self, y=cast(x=self, dtype=\"int32\"))"
                                              << "bad.yaml:3:13: MIL op 'add' rejects its arguments";
        QTest::newRow("source argument") << "mul(x=self, y=lamda)"
                                         << "bad.yaml:3:27: unknown name 'lamda': not an argument of aten::hardshrink (self, lambd), a let or a constant";
    }
    void malformedFilesPointAtTheMistake() {
        QFETCH(QString, output);
        QFETCH(QString, expected);
        const std::string text = "composites:\n  - op: \"aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor\"\n"
                                 "    output: " + output.toStdString() + "\n";
        const std::string error = loadError(text);
        QVERIFY2(error.find(expected.toStdString()) != std::string::npos, error.c_str());
    }
    void malformedFileStructure() {
        QVERIFY2(loadError("composites:\n  - op: \"aten::foo(Tensor self\n    output: self\n").find("bad.yaml:") == 0,
                 loadError("composites:\n  - op: \"aten::foo(Tensor self\n").c_str());
        const std::string yaml = loadError("composites:\n  - op: x\n   output: [\n");
        QVERIFY2(yaml.find("bad.yaml:") == 0 && yaml.find("YAML") != std::string::npos, yaml.c_str());
        const std::string key = loadError("composites:\n  - op: \"aten::relu(Tensor self) -> Tensor\"\n    outptu: self\n");
        QVERIFY2(key.find("bad.yaml:3:5: unknown key 'outptu' in a composite") == 0, key.c_str());
        const std::string let = loadError("composites:\n  - op: \"aten::relu(Tensor self) -> Tensor\"\n"
                                          "    let:\n      a: relu(x=b)\n      b: relu(x=a)\n    output: a\n");
        QVERIFY2(let.find("defined in terms of itself") != std::string::npos, let.c_str());
        // Multi-line expressions keep exact positions.
        const std::string folded = loadError("composites:\n  - op: \"aten::relu(Tensor self) -> Tensor\"\n"
                                             "    output: >-\n      mul(x=self,\n          y=nope)\n");
        QVERIFY2(folded.find("bad.yaml:5:13: unknown name 'nope'") == 0, folded.c_str());
    }

    void settingsKeepTheCompositesList() {
        ConversionSettings s;
        s.composites = {"my_ops.yaml", "builtin:fake-quantize"};
        const ConversionSettings back = settingsFromJson(settingsToJson(s), "x.json");
        QVERIFY(back.composites == s.composites);
        QVERIFY(settingsFromJson("{}").composites.empty());
    }

    void reportListsEachOpOnceWithRankedSteps() {
        ir::Graph graph = importModel(test::testModel("comp_unsupported.pt"));
        ConversionSettings s;
        s.modelPath = test::testModel("comp_unsupported.pt");
        s.inputs = {{graph.inputNames.at(0), {1, 3, 8, 8}}};
        const nlohmann::json j = nlohmann::json::parse(analysis::reportToJson(analysis::buildUnsupportedReport(graph, s)));
        QCOMPARE(j["unsupportedOpCount"].get<int>(), 3);
        QCOMPARE(j["occurrenceCount"].get<int>(), 9);
        std::map<std::string, nlohmann::json> ops;
        for (const auto& op : j["ops"]) ops[op["op"].get<std::string>()] = op;
        QVERIFY(ops.count("aten::erfinv") && ops.count("aten::quantize_per_tensor") && ops.count("aten::dequantize"));

        const nlohmann::json& erfinv = ops["aten::erfinv"];
        QCOMPARE(erfinv["count"].get<int>(), 3);
        QCOMPARE(erfinv["schema"].get<std::string>(), std::string("aten::erfinv(Tensor self) -> Tensor"));
        QVERIFY(erfinv["explanation"].get<std::string>().find("inverse of the error function") != std::string::npos);
        for (int i = 0; i < 3; ++i) {
            // The importer names ModuleList items by their index within the list.
            const std::string path = erfinv["occurrences"][i]["modulePath"].get<std::string>();
            QVERIFY2(!path.empty() && path.back() == char('0' + i), path.c_str());
            QCOMPARE(erfinv["occurrences"][i]["moduleType"].get<std::string>(), std::string("Block"));
            QVERIFY(erfinv["occurrences"][i]["line"].get<int>() > 0);
        }
        // The first block reads the conv's output, so its types are known; later ones follow an unsupported op.
        const nlohmann::json& quantize = ops["aten::quantize_per_tensor"];
        QCOMPARE(quantize["occurrences"][0]["inputs"][0].get<std::string>(), std::string("fp32[1,4,8,8]"));
        QCOMPARE(quantize["occurrences"][0]["inputs"][1].get<std::string>(), std::string("float 0.1"));
        QCOMPARE(quantize["occurrences"][1]["inputs"][0].get<std::string>(), std::string("unknown"));
        QCOMPARE(quantize["occurrences"][2]["inputs"][0].get<std::string>(), std::string("unknown"));

        // Ranked: an optional built-in composite first where one exists, then a user composite, rewrites, outside.
        QCOMPARE(quantize["nextSteps"][0]["kind"].get<std::string>(), std::string("builtin-composite"));
        QCOMPARE(quantize["nextSteps"][0]["flag"].get<std::string>(), std::string("--composites builtin:fake-quantize"));
        QCOMPARE(quantize["nextSteps"][0]["rank"].get<int>(), 1);
        QCOMPARE(quantize["nextSteps"][1]["kind"].get<std::string>(), std::string("user-composite"));
        QCOMPARE(quantize["nextSteps"][2]["kind"].get<std::string>(), std::string("rewrite"));
        QCOMPARE(quantize["nextSteps"].back()["kind"].get<std::string>(), std::string("outside"));
        QCOMPARE(erfinv["nextSteps"][0]["kind"].get<std::string>(), std::string("user-composite"));
        QCOMPARE(erfinv["nextSteps"][1]["kind"].get<std::string>(), std::string("rewrite"));
        QCOMPARE(erfinv["nextSteps"][2]["kind"].get<std::string>(), std::string("outside"));

        // The template carries the op's schema and the types seen, and loads once its output is written.
        std::string tmpl = erfinv["nextSteps"][0]["template"].get<std::string>();
        QVERIFY2(tmpl.find("op: \"aten::erfinv(Tensor self) -> Tensor\"") != std::string::npos, tmpl.c_str());
        // erfinv follows an unsupported op everywhere, so its input type is unknown and no example is made up.
        QVERIFY2(tmpl.find("self (Tensor): unknown in the model") != std::string::npos, tmpl.c_str());
        QVERIFY2(tmpl.find("example:") == std::string::npos, tmpl.c_str());
        QVERIFY(loadError(tmpl).find("unknown MIL op 'compose_here'") != std::string::npos);
        tmpl.replace(tmpl.find("compose_here(x=self)"), 20, "tanh(x=self)");
        QCOMPARE(lower::parseComposites(tmpl, "t.yaml", "test").size(), size_t(1));
        const std::string qtmpl = quantize["nextSteps"][1]["template"].get<std::string>();
        QVERIFY2(qtmpl.find("float scale") != std::string::npos && qtmpl.find("scale: 0.1") != std::string::npos, qtmpl.c_str());
        QVERIFY2(qtmpl.find("inputs: {self: \"fp32[1,4,8,8]\", scale: 0.1, zero_point: 0, dtype: 13}") != std::string::npos,
                 qtmpl.c_str());
    }

    void helpCoversEveryOutOfScopeOp() {
        const analysis::OpHelpLibrary& help = analysis::OpHelpLibrary::shipped();
        std::ifstream in(std::string(CMS_SOURCE_DIR) + "/resources/reference/torch-op-scope.txt");
        std::string line;
        int checked = 0;
        while (std::getline(in, line)) {
            if (line.empty() || line[0] == '#' || line.find("  out-of-scope  ") == std::string::npos) continue;
            const std::string op = line.substr(0, line.find("  "));
            QVERIFY2(help.lookup(op, "").listed, ("no help entry for " + op).c_str());
            ++checked;
        }
        QVERIFY(checked > 60);
        const analysis::OpHelp fallback = help.lookup("aten::frobnicate", "aten::frobnicate(Tensor self) -> Tensor");
        QVERIFY(!fallback.listed);
        QVERIFY(fallback.explanation.find("`aten::frobnicate` is a PyTorch operation (aten::frobnicate(Tensor self) -> Tensor)") == 0);
    }
};

QTEST_APPLESS_MAIN(TestComposites)
#include "test_composites.moc"
