// Accuracy metrics and criteria on hand-computed values, and reading user data from .npy/.npz.
#include <QProcess>

#include <cmath>
#include <fstream>
#include <limits>

#include "analysis/accuracy_metrics.h"
#include "analysis/npy_io.h"
#include "common/error.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::analysis;

class TestAccuracyMetrics : public QObject {
    Q_OBJECT
private slots:
    void errorsSnrAndCosine() {
        // error = (0.1, -0.2, 0, 0.2); reference energy 1 + 4 + 9 + 16 = 30, noise 0.01 + 0.04 + 0 + 0.04 = 0.09
        const TensorMetrics m = compareValues({1.1, 1.8, 3, -3.8}, {1, 2, 3, -4}, {4}, Criteria{});
        QCOMPARE(m.count, int64_t(4));
        QVERIFY(std::fabs(m.maxAbsError - 0.2) < 1e-12);
        QVERIFY(std::fabs(m.meanAbsError - 0.125) < 1e-12);
        QVERIFY(std::fabs(m.maxRelError - 0.05) < 1e-12);  // 0.2 / max|d| = 0.2 / 4
        QVERIFY(std::fabs(m.snrDb - 10 * std::log10(30 / 0.09)) < 1e-9);
        QVERIFY(std::fabs(m.psnrDb - 10 * std::log10(16 / (0.09 / 4))) < 1e-9);
        const double dot = 1.1 + 3.6 + 9 + 15.2;
        const double cosine = dot / std::sqrt((1.21 + 3.24 + 9 + 14.44) * 30);
        QVERIFY(std::fabs(m.cosine - cosine) < 1e-12);
        QVERIFY(!m.top1Agrees.has_value());  // 4 values: not classifier-like
    }

    void identicalValuesHaveInfiniteSnr() {
        const TensorMetrics m = compareValues({1, 2}, {1, 2}, {2}, Criteria{});
        QVERIFY(std::isinf(m.snrDb) && m.snrDb > 0);
        QCOMPARE(m.maxAbsError, 0.0);
    }

    void allcloseFollowsNumpy() {
        Criteria c;
        c.rtol = 0.1;
        c.atol = 0.01;
        const double nan = std::numeric_limits<double>::quiet_NaN();
        // |a - d| <= 0.01 + 0.1 |d|: 10.9 vs 10 (0.9 <= 1.01) ok, 0.02 vs 0 (0.02 > 0.01) fails,
        // NaN vs NaN equal, inf vs inf equal, 1 vs NaN fails.
        const TensorMetrics m = compareValues({10.9, 0.02, nan, INFINITY, 1}, {10, 0, nan, INFINITY, nan}, {5}, c);
        QCOMPARE(m.allcloseViolations, int64_t(2));
        QVERIFY(!passes(m, c));
        QCOMPARE(m.nonFiniteActual, int64_t(2));
        const TensorMetrics ok = compareValues({10.9, 0.005}, {10, 0}, {2}, c);
        QVERIFY(passes(ok, c));
        QCOMPARE(c.describe(), std::string("rtol=0.1, atol=0.01"));
    }

    void snrCriterion() {
        Criteria c;
        c.minSnrDb = 20;
        QVERIFY(passes(compareValues({1.01, 2.02}, {1, 2}, {2}, c), c));   // 40 dB
        QVERIFY(!passes(compareValues({1.5, 2.5}, {1, 2}, {2}, c), c));    // ~13 dB
    }

    void topKAgreementForClassifierOutputs() {
        const std::vector<double> ref = {0.1, 5, 3, 4, 2, 1, 0};
        const TensorMetrics same = compareValues({0.2, 5.1, 3, 4, 2, 1, 0}, ref, {1, 7}, Criteria{});
        QVERIFY(same.top1Agrees.value());
        QCOMPARE(same.top5Overlap.value(), 1.0);
        // Top-1 swapped to class 3, and class 0 enters the top 5 in place of class 5.
        const TensorMetrics swapped = compareValues({1.5, 4, 3, 6, 2, 1, 0}, ref, {1, 7}, Criteria{});
        QVERIFY(!swapped.top1Agrees.value());
        QCOMPARE(swapped.top5Overlap.value(), 0.8);
    }

    void readsNpyAndNpzWrittenByNumpy() {
        test::ScratchDir dir;
        const std::string script =
            "import numpy as np, sys\n"
            "d = sys.argv[1]\n"
            "np.save(d + '/a.npy', np.arange(6, dtype=np.float32).reshape(2, 3) - 1.5)\n"
            "np.savez(d + '/b.npz', x=np.array([[1, -2]], dtype=np.int64), mask=np.array([True, False, True]),\n"
            "         h=np.array([0.5, 65504], dtype=np.float16))\n"
            "np.savez_compressed(d + '/c.npz', x=np.zeros(3))\n";
        QProcess python;
        python.start(CMS_PYTHON, {"-c", QString::fromStdString(script), QString::fromStdString(dir.path())});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);

        const Tensor a = readNpy(dir.path("a.npy"));
        QCOMPARE(a.dtype(), DType::Float32);
        QCOMPARE(a.shape(), (Shape{2, 3}));
        QCOMPARE(a.toFloats(), (std::vector<float>{-1.5f, -0.5f, 0.5f, 1.5f, 2.5f, 3.5f}));

        const auto b = readNpz(dir.path("b.npz"));
        QCOMPARE(b.size(), size_t(3));
        QCOMPARE(b.at("x").dtype(), DType::Int64);
        QCOMPARE(b.at("x").shape(), (Shape{1, 2}));
        QCOMPARE(b.at("x").toInts(), (std::vector<int64_t>{1, -2}));
        QCOMPARE(b.at("mask").toInts(), (std::vector<int64_t>{1, 0, 1}));
        QCOMPARE(b.at("h").toFloats(), (std::vector<float>{0.5f, 65504.0f}));

        try {
            readNpz(dir.path("c.npz"));
            QFAIL("expected an error for a compressed archive");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Input);
            QVERIFY2(e.hint().find("numpy.savez") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestAccuracyMetrics)
#include "test_accuracy_metrics.moc"
