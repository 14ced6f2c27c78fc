// Background conversion: per-stage progress, cancel within a second at any stage with nothing left
// on disk, the GUI thread's longest stall during a resnet50 conversion, and the results panel.
#include "conversion_runner.h"
#include "graph/graph_view.h"
#include "main_window.h"
#include "results/conversion_progress.h"
#include "results/results_panel.h"
#include "support/test_support.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTimer>

#include <filesystem>
#include <fstream>

using namespace cms;
namespace fs = std::filesystem;

namespace {

ConversionSettings resnet50Settings(const std::string& output) {
    ConversionSettings s;
    s.modelPath = test::testModel("tv_resnet50.pt");
    s.outputPath = output;
    s.inputs.push_back(parseInputSpec("x:1x3x224x224"));
    s.precision = Precision::Float16;
    return s;
}

std::vector<std::string> entriesOf(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
}

// The longest gap between the ticks of a 1 ms timer on the GUI thread while it runs.
class StallProbe : public QObject {
public:
    StallProbe() {
        timer_.setInterval(1);
        QObject::connect(&timer_, &QTimer::timeout, this, [this] {
            const qint64 now = clock_.nsecsElapsed();
            if (last_ >= 0) worst_ = std::max(worst_, now - last_);
            last_ = now;
        });
        clock_.start();
        timer_.start();
    }
    double worstMs() const { return worst_ / 1e6; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 last_ = -1;
    qint64 worst_ = 0;
};

}  // namespace

class TestBackgroundConversion : public QObject {
    Q_OBJECT
private slots:
    void cancelStopsWithinASecondAtEveryStageAndLeavesNothing_data() {
        QTest::addColumn<int>("stage");
        QTest::addColumn<double>("atFraction");
        QTest::newRow("import") << int(Stage::Import) << 0.0;
        QTest::newRow("lower") << int(Stage::Lower) << 0.0;
        QTest::newRow("passes") << int(Stage::Passes) << 0.0;
        QTest::newRow("passes, halfway") << int(Stage::Passes) << 0.5;
        QTest::newRow("write") << int(Stage::Write) << 0.0;
    }

    void cancelStopsWithinASecondAtEveryStageAndLeavesNothing() {
        QFETCH(int, stage);
        QFETCH(double, atFraction);
        test::ScratchDir dir;
        const std::string output = dir.path("resnet50.mlpackage");
        ui::ConversionRunner runner;
        ui::ConversionProgress progress;
        QObject::connect(&runner, &ui::ConversionRunner::progress, &progress, &ui::ConversionProgress::onProgress);
        QObject::connect(&progress, &ui::ConversionProgress::cancelRequested, &runner, &ui::ConversionRunner::cancel);
        QSignalSpy failed(&runner, &ui::ConversionRunner::failed);
        QSignalSpy converted(&runner, &ui::ConversionRunner::converted);
        QElapsedTimer sinceCancel;
        // Cancel from the GUI thread, as the button does, when the stage reports.
        QObject::connect(&runner, &ui::ConversionRunner::progress, this, [&](Stage s, double fraction, const QString&) {
            if (int(s) == stage && fraction >= atFraction && !sinceCancel.isValid() && progress.cancelButton()->isEnabled()) {
                sinceCancel.start();
                progress.cancelButton()->click();
            }
        });
        progress.start();
        runner.convert(resnet50Settings(output));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + converted.count() > 0, 60000);
        QVERIFY2(sinceCancel.isValid(), "the stage never reported");
        QCOMPARE(converted.count(), 0);
        QVERIFY(failed.at(0).at(1).toBool());  // cancelled, not an error
        const qint64 ms = sinceCancel.elapsed();
        qInfo("cancelled at %s %.1f: stopped after %lld ms", stageName(Stage(stage)), atFraction, ms);
        QVERIFY2(ms < 1000 * test::kSanitizerSlowdown, qPrintable(QString::number(ms)));
        QTRY_VERIFY_WITH_TIMEOUT(!runner.busy(), 5000);
        // No package, no staging folder: the scratch folder is as it was.
        QVERIFY(!fs::exists(output));
        QCOMPARE(entriesOf(dir.path()), std::vector<std::string>{});
        progress.finish(false, true);
        QVERIFY(progress.summary()->text().contains("nothing was written"));
    }

    void aConversionAndAShapeRefreshRunAtOnce() {
        // The studio's two runners: a conversion and the re-lowering for new input shapes may overlap,
        // each importing the model on its own thread. Several rounds, so an unsafe overlap shows.
        test::ScratchDir dir;
        for (int round = 0; round < 4; ++round) {
            ui::ConversionRunner converter, shapes;
            QSignalSpy failed(&converter, &ui::ConversionRunner::failed);
            QSignalSpy shapesFailed(&shapes, &ui::ConversionRunner::failed);
            QSignalSpy converted(&converter, &ui::ConversionRunner::converted);
            QSignalSpy ready(&shapes, &ui::ConversionRunner::programReady);
            ConversionSettings s;
            s.modelPath = test::testModel("tv_resnet18.pt");
            s.outputPath = dir.path("r" + std::to_string(round) + ".mlpackage");
            s.inputs.push_back(parseInputSpec("x:1x3x64x64"));
            converter.convert(s);
            shapes.openModel(QString::fromStdString(s.modelPath), s);
            QTRY_VERIFY_WITH_TIMEOUT(!converter.busy() && !shapes.busy(), 120000);
            QCOMPARE(failed.count() + shapesFailed.count(), 0);
            QCOMPARE(converted.count(), 1);
            QCOMPARE(ready.count(), 1);
            QVERIFY(ready.first().first().value<ui::ModelInfo>().program != nullptr);
        }
    }

    void guiThreadStaysResponsiveAndTheResultsPanelShowsThePackage() {
        test::ScratchDir dir;
        const std::string output = dir.path("resnet50.mlpackage");
        ui::ConversionRunner runner;
        ui::ConversionProgress progress;
        ui::ResultsPanel results;
        progress.show();
        results.show();
        QObject::connect(&runner, &ui::ConversionRunner::progress, &progress, &ui::ConversionProgress::onProgress);
        QObject::connect(&runner, &ui::ConversionRunner::converted, &results, &ui::ResultsPanel::showReport);
        QSignalSpy failed(&runner, &ui::ConversionRunner::failed);
        QSignalSpy converted(&runner, &ui::ConversionRunner::converted);
        StallProbe probe;
        progress.start();
        runner.convert(resnet50Settings(output));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + converted.count() > 0, 120000);
        QCOMPARE(failed.count(), 0);
        QCoreApplication::processEvents();
        // The exact figure goes to the README through bench/conversion_stall.sh; this machine is shared,
        // so the bound here only catches work moved onto the GUI thread.
        qInfo("longest GUI-thread stall during the resnet50 conversion: %.1f ms", probe.worstMs());
        QVERIFY2(probe.worstMs() < 250, qPrintable(QString::number(probe.worstMs())));

        progress.finish(true, false);
        for (Stage s : {Stage::Import, Stage::Lower, Stage::Passes, Stage::Write, Stage::Verify})
            QCOMPARE(progress.bar(s)->value(), 100);
        // No compression was asked for.
        QVERIFY(!progress.bar(Stage::Compress)->isEnabled());
        QCOMPARE(progress.message(Stage::Compress)->text(), QString("skipped"));

        const ConversionReport& r = results.report();
        QCOMPARE(r.packagePath, output);
        QVERIFY(results.summaryLabel()->text().contains(QString::fromStdString(output)));
        QVERIFY(results.summaryLabel()->text().contains("MB"));
        // resnet50: 53 convolutions (batch norms fused into them), listed first by count with relu.
        QTableWidget* ops = results.opTable();
        QVERIFY(ops->rowCount() > 3);
        int conv = -1;
        for (int row = 0; row < ops->rowCount(); ++row)
            if (ops->item(row, 0)->text() == "conv") conv = row;
        QVERIFY(conv >= 0);
        QCOMPARE(ops->item(conv, 1)->data(Qt::DisplayRole).toInt(), 53);
        QVERIFY(ops->item(0, 1)->data(Qt::DisplayRole).toInt() >= ops->item(ops->rowCount() - 1, 1)->data(Qt::DisplayRole).toInt());
        for (int row = 0; row < ops->rowCount(); ++row) QVERIFY(ops->item(row, 0)->text() != "const");
        QVERIFY(results.warningList()->count() >= 1);
        QVERIFY(results.showProgramButton()->isEnabled());
        QSignalSpy show(&results, &ui::ResultsPanel::showProgramRequested);
        results.showProgramButton()->click();
        QCOMPARE(show.at(0).at(0).toString(), QString::fromStdString(output));
        // Part 2's reports arrive as tabs.
        QCOMPARE(results.addReportTab(new QLabel("accuracy"), "Accuracy"), 1);
    }

    void theMainWindowShowsStageProgressAndTheResults() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo_cnn.settings.json")) << R"({"inputs": [{"name": "image", "shape": [1, 3, 64, 64]}]})";
        ui::MainWindow w;
        w.show();
        w.openModel(QString::fromStdString(dir.path("demo_cnn.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() != nullptr && !w.runner()->busy(), 30000);
        QVERIFY(w.convertButton()->isEnabled());
        w.convertButton()->click();
        QVERIFY(w.conversionProgress()->running());
        QTRY_VERIFY_WITH_TIMEOUT(!w.resultsPanel()->report().packagePath.empty(), 60000);
        QVERIFY(fs::exists(w.resultsPanel()->report().packagePath));
        QVERIFY(!w.conversionProgress()->running());
        QCOMPARE(w.conversionProgress()->bar(Stage::Write)->value(), 100);
        QCOMPARE(w.conversionProgress()->message(Stage::Compress)->text(), QString("skipped"));
        QVERIFY(w.resultsPanel()->opTable()->rowCount() > 2);
        QVERIFY(w.resultsPanel()->isVisible());  // its tab is brought forward
        w.resultsPanel()->showProgramButton()->click();
        QVERIFY(w.graphView()->programVisible());
    }
};

QTEST_MAIN(TestBackgroundConversion)
#include "test_background_conversion.moc"
