#pragma once
// One undoable edit of the settings document: the whole document before and after (it is small),
// so every kind of edit undoes the same way. Consecutive edits of the same field (typing in one
// box, dragging one spin box) merge into one step.
#include <QString>
#include <QUndoCommand>

#include "settings/conversion_settings.h"

namespace cms::ui {

class ProjectDocument;

class SettingsEditCommand : public QUndoCommand {
public:
    // `field` names what changed ("inputs.image.scale"); empty: never merges.
    SettingsEditCommand(ProjectDocument* document, ConversionSettings before, ConversionSettings after,
                        const QString& text, QString field);

    void undo() override;
    void redo() override;
    int id() const override { return field_.isEmpty() ? -1 : 1; }
    bool mergeWith(const QUndoCommand* other) override;
    const QString& field() const { return field_; }

private:
    ProjectDocument* document_;
    ConversionSettings before_;
    ConversionSettings after_;
    QString field_;
};

}  // namespace cms::ui
