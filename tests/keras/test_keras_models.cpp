// Keras models built and run in TensorFlow.js, saved in both Keras forms (.h5 and .keras), converted,
// and run by our interpreter: every output matches TensorFlow.js's (fp32 max relative error <= 1e-4,
// fp16 SNR >= 40 dB); the same for the NumPy-reference models of layers TensorFlow.js lacks. Also checks what the
// import keeps: Keras layer names as module paths, the declared input shapes, channels-last inputs, and few layout
// transposes.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "analysis/accuracy_metrics.h"
#include "analysis/npy_io.h"
#include "common/error.h"
#include "converter.h"
#include "keras/keras_fixtures.h"
#include "package/package.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

QJsonObject fixtureInfo(const std::string& stem) {
    QFile f(QString::fromStdString(test::kerasFixture(stem + ".json")));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

std::vector<double> doubles(const Tensor& t) {
    const std::vector<float> f = t.castTo(DType::Float32).toFloats();
    return {f.begin(), f.end()};
}

size_t countOps(const mil::Block& block, const std::string& type) {
    size_t n = 0;
    for (const auto& op : block.ops) {
        n += op->type == type;
        for (const auto& nested : op->blocks) n += countOps(*nested, type);
    }
    return n;
}

}  // namespace

class TestKerasModels : public QObject {
    Q_OBJECT
private slots:
    void matchesReference_data() {
        QTest::addColumn<QString>("stem");
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("fp16");
        // keras_np_*: layers TensorFlow.js lacks (GRU with reset_after=True, MultiHeadAttention, bilinear UpSampling2D,
        // grouped Conv2D, Normalization, Subtract, causal and other 1-D layers), with NumPy references from Keras's
        // definitions (tests/models/keras/numpy_fixtures.py).
        for (const char* stem :
             {"keras_seq_cnn", "keras_functional", "keras_mobilenet_like", "keras_lstm_text", "keras_rnn_forms",
              "keras_layer_mix", "keras_np_gru", "keras_np_misc", "keras_np_attention", "keras_np_resize",
              "keras_time_distributed", "keras_gru_reset_before"})
            for (const char* format : {"h5", "keras"})
                for (bool fp16 : {false, true})
                    QTest::newRow((std::string(stem) + "." + format + (fp16 ? "/fp16" : "/fp32")).c_str())
                        << stem << format << fp16;
    }

    void matchesReference() {
        QFETCH(QString, stem);
        QFETCH(QString, format);
        QFETCH(bool, fp16);
        const std::string name = stem.toStdString();
        const QJsonObject info = fixtureInfo(name);
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::kerasFixture(name + "." + format.toStdString());
        s.outputPath = dir.path("model.mlpackage");
        s.precision = fp16 ? Precision::Float16 : Precision::Float32;
        try {
            // No --input: Keras files declare their input shapes (batch taken as 1).
            convertModel(s);
            const runtime::Interpreter interp = runtime::Interpreter::fromPackage(s.outputPath);
            const auto inputTypes = interp.inputTypes();
            const QJsonArray inputs = info["inputs"].toArray();
            QCOMPARE(inputTypes.size(), size_t(inputs.size()));
            std::map<std::string, Tensor> feed;
            for (int i = 0; i < inputs.size(); ++i) {
                const QJsonObject in = inputs[i].toObject();
                QCOMPARE(QString::fromStdString(inputTypes[size_t(i)].first), in["name"].toString());
                Shape declared;
                for (const QJsonValue d : in["shape"].toArray()) declared.push_back(d.toInt());
                // The model's own channels-last layout, as declared in Keras.
                QCOMPARE(inputTypes[size_t(i)].second.shape, declared);
                feed[in["name"].toString().toStdString()] =
                    analysis::readNpy(test::kerasFixture(name + ".input" + std::to_string(i) + ".npy"));
            }
            const std::map<std::string, Tensor> results = interp.run(feed);
            const auto outputTypes = interp.outputTypes();
            const QJsonArray outputs = info["outputs"].toArray();
            QCOMPARE(outputTypes.size(), size_t(outputs.size()));
            for (int i = 0; i < outputs.size(); ++i) {
                const Tensor expected =
                    analysis::readNpy(test::kerasFixture(name + ".output" + std::to_string(i) + ".npy"));
                const Tensor& actual = results.at(outputTypes[size_t(i)].first);
                QCOMPARE(actual.shape(), expected.shape());
                analysis::Criteria c;
                c.minSnrDb = 40.0;
                const analysis::TensorMetrics m =
                    analysis::compareValues(doubles(actual), doubles(expected), expected.shape(), c);
                const QString detail = QString("%1 output %2: max rel error %3, SNR %4 dB")
                                           .arg(QString::fromStdString(name))
                                           .arg(i)
                                           .arg(m.maxRelError)
                                           .arg(m.snrDb);
                qInfo().noquote() << detail;
                if (fp16)
                    QVERIFY2(m.snrDb >= 40.0, qPrintable(detail));
                else
                    QVERIFY2(m.maxRelError <= 1e-4, qPrintable(detail));
            }
        } catch (const Error& e) { QFAIL(e.what()); }
    }

    // The guide's ImageType(shape=(1, H, W, 3), scale=2/255, bias=-1) for a channels-last model: the package
    // takes a [1, 3, H, W] image and the program transposes it after the preprocessing.
    void channelsLastImageInput() {
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::kerasFixture("keras_mobilenet_like.h5");
        s.outputPath = dir.path("image.mlpackage");
        s.precision = Precision::Float32;
        s.inputs = {parseInputSpec("pixels:1x32x32x3:image,scale=0.00784313725490196,bias=-1,-1,-1")};
        try {
            convertModel(s);
            const runtime::Interpreter interp = runtime::Interpreter::fromPackage(s.outputPath);
            QCOMPARE(interp.inputTypes().at(0).second.shape, Shape({1, 3, 32, 32}));
            QCOMPARE(interp.description().inputs.at(0).kind, package::FeatureDescription::Kind::Image);
            // TensorFlow.js ran on x in [-1, 1]: the pixels are (x + 1) * 127.5, channels first.
            const Tensor x = analysis::readNpy(test::kerasFixture("keras_mobilenet_like.input0.npy"));
            const std::vector<float> nhwc = x.toFloats();
            std::vector<float> pixels(nhwc.size());
            for (int64_t h = 0; h < 32; ++h)
                for (int64_t w = 0; w < 32; ++w)
                    for (int64_t c = 0; c < 3; ++c)
                        pixels[size_t((c * 32 + h) * 32 + w)] = (nhwc[size_t((h * 32 + w) * 3 + c)] + 1.0f) * 127.5f;
            const auto results = interp.run({{"pixels", Tensor::fromFloats(pixels, {1, 3, 32, 32})}});
            const Tensor expected = analysis::readNpy(test::kerasFixture("keras_mobilenet_like.output0.npy"));
            const analysis::TensorMetrics m =
                analysis::compareValues(doubles(results.at("predictions")), doubles(expected), expected.shape(), {});
            QVERIFY2(m.maxRelError <= 1e-4, std::to_string(m.maxRelError).c_str());
        } catch (const Error& e) { QFAIL(e.what()); }
    }

    // The imported graph names Keras layers (nested models as outer.inner) and the MobileNet-like model
    // needs only the transposes its layout changes call for: one after the input, none between its
    // conv, batch-norm and ReLU6 blocks, none before global pooling.
    void keepsLayerNamesAndFewTransposes() {
        try {
            ir::Graph graph = importModel(test::kerasFixture("keras_functional.h5"));
            std::set<std::string> paths;
            for (const ir::Node* n : graph.allNodes()) paths.insert(n->prov.modulePath);
            for (const char* expected : {"stem", "shared_conv", "block.block_conv", "block.block_bn", "sum", "logits"})
                QVERIFY2(paths.count(expected), expected);
            QCOMPARE(graph.framework, std::string("keras"));

            ConversionSettings s;
            test::ScratchDir dir;
            s.modelPath = test::kerasFixture("keras_mobilenet_like.keras");
            s.outputPath = dir.path("m.mlpackage");
            s.precision = Precision::Float32;
            convertModel(s);
            const package::PackageContents contents = package::readPackage(s.outputPath);
            QCOMPARE(countOps(contents.program.main().body, "transpose"), size_t(1));
            QCOMPARE(countOps(contents.program.main().body, "conv"), size_t(9));  // batch norms folded in
        } catch (const Error& e) { QFAIL(e.what()); }
    }
};

QTEST_APPLESS_MAIN(TestKerasModels)
#include "test_keras_models.moc"
