// Sensitivity analysis and the recommender: a deliberately fragile layer ranks first; on
// mobilenet_v2 the recommended mixed config meets its SNR target (also when applied for real by
// convert --compress) and is smaller than uniform int8; the interpreter's reuse of a recorded run
// gives the same outputs as a full run.
#include <cmath>

#include "common/error.h"
#include "compress/sensitivity.h"
#include "converter.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

std::string convert(const std::string& model, const std::string& out, const std::string& input, Precision precision,
                    const CompressionConfig& compression = {}) {
    ConversionSettings s;
    s.modelPath = model;
    s.outputPath = out;
    s.target = mil::Target::iOS16;
    s.precision = precision;
    s.inputs = {parseInputSpec(input)};
    s.compression = compression;
    convertModel(s);
    return out;
}

const compress::LayerSensitivity& layerNamed(const compress::SensitivityReport& r, const std::string& module) {
    for (const auto& l : r.layers)
        if (l.modulePath == module) return l;
    throw std::runtime_error("no layer " + module);
}

}  // namespace

class TestSensitivity : public QObject {
    Q_OBJECT
private slots:
    void fragileLayerRanksFirst() {
        test::ScratchDir dir;
        const std::string pkg =
            convert(test::testModel("sens_fragile.pt"), dir.path("fragile.mlpackage"), "x:8x64", Precision::Float32);
        compress::SensitivityOptions o;
        o.candidates = {"int8", "pal4"};
        o.samples = 2;
        const compress::SensitivityReport r = compress::analyseSensitivity(pkg, o);
        QCOMPARE(r.layers.size(), size_t(4));
        QCOMPARE(r.samples, 2);
        const auto ranking = r.ranking();
        QCOMPARE(r.layers[ranking.front()].modulePath, std::string("fragile"));
        // The ordinary layers keep int8 well above the fragile one's figure.
        const double fragileInt8 = *layerNamed(r, "fragile").snrDb[0];
        for (const char* name : {"fc1", "fc3", "fc4"}) {
            const double ordinary = *layerNamed(r, name).snrDb[0];
            QVERIFY2(ordinary > 40.0 && ordinary > fragileInt8 + 20.0,
                     qPrintable(QString("%1: %2 dB, fragile %3 dB").arg(name).arg(ordinary).arg(fragileInt8)));
        }
        // The recommendation leaves the fragile layer alone and keys layers by module path.
        QVERIFY(r.recommendation.meetsTarget);
        QVERIFY(!r.recommendation.config.opNames.count("fragile"));
        QVERIFY(r.recommendation.config.opNames.count("fc3"));
        QCOMPARE(r.recommendation.choice[ranking.front()], -1);
    }

    void recommenderMeetsTargetOnMobilenet() {
        const std::string model = test::testModel("tv_mobilenet_v2.pt");
        test::ScratchDir dir;
        const std::string pkg = convert(model, dir.path("mnv2.mlpackage"), "x:1x3x64x64", Precision::Float16);
        compress::SensitivityOptions o;
        o.candidates = {"int8", "pal6", "pal4"};
        o.targetSnrDb = 25.0;
        const compress::SensitivityReport r = compress::analyseSensitivity(pkg, o);
        qInfo("mobilenet_v2 (64x64, fp16): %zu layers x %zu candidates in %.2f s (layer runs %.2f s)", r.layers.size(),
              r.candidates.size(), r.seconds.at("total"), r.seconds.at("layers"));
        const compress::Recommendation& rec = r.recommendation;
        QVERIFY2(rec.meetsTarget && rec.measuredSnrDb >= 25.0, qPrintable(QString::number(rec.measuredSnrDb)));
        const compress::UniformResult& int8 = r.uniform.at(0);
        QCOMPARE(int8.label, std::string("int8"));
        qInfo("recommended %.1f KiB at %.1f dB; uniform int8 %.1f KiB at %.1f dB; uncompressed %.1f KiB",
              rec.bytesAfter / 1024.0, rec.measuredSnrDb, int8.bytesAfter / 1024.0, int8.snrDb, rec.bytesBefore / 1024.0);
        QVERIFY2(int8.snrDb >= 25.0, "uniform int8 itself should meet 25 dB here, so the comparison means something");
        QVERIFY2(rec.bytesAfter < int8.bytesAfter, qPrintable(QString("%1 vs %2").arg(rec.bytesAfter).arg(int8.bytesAfter)));
        // Every palettized layer is one that tolerates it alone.
        for (size_t i = 0; i < r.layers.size(); ++i)
            if (rec.choice[i] >= 0) QVERIFY(*r.layers[i].snrDb[size_t(rec.choice[i])] >= 25.0);

        // The config as convert --compress applies it: the real encoding gives the measured SNR.
        const std::string compressed =
            convert(model, dir.path("mnv2c.mlpackage"), "x:1x3x64x64", Precision::Float16, rec.config);
        const double real = compress::comparePackages(pkg, compressed, o);
        QVERIFY2(std::fabs(real - rec.measuredSnrDb) < 0.05, qPrintable(QString("%1 vs %2").arg(real).arg(rec.measuredSnrDb)));
    }

    void reusedRunMatchesFullRun() {
        test::ScratchDir dir;
        const std::string pkg =
            convert(test::testModel("sens_fragile.pt"), dir.path("fragile.mlpackage"), "x:8x64", Precision::Float32);
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(pkg);
        std::vector<float> x(8 * 64);
        for (size_t i = 0; i < x.size(); ++i) x[i] = std::sin(float(i));
        const std::map<std::string, Tensor> inputs = {{"x", Tensor::fromFloats(x, {8, 64})}};
        runtime::RunTrace trace;
        runtime::RunOptions record;
        record.record = &trace;
        const auto base = interp.run(inputs, record);

        // A weight of fc3 halved: the reused run recomputes fc3 and later ops only, and must agree.
        const compress::SensitivityReport r = [&] {
            compress::SensitivityOptions o;
            o.candidates = {"int8"};
            return compress::analyseSensitivity(pkg, o);
        }();
        const std::string weight = layerNamed(r, "fc3").weight;
        std::vector<float> w = interp.constant(weight).toFloats();
        for (float& v : w) v *= 0.5f;
        runtime::RunOptions changed;
        changed.constants = {{weight, Tensor::fromFloats(w, interp.constant(weight).shape())}};
        const auto full = interp.run(inputs, changed);
        changed.reuse = &trace;
        size_t ran = 0;
        changed.observer = [&](const runtime::OpEvent&) { ++ran; };
        const auto reused = interp.run(inputs, changed);
        QVERIFY(full.begin()->second.toFloats() == reused.begin()->second.toFloats());
        QVERIFY(full.begin()->second.toFloats() != base.begin()->second.toFloats());
        size_t all = 0;
        runtime::RunOptions count;
        count.observer = [&](const runtime::OpEvent&) { ++all; };
        interp.run(inputs, count);
        QVERIFY2(ran > 0 && ran < all, qPrintable(QString("%1 of %2 ops ran").arg(ran).arg(all)));

        try {
            runtime::RunOptions bad;
            bad.constants = {{"no_such_weight", Tensor::fromFloats({1.0f}, {1})}};
            interp.run(inputs, bad);
            QFAIL("an unknown constant was accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("no_such_weight") != std::string::npos);
        }
    }

    void candidateLabels() {
        QCOMPARE(compress::parseCandidate("pal3").config.bits, 3);
        QCOMPARE(compress::parseCandidate("int4-b32").config.blockSize, 32);
        QCOMPARE(compress::parseCandidate("pal4-g16").config.groupSize, 16);
        for (const char* bad : {"pal5", "int4-b0", "int4-bx", "fp8", "pal"}) {
            try {
                compress::parseCandidate(bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QVERIFY2(std::string(e.what()).find(bad) != std::string::npos, e.what());
            }
        }
        QCOMPARE(compress::defaultCandidateLabels(mil::Target::iOS16).size(), size_t(4));
        QCOMPARE(compress::defaultCandidateLabels(mil::Target::iOS18).size(), size_t(6));
    }
};

QTEST_APPLESS_MAIN(TestSensitivity)
#include "test_sensitivity.moc"
