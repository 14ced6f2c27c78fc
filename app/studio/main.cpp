// coreml-studio: the desktop front end. With no argument it shows its start page (the bundled demo
// model, recent files and projects); an argument is a model, an .mlpackage or a project to open.
#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QPixmap>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "common/log.h"
#include "graph/graph_view.h"
#include "main_window.h"
#include "preferences/language.h"
#include "style/studio_icons.h"
#include "workspace/autosave.h"
#include "workspace/crash_recovery.h"
#include "workspace/start_page.h"

int main(int argc, char** argv) {
    // Answered before Qt starts, so they work without a display.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("coreml-studio %s\n", CMS_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: coreml-studio [--screenshot DIR] [MODEL.pt | PACKAGE.mlpackage | PROJECT.cmsproj]\n"
                        "Opens the file, or shows the start page ($CMS_DEMO_MODEL overrides the bundled demo "
                        "model's location).\n--screenshot DIR: open the file (default: the demo model), save the "
                        "window and its graph view as PNGs in DIR and exit.\n");
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("Core ML Conversion Studio");
    QApplication::setOrganizationName("CoreMLConversionStudio");  // where QSettings keeps recent files
    QApplication::setApplicationVersion(CMS_VERSION);
    // The desktop entry the package installs (window grouping, Wayland app id) and its icon.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.coremlstudio.CoreMLStudio"));
    QApplication::setWindowIcon(cms::ui::applicationIcon());
    cms::ui::applyLanguage(cms::ui::languageSetting());  // before any window builds its texts
    cms::setLogVerbosity(qEnvironmentVariableIntValue("CMS_VERBOSE"));

    QStringList args = QApplication::arguments().mid(1);
    QString screenshotDir;
    if (const int i = args.indexOf("--screenshot"); i >= 0) {
        screenshotDir = args.value(i + 1);
        args.remove(i, std::min<qsizetype>(2, args.size() - i));
        if (screenshotDir.isEmpty()) {
            std::fprintf(stderr, "coreml-studio: --screenshot needs a folder\n");
            return 2;
        }
    }

    cms::ui::MainWindow window;
    window.show();
    if (!screenshotDir.isEmpty()) {
        // Pictures for the README: taken once the model is open and laid out.
        const auto save = [&window, screenshotDir](bool opened) {
            // An inspected op makes the picture say more: the first block's first convolution.
            if (opened) {
                window.graphView()->searchEdit()->setText(QStringLiteral("block1.conv1"));
                window.graphView()->findNext();
                window.graphView()->searchEdit()->clear();
            }
            QDir().mkpath(screenshotDir);
            const QDir dir(screenshotDir);
            const bool ok = window.grab().save(dir.filePath("studio_window.png")) &&
                            window.graphView()->grab().save(dir.filePath("graph_view.png"));
            if (!ok) std::fprintf(stderr, "coreml-studio: cannot write PNGs in %s\n", qPrintable(screenshotDir));
            QCoreApplication::exit(opened && ok ? 0 : 1);
        };
        // Taken with the edge shapes and the ML Program when the model's inputs have shapes (lowering
        // follows the import), else as soon as the graph is drawn.
        const auto saveSoon = [save] { QTimer::singleShot(300, [save] { save(true); }); };
        QObject::connect(window.runner(), &cms::ui::ConversionRunner::modelOpened, &window, [&window, saveSoon] {
            if (!window.runner()->annotating()) saveSoon();
        });
        QObject::connect(window.runner(), &cms::ui::ConversionRunner::programReady, &window, saveSoon);
        QObject::connect(window.runner(), &cms::ui::ConversionRunner::failed, &window,
                         [save](const QString& message) {
                             std::fprintf(stderr, "coreml-studio: %s\n", qPrintable(message));
                             save(false);
                         });
    }
    // A missing file is reported in the window like any file that cannot be opened.
    if (!args.isEmpty()) window.openPath(args.first());
    else if (!screenshotDir.isEmpty()) window.openPath(cms::ui::bundledDemoModelPath());
    if (screenshotDir.isEmpty()) {
        // Settings a crashed session left are offered once the window is up; this one autosaves from now on.
        const QString autosaveDir = cms::ui::Autosave::defaultDirectory();
        window.enableAutosave(autosaveDir, cms::ui::Autosave::defaultIntervalMs());
        QTimer::singleShot(0, &window, [&window, autosaveDir] { cms::ui::offerCrashRecovery(window, autosaveDir); });
    }
    return app.exec();
}
