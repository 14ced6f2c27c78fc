#pragma once
// Wires the review panels into the main window: the unsupported-op review (surveyed when a conversion
// fails on unsupported ops; occurrences select graph nodes; "Try again" converts with the new composites),
// the production checklist (its "Fix…" links open the settings tab and field), the Swift snippet, and
// the report export (HTML, PDF). Adds them as settings tabs and a Review menu.
#include <QObject>

#include <functional>

#include "export/report_document.h"

class QAction;

namespace cms::ui {

class ChecklistPanel;
class MainWindow;
class SwiftSnippetView;
class UnsupportedReviewPanel;

class ReviewController : public QObject {
    Q_OBJECT
public:
    explicit ReviewController(MainWindow* window);

    UnsupportedReviewPanel* reviewPanel() const { return review_; }
    ChecklistPanel* checklistPanel() const { return checklist_; }
    SwiftSnippetView* swiftView() const { return swift_; }

    // Everything known about the open model, for the export.
    ReportContent reportContent() const;
    // Other report views add their sections (tables and charts) to the export through this.
    void setSectionProvider(std::function<QList<ReportSection>()> provider) { sections_ = std::move(provider); }
    // Writes the report; false (and a message in the window) when it cannot be written.
    bool exportReport(const QString& path);
    // Selects the source node of an occurrence (op kind, module path, line) in the graph; false when none matches.
    bool selectInGraph(const QString& op, const QString& modulePath, int line);

private:
    void fix(int place, const QString& field);
    void retry(const QString& compositePath);
    void chooseExportPath(const QString& suffix);
    void showTab(QWidget* page);

    MainWindow* window_;
    UnsupportedReviewPanel* review_;
    ChecklistPanel* checklist_;
    SwiftSnippetView* swift_;
    std::function<QList<ReportSection>()> sections_;
    QString modelPath_;
};

}  // namespace cms::ui
