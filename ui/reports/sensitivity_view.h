#pragma once
// Compression sensitivity of a run's package: per layer, the model's output SNR when only that layer
// is compressed with each candidate setting, and the recommended mix (smallest weights that keep the
// model above a target SNR), applied with one click into the Quantization table (undoable).
#include "reports/report_view.h"

class QChart;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QTableWidget;

namespace cms::compress {
struct SensitivityReport;
}

namespace cms::ui {

class SensitivityView : public ReportView {
    Q_OBJECT
public:
    explicit SensitivityView(QWidget* parent = nullptr);

    QString title() const override { return tr("Sensitivity"); }
    bool hasData() const override;
    void showRun(std::shared_ptr<const ReportRun> run) override;
    QString htmlTables() const override;
    // A job is running (buttons disabled).
    void setBusy(bool busy);
    // The analysis has started.
    void showAnalysing();
    // The analysis failed: why, and what to do.
    void showFailure(const QString& message);

    QLabel* summaryLabel() const { return summary_; }
    QDoubleSpinBox* targetBox() const { return target_; }
    QPushButton* analyseButton() const { return analyse_; }
    QPushButton* applyButton() const { return apply_; }
    QChart* chart() const { return chart_; }
    // Layer, parameters, SNR per candidate, recommended setting.
    QTableWidget* layerTable() const { return table_; }

signals:
    void analyseRequested(double targetSnrDb);
    void applyRequested();

private:
    std::shared_ptr<const ReportRun> run_;
    const compress::SensitivityReport* report_ = nullptr;
    bool busy_ = false;
    QLabel* summary_;
    QDoubleSpinBox* target_;
    QPushButton* analyse_;
    QPushButton* apply_;
    QChart* chart_;
    QTableWidget* table_;
};

}  // namespace cms::ui
