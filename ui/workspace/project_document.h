#pragma once
// The open project: the conversion settings document, the file it is saved in, and the undo
// stack every edit goes through. Widgets read settings() and call edit(); they refresh on changed().
#include <QObject>
#include <QString>

#include "settings/conversion_settings.h"

class QUndoStack;

namespace cms::ui {

class ProjectDocument : public QObject {
    Q_OBJECT
public:
    // Project files are the settings JSON; this extension marks them as the studio's.
    static constexpr const char* kExtension = ".cmsproj";

    explicit ProjectDocument(QObject* parent = nullptr);

    const ConversionSettings& settings() const { return settings_; }
    QUndoStack* undoStack() const { return undo_; }
    QString filePath() const { return filePath_; }
    bool isModified() const;

    // An undoable edit: `after` replaces the document. `field` merges consecutive edits of one field.
    void edit(const ConversionSettings& after, const QString& text, const QString& field = {});
    // A fresh document (a model just opened): not an edit, clears the undo history.
    void reset(const ConversionSettings& settings, const QString& filePath = {});
    // Throws cms::Error naming the file.
    void save(const QString& path);
    void load(const QString& path);

    // For SettingsEditCommand: sets the document without recording an edit.
    void replaceSettings(const ConversionSettings& s);

signals:
    void changed();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString& path);

private:
    ConversionSettings settings_;
    QString filePath_;
    QUndoStack* undo_;
};

}  // namespace cms::ui
