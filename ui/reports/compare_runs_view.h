#pragma once
// Two runs of the session side by side (e.g. int8 against a 4-bit palette, fixed against enumerated
// shapes): size, accuracy and estimated placement with the change between them, per-layer SNR of both,
// and the ops that moved device or whose error changed, highlighted.
#include <QList>

#include "reports/report_view.h"

class QChart;
class QComboBox;
class QLabel;
class QTableWidget;

namespace cms::ui {

class CompareRunsView : public ReportView {
    Q_OBJECT
public:
    // A layer whose SNR changes by at least this much is listed as changed.
    static constexpr double kChangedDb = 6.0;

    explicit CompareRunsView(QWidget* parent = nullptr);

    QString title() const override { return tr("Compare"); }
    bool hasData() const override { return a_ && b_; }
    // The latest run becomes the second of the pair, the one before it the first.
    void showRun(std::shared_ptr<const ReportRun> run) override;
    QString htmlTables() const override;
    // The session's runs (oldest first), from ReportsController.
    void setRuns(const QList<std::shared_ptr<const ReportRun>>& runs);
    // Picks the pair by position in the run list.
    void choose(int first, int second);

    QComboBox* firstBox() const { return first_; }
    QComboBox* secondBox() const { return second_; }
    QComboBox* chipBox() const { return chip_; }
    // What, first run, second run, change.
    QTableWidget* summaryTable() const { return summary_; }
    // Op, type, source, device first/second, SNR first/second, what changed.
    QTableWidget* changeTable() const { return changes_; }
    QChart* snrChart() const { return snrChart_; }
    QChart* deviceChart() const { return deviceChart_; }

signals:
    void opChosen(const QString& opName);

private:
    void refresh();

    QList<std::shared_ptr<const ReportRun>> runs_;
    std::shared_ptr<const ReportRun> a_, b_;
    QComboBox* first_;
    QComboBox* second_;
    QComboBox* chip_;
    QLabel* note_;
    QTableWidget* summary_;
    QTableWidget* changes_;
    QChart* snrChart_;
    QChart* deviceChart_;
};

}  // namespace cms::ui
