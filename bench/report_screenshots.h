#pragma once
// The report views' pictures for the README, rendered by studio_screenshots after its own: two
// conversions of the demo model in the window (fp16, then with the sensitivity analysis's recommended
// compression), then each report tab.
#include <QString>

class QWidget;

namespace cms::ui {
class MainWindow;
}

// `window` has the demo model open and nothing running; `save` writes one picture. Returns the
// number of failures (each reported on stderr).
int saveReportScreenshots(cms::ui::MainWindow& window, const QString& scratchDir,
                          void (*save)(QWidget* widget, const QString& name));
