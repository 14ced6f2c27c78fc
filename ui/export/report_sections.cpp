#include "report_sections.h"

#include "reports/report_view.h"

namespace cms::ui {

namespace {
// Charts are drawn at this logical size (twice the pixels) so they fit the width of an A4 page.
const QSize kChartSize(640, 360);
}  // namespace

QList<ReportSection> reportSections(const QList<ReportView*>& views) {
    QList<ReportSection> sections;
    for (const ReportView* view : views) {
        if (!view || !view->hasData()) continue;
        ReportSection section{view->title(), view->htmlTables(), {}};
        for (int i = 0; i < view->chartCount(); ++i)
            section.charts.push_back({view->chartTitle(i), view->chartImage(i, kChartSize)});
        sections.push_back(section);
    }
    return sections;
}

}  // namespace cms::ui
