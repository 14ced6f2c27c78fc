// Translators whose torch op no fixture can hold (torch 1.13 lacks aten::rms_norm and
// aten::_native_batch_norm_legit; no torch has aten::softsign, F.softsign is Python), run on
// hand-built graphs through lowering and the interpreter and compared with the op's definition
// computed here; plus clear errors for argument values Core ML cannot express.
#include <cmath>
#include <random>

#include "common/error.h"
#include "lower/lowering.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

ir::Value* addNode(ir::Graph& g, const std::string& kind, std::vector<ir::Value*> inputs, size_t outputs = 1) {
    ir::Provenance p;
    p.sourceOp = kind;
    ir::Node* n = g.newNode(kind, p);
    n->inputs = std::move(inputs);
    for (size_t i = 0; i < outputs; ++i) {
        ir::Value* v = g.newValue(kind.substr(6) + std::to_string(i), ir::ValueKind::Tensor);
        v->producer = n;
        n->outputs.push_back(v);
    }
    g.top().nodes.push_back(n);
    return n->outputs.front();
}

ir::Value* addInput(ir::Graph& g, const std::string& name) {
    ir::Value* v = g.newValue(name, ir::ValueKind::Tensor, "Tensor");
    g.top().inputs.push_back(v);
    g.inputNames.push_back(name);
    return v;
}

std::vector<float> randomValues(size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::normal_distribution<float> d;
    std::vector<float> v(n);
    for (float& f : v) f = d(gen);
    return v;
}

// Lowers the graph (fp32, iOS15) and runs it on x; returns every graph output.
std::vector<std::vector<float>> run(ir::Graph& g, const Shape& shape, const std::vector<float>& x) {
    ConversionSettings s;
    InputSpec in;
    in.name = "x";
    in.shape = shape;
    s.inputs.push_back(in);
    package::PackageContents contents;
    contents.program = lower::lowerGraph(g, s);
    runtime::Interpreter interp(std::move(contents));
    const std::map<std::string, Tensor> out = interp.run({{"x", Tensor::fromFloats(x, shape)}});
    std::vector<std::vector<float>> values;
    for (const auto& [name, type] : interp.outputTypes()) values.push_back(out.at(name).toFloats());
    return values;
}

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    if (a.size() != b.size()) return INFINITY;
    double m = 0;
    for (size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a[i]) - double(b[i])));
    return m;
}

// Per-channel batch statistics of [N, C, S] data: mean and 1/sqrt(biased var + eps).
void channelStats(const std::vector<float>& x, int64_t n, int64_t c, int64_t s, double eps, std::vector<double>& mean,
                  std::vector<double>& rstd) {
    mean.assign(size_t(c), 0.0);
    rstd.assign(size_t(c), 0.0);
    for (int64_t ch = 0; ch < c; ++ch) {
        double sum = 0, sq = 0;
        for (int64_t b = 0; b < n; ++b)
            for (int64_t i = 0; i < s; ++i) sum += x[size_t((b * c + ch) * s + i)];
        const double m = sum / double(n * s);
        for (int64_t b = 0; b < n; ++b)
            for (int64_t i = 0; i < s; ++i) sq += std::pow(x[size_t((b * c + ch) * s + i)] - m, 2);
        mean[size_t(ch)] = m;
        rstd[size_t(ch)] = 1.0 / std::sqrt(sq / double(n * s) + eps);
    }
}

}  // namespace

class TestVisionNnForms : public QObject {
    Q_OBJECT
private slots:
    void softsign() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        g.top().outputs.push_back(addNode(g, "aten::softsign", {x}));
        const std::vector<float> in = randomValues(12, 1);
        std::vector<float> expected;
        for (float v : in) expected.push_back(v / (1.0f + std::abs(v)));
        QVERIFY(maxAbsDiff(run(g, {3, 4}, in).at(0), expected) < 1e-6);
    }

    void rmsNormWithWeight() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        const std::vector<float> w = {0.5f, 1.5f, -1.0f, 2.0f, 0.25f};
        g.top().outputs.push_back(addNode(g, "aten::rms_norm",
                                          {x, g.newConstant("shape", std::vector<int64_t>{5}),
                                           g.newConstant("weight", Tensor::fromFloats(w, {5})),
                                           g.newConstant("eps", 1e-3)}));
        const std::vector<float> in = randomValues(2 * 3 * 5, 2);
        std::vector<float> expected(in.size());
        for (size_t row = 0; row < 6; ++row) {
            double ms = 0;
            for (size_t i = 0; i < 5; ++i) ms += double(in[row * 5 + i]) * in[row * 5 + i];
            const double inv = 1.0 / std::sqrt(ms / 5.0 + 1e-3);
            for (size_t i = 0; i < 5; ++i) expected[row * 5 + i] = float(in[row * 5 + i] * inv * w[i]);
        }
        QVERIFY(maxAbsDiff(run(g, {2, 3, 5}, in).at(0), expected) < 1e-5);
    }

    void rmsNormDefaultEpsOverTwoDims() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        g.top().outputs.push_back(addNode(g, "aten::rms_norm",
                                          {x, g.newConstant("shape", std::vector<int64_t>{3, 4}), g.newConstant("w", ir::NoneValue{}),
                                           g.newConstant("eps", ir::NoneValue{})}));
        const std::vector<float> in = randomValues(2 * 12, 3);
        std::vector<float> expected(in.size());
        for (size_t row = 0; row < 2; ++row) {
            double ms = 0;
            for (size_t i = 0; i < 12; ++i) ms += double(in[row * 12 + i]) * in[row * 12 + i];
            const double inv = 1.0 / std::sqrt(ms / 12.0 + 1.1920928955078125e-07);
            for (size_t i = 0; i < 12; ++i) expected[row * 12 + i] = float(in[row * 12 + i] * inv);
        }
        QVERIFY(maxAbsDiff(run(g, {2, 3, 4}, in).at(0), expected) < 1e-5);
    }

    // _native_batch_norm_legit.no_stats(input, weight, bias, training, momentum, eps) -> (out, mean, rstd)
    void batchNormWithBatchStatistics() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        const std::vector<float> w = {1.5f, -0.5f, 2.0f}, b = {0.1f, 0.2f, -0.3f};
        ir::Value* out = addNode(g, "aten::_native_batch_norm_legit",
                                 {x, g.newConstant("w", Tensor::fromFloats(w, {3})), g.newConstant("b", Tensor::fromFloats(b, {3})),
                                  g.newConstant("training", true), g.newConstant("momentum", 0.1), g.newConstant("eps", 1e-5)},
                                 3);
        const ir::Node* node = out->producer;
        for (ir::Value* v : node->outputs) g.top().outputs.push_back(v);
        const int64_t n = 2, c = 3, s = 4 * 5;
        const std::vector<float> in = randomValues(size_t(n * c * s), 4);
        std::vector<double> mean, rstd;
        channelStats(in, n, c, s, 1e-5, mean, rstd);
        std::vector<float> expected(in.size()), expectedMean, expectedRstd;
        for (int64_t bi = 0; bi < n; ++bi)
            for (int64_t ch = 0; ch < c; ++ch)
                for (int64_t i = 0; i < s; ++i) {
                    const size_t k = size_t((bi * c + ch) * s + i);
                    expected[k] = float((in[k] - mean[size_t(ch)]) * rstd[size_t(ch)] * w[size_t(ch)] + b[size_t(ch)]);
                }
        for (int64_t ch = 0; ch < c; ++ch) {
            expectedMean.push_back(float(mean[size_t(ch)]));
            expectedRstd.push_back(float(rstd[size_t(ch)]));
        }
        const auto got = run(g, {n, c, 4, 5}, in);
        QCOMPARE(got.size(), size_t(3));
        QVERIFY(maxAbsDiff(got[0], expected) < 1e-5);
        QVERIFY(maxAbsDiff(got[1], expectedMean) < 1e-6);
        QVERIFY(maxAbsDiff(got[2], expectedRstd) < 1e-4);
    }

    // _native_batch_norm_legit(input, weight, bias, running_mean, running_var, training=False, ...) uses
    // the running statistics.
    void batchNormWithRunningStatistics() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        const std::vector<float> rm = {0.5f, -1.0f}, rv = {2.0f, 0.5f};
        g.top().outputs.push_back(addNode(g, "aten::_native_batch_norm_legit",
                                          {x, g.newConstant("w", ir::NoneValue{}), g.newConstant("b", ir::NoneValue{}),
                                           g.newConstant("rm", Tensor::fromFloats(rm, {2})), g.newConstant("rv", Tensor::fromFloats(rv, {2})),
                                           g.newConstant("training", false), g.newConstant("momentum", 0.1),
                                           g.newConstant("eps", 1e-5)}));
        const std::vector<float> in = randomValues(2 * 2 * 3, 5);
        std::vector<float> expected(in.size());
        for (size_t k = 0; k < in.size(); ++k) {
            const size_t ch = (k / 3) % 2;
            expected[k] = float((in[k] - rm[ch]) / std::sqrt(double(rv[ch]) + 1e-5));
        }
        QVERIFY(maxAbsDiff(run(g, {2, 2, 3}, in).at(0), expected) < 1e-5);
    }

    void trainingModeRandomOpsFailClearly() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        g.top().outputs.push_back(addNode(g, "aten::rrelu", {x, g.newConstant("lo", 0.1), g.newConstant("hi", 0.3),
                                                             g.newConstant("training", true), g.newConstant("gen", ir::NoneValue{})}));
        try {
            run(g, {2, 3}, randomValues(6, 6));
            QFAIL("rrelu in training mode converted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("training mode") != std::string::npos, e.what());
            QVERIFY2(e.hint().find("model.eval()") != std::string::npos, e.hint().c_str());
        }
    }

    void reflectPaddingLargerThanInputFails() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        g.top().outputs.push_back(addNode(g, "aten::reflection_pad1d", {x, g.newConstant("pad", std::vector<int64_t>{3, 0})}));
        try {
            run(g, {1, 2, 3}, randomValues(6, 7));
            QFAIL("reflect padding beyond the input converted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find("must be smaller than the padded dimension") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestVisionNnForms)
#include "test_vision_nn_forms.moc"
