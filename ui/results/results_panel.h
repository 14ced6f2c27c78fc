#pragma once
// What a finished conversion produced: the package (path, size), the op count by MIL op type, the
// warnings and the time per stage. The reports of part 2 (accuracy, compression) come in as more tabs.
#include <QWidget>

#include "converter.h"

class QLabel;
class QListWidget;
class QPushButton;
class QTabWidget;
class QTableWidget;

namespace cms::ui {

class ResultsPanel : public QWidget {
    Q_OBJECT
public:
    explicit ResultsPanel(QWidget* parent = nullptr);

    void showReport(const ConversionReport& report);
    void clear();
    // Another report about the same package (e.g. the accuracy check) as a tab after "Summary".
    int addReportTab(QWidget* page, const QString& title);

    const ConversionReport& report() const { return report_; }
    QLabel* summaryLabel() const { return summary_; }
    QTableWidget* opTable() const { return ops_; }
    QListWidget* warningList() const { return warnings_; }
    QTabWidget* tabs() const { return tabs_; }
    QPushButton* showProgramButton() const { return showProgram_; }

signals:
    // "Show in graph": the written package's ML Program, beside the source graph.
    void showProgramRequested(const QString& packagePath);

private:
    ConversionReport report_;
    QTabWidget* tabs_;
    QLabel* summary_;
    QTableWidget* ops_;
    QListWidget* warnings_;
    QPushButton* showProgram_;
    QPushButton* openFolder_;
};

}  // namespace cms::ui
