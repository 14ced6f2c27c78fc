#pragma once
// Autosave and crash recovery of the project settings. Each running studio holds a lock file in the
// autosave folder and, while its document has unsaved changes, rewrites a copy of the settings there
// every few seconds (atomically). A normal exit removes both. A lock whose studio is gone marks a
// session that ended abnormally: its copy is what the next start offers back.
#include <QDateTime>
#include <QObject>
#include <QString>

#include <memory>
#include <vector>

#include "settings/conversion_settings.h"

class QLockFile;
class QTimer;

namespace cms::ui {

class ProjectDocument;

// The settings a session that ended abnormally left behind.
struct RecoveredSession {
    QString settingsFile;  // the autosaved copy (absolute paths inside)
    QString projectPath;   // the project file the session had open, or empty
    QDateTime savedAt;
    ConversionSettings settings;
    std::shared_ptr<QLockFile> claim;  // the dead session's lock, held so no other studio offers it too
};

class Autosave : public QObject {
    Q_OBJECT
public:
    // $CMS_AUTOSAVE_DIR, else "autosave" in the per-user application data folder.
    static QString defaultDirectory();
    // $CMS_AUTOSAVE_SECONDS (tests use 1), else 30 s.
    static int defaultIntervalMs();

    // Takes this session's lock in `directory` (created when missing).
    Autosave(ProjectDocument* document, const QString& directory, int intervalMs, QObject* parent = nullptr);
    // A normal end: removes this session's lock and copy.
    ~Autosave() override;

    // Writes the copy now when the document changed since the last one; removes it when nothing is unsaved.
    void saveNow();
    QString settingsFile() const;
    QString directory() const { return dir_; }

    // Copies in `directory` whose studio is gone (it ended without removing them), oldest first, each
    // claimed: discard() removes it once restored or declined, release() leaves it for the next start.
    // Unreadable copies are removed, and so are locks of dead sessions that left no copy.
    static std::vector<RecoveredSession> takeCrashedSessions(const QString& directory);
    static void discard(const RecoveredSession& session);
    static void release(const RecoveredSession& session);

private:
    ProjectDocument* document_;
    QString dir_;
    QString base_;  // <dir>/session-<pid>
    std::unique_ptr<QLockFile> lock_;
    QTimer* timer_;
    bool dirty_ = false;
};

}  // namespace cms::ui
