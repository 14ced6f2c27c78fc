// The review side of the studio on real conversions: the unsupported-op review (occurrence -> graph node,
// the composite editor's checking with line numbers, "Try again" converting with the user's composites),
// the production checklist with its fix links, the Swift snippet with its copy button, and the report
// exported as PDF (read back with pdftotext) and HTML.
#include "main_window.h"
#include "support/test_support.h"

#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTreeWidget>

#include <filesystem>
#include <fstream>

#include "export/swift_snippet_view.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "reports/report_run.h"
#include "reports/reports_controller.h"
#include "review/checklist_panel.h"
#include "review/composite_editor.h"
#include "review/review_controller.h"
#include "review/unsupported_review_panel.h"
#include "settings/conversion_panel.h"
#include "settings/quantization_panel.h"
#include "workspace/project_document.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

QString panel(const ui::MainWindow& w) { return w.resultPanel()->toPlainText(); }

void waitForFullGraph(ui::MainWindow& w) {
    QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() && !w.graphView()->model()->isModuleOutline(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 60000);
}

// A copy of a fixture in a scratch folder with a settings file giving its input a shape.
std::string withShape(const test::ScratchDir& dir, const char* fixture, const char* input, const char* shape) {
    const std::string model = dir.path(fixture);
    fs::copy_file(test::testModel(fixture), model);
    const std::string stem = fs::path(fixture).stem().string();
    std::ofstream(dir.path(stem + ".settings.json")) << R"({"inputs": [{"name": ")" << input << R"(", "shape": )"
                                                     << shape << "}]}";
    return model;
}

void openAndWait(ui::MainWindow& w, const std::string& model) {
    w.openModel(QString::fromStdString(model));
    QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);
    waitForFullGraph(w);
}

QString pdfText(const QString& pdf) {
    QProcess p;
    p.start(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")});
    if (!p.waitForFinished(30000) || p.exitCode() != 0) return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

const analysis::ChecklistItem& item(const ui::ChecklistPanel* c, const std::string& id) {
    for (const analysis::ChecklistItem& it : c->items())
        if (it.id == id) return it;
    throw std::runtime_error("no checklist item " + id);
}

}  // namespace

class TestReview : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(settingsDir_.path()));
        QCoreApplication::setOrganizationName("cms-gui-test");
        QCoreApplication::setApplicationName("review");
    }

    void unsupportedOpsReviewAndTryAgain() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.show();
        openAndWait(w, withShape(dir, "comp_fake_quantize.pt", "x", "[2, 3, 8]"));
        ui::UnsupportedReviewPanel* review = w.review()->reviewPanel();
        w.outputEdit()->setText(QString::fromStdString(dir.path("fq.mlpackage")));
        emit w.outputEdit()->editingFinished();
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("unsupported"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(review->opTree()->topLevelItemCount() == 2, 60000);
        QCOMPARE(w.settingsTabs()->currentWidget(), review);
        QStringList ops;
        for (const auto& e : review->report().ops) ops << QString::fromStdString(e.op);
        ops.sort();
        QCOMPARE(ops, (QStringList{"aten::dequantize", "aten::quantize_per_tensor"}));
        QVERIFY(review->helpView()->toPlainText().contains("Next steps"));

        // An occurrence selects its node in the graph.
        QTreeWidgetItem* quantize = nullptr;
        for (int i = 0; i < review->opTree()->topLevelItemCount(); ++i)
            if (review->opTree()->topLevelItem(i)->text(0).startsWith("aten::quantize_per_tensor"))
                quantize = review->opTree()->topLevelItem(i);
        QVERIFY(quantize && quantize->childCount() == 2);
        review->opTree()->setCurrentItem(quantize->child(1));
        const std::vector<int> selected = w.graphView()->scene()->selectedNodeIds();
        QCOMPARE(selected.size(), size_t(1));
        const graphview::DisplayNode& node = w.graphView()->model()->nodes().at(size_t(selected[0]));
        QVERIFY(node.source);
        QCOMPARE(node.source->kind, std::string("aten::quantize_per_tensor"));
        QCOMPARE(node.source->prov.line, review->report().ops.front().op == "aten::quantize_per_tensor"
                                             ? review->report().ops.front().occurrences[1].line
                                             : review->report().ops.back().occurrences[1].line);

        // Checking as you type: an unknown MIL op is named with its line.
        ui::CompositeEditor* editor = review->editor();
        editor->textEdit()->setPlainText("composites:\n  - op: \"aten::dequantize(Tensor self) -> Tensor\"\n"
                                         "    output: no_such_op(x=self)\n");
        QTRY_VERIFY(!editor->problems().isEmpty());
        QCOMPARE(editor->problems().front().line, 3);
        QVERIFY(editor->problemList()->item(0)->text().startsWith("line 3:"));
        QVERIFY(!review->retryButton()->isEnabled());
        // A valid composite for an op the model does not use is refused too.
        editor->setText("composites:\n  - op: \"aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor\"\n"
                        "    output: self\n");
        QVERIFY(!editor->valid());
        QVERIFY(editor->problems().front().message.contains("aten::quantize_per_tensor"));

        // The user's own composites for both ops (the same definitions as the optional built-in set).
        QFile set(QString::fromStdString(test::sourceDir() + "/resources/composites/optional/fake-quantize.yaml"));
        QVERIFY(set.open(QIODevice::ReadOnly));
        editor->setText(QString::fromUtf8(set.readAll()));
        QVERIFY2(editor->valid(), qPrintable(editor->statusLabel()->text()));
        QCOMPARE(editor->coveredOps().size(), 2);
        QVERIFY(review->retryButton()->isEnabled());
        review->retryButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 60000);
        QVERIFY(fs::exists(dir.path("fq.mlpackage")));
        QVERIFY(fs::exists(dir.path("comp_fake_quantize.composites.yaml")));
        QCOMPARE(w.document()->settings().composites.back(), dir.path("comp_fake_quantize.composites.yaml"));
        QCOMPARE(review->opTree()->topLevelItemCount(), 0);  // converted: nothing left to review
    }

    void checklistSwiftAndExport() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.show();
        openAndWait(w, withShape(dir, "demo_cnn.pt", "image", "[1, 3, 64, 64]"));
        ui::ChecklistPanel* checklist = w.review()->checklistPanel();
        QCOMPARE(item(checklist, "eval-mode").status, analysis::CheckStatus::Pass);
        QCOMPARE(item(checklist, "ml-program").status, analysis::CheckStatus::NotChecked);
        QCOMPARE(item(checklist, "preprocessing").status, analysis::CheckStatus::Warn);  // an image as a plain array

        // Fix links open the tab where the item is fixed.
        checklist->fixButton("compression")->click();
        QCOMPARE(w.settingsTabs()->currentWidget(), w.quantizationPanel());
        checklist->fixButton("preprocessing")->click();
        QVERIFY(w.settingsTabs()->currentWidget()->isAncestorOf(w.inputsTable()));
        QCOMPARE(w.inputsTable()->currentRow(), 0);

        w.outputEdit()->setText(QString::fromStdString(dir.path("demo_cnn.mlpackage")));
        emit w.outputEdit()->editingFinished();
        w.convertButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(checklist->data().placement != nullptr, 60000);
        QCOMPARE(item(checklist, "ml-program").status, analysis::CheckStatus::Pass);
        QVERIFY(item(checklist, "neural-engine").status != analysis::CheckStatus::NotChecked);
        QCOMPARE(item(checklist, "memory").status, analysis::CheckStatus::Pass);

        // The Swift code names the package's real features; Copy puts it on the clipboard.
        ui::SwiftSnippetView* swift = w.review()->swiftView();
        const package::ModelDescription& d = checklist->data().package->description;
        QVERIFY(swift->snippet().contains(QString("\"%1\": MLFeatureValue(multiArray:").arg(QString::fromStdString(d.inputs[0].name))));
        QVERIFY(swift->snippet().contains(QString("featureValue(for: \"%1\")").arg(QString::fromStdString(d.outputs[0].name))));
        QVERIFY(swift->snippet().contains("configuration.computeUnits = .all"));
        swift->copyButton()->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), swift->snippet());

        // The accuracy check (libtorch against the package) feeds two items: run from the checklist unless the
        // report views' own check after the conversion already supplied it.
        if (QPushButton* check = checklist->fixButton("accuracy")) check->click();
        QTRY_VERIFY_WITH_TIMEOUT(checklist->data().accuracy != nullptr, 120000);
        QCOMPARE(item(checklist, "accuracy").status, analysis::CheckStatus::Pass);
        QCOMPARE(item(checklist, "representative-inputs").status, analysis::CheckStatus::Warn);  // random inputs
        const analysis::AccuracyReport& acc = *checklist->data().accuracy;

        // The report views' analysis of this conversion (their sections go into the export).
        QTRY_VERIFY_WITH_TIMEOUT(w.reports()->currentRun() && !w.reports()->busy(), 120000);
        QCOMPARE(w.reports()->currentRun()->conversion.packagePath, dir.path("demo_cnn.mlpackage"));

        // PDF: the model name, the metrics as the report states them, the checklist.
        if (QStandardPaths::findExecutable("pdftotext").isEmpty()) QSKIP("pdftotext (poppler-utils) is not installed");
        const QString pdf = QString::fromStdString(dir.path("report.pdf"));
        QVERIFY(w.review()->exportReport(pdf));
        const QString text = pdfText(pdf);
        // CMS_KEEP_REPORT=FILE.pdf keeps a copy to look at.
        if (qEnvironmentVariableIsSet("CMS_KEEP_REPORT")) QFile::copy(pdf, qEnvironmentVariable("CMS_KEEP_REPORT"));
        QVERIFY2(text.contains("demo_cnn.pt"), qPrintable(text));
        QVERIFY2(text.contains("Production checklist") && text.contains("Fallback settings"), qPrintable(text));
        QVERIFY2(text.contains("SNR"), qPrintable(text));
        const QString snr = QLocale::c().toString(acc.outputs.at(0).metrics.snrDb, 'g', 4);
        QVERIFY2(text.contains(snr), qPrintable(snr + "\n" + text));
        QVERIFY2(text.contains(QString::fromStdString(acc.outputs.at(0).name)), qPrintable(text));
        QVERIFY2(text.contains(QString("Ops (excluding constants)")), qPrintable(text));

        const QString html = QString::fromStdString(dir.path("report.html"));
        QVERIFY(w.review()->exportReport(html));
        QFile file(html);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString content = QString::fromUtf8(file.readAll());
        QVERIFY(content.contains("demo_cnn.pt") && content.contains(snr) && content.contains("ModelCache"));
        // Other report views' sections come with their charts, embedded as PNG data.
        const ui::ReportContent report = w.review()->reportContent();
        int charts = 0;
        for (const ui::ReportSection& section : report.sections) {
            QVERIFY2(content.contains(section.title.toHtmlEscaped()), qPrintable(section.title));
            charts += int(section.charts.size());
        }
        QCOMPARE(int(content.count("src=\"data:image/png;base64,")), charts);
        // The size, accuracy and placement views have data after a conversion, and charts.
        QVERIFY2(report.sections.size() >= 3, qPrintable(QString::number(report.sections.size())));
        QVERIFY(charts >= 3);
        for (const ui::ReportSection& section : report.sections) QVERIFY2(text.contains(section.title), qPrintable(section.title));
    }

private:
    test::ScratchDir settingsDir_;
};

QTEST_MAIN(TestReview)
#include "test_review.moc"
