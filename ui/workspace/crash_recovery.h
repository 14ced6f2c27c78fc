#pragma once
// At start-up: offers back the settings of studio sessions that ended abnormally (see Autosave), one
// question per session; the accepted one is restored into the window as an undoable edit.
#include <QString>

namespace cms::ui {

class MainWindow;

// Returns how many sessions were restored (0 or 1: restoring a second would replace the first).
int offerCrashRecovery(MainWindow& window, const QString& autosaveDirectory);

}  // namespace cms::ui
