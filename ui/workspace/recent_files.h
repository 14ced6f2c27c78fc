#pragma once
// Recently opened models/packages and projects, kept in QSettings (newest first, at most ten each,
// files that no longer exist dropped when listed).
#include <QObject>
#include <QStringList>

namespace cms::ui {

class RecentFiles : public QObject {
    Q_OBJECT
public:
    enum class Kind { Model, Project };
    static constexpr int kMaxEntries = 10;

    explicit RecentFiles(QObject* parent = nullptr);

    QStringList list(Kind kind) const;
    void add(Kind kind, const QString& path);
    void clear();

signals:
    void changed();
};

}  // namespace cms::ui
