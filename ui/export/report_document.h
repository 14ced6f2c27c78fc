#pragma once
// The conversion report for colleagues without the studio: one HTML document (model, settings,
// conversion, checklist, unsupported ops, other report sections with their charts, the Swift snippet),
// written as a self-contained HTML file (charts embedded as PNG data) or as a PDF.
#include <QImage>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

#include "analysis/production_checklist.h"
#include "analysis/unsupported_report.h"

class QTextDocument;

namespace cms::ui {

struct ReportChart {
    QString title;
    QImage image;
};

// A section contributed by another view (e.g. the Size or Accuracy report): an HTML fragment of escaped
// tables and its charts.
struct ReportSection {
    QString title;
    QString html;
    QList<ReportChart> charts;
};

struct ReportContent {
    QString modelPath;
    ConversionSettings settings;
    std::optional<ConversionReport> conversion;
    std::vector<analysis::ChecklistItem> checklist;
    std::optional<analysis::UnsupportedReport> unsupported;
    std::optional<analysis::AccuracyReport> accuracy;
    QList<ReportSection> sections;
    QString swiftSnippet;
};

class ReportDocument {
public:
    explicit ReportDocument(ReportContent content);

    QString title() const;
    // The HTML with charts referenced as "chart-N.png" (resources of toTextDocument) or embedded as data.
    QString html(bool embedCharts) const;
    // Writes a self-contained HTML file / a PDF (A4). Return false and set *error when the file cannot be written.
    bool writeHtml(const QString& path, QString* error = nullptr) const;
    bool writePdf(const QString& path, QString* error = nullptr) const;

private:
    void fillTextDocument(QTextDocument& doc) const;
    QString chartTag(int index, const ReportChart& chart, bool embed) const;

    ReportContent content_;
};

}  // namespace cms::ui
