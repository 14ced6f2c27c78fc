// The per-op models of gen_ops_shape.py and gen_ops_extended.py converted end to end (fp32, and
// fp16 where the fixture asks for it) and run with the package interpreter against libtorch on the
// same random inputs: the lowered ops compute what torch does. Random-op fixtures are checked
// statistically instead (see checkDistribution).
#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <fstream>

#include <nlohmann/json.hpp>

using namespace cms;

namespace {

// Fixtures of random ops ("check": "distribution") cannot match libtorch value for value: their
// first output is checked against the distribution the json names, over the interpreter's samples
// for zero inputs. Bounds are 6 standard errors of each statistic, so a correct sampler fails about
// once in 10^8 runs while a wrong range, location, scale or category weight fails.
std::string checkDistribution(const nlohmann::json& spec, const Tensor& out) {
    const nlohmann::json& d = spec["distribution"];
    const std::string kind = d["kind"].get<std::string>();
    const std::vector<double> v = out.toDoubles();
    const double n = static_cast<double>(v.size());
    auto within = [](double value, double expected, double tolerance, const std::string& what) -> std::string {
        if (std::abs(value - expected) <= tolerance) return {};
        return what + " is " + std::to_string(value) + ", expected " + std::to_string(expected) + " +- " + std::to_string(tolerance);
    };
    auto frequency = [&](double count, double total, double p, const std::string& what) {
        return within(count / total, p, 6 * std::sqrt(p * (1 - p) / total), what);
    };
    double sum = 0, sq = 0;
    for (double x : v) sum += x, sq += x * x;
    const double mean = sum / n, var = sq / n - mean * mean;
    if (kind == "uniform") {
        const double lo = d["low"], hi = d["high"], sd = (hi - lo) / std::sqrt(12.0);
        for (double x : v)
            if (x < lo || x >= hi) return "sample " + std::to_string(x) + " outside [" + std::to_string(lo) + ", " + std::to_string(hi) + ")";
        std::string e = within(mean, (lo + hi) / 2, 6 * sd / std::sqrt(n), "mean");
        // The variance of a uniform sample's variance is (1/80 - 1/144) (hi-lo)^4 / n.
        if (e.empty()) e = within(var, sd * sd, 6 * std::pow(hi - lo, 2) * std::sqrt((1.0 / 80 - 1.0 / 144) / n), "variance");
        for (int bin = 0; e.empty() && bin < 10; ++bin) {
            const double a = lo + (hi - lo) * bin / 10, b = lo + (hi - lo) * (bin + 1) / 10;
            const double count = static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return x >= a && x < b; }));
            e = frequency(count, n, 0.1, "share of decile " + std::to_string(bin));
        }
        return e;
    }
    if (kind == "normal") {
        const double mu = d["mean"], sd = d["std"];
        std::string e = within(mean, mu, 6 * sd / std::sqrt(n), "mean");
        if (e.empty()) e = within(std::sqrt(var), sd, 6 * sd / std::sqrt(2 * n), "standard deviation");
        const double inside = static_cast<double>(std::count_if(v.begin(), v.end(), [&](double x) { return std::abs(x - mu) < sd; }));
        if (e.empty()) e = frequency(inside, n, 0.682689492, "share within one standard deviation");
        return e;
    }
    if (kind == "integers") {
        const int64_t lo = d["low"], hi = d["high"];
        std::map<int64_t, double> counts;
        for (double x : v) {
            if (x != std::floor(x) || x < lo || x >= hi) return "sample " + std::to_string(x) + " is not an integer in [low, high)";
            counts[static_cast<int64_t>(x)] += 1;
        }
        for (int64_t k = lo; k < hi; ++k)
            if (std::string e = frequency(counts[k], n, 1.0 / static_cast<double>(hi - lo), "share of " + std::to_string(k)); !e.empty())
                return e;
        return {};
    }
    if (kind == "categorical") {
        const auto probs = d["probs"].get<std::vector<std::vector<double>>>();
        const size_t rows = probs.size(), perRow = v.size() / rows;
        for (size_t r = 0; r < rows; ++r) {
            std::vector<double> counts(probs[r].size(), 0.0);
            for (size_t i = r * perRow; i < (r + 1) * perRow; ++i) {
                if (v[i] != std::floor(v[i]) || v[i] < 0 || v[i] >= static_cast<double>(counts.size()))
                    return "sample " + std::to_string(v[i]) + " is not a category index";
                counts[static_cast<size_t>(v[i])] += 1;
            }
            for (size_t k = 0; k < counts.size(); ++k)
                if (std::string e = frequency(counts[k], static_cast<double>(perRow), probs[r][k],
                                              "row " + std::to_string(r) + " share of category " + std::to_string(k));
                    !e.empty())
                    return e;
        }
        return {};
    }
    return "unknown distribution kind '" + kind + "'";
}

}  // namespace

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
            if (spec.value("check", std::string()) == "distribution") {
                const runtime::Interpreter interpreter = runtime::Interpreter::fromPackage(s.outputPath);
                std::map<std::string, Tensor> inputs;
                for (const InputSpec& i : s.inputs) inputs[i.name] = Tensor::zeros(i.dtype, i.shape);
                const std::map<std::string, Tensor> outputs = interpreter.run(inputs);
                QCOMPARE(outputs.size(), spec["outputs"].size());
                const Tensor& out = outputs.at(interpreter.outputTypes().front().first);
                const nlohmann::json& expected = spec["outputs"][0];
                QCOMPARE(out.shape(), expected["shape"].get<Shape>());
                const bool isFloatOutput = expected["dtype"].get<std::string>().rfind("float", 0) == 0;
                QCOMPARE(out.dtype(), isFloatOutput ? DType::Float32 : DType::Int32);
                const std::string problem = checkDistribution(spec, out);
                QVERIFY2(problem.empty(), problem.c_str());
                return;
            }
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
