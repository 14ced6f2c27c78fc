#pragma once
// The review of ops the converter cannot convert: each op once with its count, its occurrences (a click
// selects the node in the graph), the plain-language explanation and the ranked next steps; below, an
// editor for a composite definition checked as you type, and "Try again", which saves the composites
// and converts again with them. The report is surveyed on a worker thread.
#include <QPointer>
#include <QWidget>

#include "analysis/unsupported_report.h"
#include "settings/conversion_settings.h"

class QLabel;
class QPushButton;
class QTextBrowser;
class QThread;
class QTreeWidget;
class QTreeWidgetItem;

namespace cms::ui {

class CompositeEditor;

class UnsupportedReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit UnsupportedReviewPanel(QWidget* parent = nullptr);
    ~UnsupportedReviewPanel() override;

    // Imports the model and surveys its ops with the settings (a worker thread); reportReady follows.
    void survey(const ConversionSettings& settings);
    bool surveying() const { return !thread_.isNull(); }
    void showReport(const analysis::UnsupportedReport& report, const QString& modelPath);
    // No report (another model opened, or the model converted).
    void clear();
    const analysis::UnsupportedReport& report() const { return report_; }
    // Where "Try again" saves the editor's composites: beside the model, MODEL.composites.yaml.
    QString compositeFilePath() const;

    QTreeWidget* opTree() const { return tree_; }
    QTextBrowser* helpView() const { return help_; }
    CompositeEditor* editor() const { return editor_; }
    QPushButton* templateButton() const { return template_; }
    QPushButton* retryButton() const { return retry_; }
    QLabel* summaryLabel() const { return summary_; }

signals:
    // The survey finished; `unsupportedOps` is 0 when every op converts.
    void reportReady(int unsupportedOps);
    void surveyFailed(const QString& message);
    // An occurrence was chosen: select that node in the graph.
    void occurrenceActivated(const QString& op, const QString& modulePath, int line);
    // The composites were saved to `path`: convert again with them.
    void retryRequested(const QString& path);

private:
    void onCurrentItemChanged(QTreeWidgetItem* item);
    void showHelp(const analysis::UnsupportedOpEntry& entry);
    void insertTemplate();
    void tryAgain();

    analysis::UnsupportedReport report_;
    QString modelPath_;
    int currentOp_ = -1;
    QPointer<QThread> thread_;
    QLabel* summary_;
    QTreeWidget* tree_;
    QTextBrowser* help_;
    CompositeEditor* editor_;
    QPushButton* template_;
    QPushButton* retry_;
};

}  // namespace cms::ui
