// Packed sequences whose lengths are a model input (tests/models/gen_ops_packed.py): converted once,
// then compared with libtorch on input sets of chosen lengths (sorted and not, the longest filling
// the batch or not), since seeded random integers are no valid lengths. Packed data read by an
// ordinary op cannot be converted with run-time lengths and must say so.
#include <QtTest>

#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

ConversionSettings settingsFor(const std::string& stem, const Shape& x, int64_t batch, const test::ScratchDir& dir) {
    ConversionSettings s;
    s.modelPath = test::testModel(stem + ".pt");
    s.outputPath = dir.path(stem + ".mlpackage");
    InputSpec in;
    in.name = "x";
    in.shape = x;
    InputSpec lengths;
    lengths.name = "lengths";
    lengths.shape = {batch};
    lengths.dtype = DType::Int32;
    s.inputs = {in, lengths};
    return s;
}

}  // namespace

class TestPackedSequences : public QObject {
    Q_OBJECT
private slots:
    void runTimeLengthsMatchLibtorch_data() {
        QTest::addColumn<QString>("stem");
        QTest::addColumn<Shape>("x");
        QTest::addColumn<qint64>("batch");
        QTest::newRow("lstm, sorted, batch first") << "packed_runtime_lstm_sorted" << Shape{3, 5, 3} << qint64(3);
        QTest::newRow("bidirectional gru, unsorted") << "packed_runtime_gru_bidirectional_unsorted" << Shape{5, 4, 3} << qint64(4);
    }

    void runTimeLengthsMatchLibtorch() {
        QFETCH(QString, stem);
        QFETCH(Shape, x);
        QFETCH(qint64, batch);
        test::ScratchDir dir;
        const ConversionSettings s = settingsFor(stem.toStdString(), x, batch, dir);
        try {
            const ConversionReport converted = convertModel(s);
            bool warned = false;
            for (const std::string& w : converted.warnings) warned |= w.find("lengths are given at run time") != std::string::npos;
            QVERIFY2(warned, "the padded output's fixed length is not pointed out");
            for (int k = 0; k < 2; ++k) {
                analysis::VerifyOptions o;
                o.modelPath = s.modelPath;
                o.packagePath = s.outputPath;
                o.inputFiles = {test::testModel(stem.toStdString() + ".inputs" + std::to_string(k) + ".npz")};
                const analysis::AccuracyReport r = analysis::verifyPackage(o);
                QVERIFY2(r.passed, analysis::reportToText(r).c_str());
                QCOMPARE(r.outputs.size(), size_t(3));  // padded output, lengths, final state
            }
        } catch (const Error& e) {
            QFAIL(e.what());
        }
    }

    void packedDataReadWithRunTimeLengthsIsRefused() {
        test::ScratchDir dir;
        const ConversionSettings s = settingsFor("packed_runtime_data_read", {4, 2, 3}, 2, dir);
        try {
            convertModel(s);
            QFAIL("converted a model reading packed data of run-time lengths");
        } catch (const Error& e) {
            const std::string what = e.what();
            QVERIFY2(what.find("the packed sequence is read by") != std::string::npos, what.c_str());
            QVERIFY2(what.find("aten::relu") != std::string::npos, what.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestPackedSequences)
#include "test_packed_sequences.moc"
