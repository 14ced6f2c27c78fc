// The report views on a real conversion of the demo model, driven as a user would (open, set
// compression, Convert), each checked against the figures core computes for the written package
// (the JSON `coreml-cli convert --size-report`, `verify --json` and `plan --json` print).
#include "main_window.h"
#include "support/test_support.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLabel>
#include <QLineEdit>
#include <QPieSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QComboBox>
#include <QGraphicsItem>
#include <QLineSeries>
#include <QScatterSeries>
#include <QSettings>
#include <QTabWidget>
#include <QTableWidget>
#include <QUndoStack>

#include <cmath>
#include <filesystem>
#include <functional>
#include <set>
#include <fstream>

#include <nlohmann/json.hpp>

#include "analysis/accuracy_report.h"
#include "analysis/placement.h"
#include "analysis/placement_json.h"
#include "compress/sensitivity.h"
#include "compress/size_report.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "graphview/program_link.h"
#include "package/package.h"
#include "reports/accuracy_report_view.h"
#include "reports/compare_runs_view.h"
#include "reports/graph_heatmap.h"
#include "reports/placement_report_view.h"
#include "reports/report_run.h"
#include "reports/reports_controller.h"
#include "reports/sensitivity_view.h"
#include "reports/size_report_view.h"
#include "results/results_panel.h"
#include "settings/quantization_panel.h"
#include "workspace/project_document.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

QString panel(const ui::MainWindow& w) { return w.resultPanel()->toPlainText(); }

// Opens a copy of the demo model with a 64x64 input and waits for its full graph.
void openDemo(ui::MainWindow& w, const test::ScratchDir& dir) {
    fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
    std::ofstream(dir.path("demo_cnn.settings.json")) << R"({"inputs": [{"name": "image", "shape": [1, 3, 64, 64]}]})";
    w.openModel(QString::fromStdString(dir.path("demo_cnn.pt")));
    QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() && !w.graphView()->model()->isModuleOutline(), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 60000);
}

// Converts with `edit` applied to the settings and waits for the reports of that run (`run`).
void convertWith(ui::MainWindow& w, const std::string& output, const std::function<void(ConversionSettings&)>& edit,
                 std::shared_ptr<const ui::ReportRun>* run) {
    ConversionSettings s = w.document()->settings();
    edit(s);
    s.outputPath = output;
    w.document()->edit(s, "test settings");
    const auto before = w.reports()->currentRun();
    w.convertButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Wrote"), 120000);
    QTRY_VERIFY_WITH_TIMEOUT(w.reports()->currentRun() != before && !w.reports()->busy(), 120000);
    *run = w.reports()->currentRun();
}

// Non-white pixels of a chart rendered for export: a blank image means nothing was painted.
int paintedPixels(const QImage& image) {
    int n = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) n += image.pixel(x, y) != qRgb(255, 255, 255);
    return n;
}

// The JSON number of a metric (non-finite values are written as strings or null).
bool finiteNumber(const nlohmann::json& v, double* out) {
    if (!v.is_number()) return false;
    *out = v.get<double>();
    return true;
}

bool near(double a, double b) { return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)); }

void showReportTab(ui::MainWindow& w, QWidget* view) {
    w.settingsTabs()->setCurrentWidget(w.resultsPanel());
    w.resultsPanel()->tabs()->setCurrentWidget(view);
    QCoreApplication::processEvents();
}

int rowNamed(const QTableWidget* table, const QString& name) {
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 0)->text() == name) return r;
    return -1;
}

}  // namespace

class TestReportViews : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, QString::fromStdString(settingsDir_.path()));
        QCoreApplication::setOrganizationName("cms-gui-test");
        window_ = std::make_unique<ui::MainWindow>();
        window_->show();
        openDemo(*window_, dir_);
        palettePackage_ = dir_.path("palette4.mlpackage");
        convertWith(*window_, palettePackage_, [](ConversionSettings& s) {
            s.target = mil::Target::iOS16;
            OpCompression palette = OpCompression::defaults(CompressionMethod::Palettize);
            palette.bits = 4;
            s.compression.global = palette;
        }, &paletteRun_);
        QVERIFY(paletteRun_);
    }

    void sizeReportShowsTheCoreFigures() {
        const package::PackageContents written = package::readPackage(palettePackage_);
        const nlohmann::json j =
            compress::sizeReportToJson(compress::buildSizeReport(nullptr, written.program, palettePackage_));
        QVERIFY2(j["layers"].size() >= 3, j.dump().c_str());  // the demo's conv weights over 2048 elements

        ui::SizeReportView* view = window_->reports()->sizeView();
        QVERIFY(view->hasData());
        // fp32 -> fp16 -> written, in kB.
        auto* progression = qobject_cast<QBarSeries*>(view->progressionChart()->series().at(0));
        QBarSet* sizes = progression->barSets().at(0);
        QCOMPARE(sizes->count(), 3);
        QCOMPARE(sizes->at(0), double(j["package"]["fp32Bytes"].get<uint64_t>()) / 1000.0);
        QCOMPARE(sizes->at(1), double(j["package"]["fp16Bytes"].get<uint64_t>()) / 1000.0);
        QCOMPARE(sizes->at(2), double(j["package"]["compressedBytes"].get<uint64_t>()) / 1000.0);
        QVERIFY(sizes->at(2) < sizes->at(1) && sizes->at(1) < sizes->at(0));

        // Every compressed layer: exact bytes before and after in the table, and in the bar chart.
        QTableWidget* table = view->layerTable();
        auto* bars = qobject_cast<QHorizontalBarSeries*>(view->layerChart()->series().at(0));
        double chartBefore = 0, chartAfter = 0;
        for (int i = 0; i < bars->barSets().at(0)->count(); ++i) {
            chartBefore += bars->barSets().at(0)->at(i);
            chartAfter += bars->barSets().at(1)->at(i);
        }
        uint64_t jsonBefore = 0, jsonAfter = 0;
        for (const nlohmann::json& l : j["layers"]) {
            const int row = rowNamed(table, QString::fromStdString(l["name"].get<std::string>()));
            QVERIFY2(row >= 0, l["name"].get<std::string>().c_str());
            QCOMPARE(table->item(row, 3)->data(Qt::UserRole).toDouble(), double(l["bytesBefore"].get<uint64_t>()));
            QCOMPARE(table->item(row, 4)->data(Qt::UserRole).toDouble(), double(l["bytesAfter"].get<uint64_t>()));
            QCOMPARE(table->item(row, 6)->text(), QString("4-bit palette"));
            jsonBefore += l["bytesBefore"].get<uint64_t>();
            jsonAfter += l["bytesAfter"].get<uint64_t>();
        }
        // The chart holds every weight (the demo has fewer than kChartLayers): compressed ones plus unchanged ones.
        QVERIFY(table->rowCount() <= ui::SizeReportView::kChartLayers);
        const double unchanged = double(j["unchanged"]["bytes"].get<uint64_t>()) / 1000.0;
        QVERIFY(qAbs(chartBefore - (double(jsonBefore) / 1000.0 + unchanged)) < 1e-6);
        QVERIFY(qAbs(chartAfter - (double(jsonAfter) / 1000.0 + unchanged)) < 1e-6);

        // The pie's slices add up to the weight bytes written.
        auto* pie = qobject_cast<QPieSeries*>(view->storageChart()->series().at(0));
        QVERIFY(qAbs(pie->sum() - chartAfter) < 1e-6);
        // The ratio, as the summary says it.
        const QString ratio = QString::number(j["total"]["ratio"].get<double>(), 'f', 2);
        QVERIFY2(view->summaryLabel()->text().contains(ratio + QString::fromUtf8("×")),
                 qPrintable(view->summaryLabel()->text()));

        // Export: each chart paints, and the HTML has the figures.
        QCOMPARE(view->chartCount(), 3);
        for (int i = 0; i < view->chartCount(); ++i)
            QVERIFY2(paintedPixels(view->chartImage(i, QSize(480, 320), 1.0)) > 2000, qPrintable(view->chartTitle(i)));
        QVERIFY(view->htmlTables().contains(QString::number(j["layers"][0]["bytesAfter"].get<uint64_t>())));
    }

    void accuracyReportShowsTheCoreFigures() {
        analysis::VerifyOptions o;
        o.modelPath = dir_.path("demo_cnn.pt");
        o.packagePath = palettePackage_;
        o.perLayer = true;
        const nlohmann::json j = nlohmann::json::parse(analysis::reportToJson(analysis::verifyPackage(o)));
        ui::AccuracyReportView* view = window_->reports()->accuracyView();
        QVERIFY(view->hasData());

        // Per output: every metric, and pass/fail.
        QTableWidget* outputs = view->outputTable();
        QCOMPARE(outputs->rowCount(), int(j["outputs"].size()));
        const char* keys[] = {nullptr, "max_abs_error", "mean_abs_error", "max_rel_error", "snr_db", "psnr_db",
                              "cosine_similarity"};
        for (int r = 0; r < outputs->rowCount(); ++r) {
            const nlohmann::json& e = j["outputs"][size_t(r)];
            QCOMPARE(outputs->item(r, 0)->text(), QString::fromStdString(e["name"].get<std::string>()));
            for (int c = 1; c <= 6; ++c) {
                double expected = 0;
                if (finiteNumber(e[keys[c]], &expected))
                    QVERIFY2(near(outputs->item(r, c)->data(Qt::UserRole).toDouble(), expected), keys[c]);
            }
            if (e.contains("top1_agrees"))
                QCOMPARE(outputs->item(r, 7)->text(), e["top1_agrees"].get<bool>() ? QString("yes") : QString("no"));
            QCOMPARE(outputs->item(r, 9)->text(), e["passed"].get<bool>() ? QString("Pass") : QString("Fail"));
        }

        // Per layer, in execution order, with the threshold line.
        const nlohmann::json& layers = j["layers"];
        QVERIFY(layers.size() >= 5);
        QCOMPARE(view->layerTable()->rowCount(), int(layers.size()));
        auto* line = qobject_cast<QLineSeries*>(view->layerChart()->series().at(0));
        QCOMPARE(line->count(), int(layers.size()));
        const double threshold = j["min_snr_db"].get<double>();
        auto* limit = qobject_cast<QLineSeries*>(view->layerChart()->series().at(1));
        QCOMPARE(limit->at(0).y(), threshold);
        std::optional<int> firstFailing;
        for (int i = 0; i < int(layers.size()); ++i) {
            double snr = 0;
            if (finiteNumber(layers[size_t(i)]["snr_db"], &snr)) {
                QVERIFY(near(view->layerTable()->item(i, 3)->data(Qt::UserRole).toDouble(), snr));
                QVERIFY(near(line->at(i).y(), std::min(snr, 120.0)));
                if (!firstFailing && snr < threshold) firstFailing = i;
            }
        }
        // 4-bit palettes on the demo model fall below fp16's 40 dB somewhere: the view marks the first such layer.
        QVERIFY2(firstFailing, j.dump().c_str());
        QCOMPARE(view->firstFailingLayer(), firstFailing);
        QVERIFY(view->layerTable()->item(*firstFailing, 5)->text().contains("first below the threshold"));
        auto* marked = qobject_cast<QScatterSeries*>(view->layerChart()->series().at(2));
        QCOMPARE(marked->at(0).x(), double(*firstFailing + 1));

        // Choosing the layer selects its source op in the graph, linked to the MIL op it compared.
        const std::string opName = layers[size_t(*firstFailing)]["op"].get<std::string>();
        view->chooseLayer(*firstFailing);
        const std::vector<int> selected = window_->graphView()->scene()->selectedNodeIds();
        QVERIFY(!selected.empty());
        bool linked = false;
        for (int id : selected)
            for (int pid : window_->graphView()->link()->programNodesOf(id)) {
                const mil::Operation* op = window_->graphView()->programModel()->nodes().at(size_t(pid)).op;
                linked |= op && op->name == opName;
            }
        QVERIFY2(linked, opName.c_str());
        QCOMPARE(view->chartCount(), 1);
        QVERIFY(paintedPixels(view->chartImage(0, QSize(600, 300), 1.0)) > 2000);
    }

    void placementHeatmapFollowsTheChosenChipAndUnits() {
        ui::PlacementReportView* view = window_->reports()->placementView();
        showReportTab(*window_, view);
        QVERIFY(view->chipBox()->count() >= 2);
        view->chipBox()->setCurrentIndex(1);
        view->unitsBox()->setCurrentIndex(view->unitsBox()->findData(int(ComputeUnits::CpuAndGpu)));
        const std::string chip = view->chipBox()->currentData().toString().toStdString();

        package::PackageContents contents = package::readPackage(palettePackage_);
        const auto flexibility = analysis::inputFlexibility(contents);
        const analysis::PlacementPlan plan = analysis::planPlacement(
            contents.program, analysis::ChipLibrary::shipped().find(chip), {ComputeUnits::CpuAndGpu, flexibility});
        const nlohmann::json j = nlohmann::json::parse(analysis::placementPlanToJson(plan, palettePackage_));
        QCOMPARE(view->opTable()->rowCount(), int(j["ops"].size()));
        for (int r = 0; r < view->opTable()->rowCount(); ++r) {
            const nlohmann::json& op = j["ops"][size_t(r)];
            QCOMPARE(view->opTable()->item(r, 0)->text(), QString::fromStdString(op["name"].get<std::string>()));
            QVERIFY(near(view->opTable()->item(r, 4)->data(Qt::UserRole).toDouble(), op["estimatedSeconds"].get<double>()));
            QVERIFY(op["device"] != "ne");  // no Neural Engine with CPU_AND_GPU, and the table says why
            QVERIFY(!view->opTable()->item(r, 5)->text().isEmpty());
        }
        const char* codes[] = {"ne", "gpu", "cpu"};
        auto* counts = qobject_cast<QBarSeries*>(view->countChart()->series().at(0));
        auto* times = qobject_cast<QBarSeries*>(view->timeChart()->series().at(0));
        for (int d = 0; d < 3; ++d) {
            const nlohmann::json& dev = j["summary"]["devices"][codes[d]];
            QCOMPARE(counts->barSets().at(d)->at(0), double(dev["ops"].get<size_t>()));
            QVERIFY(near(times->barSets().at(d)->at(0), dev["seconds"].get<double>() * view->timeChartScale()));
        }

        // The graph: every MIL op coloured in the program pane, with the reasons in its tooltip.
        ui::GraphHeatmap* heatmap = view->heatmap();
        QVERIFY(heatmap->active());
        QVERIFY(heatmap->programOverlays() > 0);
        QVERIFY(heatmap->sourceOverlays() > 0);
        const std::string reason = j["ops"][0]["reasons"][0]["text"].get<std::string>();
        bool tooltip = false;
        for (QGraphicsItem* item : window_->graphView()->programScene()->items())
            tooltip |= item->parentItem() && item->toolTip().contains(QString::fromStdString(reason));
        QVERIFY2(tooltip, reason.c_str());
        QCOMPARE(view->timeChartScale(), j["summary"]["estimatedSeconds"].get<double>() < 1e-3 ? 1e6 : 1e3);
        QVERIFY(view->legendLabel()->text().contains("Neural Engine"));
        view->colourBox()->setCurrentIndex(1);  // by estimated time
        QVERIFY(view->legendLabel()->text().contains("estimated time"));
        QVERIFY(heatmap->programOverlays() > 0);
        // Leaving the tab takes the colours off the graph.
        window_->resultsPanel()->tabs()->setCurrentIndex(0);
        QVERIFY(!heatmap->active());
        int overlays = 0;
        for (QGraphicsItem* item : window_->graphView()->programScene()->items())
            overlays += item->parentItem() && item->toolTip().contains("Estimated:");
        QCOMPARE(overlays, 0);
    }

    void comparesTwoRunsOfTheSession() {
        fp16Package_ = dir_.path("fp16.mlpackage");
        std::shared_ptr<const ui::ReportRun> fp16;
        convertWith(*window_, fp16Package_, [](ConversionSettings& s) { s.compression = {}; }, &fp16);
        QVERIFY(fp16);
        ui::CompareRunsView* view = window_->reports()->compareView();
        QVERIFY(view->hasData());
        QCOMPARE(view->firstBox()->count(), 2);
        QCOMPARE(view->firstBox()->currentIndex(), 0);
        QCOMPARE(view->secondBox()->currentIndex(), 1);
        QTableWidget* summary = view->summaryTable();
        const int size = rowNamed(summary, "Package size");
        QVERIFY(size >= 0);
        QCOMPARE(summary->item(size, 1)->text(), ui::readableSize(compress::diskBytes(palettePackage_)));
        QCOMPARE(summary->item(size, 2)->text(), ui::readableSize(compress::diskBytes(fp16Package_)));
        QVERIFY(summary->item(size, 3)->text().startsWith("+"));  // uncompressed is larger

        // Every layer whose SNR moved by 6 dB or more is listed and highlighted.
        std::map<std::string, double> first;
        for (const analysis::LayerReport& l : paletteRun_->accuracy->layers) first[l.opName] = l.snrDb;
        std::set<QString> expected;
        for (const analysis::LayerReport& l : fp16->accuracy->layers) {
            const auto it = first.find(l.opName);
            if (it == first.end()) continue;
            const bool finite = std::isfinite(it->second) && std::isfinite(l.snrDb);
            if (finite ? std::abs(l.snrDb - it->second) >= ui::CompareRunsView::kChangedDb : it->second != l.snrDb)
                expected.insert(QString::fromStdString(l.opName));
        }
        QVERIFY(!expected.empty());
        std::set<QString> shown;
        for (int r = 0; r < view->changeTable()->rowCount(); ++r) shown.insert(view->changeTable()->item(r, 0)->text());
        QCOMPARE(shown, expected);
        QVERIFY(view->changeTable()->item(0, 6)->text().contains("error smaller"));
        QCOMPARE(qobject_cast<QLineSeries*>(view->snrChart()->series().at(0))->count(),
                 int(paletteRun_->accuracy->layers.size()));
    }

    void sensitivityRecommendationAppliesToTheQuantizationTable() {
        ui::SensitivityView* view = window_->reports()->sensitivityView();
        QVERIFY(!view->hasData());
        view->targetBox()->setValue(35.0);
        view->analyseButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasData(), 300000);
        compress::SensitivityOptions o;
        o.targetSnrDb = 35.0;
        const compress::SensitivityReport core = compress::analyseSensitivity(fp16Package_, o);
        const nlohmann::json j = compress::sensitivityToJson(core);
        QCOMPARE(view->layerTable()->rowCount(), int(j["layers"].size()));
        const auto& candidates = j["candidates"];
        for (int r = 0; r < view->layerTable()->rowCount(); ++r) {
            QCOMPARE(view->layerTable()->item(r, 0)->text().toStdString(),
                     core.layers[size_t(r)].modulePath.empty() ? core.layers[size_t(r)].opName
                                                               : core.layers[size_t(r)].modulePath);
            for (size_t c = 0; c < candidates.size(); ++c) {
                double snr = 0;  // the JSON rounds to 0.01 dB
                if (finiteNumber(j["layers"][size_t(r)]["snr_db"][candidates[c].get<std::string>()], &snr) &&
                    std::isfinite(*core.layers[size_t(r)].snrDb[c]))
                    QVERIFY(std::abs(view->layerTable()->item(r, 2 + int(c))->data(Qt::UserRole).toDouble() - snr) <= 0.0051);
            }
        }
        auto* bars = qobject_cast<QBarSeries*>(view->chart()->series().at(0));
        QCOMPARE(bars->count(), int(candidates.size()));

        // One click: the project's compression becomes the recommendation; undo restores it.
        const CompressionConfig before = window_->document()->settings().compression;
        const int rowsBefore = window_->quantizationPanel()->table()->rowCount();
        view->applyButton()->click();
        const CompressionConfig& recommended = core.recommendation.config;
        QCOMPARE(window_->document()->settings().compression, recommended);
        QVERIFY(!recommended.opNames.empty());
        // One row per recommended layer (the panel rebuilds on the next event loop turn).
        QTRY_COMPARE(window_->quantizationPanel()->table()->rowCount(), rowsBefore + int(recommended.opNames.size()));
        window_->document()->undoStack()->undo();
        QCOMPARE(window_->document()->settings().compression, before);
        QTRY_COMPARE(window_->quantizationPanel()->table()->rowCount(), rowsBefore);
    }

    // A model that overflows fp16: the report points at the first inf, and one action keeps the
    // suggested ops in fp32 (undoable) and converts again, which passes.
    void keepsSuggestedOpsInFp32AndConvertsAgain() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("fp16_overflow.pt"), dir.path("overflow.pt"));
        std::ofstream(dir.path("overflow.settings.json")) << R"({"inputs": [{"name": "x", "shape": [1, 16]}]})";
        ui::MainWindow w;
        w.show();
        w.openModel(QString::fromStdString(dir.path("overflow.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(panel(w).startsWith("Opened"), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() && !w.graphView()->model()->isModuleOutline(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 60000);
        std::shared_ptr<const ui::ReportRun> first;
        convertWith(w, dir.path("overflow.mlpackage"), [](ConversionSettings&) {}, &first);
        QVERIFY(first && first->accuracy);
        QVERIFY(!first->accuracy->passed);
        QVERIFY(first->accuracy->firstNonFinite);
        ui::AccuracyReportView* view = w.reports()->accuracyView();
        QVERIFY(view->firstNonFiniteLayer());
        QCOMPARE(view->layerTable()->item(*view->firstNonFiniteLayer(), 0)->text().toInt(),
                 *view->firstNonFiniteLayer() + 1);
        QVERIFY(view->layerTable()->item(*view->firstNonFiniteLayer(), 5)->text().contains("inf/NaN"));
        QVERIFY(view->keepInFp32Button()->isEnabled());

        const std::vector<std::string> suggested = first->accuracy->suggestedFp32Ops;
        QVERIFY(!suggested.empty());
        view->keepInFp32Button()->click();
        QCOMPARE(w.document()->settings().fp32Ops, suggested);
        QTRY_VERIFY_WITH_TIMEOUT(w.reports()->runs().size() == 2 && !w.reports()->busy(), 120000);
        const auto second = w.reports()->currentRun();
        QVERIFY(second->accuracy);
        QVERIFY2(second->accuracy->passed, qPrintable(view->summaryLabel()->text()));
        QVERIFY(!second->accuracy->firstNonFinite);
        QVERIFY(!view->firstNonFiniteLayer());
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->settings().fp32Ops.empty());
    }

private:
    test::ScratchDir settingsDir_;
    test::ScratchDir dir_;
    std::unique_ptr<ui::MainWindow> window_;
    std::string palettePackage_;
    std::string fp16Package_;
    std::shared_ptr<const ui::ReportRun> paletteRun_;
};

QTEST_MAIN(TestReportViews)
#include "test_report_views.moc"
