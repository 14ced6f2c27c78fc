// The minimal studio window: opens models on a worker thread, reads a settings file beside the
// model, converts, and shows errors in its panel instead of failing.
#include "main_window.h"
#include "support/test_support.h"

#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>

#include <filesystem>
#include <fstream>

using namespace cms;
namespace fs = std::filesystem;

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void convertsAfterTheUserEntersAShape() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.openModel(QString::fromStdString(test::testModel("demo_cnn.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(w.inputsTable()->rowCount(), 1, 30000);
        QCOMPARE(w.inputsTable()->item(0, 0)->text(), QString("image"));
        QVERIFY(w.resultPanel()->toPlainText().contains("Enter a shape"));

        // No shape yet: the panel says so, nothing runs.
        w.convertButton()->click();
        QVERIFY2(w.resultPanel()->toPlainText().contains("has no shape"), qPrintable(w.resultPanel()->toPlainText()));
        QVERIFY(!w.runner()->busy());

        const QString out = QString::fromStdString(dir.path("Demo.mlpackage"));
        w.inputsTable()->item(0, 1)->setText("1x3x224x224");
        w.outputEdit()->setText(out);
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.resultPanel()->toPlainText().startsWith("Wrote"), 60000);
        QVERIFY(w.resultPanel()->toPlainText().contains(out));
        QVERIFY(fs::exists(dir.path("Demo.mlpackage/Manifest.json")));
        QTRY_VERIFY(w.convertButton()->isEnabled());
    }

    void showsConversionErrorsInThePanel() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.openModel(QString::fromStdString(test::testModel("demo_cnn.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(w.inputsTable()->rowCount(), 1, 30000);
        w.inputsTable()->item(0, 1)->setText("1x4x224x224");
        w.outputEdit()->setText(QString::fromStdString(dir.path("Bad.mlpackage")));
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.resultPanel()->toPlainText().startsWith("conversion error"), 60000);
        QVERIFY(w.resultPanel()->toPlainText().contains("demo_cnn.pt"));
        QVERIFY(!fs::exists(dir.path("Bad.mlpackage")));
        QTRY_VERIFY(w.convertButton()->isEnabled());

        w.inputsTable()->item(0, 1)->setText("1x3x224x224");
        w.inputsTable()->item(0, 2)->setText("image,bias=1,2");  // two biases for three channels
        w.convertButton()->click();
        QVERIFY(w.resultPanel()->toPlainText().contains("expected 3 values"));
    }

    void showsImportErrorsInThePanel() {
        ui::MainWindow w;
        w.openModel(QString::fromStdString(test::testModel("truncated.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(w.resultPanel()->toPlainText().startsWith("input error"), 30000);
        QVERIFY(w.resultPanel()->toPlainText().contains("truncated.pt"));
        QCOMPARE(w.inputsTable()->rowCount(), 0);
    }

    void readsTheSettingsFileBesideTheModel() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo_cnn.settings.json"))
            << R"({"inputs": [{"name": "image", "shape": [1, 3, 96, 96], "image": {"scale": 0.5}}],
                  "output": "out/Demo.mlpackage", "precision": "fp32"})";
        ui::MainWindow w;
        w.openModel(QString::fromStdString(dir.path("demo_cnn.pt")));
        QTRY_COMPARE_WITH_TIMEOUT(w.inputsTable()->rowCount(), 1, 30000);
        QCOMPARE(w.inputsTable()->item(0, 1)->text(), QString("1x3x96x96"));
        QCOMPARE(w.inputsTable()->item(0, 2)->text(), QString("image,scale=0.5,layout=RGB"));
        QCOMPARE(w.outputEdit()->text(), QString::fromStdString(dir.path("out/Demo.mlpackage")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
