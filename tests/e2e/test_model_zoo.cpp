// The whole models the coverage issue names (tests/models/gen_zoo.py): ViT-B/16, Swin-T, DeepLabV3,
// LR-ASPP MobileNetV3 and a U-Net each convert, and the package run by our interpreter matches
// libtorch on the fixture's input: fp32 max relative error <= 1e-4, fp16 SNR >= 40 dB.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

using namespace cms;

class TestModelZoo : public QObject {
    Q_OBJECT
private slots:
    void matchesLibtorch_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"vit_b_16", "swin_t", "deeplabv3_resnet50", "lraspp_mobilenet_v3_large", "unet"})
            QTest::newRow(m) << QString(m);
    }

    void matchesLibtorch() {
        QFETCH(QString, model);
        const std::string stem = "zoo_" + model.toStdString();
        QFile description(QString::fromStdString(test::testModel(stem + ".json")));
        QVERIFY(description.open(QIODevice::ReadOnly));
        const QJsonObject info = QJsonDocument::fromJson(description.readAll()).object();
        InputSpec input;
        input.name = info["input_name"].toString().toStdString();
        for (const QJsonValue d : info["input_shape"].toArray()) input.shape.push_back(d.toInt());

        test::ScratchDir dir;
        analysis::VerifyOptions o;
        o.modelPath = test::testModel(stem + ".pt");
        o.inputFiles = {test::testModel(stem + ".input.npy")};
        for (const Precision precision : {Precision::Float32, Precision::Float16}) {
            const bool fp16 = precision == Precision::Float16;
            ConversionSettings s;
            s.modelPath = o.modelPath;
            s.outputPath = dir.path(fp16 ? "fp16.mlpackage" : "fp32.mlpackage");
            s.inputs = {input};
            s.precision = precision;
            s.target = mil::Target::iOS16;
            try {
                convertModel(s);
                o.packagePath = s.outputPath;
                o.perLayer = fp16;  // names the layer to keep in fp32 when the SNR falls short
                const analysis::AccuracyReport r = analysis::verifyPackage(o);
                qInfo().noquote() << QString::fromStdString(analysis::reportToText(r));
                QCOMPARE(r.outputs.size(), size_t(1));
                const analysis::TensorMetrics& m = r.outputs[0].metrics;
                QCOMPARE(r.outputs[0].shape.size(), size_t(info["output_shape"].toArray().size()));
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
    }
};

QTEST_APPLESS_MAIN(TestModelZoo)
#include "test_model_zoo.moc"
