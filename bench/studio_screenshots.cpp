// Renders each main view of the studio with the demo model to PNG, offscreen: the start page, the graph
// view collapsed and expanded, an op in the inspector, the ML Program beside the source graph, each
// settings panel, and the progress and results of a conversion. Driven by bench/screenshots.sh.
//
//   QT_QPA_PLATFORM=offscreen studio_screenshots DEMO_MODEL.pt OUT_DIR
// Settings panels are the tabs of MainWindow::settingsTabs(), so new panels are rendered as they come.
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QEventLoop>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTimer>
#include <QVBoxLayout>

#include <cstdio>

#include "conversion_runner.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "ir/graph.h"
#include "main_window.h"
#include "report_screenshots.h"
#include "results/conversion_progress.h"
#include "results/results_panel.h"

using namespace cms;

namespace {

QString outDir;
int failures = 0;

// 8-bit colour keeps the README's pictures small; UI pixels need no more.
void save(QWidget* w, const QString& name) {
    if (!w) {
        std::fprintf(stderr, "studio_screenshots: no widget for %s, skipped\n", qPrintable(name));
        return;
    }
    QCoreApplication::processEvents();
    const QImage image = w->grab().toImage().convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither);
    const QString path = QDir(outDir).filePath(name + ".png");
    if (!image.save(path)) {
        std::fprintf(stderr, "studio_screenshots: cannot write %s\n", qPrintable(path));
        ++failures;
    } else {
        std::printf("%s\n", qPrintable(path));
    }
}

// Runs the event loop until `done` holds, for at most `ms`.
template <class Pred> bool waitFor(Pred done, int ms) {
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

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: studio_screenshots DEMO_MODEL.pt OUT_DIR\n");
        return 2;
    }
    const QString demo = QString::fromLocal8Bit(argv[1]);
    outDir = QString::fromLocal8Bit(argv[2]);
    QDir().mkpath(outDir);

    ui::MainWindow window;
    window.resize(1280, 780);
    window.show();
    save(&window, "start_page");

    bool opened = false;
    // The pictures show edge shapes and the ML Program: wait for the lowering that follows the import.
    QObject::connect(window.runner(), &ui::ConversionRunner::programReady, [&] { opened = true; });
    window.openModel(demo);
    if (!waitFor([&] { return opened && window.graphView()->model() && !window.runner()->busy(); }, 60000)) {
        std::fprintf(stderr, "studio_screenshots: the demo model did not open\n");
        return 1;
    }
    QCoreApplication::processEvents();
    ui::GraphView* view = window.graphView();
    view->scene()->collapseAll();
    save(&window, "workspace");
    save(view, "graph_collapsed");
    view->scene()->expandAll();
    view->searchEdit()->setText(QStringLiteral("block1.conv1"));
    view->findNext();
    view->searchEdit()->clear();
    save(view, "graph_expanded_inspector");
    if (view->programToggle()->isEnabled()) {
        view->programToggle()->trigger();
        view->searchEdit()->setText(QStringLiteral("block2.conv1"));
        view->findNext();
        view->searchEdit()->clear();
        save(view, "ml_program");
        view->programToggle()->trigger();
    } else {
        std::fprintf(stderr, "studio_screenshots: no ML Program for the demo model (lowering failed?)\n");
        ++failures;
    }

    // Settings panels: every tab of the window's settings tabs (results are rendered below, with content).
    if (QTabWidget* tabs = window.settingsTabs()) {
        for (int i = 0; i < tabs->count(); ++i) {
            if (qobject_cast<ui::ResultsPanel*>(tabs->widget(i))) continue;
            tabs->setCurrentIndex(i);
            const QString name = tabs->tabText(i).remove('&').toLower().replace(' ', '_');
            save(tabs, "settings_" + name);
        }
        if (tabs->count()) tabs->setCurrentIndex(0);
    }

    // A conversion of the demo model, its progress and results.
    QTemporaryDir scratch;
    ConversionSettings settings;
    settings.modelPath = demo.toStdString();
    settings.outputPath = scratch.filePath("demo_cnn.mlpackage").toStdString();
    settings.inputs.push_back(parseInputSpec(view->model()->graph()->inputNames.at(0) + ":1x3x224x224"));
    QWidget panel;
    panel.resize(560, 640);
    auto* layout = new QVBoxLayout(&panel);
    auto* progress = new ui::ConversionProgress;
    auto* results = new ui::ResultsPanel;
    layout->addWidget(progress);
    layout->addWidget(results, 1);
    panel.show();
    // On a ConversionRunner's worker, as the studio converts: the widgets follow its signals.
    ui::ConversionRunner runner;
    bool finished = false;
    QString failure;
    QObject::connect(&runner, &ui::ConversionRunner::progress, progress, &ui::ConversionProgress::onProgress);
    QObject::connect(&runner, &ui::ConversionRunner::converted, results, [&](const ConversionReport& report) {
        progress->finish(true, false);
        results->showReport(report);
        finished = true;
    });
    QObject::connect(&runner, &ui::ConversionRunner::failed, &panel, [&](const QString& message) {
        failure = message;
        finished = true;
    });
    progress->start();
    runner.convert(settings);
    if (!waitFor([&] { return finished && !runner.busy(); }, 120000) || !failure.isEmpty()) {
        std::fprintf(stderr, "studio_screenshots: the conversion failed: %s\n",
                     failure.isEmpty() ? "it did not finish in 2 minutes" : qPrintable(failure));
        return 1;
    }
    // The package path names the scratch folder; the picture shows where a user's would go.
    ConversionReport shown = results->report();
    shown.packagePath = QDir::home().filePath("Models/demo_cnn.mlpackage").toStdString();
    if (!shown.opHistogram.empty()) results->showReport(shown);
    save(&panel, "results");
    failures += saveReportScreenshots(window, scratch.path(), save);
    return failures ? 1 : 0;
}
