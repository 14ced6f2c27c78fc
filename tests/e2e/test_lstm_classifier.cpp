// The 2-layer LSTM classifier of the coverage issue (tests/models/gen_flow_models.py) converts, and
// the package run by our interpreter matches libtorch on the fixture's input: fp32 max relative
// error <= 1e-4, fp16 SNR >= 40 dB. The fp32 program holds the two MIL lstm ops the layers lower to.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;

class TestLstmClassifier : public QObject {
    Q_OBJECT
private slots:
    void matchesLibtorch_data() {
        QTest::addColumn<bool>("fp16");
        QTest::newRow("fp32") << false;
        QTest::newRow("fp16") << true;
    }

    void matchesLibtorch() {
        QFETCH(bool, fp16);
        const std::string stem = "model_lstm_classifier";
        QFile description(QString::fromStdString(test::testModel(stem + ".json")));
        QVERIFY(description.open(QIODevice::ReadOnly));
        const QJsonObject info = QJsonDocument::fromJson(description.readAll()).object();
        InputSpec input;
        input.name = info["input_name"].toString().toStdString();
        for (const QJsonValue d : info["input_shape"].toArray()) input.shape.push_back(d.toInt());

        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel(stem + ".pt");
        s.outputPath = dir.path("lstm.mlpackage");
        s.inputs = {input};
        s.precision = fp16 ? Precision::Float16 : Precision::Float32;
        try {
            convertModel(s);
            const package::PackageContents contents = package::readPackage(s.outputPath);
            size_t lstms = 0;
            for (const auto& op : contents.program.main().body.ops) lstms += op->type == "lstm";
            QCOMPARE(lstms, size_t(2));

            analysis::VerifyOptions o;
            o.modelPath = s.modelPath;
            o.packagePath = s.outputPath;
            o.inputFiles = {test::testModel(stem + ".input.npy")};
            const analysis::AccuracyReport r = analysis::verifyPackage(o);
            qInfo().noquote() << QString::fromStdString(analysis::reportToText(r));
            QCOMPARE(r.outputs.size(), size_t(1));
            QCOMPARE(r.outputs[0].shape, Shape({1, 5}));
            const analysis::TensorMetrics& m = r.outputs[0].metrics;
            if (fp16) {
                QVERIFY2(m.snrDb >= 40.0, analysis::reportToText(r).c_str());
                QVERIFY(!r.firstNonFinite.has_value());
            } else {
                QVERIFY2(m.maxRelError <= 1e-4, analysis::reportToText(r).c_str());
            }
        } catch (const Error& e) {
            QFAIL(e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestLstmClassifier)
#include "test_lstm_classifier.moc"
