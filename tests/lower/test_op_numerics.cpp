// The per-op models of gen_ops_shape.py and gen_ops_extended.py converted end to end (fp32, and
// fp16 where the fixture asks for it) and run with the package interpreter against libtorch on the
// same random inputs: the lowered ops compute what torch does.
#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

using namespace cms;

class TestOpNumerics : public QObject {
    Q_OBJECT
private slots:
    void matchesLibtorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("fp16");
        // Every op_*.json fixture; the list in test_op_models.cpp says which ops each lowers to.
        const std::string probe = test::testModel("op_flatten.json");
        const std::filesystem::path dir = std::filesystem::path(probe).parent_path();
        std::vector<std::string> names;
        for (const auto& entry : std::filesystem::directory_iterator(dir)) {
            const std::string file = entry.path().filename().string();
            if (file.rfind("op_", 0) == 0 && entry.path().extension() == ".json") names.push_back(file.substr(3, file.size() - 8));
        }
        std::sort(names.begin(), names.end());
        for (const auto& n : names) {
            QTest::newRow(n.c_str()) << QString::fromStdString(n) << false;
            std::ifstream in(test::testModel("op_" + n + ".json"));
            if (nlohmann::json::parse(in).value("fp16", false))
                QTest::newRow((n + "/fp16").c_str()) << QString::fromStdString(n) << true;
        }
    }

    void matchesLibtorch() {
        QFETCH(QString, name);
        QFETCH(bool, fp16);
        const std::string n = name.toStdString();
        std::ifstream in(test::testModel("op_" + n + ".json"));
        const nlohmann::json spec = nlohmann::json::parse(in);

        test::ScratchDir scratch;
        ConversionSettings s;
        s.modelPath = test::testModel("op_" + n + ".pt");
        s.outputPath = scratch.path(n + ".mlpackage");
        // The verifier's criteria: SNR >= 60 dB for fp32 programs, >= 40 dB for fp16 ones.
        s.precision = fp16 ? Precision::Float16 : Precision::Float32;
        for (const auto& i : spec["inputs"]) {
            InputSpec input;
            input.name = i["name"].get<std::string>();
            input.shape = i["shape"].get<Shape>();
            input.dtype = i["dtype"].get<std::string>() == "float32" ? DType::Float32 : DType::Int32;
            s.inputs.push_back(input);
        }
        try {
            convertModel(s);
            analysis::VerifyOptions options;
            options.modelPath = s.modelPath;
            options.packagePath = s.outputPath;
            options.seed = 7;
            const analysis::AccuracyReport report = analysis::verifyPackage(options);
            QVERIFY2(report.passed, analysis::reportToText(report).c_str());
            QCOMPARE(report.outputs.size(), spec["outputs"].size());
        } catch (const Error& e) {
            QFAIL(e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestOpNumerics)
#include "test_op_numerics.moc"
