#pragma once
// A checklist item's detail in the interface language, from its message id and arguments (the core's
// `detail` is the CLI's English and is shown for a message this file does not know).
#include <QString>

#include "analysis/production_checklist.h"

namespace cms::ui {

QString checklistDetailText(const analysis::ChecklistItem& item);

}  // namespace cms::ui
