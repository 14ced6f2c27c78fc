// coreml-studio: the desktop front end. With no argument it opens the bundled demo model.
#include <QApplication>
#include <QDir>

#include <cstdio>
#include <cstring>

#include "common/log.h"
#include "main_window.h"

namespace {

// $CMS_DEMO_MODEL, else the copy the build places at <prefix>/resources/demo beside bin/.
QString demoModelPath() {
    const QString fromEnv = qEnvironmentVariable("CMS_DEMO_MODEL");
    if (!fromEnv.isEmpty()) return fromEnv;
    return QDir::cleanPath(QDir(QCoreApplication::applicationDirPath()).filePath("../resources/demo/demo_cnn.pt"));
}

}  // namespace

int main(int argc, char** argv) {
    // Answered before Qt starts, so they work without a display.
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--version") == 0) {
            std::printf("coreml-studio %s\n", CMS_VERSION);
            return 0;
        }
        if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            std::printf("usage: coreml-studio [MODEL.pt]\nOpens MODEL.pt, or the bundled demo model "
                        "($CMS_DEMO_MODEL overrides its location).\n");
            return 0;
        }
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName("Core ML Conversion Studio");
    QApplication::setApplicationVersion(CMS_VERSION);
    cms::setLogVerbosity(qEnvironmentVariableIntValue("CMS_VERBOSE"));

    cms::ui::MainWindow window;
    window.show();
    const QStringList args = QApplication::arguments();
    // A missing demo model is reported in the window like any file that cannot be opened.
    window.openModel(args.size() > 1 ? args.at(1) : demoModelPath());
    return app.exec();
}
