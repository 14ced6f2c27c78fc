#include "settings_edit_command.h"

#include "project_document.h"

namespace cms::ui {

SettingsEditCommand::SettingsEditCommand(ProjectDocument* document, ConversionSettings before, ConversionSettings after,
                                         const QString& text, QString field)
    : QUndoCommand(text), document_(document), before_(std::move(before)), after_(std::move(after)),
      field_(std::move(field)) {}

void SettingsEditCommand::undo() { document_->replaceSettings(before_); }

void SettingsEditCommand::redo() { document_->replaceSettings(after_); }

bool SettingsEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* edit = static_cast<const SettingsEditCommand*>(other);
    if (edit->field_ != field_) return false;
    after_ = edit->after_;
    // An edit that ends where it began leaves nothing to undo.
    if (after_ == before_) setObsolete(true);
    return true;
}

}  // namespace cms::ui
