// Vision/NN translators against libtorch: every op fixture (tests/models/gen_ops_vision.py) is
// converted in fp32, run by the package interpreter and compared with the TorchScript model's
// own output on the same random inputs.
#include <cmath>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "converter.h"
#include "runtime/interpreter.h"
#include "runtime/torch/torchscript_runner.h"
#include "support/test_support.h"

using namespace cms;

namespace {

const nlohmann::json& index() {
    static const nlohmann::json j = [] {
        std::ifstream in(test::testModel("ops_vision.json"));
        return nlohmann::json::parse(in);
    }();
    return j;
}

// Fixtures that exist to be rejected (tests/vision/test_vision_translators.cpp checks the errors).
bool rejected(const std::string& name) {
    return name == "conv_transpose2d_outpad_gt_pad" || name == "adaptive_avg_pool2d_uneven";
}

}  // namespace

class TestVisionNumerics : public QObject {
    Q_OBJECT
private slots:
    void matchesLibtorch_data() {
        QTest::addColumn<QString>("fixture");
        for (const auto& [name, info] : index().items())
            if (!rejected(name)) QTest::newRow(name.c_str()) << QString::fromStdString(name);
    }
    void matchesLibtorch() {
        QFETCH(QString, fixture);
        const std::string name = fixture.toStdString();
        const std::string model = test::testModel("op_" + name + ".pt");
        test::ScratchDir dir;
        runtime::TorchScriptRunner torchModel(model);
        const std::vector<std::string> names = importModel(model).inputNames;

        ConversionSettings s;
        s.modelPath = model;
        s.outputPath = dir.path("op.mlpackage");
        s.precision = Precision::Float32;
        std::mt19937 rng(1234);
        std::normal_distribution<float> normal(0.0f, 1.0f);
        std::vector<Tensor> inputs;
        std::map<std::string, Tensor> byName;
        const auto& shapes = index().at(name).at("inputs");
        for (size_t i = 0; i < shapes.size(); ++i) {
            InputSpec in;
            in.name = names.at(i);
            in.shape = shapes[i].get<Shape>();
            s.inputs.push_back(in);
            std::vector<float> v(static_cast<size_t>(shapeNumel(in.shape)));
            for (float& f : v) f = normal(rng);
            inputs.push_back(Tensor::fromFloats(v, in.shape));
            byName[in.name] = inputs.back();
        }
        convertModel(s);
        runtime::Interpreter interpreter = runtime::Interpreter::fromPackage(s.outputPath);
        const std::map<std::string, Tensor> got = interpreter.run(byName);
        const std::vector<Tensor> want = torchModel.run(inputs);
        QCOMPARE(got.size(), size_t(1));
        QCOMPARE(want.size(), size_t(1));
        const Tensor& g = got.begin()->second;
        QCOMPARE(g.shape(), want[0].shape());
        const std::vector<double> a = g.toDoubles(), b = want[0].toDoubles();
        double worst = 0;
        for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]) / (1.0 + std::fabs(b[i])));
        QVERIFY2(worst < 1e-4, (name + ": largest relative difference " + std::to_string(worst)).c_str());
    }
};

QTEST_APPLESS_MAIN(TestVisionNumerics)
#include "test_vision_numerics.moc"
