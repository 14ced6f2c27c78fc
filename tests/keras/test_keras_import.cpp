// What the Keras import refuses and reports: malformed .h5 and .keras files each give an input error
// naming the file and what is wrong; a Lambda layer (Python code) is never run but listed in the
// unsupported-op report by its layer name; a custom layer class converts once a composite named after
// it stands in; declared input shapes and dtypes fill in the settings; the accuracy report of a Keras
// model compares with given reference outputs or the model's fp32 conversion.
#include <QFile>

#include "analysis/accuracy_metrics.h"
#include "analysis/accuracy_report.h"
#include "analysis/npy_io.h"
#include "analysis/unsupported_report.h"
#include "common/error.h"
#include "converter.h"
#include "keras/keras_fixtures.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

Error errorOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) { return e; }
    return Error(ErrorKind::Internal, "no error was thrown");
}

}  // namespace

class TestKerasImport : public QObject {
    Q_OBJECT
private slots:
    void malformedFilesGiveClearErrors_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("problem");
        QTest::newRow("truncated .h5") << "keras_bad_truncated.h5"
                                       << "cannot be opened (damaged or truncated)";
        QTest::newRow("not HDF5") << "keras_bad_not_hdf5.h5"
                                  << "not an HDF5 file";
        QTest::newRow("weights only") << "keras_bad_weights_only.h5"
                                      << "holds only weights";
        QTest::newRow("broken config") << "keras_bad_config_json.h5"
                                       << "model_config attribute is not valid JSON";
        QTest::newRow("missing weights") << "keras_bad_missing_weights.h5"
                                         << "has no \"kernel\" weight";
        QTest::newRow("truncated .keras") << "keras_bad_truncated.keras"
                                          << "not a readable zip archive";
        QTest::newRow("no config.json") << "keras_bad_no_config.keras"
                                        << "has no config.json";
        QTest::newRow("no weights file") << "keras_bad_no_weights.keras"
                                         << "has no model.weights.h5";
        QTest::newRow("subclassed model") << "keras_bad_subclassed.keras"
                                          << "\"MyModel\" is not a Sequential or Functional";
    }

    void malformedFilesGiveClearErrors() {
        QFETCH(QString, file);
        QFETCH(QString, problem);
        const std::string path = test::kerasFixture(file.toStdString());
        const Error e = errorOf([&] { importModel(path); });
        QCOMPARE(e.kind(), ErrorKind::Input);
        QCOMPARE(e.file(), path);
        QVERIFY2(e.message().find(problem.toStdString()) != std::string::npos, e.what());
        QVERIFY2(!e.hint().empty(), e.what());
    }

    void missingWeightNamesTheLayer() {
        const Error e = errorOf([&] { importModel(test::kerasFixture("keras_bad_missing_weights.h5")); });
        QCOMPARE(e.node(), std::string("conv1 (Conv2D)"));
    }

    // The Lambda's marshalled Python code is never run: conversion stops with the layer in the report.
    void lambdaLayerIsReportedNotRun_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("h5") << "keras_lambda.h5";
        QTest::newRow("keras") << "keras_lambda.keras";
    }

    void lambdaLayerIsReportedNotRun() {
        QFETCH(QString, file);
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::kerasFixture(file.toStdString());
        s.outputPath = dir.path("m.mlpackage");
        const Error e = errorOf([&] { convertModel(s); });
        QCOMPARE(e.kind(), ErrorKind::Unsupported);
        QVERIFY2(std::string(e.what()).find("keras::Lambda") != std::string::npos, e.what());
        QVERIFY(!QFile::exists(QString::fromStdString(s.outputPath)));

        ir::Graph graph = importModel(s.modelPath);
        const ConversionSettings complete = completeSettings(graph, s);
        const analysis::UnsupportedReport report = analysis::buildUnsupportedReport(graph, complete);
        QCOMPARE(report.ops.size(), size_t(1));
        const analysis::UnsupportedOpEntry& op = report.ops[0];
        QCOMPARE(op.op, std::string("keras::Lambda"));
        QCOMPARE(op.count, size_t(1));
        QCOMPARE(op.occurrences[0].modulePath, std::string("scale_by_two"));
        QCOMPARE(op.occurrences[0].moduleType, std::string("Lambda"));
        QCOMPARE(op.occurrences[0].inputs, std::vector<std::string>{"fp32[1,8]"});
        QVERIFY2(op.explanation.find("Python code") != std::string::npos, op.explanation.c_str());
    }

    // A custom layer (a class only the model's Python code defines) is reported like a Lambda, and a
    // composite for keras::<Class> stands in for it. Here the composite is relu, which equals the
    // identity TensorFlow.js ran on the (already ReLU'd) values, so the outputs must match its reference.
    void compositeStandsInForCustomLayer() {
        const std::string model = test::kerasFixture("keras_custom_layer.h5");
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = model;
        s.outputPath = dir.path("m.mlpackage");
        s.precision = Precision::Float32;
        const Error e = errorOf([&] { convertModel(s); });
        QCOMPARE(e.kind(), ErrorKind::Unsupported);
        QVERIFY2(std::string(e.what()).find("keras::ScaleByTwo") != std::string::npos, e.what());

        const std::string composites = dir.path("custom.yaml");
        {
            QFile f(QString::fromStdString(composites));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(
                "composites:\n"
                "  - op: \"keras::ScaleByTwo(Tensor self) -> Tensor\"\n"
                "    summary: the model's custom layer, as Core ML ops\n"
                "    output: relu(x=self)\n");
        }
        s.composites = {composites};
        try {
            convertModel(s);
            const runtime::Interpreter interp = runtime::Interpreter::fromPackage(s.outputPath);
            const auto results =
                interp.run({{"dense_in_input", analysis::readNpy(test::kerasFixture("keras_lambda.input0.npy"))}});
            const Tensor expected = analysis::readNpy(test::kerasFixture("keras_lambda.output0.npy"));
            const Tensor& actual = results.at(interp.outputTypes().at(0).first);
            std::vector<double> a, x;
            for (float v : actual.toFloats()) a.push_back(v);
            for (float v : expected.toFloats()) x.push_back(v);
            const analysis::TensorMetrics m = analysis::compareValues(a, x, expected.shape(), {});
            QVERIFY2(m.maxRelError <= 1e-5, std::to_string(m.maxRelError).c_str());
        } catch (const Error& err) { QFAIL(err.what()); }
    }

    // The accuracy report of a Keras model: against reference outputs when given (here TensorFlow.js's),
    // otherwise against the model's own fp32 conversion (image inputs go through the package's preprocessing).
    void verifyAgainstReferencesOrFp32Conversion() {
        test::ScratchDir dir;
        try {
            ConversionSettings s;
            s.modelPath = test::kerasFixture("keras_seq_cnn.h5");
            s.outputPath = dir.path("cnn.mlpackage");
            convertModel(s);  // fp16
            analysis::VerifyOptions v;
            v.modelPath = s.modelPath;
            v.packagePath = s.outputPath;
            v.inputFiles = {test::kerasFixture("keras_seq_cnn.input0.npy")};
            v.referenceFiles = {test::kerasFixture("keras_seq_cnn.output0.npy")};
            analysis::AccuracyReport r = analysis::verifyPackage(v);
            QCOMPARE(r.reference, std::string("reference files"));
            QVERIFY2(r.passed, analysis::reportToText(r).c_str());
            QVERIFY(r.outputs.at(0).metrics.snrDb >= 40.0);

            // The same references for other (random) inputs do not match.
            v.inputFiles.clear();
            QVERIFY(!analysis::verifyPackage(v).passed);

            v.referenceFiles.clear();
            r = analysis::verifyPackage(v);
            QCOMPARE(r.reference, std::string("fp32 conversion"));
            QVERIFY2(r.passed, analysis::reportToText(r).c_str());
            QVERIFY(!r.firstNonFinite.has_value());  // max-pool padding repeats edges instead of padding -inf

            v.perLayer = true;
            QCOMPARE(errorOf([&] { analysis::verifyPackage(v); }).kind(), ErrorKind::Settings);

            ConversionSettings image;
            image.modelPath = test::kerasFixture("keras_mobilenet_like.keras");
            image.outputPath = dir.path("image.mlpackage");
            image.inputs = {parseInputSpec("pixels:1x32x32x3:image,scale=0.00784313725490196,bias=-1,-1,-1")};
            convertModel(image);
            analysis::VerifyOptions vi;
            vi.modelPath = image.modelPath;
            vi.packagePath = image.outputPath;
            r = analysis::verifyPackage(vi);
            QCOMPARE(r.reference, std::string("fp32 conversion"));
            QVERIFY2(r.passed && r.outputs.at(0).metrics.snrDb >= 40.0, analysis::reportToText(r).c_str());
        } catch (const Error& e) { QFAIL(e.what()); }
    }

    // Keras files declare their inputs: no shape needs to be given, and the batch becomes 1. A shape the
    // user gives still wins.
    void declaredInputsFillTheSettings() {
        ir::Graph graph = importModel(test::kerasFixture("keras_functional.keras"));
        QCOMPARE(graph.inputNames, (std::vector<std::string>{"image", "side"}));
        QCOMPARE(graph.outputNames, (std::vector<std::string>{"logits", "mask"}));
        ConversionSettings s;
        s.modelPath = graph.sourcePath;
        const ConversionSettings complete = completeSettings(graph, s);
        QCOMPARE(complete.inputs.size(), size_t(2));
        QCOMPARE(complete.inputs[0].shape, Shape({1, 12, 12, 4}));
        QCOMPARE(complete.inputs[1].shape, Shape({1, 6}));
        QCOMPARE(complete.inputs[0].dtype, DType::Float32);

        s.inputs = {parseInputSpec("side:1x6:dtype=fp16")};
        const ConversionSettings mixed = completeSettings(graph, [&] {
            ConversionSettings t = s;
            t.target = mil::Target::iOS16;
            return t;
        }());
        QCOMPARE(mixed.inputs[1].dtype, DType::Float16);
    }
};

QTEST_APPLESS_MAIN(TestKerasImport)
#include "test_keras_import.moc"
