// End to end: converted packages, run by the interpreter, against libtorch running the source
// model. The foundation's torchvision models: fp32 max relative error <= 1e-4, fp16 SNR >= 40 dB. Op fixtures: every
// op the converter lowers agrees with libtorch in fp32 (tight) and fp16 (loose).
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

std::string convert(const std::string& model, const std::vector<InputSpec>& inputs, Precision precision,
                    const std::string& out) {
    ConversionSettings s;
    s.modelPath = model;
    s.outputPath = out;
    s.inputs = inputs;
    s.precision = precision;
    s.target = mil::Target::iOS16;
    convertModel(s);
    return out;
}

// Input specs for an op fixture: names from the model, shapes (and dtypes) from its description.
std::vector<InputSpec> fixtureInputs(const std::string& model, const QJsonArray& shapes) {
    ir::Graph graph = importModel(model);
    std::vector<InputSpec> specs;
    for (int i = 0; i < shapes.size() && static_cast<size_t>(i) < graph.inputNames.size(); ++i) {
        InputSpec in;
        in.name = graph.inputNames[static_cast<size_t>(i)];
        const QJsonValue v = shapes[i];
        const QJsonArray dims = v.isObject() ? v.toObject()["shape"].toArray() : v.toArray();
        for (const QJsonValue d : dims) in.shape.push_back(d.toInt());
        if (v.isObject() && v.toObject()["dtype"].toString().startsWith("int")) in.dtype = DType::Int32;
        specs.push_back(in);
    }
    return specs;
}

}  // namespace

class TestAccuracyReport : public QObject {
    Q_OBJECT
private slots:
    void torchvisionModelsMatchLibtorch_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
                              "efficientnet_b0", "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121", "regnet_y_400mf",
                              "convnext_tiny"})
            QTest::newRow(m) << QString(m);
    }
    void torchvisionModelsMatchLibtorch() {
        QFETCH(QString, model);
        const std::string pt = test::testModel("tv_" + model.toStdString() + ".pt");
        test::ScratchDir dir;
        const std::vector<InputSpec> in = {parseInputSpec("x:1x3x224x224")};

        analysis::VerifyOptions o;
        o.modelPath = pt;
        o.packagePath = convert(pt, in, Precision::Float32, dir.path("fp32.mlpackage"));
        const analysis::AccuracyReport fp32 = analysis::verifyPackage(o);
        QCOMPARE(fp32.precision, std::string("fp32"));
        QCOMPARE(fp32.outputs.size(), size_t(1));
        const analysis::TensorMetrics& m32 = fp32.outputs[0].metrics;
        QVERIFY2(m32.maxRelError <= 1e-4, analysis::reportToText(fp32).c_str());
        QVERIFY(m32.top1Agrees.value());
        QVERIFY(fp32.passed);

        // fp16 on the fixture's own input. PyTorch's own fp16 emulation of the same model
        // (gen_torchvision_fp16.py: one fp16 rounding per ATen op) is printed beside it, as the yardstick
        // for what fp16 arithmetic can keep of this model (gen_torchvision.py says why the fixtures'
        // residual branches are damped: without it no fp16 arithmetic reaches 40 dB on random weights).
        QFile emulation(QString::fromStdString(test::testModel("tv_" + model.toStdString() + ".fp16.json")));
        QVERIFY(emulation.open(QIODevice::ReadOnly));
        const double emulatedDb = QJsonDocument::fromJson(emulation.readAll()).object()["snr_db"].toDouble();
        const double requiredDb = 40.0;
        o.packagePath = convert(pt, in, Precision::Float16, dir.path("fp16.mlpackage"));
        o.perLayer = true;
        o.inputFiles = {test::testModel("tv_" + model.toStdString() + ".input.npy")};
        const analysis::AccuracyReport fp16 = analysis::verifyPackage(o);
        qInfo().noquote() << QString::fromStdString(analysis::reportToText(fp32) + analysis::reportToText(fp16));
        qInfo("fp16 SNR %.2f dB, PyTorch's fp16 emulation %.2f dB, required %.2f dB", fp16.outputs[0].metrics.snrDb,
              emulatedDb, requiredDb);
        QCOMPARE(fp16.precision, std::string("fp16"));
        QVERIFY2(fp16.outputs[0].metrics.snrDb >= requiredDb, analysis::reportToText(fp16).c_str());
        QVERIFY(fp16.outputs[0].metrics.top1Agrees.value());
        QVERIFY(!fp16.firstNonFinite.has_value());
        // Per layer: most layers are matched to a TorchScript node, none overflows and the error
        // declines gradually, without a jump. ConvNeXt is the exception the report must find: its
        // layer scale (1e-6) makes products of ~1e-6, fp16 subnormals with few significant bits.
        QVERIFY2(fp16.layers.size() >= 20, analysis::reportToText(fp16).c_str());
        for (const analysis::LayerReport& l : fp16.layers) QVERIFY2(!l.nonFinite, analysis::reportToText(fp16).c_str());
        if (model == "convnext_tiny") {
            QVERIFY2(fp16.firstJump.has_value(), analysis::reportToText(fp16).c_str());
            QCOMPARE(fp16.layers[*fp16.firstJump].provenance.modulePath, std::string("features.1.0"));
            QCOMPARE(fp16.layers[*fp16.firstJump].opType, std::string("mul"));
        } else {
            QVERIFY2(!fp16.firstJump.has_value(), analysis::reportToText(fp16).c_str());
        }
        const QJsonDocument json = QJsonDocument::fromJson(QByteArray::fromStdString(analysis::reportToJson(fp16)));
        QVERIFY(json.isObject());
        QCOMPARE(json.object()["layers"].toArray().size(), int(fp16.layers.size()));
        QCOMPARE(json.object()["passed"].toBool(), fp16.passed);
    }

    // fp16 overflow: the report names the overflowing op and suggests what to keep in fp32; keeping
    // it fixes the output.
    void fp16OverflowIsFoundAndFixedByKeepingOpsInFp32() {
        const std::string pt = test::testModel("fp16_overflow.pt");
        test::ScratchDir dir;
        const std::vector<InputSpec> in = {parseInputSpec("x:1x16")};
        analysis::VerifyOptions o;
        o.modelPath = pt;
        o.perLayer = true;
        o.packagePath = convert(pt, in, Precision::Float16, dir.path("fp16.mlpackage"));
        const analysis::AccuracyReport broken = analysis::verifyPackage(o);
        const std::string text = analysis::reportToText(broken);
        qInfo().noquote() << QString::fromStdString(text);
        QVERIFY2(!broken.passed, text.c_str());
        QVERIFY2(broken.outputs[0].metrics.nonFiniteActual > 0, text.c_str());
        QVERIFY2(broken.firstNonFinite.has_value(), text.c_str());
        QCOMPARE(broken.firstNonFinite->provenance.modulePath, std::string("amplify.fc"));
        QVERIFY2(broken.firstJump.has_value(), text.c_str());
        QCOMPARE(broken.layers[*broken.firstJump].provenance.modulePath, std::string("amplify.fc"));
        QCOMPARE(broken.suggestedFp32Ops, (std::vector<std::string>{"amplify.fc", "amplify"}));

        ConversionSettings s;
        s.modelPath = pt;
        s.outputPath = dir.path("mixed.mlpackage");
        s.inputs = in;
        s.precision = Precision::Float16;
        s.target = mil::Target::iOS16;
        s.fp32Ops = broken.suggestedFp32Ops;
        convertModel(s);
        o.packagePath = s.outputPath;
        const analysis::AccuracyReport fixed = analysis::verifyPackage(o);
        QCOMPARE(fixed.precision, std::string("fp16"));  // the rest of the model still runs in fp16
        QVERIFY2(fixed.passed, analysis::reportToText(fixed).c_str());
        QVERIFY(!fixed.firstNonFinite.has_value());
    }

    // Image files feed image inputs: resized, in the package's colour layout, and the source model
    // takes the same pixels after the package's scale and bias.
    void imageFilesFeedImageInputs() {
        const std::string pt = test::testModel("demo_cnn.pt");
        test::ScratchDir dir;
        const std::string png = dir.path("photo.png");
        QImage image(300, 200, QImage::Format_RGB888);
        for (int y = 0; y < 200; ++y)
            for (int x = 0; x < 300; ++x)
                image.setPixelColor(x, y, QColor((x * 7) % 256, (y * 5) % 256, (x * y) % 256));
        QVERIFY(image.save(QString::fromStdString(png)));
        for (const char* layout : {"RGB", "BGR"}) {
            const std::vector<InputSpec> in = {parseInputSpec(
                std::string("image:1x3x224x224:image,scale=1/255,bias=-0.485,-0.456,-0.406,layout=") + layout)};
            analysis::VerifyOptions o;
            o.modelPath = pt;
            o.packagePath = convert(pt, in, Precision::Float32, dir.path(std::string(layout) + ".mlpackage"));
            o.inputFiles = {png};
            const analysis::AccuracyReport r = analysis::verifyPackage(o);
            const std::string text = analysis::reportToText(r);
            QVERIFY2(r.passed, text.c_str());
            QVERIFY2(r.outputs[0].metrics.maxRelError <= 1e-4, text.c_str());
            QCOMPARE(r.inputs.size(), size_t(1));
            QCOMPARE(r.inputs[0].source, png + " (image resized to 224x224, " + layout + " pixels 0-255)");
            o.inputFiles = {"image=" + png};  // named
            QVERIFY(analysis::verifyPackage(o).passed);
        }
    }

    // In an fp16 program the package rounds the preprocessed pixels to fp16; the reference must
    // preprocess in fp32 so that rounding is measured, not handed to libtorch as its input.
    void fp16ImagePreprocessingIsMeasuredAgainstFp32() {
        const std::string pt = test::testModel("op_relu.pt");
        const std::string name = importModel(pt).inputNames.at(0);
        test::ScratchDir dir;
        const std::string png = dir.path("pixels.png");
        QImage image(4, 4, QImage::Format_RGB888);
        for (int y = 0; y < 4; ++y)
            for (int x = 0; x < 4; ++x)
                image.setPixelColor(x, y, QColor(130 + 31 * x + y, 140 + 29 * y + x, 200 + 13 * x));
        QVERIFY(image.save(QString::fromStdString(png)));
        const std::vector<InputSpec> in = {
            parseInputSpec(name + ":1x3x4x4:image,scale=1/255,bias=-0.485,-0.456,-0.406")};
        analysis::VerifyOptions o;
        o.modelPath = pt;
        o.inputFiles = {png};
        o.packagePath = convert(pt, in, Precision::Float32, dir.path("fp32.mlpackage"));
        const analysis::AccuracyReport fp32 = analysis::verifyPackage(o);
        QVERIFY2(fp32.outputs[0].metrics.maxAbsError <= 1e-6, analysis::reportToText(fp32).c_str());
        o.packagePath = convert(pt, in, Precision::Float16, dir.path("fp16.mlpackage"));
        const analysis::AccuracyReport fp16 = analysis::verifyPackage(o);
        const std::string text = analysis::reportToText(fp16);
        QCOMPARE(fp16.precision, std::string("fp16"));
        // relu passes the preprocessed values (0.03 to 0.6) through: the error is the fp16 rounding
        // of scale, product and sum, a few units of 2^-12, and not zero.
        QVERIFY2(fp16.outputs[0].metrics.maxAbsError > 0.0, text.c_str());
        QVERIFY2(fp16.outputs[0].metrics.maxAbsError <= 4.0 / 4096, text.c_str());
        QVERIFY2(fp16.passed, text.c_str());
    }

    void inputFilesAreCheckedAgainstThePackageInputs() {
        const std::string pt = test::testModel("op_relu.pt");
        const std::string name = importModel(pt).inputNames.at(0);
        test::ScratchDir dir;
        const std::string png = dir.path("pixels.png");
        QImage image(4, 4, QImage::Format_RGB888);
        image.fill(QColor(1, 2, 3));
        QVERIFY(image.save(QString::fromStdString(png)));
        analysis::VerifyOptions o;
        o.modelPath = pt;
        const auto expectError = [&](const std::vector<std::string>& files, const std::string& needle) {
            o.inputFiles = files;
            try {
                analysis::verifyPackage(o);
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Input);
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
                return;
            }
            QFAIL(("no error for " + needle).c_str());
        };
        o.packagePath =
            convert(pt, {parseInputSpec(name + ":1x3x4x4")}, Precision::Float32, dir.path("array.mlpackage"));
        expectError({png}, "no image input is left");
        expectError({name + "=" + png}, "is not an image input");
        o.packagePath =
            convert(pt, {parseInputSpec(name + ":1x3x4x4:image")}, Precision::Float32, dir.path("image.mlpackage"));
        expectError({png, png}, "no image input is left");
        expectError({"other=" + png}, "no input named other");
        expectError({name + "=" + png, name + "=" + png}, "given twice");
        expectError({dir.path("inputs.txt")}, "unsupported input data file");
    }

    void opFixturesMatchLibtorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QJsonArray>("inputs");
        QTest::addColumn<bool>("fp16");
        const QDir models(CMS_TEST_MODELS_DIR);
        QFile index(models.filePath("ops_vision.json"));
        if (index.open(QIODevice::ReadOnly)) {
            const QJsonObject all = QJsonDocument::fromJson(index.readAll()).object();
            for (auto it = all.begin(); it != all.end(); ++it)
                QTest::newRow(it.key().toUtf8()) << it.key() << it.value().toObject()["inputs"].toArray() << true;
        }
        for (const QString& file : models.entryList({"op_*.json"})) {
            QFile f(models.filePath(file));
            if (!f.open(QIODevice::ReadOnly)) continue;
            const QString name = file.mid(3, file.size() - 8);
            const QJsonObject spec = QJsonDocument::fromJson(f.readAll()).object();
            // Random ops cannot match value for value: lower.test_op_numerics checks their distribution.
            if (spec["check"].toString() == "distribution") continue;
            // Every fixture is checked in fp16 too, unless it gives the reason it cannot be
            // ("fp16_exempt": its expected values do not exist in fp16, like the largest fp32 number).
            QTest::newRow(name.toUtf8()) << name << spec["inputs"].toArray() << !spec.contains("fp16_exempt");
        }
    }
    void opFixturesMatchLibtorch() {
        QFETCH(QString, name);
        QFETCH(QJsonArray, inputs);
        QFETCH(bool, fp16);
        const std::string pt = test::testModel("op_" + name.toStdString() + ".pt");
        test::ScratchDir dir;
        const std::vector<InputSpec> specs = fixtureInputs(pt, inputs);
        for (Precision p : {Precision::Float32, Precision::Float16}) {
            if (p == Precision::Float16 && !fp16) continue;
            analysis::VerifyOptions o;
            o.modelPath = pt;
            try {
                o.packagePath = convert(pt, specs, p, dir.path(precisionName(p) + ".mlpackage"));
            } catch (const Error& e) {
                if (e.kind() == ErrorKind::Unsupported || e.kind() == ErrorKind::Conversion || e.kind() == ErrorKind::Settings)
                    QSKIP(("not converted: " + std::string(e.what())).c_str());
                throw;
            }
            if (p == Precision::Float32) {
                o.criteria.rtol = 1e-4;
                o.criteria.atol = 1e-5;
            } else {
                o.criteria.minSnrDb = 30.0;
            }
            const analysis::AccuracyReport r = analysis::verifyPackage(o);
            QVERIFY2(r.passed, analysis::reportToText(r).c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestAccuracyReport)
#include "test_accuracy_report.moc"
