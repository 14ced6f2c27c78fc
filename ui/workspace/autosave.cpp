#include "autosave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>

#include "common/error.h"
#include "common/log.h"
#include "project_document.h"

namespace cms::ui {

namespace {

constexpr const char* kLockSuffix = ".lock";
constexpr const char* kSettingsSuffix = ".json";
constexpr const char* kOriginSuffix = ".origin";  // the open project's path, one line

void writeAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        throw Error(ErrorKind::Input, "cannot write the autosave copy: " + file.errorString().toStdString(),
                    {path.toStdString(), ""}, "free some disk space or make the folder writable");
}

void removeSessionFiles(const QString& base) {
    QFile::remove(base + kSettingsSuffix);
    QFile::remove(base + kOriginSuffix);
}

}  // namespace

QString Autosave::defaultDirectory() {
    const QString fromEnv = qEnvironmentVariable("CMS_AUTOSAVE_DIR");
    if (!fromEnv.isEmpty()) return fromEnv;
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation)).filePath("autosave");
}

int Autosave::defaultIntervalMs() {
    const int seconds = qEnvironmentVariableIntValue("CMS_AUTOSAVE_SECONDS");
    return (seconds > 0 ? seconds : 30) * 1000;
}

Autosave::Autosave(ProjectDocument* document, const QString& directory, int intervalMs, QObject* parent)
    : QObject(parent), document_(document), dir_(directory), timer_(new QTimer(this)) {
    QDir().mkpath(dir_);
    base_ = QDir(dir_).filePath(QStringLiteral("session-%1").arg(QCoreApplication::applicationPid()));
    lock_ = std::make_unique<QLockFile>(base_ + kLockSuffix);
    lock_->setStaleLockTime(0);  // a session lives as long as its process, however long that is
    if (!lock_->tryLock(0)) logger()->warn("autosave: cannot lock {}", (base_ + kLockSuffix).toStdString());
    connect(document_, &ProjectDocument::changed, this, [this] { dirty_ = true; });
    connect(document_, &ProjectDocument::modifiedChanged, this, [this] { dirty_ = true; });
    connect(timer_, &QTimer::timeout, this, &Autosave::saveNow);
    timer_->start(intervalMs);
}

Autosave::~Autosave() {
    removeSessionFiles(base_);
    lock_->unlock();
}

QString Autosave::settingsFile() const { return base_ + kSettingsSuffix; }

void Autosave::saveNow() {
    if (!dirty_) return;
    dirty_ = false;
    if (!document_->isModified()) {  // saved, or nothing changed: nothing to offer back
        removeSessionFiles(base_);
        return;
    }
    try {
        writeAtomically(base_ + kOriginSuffix, document_->filePath().toUtf8());
        writeAtomically(base_ + kSettingsSuffix, QByteArray::fromStdString(settingsToJson(document_->settings())));
    } catch (const Error& e) {
        logger()->warn("{}", e.what());  // the next change tries again; the studio carries on
        dirty_ = true;
    }
}

std::vector<RecoveredSession> Autosave::takeCrashedSessions(const QString& directory) {
    std::vector<RecoveredSession> found;
    const QDir dir(directory);
    const QString own = QStringLiteral("session-%1").arg(QCoreApplication::applicationPid());
    for (const QFileInfo& copy : dir.entryInfoList({QStringLiteral("session-*") + kSettingsSuffix}, QDir::Files)) {
        if (copy.completeBaseName() == own) continue;
        const QString base = dir.filePath(copy.completeBaseName());
        auto lock = std::make_shared<QLockFile>(base + kLockSuffix);
        lock->setStaleLockTime(0);
        // Fails while the studio that wrote the copy runs (Qt checks its process), or another one claimed it.
        if (!lock->tryLock(0)) continue;
        RecoveredSession session;
        session.settingsFile = copy.filePath();
        session.savedAt = copy.lastModified();
        QFile origin(base + kOriginSuffix);
        if (origin.open(QIODevice::ReadOnly)) session.projectPath = QString::fromUtf8(origin.readAll());
        session.claim = lock;
        try {
            session.settings = loadSettings(copy.filePath().toStdString());
            found.push_back(std::move(session));
        } catch (const Error& e) {
            logger()->warn("autosave: dropping {}: {}", copy.filePath().toStdString(), e.what());
            discard(session);
        }
    }
    // Dead sessions that had nothing unsaved left only their lock.
    for (const QFileInfo& lockInfo : dir.entryInfoList({QStringLiteral("session-*") + kLockSuffix}, QDir::Files)) {
        if (lockInfo.completeBaseName() == own || QFileInfo::exists(dir.filePath(lockInfo.completeBaseName()) + kSettingsSuffix))
            continue;
        QLockFile lock(lockInfo.filePath());
        lock.setStaleLockTime(0);
        if (lock.tryLock(0)) lock.unlock();  // unlock removes the file
    }
    std::sort(found.begin(), found.end(),
              [](const RecoveredSession& a, const RecoveredSession& b) { return a.savedAt < b.savedAt; });
    return found;
}

void Autosave::discard(const RecoveredSession& session) {
    const QString base = session.settingsFile.left(session.settingsFile.size() - QString(kSettingsSuffix).size());
    removeSessionFiles(base);
    release(session);
}

void Autosave::release(const RecoveredSession& session) {
    if (session.claim) session.claim->unlock();
}

}  // namespace cms::ui
