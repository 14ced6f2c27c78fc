#include "project_document.h"

#include <QDir>
#include <QFileInfo>
#include <QUndoStack>

#include "settings_edit_command.h"

namespace cms::ui {

namespace {

// Paths inside a project file are relative to it, so a project folder can move as a whole.
std::string relativeTo(const QDir& dir, const std::string& path) {
    return path.empty() ? path : dir.relativeFilePath(QString::fromStdString(path)).toStdString();
}

std::string absoluteFrom(const QDir& dir, const std::string& path) {
    if (path.empty() || QFileInfo(QString::fromStdString(path)).isAbsolute()) return path;
    return QDir::cleanPath(dir.filePath(QString::fromStdString(path))).toStdString();
}

}  // namespace

ProjectDocument::ProjectDocument(QObject* parent) : QObject(parent), undo_(new QUndoStack(this)) {
    connect(undo_, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
}

bool ProjectDocument::isModified() const { return !undo_->isClean(); }

void ProjectDocument::edit(const ConversionSettings& after, const QString& text, const QString& field) {
    if (after == settings_) return;
    undo_->push(new SettingsEditCommand(this, settings_, after, text, field));
}

void ProjectDocument::reset(const ConversionSettings& settings, const QString& filePath) {
    undo_->clear();
    replaceSettings(settings);
    if (filePath != filePath_) {
        filePath_ = filePath;
        emit filePathChanged(filePath_);
    }
    emit modifiedChanged(false);
}

void ProjectDocument::save(const QString& path) {
    const QDir dir = QFileInfo(path).absoluteDir();
    ConversionSettings s = settings_;
    s.modelPath = relativeTo(dir, s.modelPath);
    s.outputPath = relativeTo(dir, s.outputPath);
    saveSettings(s, path.toStdString());
    undo_->setClean();
    if (path != filePath_) {
        filePath_ = path;
        emit filePathChanged(filePath_);
    }
}

void ProjectDocument::load(const QString& path) {
    ConversionSettings s = loadSettings(path.toStdString());
    const QDir dir = QFileInfo(path).absoluteDir();
    s.modelPath = absoluteFrom(dir, s.modelPath);
    s.outputPath = absoluteFrom(dir, s.outputPath);
    reset(s, path);
}

void ProjectDocument::replaceSettings(const ConversionSettings& s) {
    settings_ = s;
    emit changed();
}

}  // namespace cms::ui
