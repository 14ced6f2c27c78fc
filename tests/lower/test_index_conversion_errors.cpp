// Indexing ops whose result size depends on run-time data (nonzero, unique, x[mask], repeat_interleave
// with computed counts, one_hot without num_classes) stop the conversion with an error that names the
// op and says what to do, instead of producing a wrong or crashing model. The models come from
// tests/models/gen_ops_index.py (err_index_NAME.pt).
#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

using namespace cms;

class TestIndexConversionErrors : public QObject {
    Q_OBJECT
private slots:
    void dataDependentSizesFail_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("op");
        QTest::addColumn<QString>("phrase");
        QTest::addColumn<QString>("hint");
        QTest::addColumn<QList<Shape>>("shapes");  // of inputs x (and y)
        QTest::newRow("nonzero") << "nonzero_runtime" << "aten::nonzero" << "depends on the data" << "torch.where"
                                 << QList<Shape>{{3, 4}};
        QTest::newRow("unique") << "unique_runtime" << "aten::_unique2" << "depends on the data" << "outside the model"
                                << QList<Shape>{{6}};
        QTest::newRow("mask index") << "mask_index_runtime" << "aten::index" << "boolean mask computed at run time"
                                    << "masked_fill" << QList<Shape>{{3, 4}};
        QTest::newRow("repeat_interleave") << "repeat_interleave_runtime" << "aten::repeat_interleave"
                                           << "computed at run time" << "constant repeat counts"
                                           << QList<Shape>{{3, 2}, {3, 4}};
        QTest::newRow("one_hot") << "one_hot_no_classes" << "aten::one_hot" << "only known at run time" << "num_classes"
                                 << QList<Shape>{{2, 5}};
    }

    void dataDependentSizesFail() {
        QFETCH(QString, name);
        QFETCH(QString, op);
        QFETCH(QString, phrase);
        QFETCH(QString, hint);
        QFETCH(QList<Shape>, shapes);
        test::ScratchDir scratch;
        ConversionSettings s;
        for (qsizetype i = 0; i < shapes.size(); ++i) {
            InputSpec input;
            input.name = i == 0 ? "x" : "y";
            input.shape = shapes[i];
            s.inputs.push_back(input);
        }
        s.modelPath = test::testModel("err_index_" + name.toStdString() + ".pt");
        s.outputPath = scratch.path("out.mlpackage");
        try {
            convertModel(s);
            QFAIL("the conversion succeeded");
        } catch (const Error& e) {
            const QString text = QString::fromStdString(e.what()) + "\n" + QString::fromStdString(e.hint());
            QVERIFY2(e.kind() == ErrorKind::Conversion, qPrintable(text));
            QVERIFY2(text.contains(op), qPrintable(text));
            QVERIFY2(text.contains(phrase), qPrintable(text));
            QVERIFY2(text.contains(hint), qPrintable(text));
        }
    }
};

QTEST_APPLESS_MAIN(TestIndexConversionErrors)
#include "test_index_conversion_errors.moc"
