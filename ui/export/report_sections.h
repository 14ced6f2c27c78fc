#pragma once
// The report views' sections for the export: each view with data gives its tables (HTML) and its charts
// rendered as images.
#include <QList>

#include "export/report_document.h"

namespace cms::ui {

class ReportView;

QList<ReportSection> reportSections(const QList<ReportView*>& views);

}  // namespace cms::ui
