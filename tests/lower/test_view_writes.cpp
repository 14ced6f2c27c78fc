// In-place writes through views (x[:, 0:2] = v, x[0].fill_(1), x[..., 1] += y) reach the base tensor; their
// numerics are checked on the op_view_write_*.pt fixtures by test_op_numerics. Here: the writes the
// conversion cannot express stop it with an error that names the node, the base tensor and what to do
// (models from tests/models/gen_ops_view_writes.py, err_view_write_NAME.pt), which ops count as in-place, and
// the iOS18 form: slice/select chains written back with slice_update instead of a scatter.
#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "converter.h"
#include "lower/view_writes.h"
#include "support/test_support.h"

using namespace cms;

class TestViewWrites : public QObject {
    Q_OBJECT
private slots:
    void inPlaceOps() {
        QVERIFY(lower::isInPlaceOp("aten::add_"));
        QVERIFY(lower::isInPlaceOp("aten::add_.Tensor"));
        QVERIFY(lower::isInPlaceOp("aten::copy_"));
        QVERIFY(lower::isInPlaceOp("aten::_index_put_impl_"));
        QVERIFY(!lower::isInPlaceOp("aten::add"));
        QVERIFY(!lower::isInPlaceOp("aten::__and__"));
        QVERIFY(!lower::isInPlaceOp("aten::__iand__"));
        QVERIFY(!lower::isInPlaceOp("prim::ListUnpack"));
    }

    void iOS18UsesSliceUpdate_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QList<Shape>>("shapes");
        QTest::addColumn<QString>("writeOp");  // the op that writes into the base
        QTest::newRow("slice") << "slice_assign" << QList<Shape>{{3, 5}, {3, 2}} << "slice_update";
        QTest::newRow("select with step") << "select_step" << QList<Shape>{{2, 7, 4}, {2, 3}} << "slice_update";
        QTest::newRow("fill of a row") << "fill_row" << QList<Shape>{{3, 4}} << "slice_update";
        QTest::newRow("chained views") << "chained" << QList<Shape>{{2, 5, 4}, {2, 3, 2}} << "slice_update";
        QTest::newRow("transposed") << "transposed" << QList<Shape>{{4, 3}, {2, 4}} << "scatter";
        QTest::newRow("reshaped") << "reshape" << QList<Shape>{{4, 6}} << "scatter";
    }

    void iOS18UsesSliceUpdate() {
        QFETCH(QString, name);
        QFETCH(QList<Shape>, shapes);
        QFETCH(QString, writeOp);
        test::ScratchDir scratch;
        ConversionSettings s;
        s.target = mil::Target::iOS18;
        for (qsizetype i = 0; i < shapes.size(); ++i) {
            InputSpec input;
            input.name = i == 0 ? "x" : "y";
            input.shape = shapes[i];
            s.inputs.push_back(input);
        }
        s.modelPath = test::testModel("op_view_write_" + name.toStdString() + ".pt");
        s.outputPath = scratch.path("out.mlpackage");
        const ConversionReport report = convertModel(s);
        QVERIFY2(report.opHistogram.count(writeOp.toStdString()), qPrintable("no " + writeOp + " in the program"));
        const QString other = writeOp == "slice_update" ? "scatter" : "slice_update";
        QVERIFY2(!report.opHistogram.count(other.toStdString()), qPrintable("unexpected " + other));
        analysis::VerifyOptions options;
        options.modelPath = s.modelPath;
        options.packagePath = s.outputPath;
        options.seed = 11;
        const analysis::AccuracyReport accuracy = analysis::verifyPackage(options);
        QVERIFY2(accuracy.passed, analysis::reportToText(accuracy).c_str());
    }

    void unsupportedWritesFail_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("reason");
        QTest::newRow("piece of chunk") << "chunk_piece" << "aten::add_" << "aten::chunk";
        QTest::newRow("reshape that copies") << "reshape_copy" << "aten::fill_" << "makes a copy";
    }

    void unsupportedWritesFail() {
        QFETCH(QString, name);
        QFETCH(QString, op);
        QFETCH(QString, reason);
        test::ScratchDir scratch;
        ConversionSettings s;
        InputSpec input;
        input.name = "x";
        input.shape = {4, 3};
        s.inputs.push_back(input);
        s.modelPath = test::testModel("err_view_write_" + name.toStdString() + ".pt");
        s.outputPath = scratch.path("out.mlpackage");
        try {
            convertModel(s);
            QFAIL("the conversion succeeded");
        } catch (const Error& e) {
            const QString text = QString::fromStdString(e.what()) + "\n" + QString::fromStdString(e.hint());
            QVERIFY2(e.kind() == ErrorKind::Conversion, qPrintable(text));
            QVERIFY2(QString::fromStdString(e.node()).contains(op), qPrintable(text));
            QVERIFY2(text.contains("view of tensor 'x0"), qPrintable(text));  // the base, by its name in the model
            QVERIFY2(text.contains(reason), qPrintable(text));
            QVERIFY2(text.contains("functionally"), qPrintable(text));
        }
    }
};

QTEST_APPLESS_MAIN(TestViewWrites)
#include "test_view_writes.moc"
