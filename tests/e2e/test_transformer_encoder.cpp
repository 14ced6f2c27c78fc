// A causal nn.TransformerEncoder (batch_first, eval mode, traced in torch 1.13 with a src_mask, so on
// the layers' regular path: linear, baddbmm with the additive -inf mask, softmax, bmm, layer_norm)
// converts for iOS15 and iOS18 and matches libtorch: fp32 max relative error <= 1e-4, fp16 SNR >= 40 dB.
#include "analysis/accuracy_report.h"
#include "converter.h"
#include "support/test_support.h"

#include <fstream>

#include <nlohmann/json.hpp>

using namespace cms;

class TestTransformerEncoder : public QObject {
    Q_OBJECT
private slots:
    void tracedGraphTakesTheRegularPath() {
        const ir::Graph g = importModel(test::testModel("transformer_causal.pt"));
        bool baddbmm = false, fused = false;
        for (const ir::Node* n : g.allNodes()) {
            baddbmm = baddbmm || n->kind == "aten::baddbmm";
            fused = fused || n->kind == "aten::_transformer_encoder_layer_fwd";
        }
        QVERIFY2(baddbmm && !fused, "expected the mask to be applied by baddbmm, outside the fused fast path");
    }

    void matchesLibtorch_data() {
        QTest::addColumn<int>("precision");
        QTest::addColumn<int>("target");
        for (Precision p : {Precision::Float32, Precision::Float16})
            for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS18})
                QTest::newRow((precisionName(p) + "/" + mil::targetName(t)).c_str()) << int(p) << int(t);
    }

    void matchesLibtorch() {
        QFETCH(int, precision);
        QFETCH(int, target);
        std::ifstream in(test::testModel("transformer_causal.json"));
        const nlohmann::json spec = nlohmann::json::parse(in);
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("transformer_causal.pt");
        s.outputPath = dir.path("encoder.mlpackage");
        InputSpec x;
        x.name = spec["inputs"][0]["name"].get<std::string>();
        x.shape = spec["inputs"][0]["shape"].get<Shape>();
        s.inputs = {x};
        s.precision = Precision(precision);
        s.target = mil::Target(target);
        convertModel(s);

        analysis::VerifyOptions o;
        o.modelPath = s.modelPath;
        o.packagePath = s.outputPath;
        o.seed = 3;
        const analysis::AccuracyReport r = analysis::verifyPackage(o);
        QCOMPARE(r.outputs.size(), size_t(1));
        const analysis::TensorMetrics& m = r.outputs[0].metrics;
        const std::string text = analysis::reportToText(r);
        if (s.precision == Precision::Float32)
            QVERIFY2(m.maxRelError <= 1e-4, text.c_str());
        else
            QVERIFY2(m.snrDb >= 40.0, text.c_str());
        qInfo("%s: max relative error %.3g, SNR %.1f dB", QTest::currentDataTag(), m.maxRelError, m.snrDb);
    }
};

QTEST_APPLESS_MAIN(TestTransformerEncoder)
#include "test_transformer_encoder.moc"
