#include "recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace cms::ui {

namespace {

QString keyFor(RecentFiles::Kind kind) {
    return kind == RecentFiles::Kind::Model ? QStringLiteral("recent/models") : QStringLiteral("recent/projects");
}

}  // namespace

RecentFiles::RecentFiles(QObject* parent) : QObject(parent) {}

QStringList RecentFiles::list(Kind kind) const {
    QStringList out;
    for (const QString& path : QSettings().value(keyFor(kind)).toStringList())
        if (QFileInfo::exists(path)) out << path;
    return out;
}

void RecentFiles::add(Kind kind, const QString& path) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QSettings settings;
    QStringList paths = settings.value(keyFor(kind)).toStringList();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMaxEntries) paths.removeLast();
    settings.setValue(keyFor(kind), paths);
    emit changed();
}

void RecentFiles::clear() {
    QSettings settings;
    settings.remove(keyFor(Kind::Model));
    settings.remove(keyFor(Kind::Project));
    emit changed();
}

}  // namespace cms::ui
