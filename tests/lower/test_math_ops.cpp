// The math translators beyond what op fixtures can show: scaled_dot_product_attention (absent from
// torch 1.13) on IR graphs against a direct computation, both as Core ML's iOS18 op and as the
// decomposition for older targets, and in models written as torch 2 saves them against libtorch; the fused encoder layer through the iOS18 op against
// libtorch; the iOS18 op's type inference; and the errors for arguments Core ML cannot express.
#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "package/package.h"
#include "runtime/interpreter.h"
#include "support/op_decl_fixture.h"
#include "support/test_support.h"

#include <cmath>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>

using namespace cms;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ir::Value* addNode(ir::Graph& g, const std::string& kind, std::vector<ir::Value*> inputs, const std::string& out) {
    ir::Provenance p;
    p.sourceOp = kind;
    ir::Node* n = g.newNode(kind, p);
    n->inputs = std::move(inputs);
    ir::Value* v = g.newValue(out, ir::ValueKind::Tensor);
    v->producer = n;
    n->outputs.push_back(v);
    g.top().nodes.push_back(n);
    return v;
}

ir::Value* addInput(ir::Graph& g, const std::string& name) {
    ir::Value* v = g.newValue(name, ir::ValueKind::Tensor, "Tensor");
    g.top().inputs.push_back(v);
    g.inputNames.push_back(name);
    return v;
}

std::vector<float> ramp(int64_t n, float scale, float phase) {
    std::vector<float> v(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) v[static_cast<size_t>(i)] = scale * std::sin(0.7f * static_cast<float>(i) + phase);
    return v;
}

// softmax(q k^T * scale + mask) v for q [H, L, E], k [H, S, E], v [H, S, Ev]; mask [L, S] added.
std::vector<float> referenceAttention(const std::vector<float>& q, const std::vector<float>& k, const std::vector<float>& v,
                                      const std::vector<float>& mask, int64_t h, int64_t l, int64_t s, int64_t e, int64_t ev,
                                      double scale) {
    std::vector<float> out(static_cast<size_t>(h * l * ev), 0.0f);
    for (int64_t b = 0; b < h; ++b)
        for (int64_t i = 0; i < l; ++i) {
            std::vector<double> w(static_cast<size_t>(s));
            double top = -std::numeric_limits<double>::infinity();
            for (int64_t j = 0; j < s; ++j) {
                double dot = 0;
                for (int64_t c = 0; c < e; ++c) dot += double(q[(b * l + i) * e + c]) * double(k[(b * s + j) * e + c]);
                w[j] = dot * scale + (mask.empty() ? 0.0 : double(mask[i * s + j]));
                top = std::max(top, w[j]);
            }
            double sum = 0;
            for (double& x : w) sum += (x = std::exp(x - top));
            for (int64_t c = 0; c < ev; ++c) {
                double acc = 0;
                for (int64_t j = 0; j < s; ++j) acc += w[j] / sum * double(v[(b * s + j) * ev + c]);
                out[(b * l + i) * ev + c] = static_cast<float>(acc);
            }
        }
    return out;
}

InputSpec floatInput(const std::string& name, Shape shape) {
    InputSpec in;
    in.name = name;
    in.shape = std::move(shape);
    return in;
}

struct Converted {
    std::vector<float> output;
    std::map<std::string, size_t> opCounts;
};

// Lowers g for `target`, writes the package and runs it with the interpreter.
Converted convertAndRun(ir::Graph& g, mil::Target target, const std::vector<InputSpec>& inputs,
                        const std::map<std::string, Tensor>& values) {
    ConversionSettings s;
    s.inputs = inputs;
    s.target = target;
    s.precision = Precision::Float32;
    s = completeSettings(g, s);
    const mil::Program p = buildProgram(g, s);
    Converted c;
    for (const auto& op : p.main().body.ops) ++c.opCounts[op->type];
    test::ScratchDir dir;
    package::writePackage(p, describeProgram(p, s), dir.path("m.mlpackage"));
    const auto outputs = runtime::Interpreter::fromPackage(dir.path("m.mlpackage")).run(values);
    c.output = outputs.begin()->second.toFloats();
    return c;
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - double(b[i])));
    return m;
}

constexpr int64_t H = 2, L = 3, S = 5, E = 4, EV = 3;

}  // namespace

class TestMathOps : public QObject {
    Q_OBJECT
private slots:
    void attentionMatchesDirectComputation_data() {
        QTest::addColumn<QString>("mask");  // none, bool, float, causal
        QTest::addColumn<double>("scale");  // 0: the default 1/sqrt(E)
        QTest::addColumn<bool>("flash");    // the _scaled_dot_product_flash_attention_for_cpu form
        QTest::addColumn<int>("target");
        for (int t : {int(mil::Target::iOS15), int(mil::Target::iOS18)}) {
            const std::string suffix = t == int(mil::Target::iOS18) ? "/ios18" : "/ios15";
            QTest::newRow(("plain" + suffix).c_str()) << "none" << 0.0 << false << t;
            QTest::newRow(("bool_mask" + suffix).c_str()) << "bool" << 0.0 << false << t;
            QTest::newRow(("float_mask_scale" + suffix).c_str()) << "float" << 0.3 << false << t;
            QTest::newRow(("causal" + suffix).c_str()) << "causal" << 0.0 << false << t;
            QTest::newRow(("flash_causal_scale" + suffix).c_str()) << "causal" << 0.8 << true << t;
        }
    }

    void attentionMatchesDirectComputation() {
        QFETCH(QString, mask);
        QFETCH(double, scale);
        QFETCH(bool, flash);
        QFETCH(int, target);
        const std::vector<float> q = ramp(H * L * E, 1.0f, 0.1f), k = ramp(H * S * E, 1.2f, 0.5f), v = ramp(H * S * EV, 1.0f, 1.3f);
        // The additive mask the reference uses, and what the graph passes.
        std::vector<float> additive;
        std::optional<Tensor> maskValue;
        const double inf = std::numeric_limits<double>::infinity();
        if (mask == "bool" || mask == "causal") {
            std::vector<bool> keep(L * S);
            for (int64_t i = 0; i < L; ++i)
                for (int64_t j = 0; j < S; ++j) keep[i * S + j] = mask == "causal" ? j <= i : (i + 2 * j) % 3 != 0;
            for (bool b : keep) additive.push_back(b ? 0.0f : float(-inf));
            if (mask == "bool") maskValue = Tensor::fromBools(keep, {L, S});
        } else if (mask == "float") {
            additive = ramp(L * S, 2.0f, 0.9f);
            maskValue = Tensor::fromFloats(additive, {L, S});
        }
        const double effectiveScale = scale > 0 ? scale : 1.0 / std::sqrt(double(E));
        const std::vector<float> expected = referenceAttention(q, k, v, additive, H, L, S, E, EV, effectiveScale);

        ir::Graph g;
        ir::Value* qi = addInput(g, "q");
        ir::Value* ki = addInput(g, "k");
        ir::Value* vi = addInput(g, "v");
        ir::Value* none = g.newConstant("none", ir::NoneValue{});
        ir::Value* m = maskValue ? g.newConstant("mask", *maskValue) : none;
        ir::Value* causal = g.newConstant("is_causal", mask == "causal");
        ir::Value* dropout = g.newConstant("dropout_p", 0.0);
        ir::Value* sc = scale > 0 ? g.newConstant("scale", scale) : none;
        ir::Value* out = flash ? addNode(g, "aten::_scaled_dot_product_flash_attention_for_cpu", {qi, ki, vi, dropout, causal, m, sc}, "out")
                               : addNode(g, "aten::scaled_dot_product_attention", {qi, ki, vi, m, dropout, causal, sc}, "out");
        g.top().outputs.push_back(out);
        const Converted c = convertAndRun(g, mil::Target(target), {floatInput("q", {1, H, L, E}), floatInput("k", {1, H, S, E}), floatInput("v", {1, H, S, EV})},
                                          {{"q", Tensor::fromFloats(q, {1, H, L, E})}, {"k", Tensor::fromFloats(k, {1, H, S, E})},
                                           {"v", Tensor::fromFloats(v, {1, H, S, EV})}});
        const bool ios18 = target == int(mil::Target::iOS18);
        QCOMPARE(c.opCounts.count("scaled_dot_product_attention") != 0, ios18);
        const double diff = maxAbsDiff(c.output, expected);
        QVERIFY2(diff < 1e-5, ("max abs difference " + std::to_string(diff)).c_str());
    }

    void groupedQueryAttentionRepeatsKeyHeads() {
        const int64_t hq = 4, hk = 2;
        const std::vector<float> q = ramp(hq * L * E, 1.0f, 0.2f), k = ramp(hk * S * E, 1.0f, 0.4f), v = ramp(hk * S * EV, 1.0f, 0.6f);
        // Query head h reads key/value head h / (hq / hk).
        std::vector<float> kr, vr;
        for (int64_t h = 0; h < hq; ++h) {
            const int64_t src = h / (hq / hk);
            kr.insert(kr.end(), k.begin() + src * S * E, k.begin() + (src + 1) * S * E);
            vr.insert(vr.end(), v.begin() + src * S * EV, v.begin() + (src + 1) * S * EV);
        }
        const std::vector<float> expected = referenceAttention(q, kr, vr, {}, hq, L, S, E, EV, 1.0 / std::sqrt(double(E)));
        ir::Graph g;
        ir::Value* none = g.newConstant("none", ir::NoneValue{});
        ir::Value* out = addNode(g, "aten::scaled_dot_product_attention",
                                 {addInput(g, "q"), addInput(g, "k"), addInput(g, "v"), none, g.newConstant("dropout_p", 0.0),
                                  g.newConstant("is_causal", false), none, g.newConstant("enable_gqa", true)},
                                 "out");
        g.top().outputs.push_back(out);
        const Converted c = convertAndRun(g, mil::Target::iOS18, {floatInput("q", {1, hq, L, E}), floatInput("k", {1, hk, S, E}), floatInput("v", {1, hk, S, EV})},
                                          {{"q", Tensor::fromFloats(q, {1, hq, L, E})}, {"k", Tensor::fromFloats(k, {1, hk, S, E})},
                                           {"v", Tensor::fromFloats(v, {1, hk, S, EV})}});
        const double diff = maxAbsDiff(c.output, expected);
        QVERIFY2(diff < 1e-5, ("max abs difference " + std::to_string(diff)).c_str());
    }

    // nn.TransformerEncoder's fused inference layers through Core ML's iOS18 attention op, against libtorch.
    void fusedEncoderLayerOnIos18MatchesLibtorch() {
        test::ScratchDir scratch;
        for (const bool fp16 : {false, true}) {
            ConversionSettings s;
            s.modelPath = test::testModel("op_transformer_encoder_layer_fwd.pt");
            s.outputPath = scratch.path(fp16 ? "fp16.mlpackage" : "fp32.mlpackage");
            s.target = mil::Target::iOS18;
            s.precision = fp16 ? Precision::Float16 : Precision::Float32;
            s.inputs = {floatInput("x", {2, 5, 16})};
            const ConversionReport r = convertModel(s);
            QCOMPARE(r.opHistogram.count("scaled_dot_product_attention") ? r.opHistogram.at("scaled_dot_product_attention") : 0, size_t(2));
            analysis::VerifyOptions o;
            o.modelPath = s.modelPath;
            o.packagePath = s.outputPath;
            o.seed = 11;
            const analysis::AccuracyReport report = analysis::verifyPackage(o);
            QVERIFY2(report.passed, analysis::reportToText(report).c_str());
        }
    }

    // Models saved by torch >= 2.0 call torch.scaled_dot_product_attention; with the op registered for
    // the linked libtorch (runtime/torch/torch_backports.cpp) they load, convert and match libtorch.
    void torch2AttentionModelsMatchLibtorch_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("precision");
        for (const char* n : {"plain", "causal", "bool_mask_scale", "float_mask", "gqa"})
            for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS18})
                for (Precision p : {Precision::Float32, Precision::Float16})
                    QTest::newRow((std::string(n) + "/" + mil::targetName(t) + "/" + precisionName(p)).c_str()) << QString(n) << int(t) << int(p);
    }

    void torch2AttentionModelsMatchLibtorch() {
        QFETCH(QString, name);
        QFETCH(int, target);
        QFETCH(int, precision);
        const std::string stem = "backport_sdpa_" + name.toStdString();
        std::ifstream in(test::testModel(stem + ".json"));
        const nlohmann::json spec = nlohmann::json::parse(in);
        test::ScratchDir scratch;
        ConversionSettings s;
        s.modelPath = test::testModel(stem + ".pt");
        s.outputPath = scratch.path("m.mlpackage");
        s.target = mil::Target(target);
        s.precision = Precision(precision);
        for (const auto& i : spec["inputs"]) s.inputs.push_back(floatInput(i["name"].get<std::string>(), i["shape"].get<Shape>()));
        const ConversionReport r = convertModel(s);
        QCOMPARE(r.opHistogram.count("scaled_dot_product_attention") != 0, s.target == mil::Target::iOS18);
        analysis::VerifyOptions o;
        o.modelPath = s.modelPath;
        o.packagePath = s.outputPath;
        o.seed = 5;
        const analysis::AccuracyReport report = analysis::verifyPackage(o);
        QVERIFY2(report.passed, analysis::reportToText(report).c_str());
    }

    void attentionOpTypeInference() {
        test::OpDeclFixture f(mil::Target::iOS18);
        mil::Value* q = f.input(test::fp32({2, 4, 3, 8}));
        mil::Value* k = f.input(test::fp32({2, 4, 5, 8}));
        mil::Value* v = f.input(test::fp32({2, 4, 5, 6}));
        mil::Value* boolMask = f.input(mil::TensorType{DType::Bool, {3, 5}});
        mil::Value* wrongMask = f.input(test::fp32({3, 4}));
        mil::Value* wrongKey = f.input(test::fp32({2, 4, 5, 7}));
        mil::Value* rank2 = f.input(test::fp32({3, 8}));
        QCOMPARE(f.type("scaled_dot_product_attention", {{"query", {q}}, {"key", {k}}, {"value", {v}}, {"attn_mask", {boolMask}}}),
                 test::fp32({2, 4, 3, 6}));
        QVERIFY(f.fails("scaled_dot_product_attention", {{"query", {q}}, {"key", {k}}, {"value", {v}}, {"attn_mask", {wrongMask}}}));
        QVERIFY(f.fails("scaled_dot_product_attention", {{"query", {q}}, {"key", {wrongKey}}, {"value", {v}}}));
        QVERIFY(f.fails("scaled_dot_product_attention", {{"query", {rank2}}, {"key", {rank2}}, {"value", {rank2}}}));
        test::OpDeclFixture f17(mil::Target::iOS17);
        mil::Value* q17 = f17.input(test::fp32({2, 3, 8}));
        QVERIFY(f17.fails("scaled_dot_product_attention", {{"query", {q17}}, {"key", {q17}}, {"value", {q17}}}));
    }

    // Arguments Core ML cannot express fail the node with what to do instead.
    void unsupportedArgumentsExplainThemselves_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("inverse of a computed 5x5") << "linalg_inv" << "4 x 4";
        QTest::newRow("spectral matrix norm") << "linalg_matrix_norm" << "singular values";
        QTest::newRow("einsum diagonal") << "einsum" << "diagonal";
        QTest::newRow("matrix norm nuc") << "linalg_norm" << "singular values";
    }

    void unsupportedArgumentsExplainThemselves() {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        ir::Value* none = g.newConstant("none", ir::NoneValue{});
        ir::Value* out = nullptr;
        if (kind == "linalg_inv") {
            out = addNode(g, "aten::linalg_inv", {x}, "out");
        } else if (kind == "linalg_matrix_norm") {
            out = addNode(g, "aten::linalg_matrix_norm", {x, g.newConstant("ord", 2.0), g.newConstant("dim", std::vector<int64_t>{-2, -1}),
                                                          g.newConstant("keepdim", false), none}, "out");
        } else if (kind == "linalg_norm") {
            out = addNode(g, "aten::linalg_norm", {x, g.newConstant("ord", std::string("nuc")), g.newConstant("dim", std::vector<int64_t>{1, 2}),
                                                   g.newConstant("keepdim", false), none},
                          "out");
        } else {
            ir::Node* list = g.newNode("prim::ListConstruct", {});
            list->inputs = {x};
            ir::Value* l = g.newValue("l", ir::ValueKind::List);
            l->producer = list;
            list->outputs.push_back(l);
            g.top().nodes.push_back(list);
            out = addNode(g, "aten::einsum", {g.newConstant("eq", std::string("bii->bi")), l, none}, "out");
        }
        g.top().outputs.push_back(out);
        ConversionSettings s;
        s.inputs = {floatInput("x", {2, 5, 5})};
        try {
            s = completeSettings(g, s);
            buildProgram(g, s);
            QFAIL("expected a conversion error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Conversion);
            const std::string all = e.message() + " " + e.hint();
            QVERIFY2(contains(all, expected.toStdString()), all.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestMathOps)
#include "test_math_ops.moc"
