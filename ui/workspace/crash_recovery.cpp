#include "crash_recovery.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>

#include "autosave.h"
#include "main_window.h"

namespace cms::ui {

int offerCrashRecovery(MainWindow& window, const QString& autosaveDirectory) {
    int restored = 0;
    const std::vector<RecoveredSession> sessions = Autosave::takeCrashedSessions(autosaveDirectory);
    // Newest first: that is the one a user most likely wants.
    for (auto it = sessions.rbegin(); it != sessions.rend(); ++it) {
        const RecoveredSession& s = *it;
        if (restored == 0) {
            const QString what = !s.projectPath.isEmpty()  ? QFileInfo(s.projectPath).fileName()
                                 : !s.settings.modelPath.empty() ? QFileInfo(QString::fromStdString(s.settings.modelPath)).fileName()
                                                                 : QCoreApplication::translate("CrashRecovery", "an unnamed project");
            const auto answer = QMessageBox::question(
                &window, QCoreApplication::translate("CrashRecovery", "Recover Unsaved Settings"),
                QCoreApplication::translate("CrashRecovery", "The studio did not close normally. Unsaved conversion settings for %1 were kept "
                            "(autosaved %2). Restore them?")
                    .arg(what, QLocale().toString(s.savedAt, QLocale::ShortFormat)),
                QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
            // Kept when it cannot be restored now: the next start offers it again.
            if (answer == QMessageBox::Yes && !window.restoreSettings(s.settings, s.projectPath)) {
                Autosave::release(s);
                continue;
            }
            if (answer == QMessageBox::Yes) ++restored;
        }
        Autosave::discard(s);
    }
    return restored;
}

}  // namespace cms::ui
