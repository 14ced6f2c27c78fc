#include "report_screenshots.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

#include <cstdio>
#include <functional>

#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "main_window.h"
#include "reports/accuracy_report_view.h"
#include "reports/compare_runs_view.h"
#include "reports/placement_report_view.h"

#include <QComboBox>
#include "reports/report_run.h"
#include "reports/reports_controller.h"
#include "reports/sensitivity_view.h"
#include "reports/size_report_view.h"
#include "results/results_panel.h"
#include "workspace/project_document.h"

#include <QPushButton>

using namespace cms;

namespace {

bool waitUntil(const std::function<bool()>& done, int ms) {
    QEventLoop loop;
    QTimer poll, limit;
    QObject::connect(&poll, &QTimer::timeout, [&] {
        if (done()) loop.quit();
    });
    QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start(20);
    limit.start(ms);
    loop.exec();
    return done();
}

// Converts with the window's settings and waits for that run's reports.
bool convertAndWait(ui::MainWindow& window) {
    ui::ReportsController* reports = window.reports();
    const int before = reports->runs().size();
    window.convertButton()->click();
    return waitUntil([&] { return reports->runs().size() > before && !reports->busy() && !window.runner()->busy(); },
                     300000);
}

}  // namespace

int saveReportScreenshots(ui::MainWindow& window, const QString& scratchDir,
                          void (*save)(QWidget* widget, const QString& name)) {
    ui::ReportsController* reports = window.reports();
    window.resize(1600, 1000);  // the report tabs share the window with the graph: give them most of it
    if (auto* split = qobject_cast<QSplitter*>(window.graphView()->parentWidget())) split->setSizes({520, 1080});
    ConversionSettings s = window.document()->settings();
    s.target = mil::Target::iOS16;  // compressed weights need iOS16
    s.compression = {};
    s.outputPath = QDir(scratchDir).filePath(QStringLiteral("demo_fp16.mlpackage")).toStdString();
    window.document()->edit(s, QStringLiteral("screenshots"));
    if (!convertAndWait(window)) {
        std::fprintf(stderr, "studio_screenshots: the fp16 conversion's reports did not arrive\n");
        return 1;
    }
    // Sensitivity of the fp16 package, its recommendation applied, and the compressed run.
    reports->analyseSensitivity(35.0);
    if (!waitUntil([&] { return !reports->busy() && reports->currentRun()->sensitivity; }, 600000)) {
        std::fprintf(stderr, "studio_screenshots: the sensitivity analysis did not finish\n");
        return 1;
    }
    QTabWidget* results = window.resultsPanel()->tabs();
    window.settingsTabs()->setCurrentWidget(window.resultsPanel());
    results->setCurrentWidget(reports->sensitivityView());
    save(&window, QStringLiteral("report_sensitivity"));
    reports->applyRecommendation();
    s = window.document()->settings();
    s.outputPath = QDir(scratchDir).filePath(QStringLiteral("demo_mixed.mlpackage")).toStdString();
    window.document()->edit(s, QStringLiteral("screenshots"));
    if (!convertAndWait(window)) {
        std::fprintf(stderr, "studio_screenshots: the compressed conversion's reports did not arrive\n");
        return 1;
    }
    window.settingsTabs()->setCurrentWidget(window.resultsPanel());
    window.graphView()->scene()->expandAll();
    const std::pair<ui::ReportView*, const char*> shots[] = {{reports->sizeView(), "report_size"},
                                                             {reports->accuracyView(), "report_accuracy"},
                                                             {reports->placementView(), "report_placement"},
                                                             {reports->compareView(), "report_compare"}};
    for (const auto& [view, name] : shots) {
        results->setCurrentWidget(view);
        if (view == reports->placementView()) reports->placementView()->colourBox()->setCurrentIndex(1);  // by time
        if (view == reports->accuracyView() && reports->accuracyView()->layerTable()->rowCount() > 0)
            reports->accuracyView()->chooseLayer(reports->accuracyView()->firstFailingLayer().value_or(0));
        QCoreApplication::processEvents();
        save(&window, QString::fromLatin1(name));
    }
    return 0;
}
