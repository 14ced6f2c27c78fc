#pragma once
// The accuracy report of a run: per-output error metrics with pass/fail, and the SNR of every
// compared layer in execution order against the threshold, the first failing layer and the first
// inf/NaN highlighted. Choosing a layer (table row or chart point) asks for its op in the graph; one
// action keeps the suggested ops in fp32 and converts again.
#include <QStringList>

#include <optional>

#include "reports/report_view.h"

class QChart;
class QLabel;
class QPushButton;
class QTableWidget;

namespace cms::ui {

class AccuracyReportView : public ReportView {
    Q_OBJECT
public:
    explicit AccuracyReportView(QWidget* parent = nullptr);

    QString title() const override { return tr("Accuracy"); }
    bool hasData() const override;
    void showRun(std::shared_ptr<const ReportRun> run) override;
    QString htmlTables() const override;

    QLabel* summaryLabel() const { return summary_; }
    // Output, max abs error, mean abs error, max rel error, SNR, PSNR, cosine, top-1, top-5, result.
    QTableWidget* outputTable() const { return outputs_; }
    QChart* layerChart() const { return chart_; }
    // Step, op, source, SNR, max abs error, note; highlighted rows carry their note.
    QTableWidget* layerTable() const { return layers_; }
    QPushButton* keepInFp32Button() const { return keepFp32_; }
    // Layer rows: the first below the threshold, and the first producing inf/NaN.
    std::optional<int> firstFailingLayer() const { return firstFailing_; }
    std::optional<int> firstNonFiniteLayer() const { return firstNonFinite_; }
    // Selects a layer row and asks for its op in the graph (what a click on the chart does).
    void chooseLayer(int row);

signals:
    // The MIL op of a chosen layer, for the graph view.
    void opChosen(const QString& opName);
    void keepInFp32Requested(const QStringList& ops);

private:
    std::shared_ptr<const ReportRun> run_;
    QLabel* summary_;
    QTableWidget* outputs_;
    QChart* chart_;
    QTableWidget* layers_;
    QPushButton* keepFp32_;
    std::optional<int> firstFailing_, firstNonFinite_;
};

}  // namespace cms::ui
