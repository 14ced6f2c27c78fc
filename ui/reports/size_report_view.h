#pragma once
// The size report of a run: bytes by layer before and after compression, bytes by storage type and
// bits, the package size if every weight were fp32, then fp16, then as written, and the ratio.
#include "common/dtype.h"
#include "reports/report_view.h"

class QChart;
class QChartView;
class QLabel;
class QTableWidget;

namespace cms::ui {

class SizeReportView : public ReportView {
    Q_OBJECT
public:
    explicit SizeReportView(QWidget* parent = nullptr);

    QString title() const override { return tr("Size"); }
    bool hasData() const override { return run_ != nullptr; }
    void showRun(std::shared_ptr<const ReportRun> run) override;
    QString htmlTables() const override;

    QLabel* summaryLabel() const { return summary_; }
    QChart* progressionChart() const { return progression_; }
    QChart* layerChart() const { return layers_; }
    QChart* storageChart() const { return storage_; }
    // Every weight: name, op, elements, bytes before, bytes after, bits per weight, storage.
    QTableWidget* layerTable() const { return table_; }
    // The bar chart shows at most this many layers (the largest, in program order).
    static constexpr int kChartLayers = 30;

private:
    std::shared_ptr<const ReportRun> run_;
    QLabel* summary_;
    QChart* progression_;
    QChart* layers_;
    QChart* storage_;
    QTableWidget* table_;
    QChartView* layerView_ = nullptr;
};

// A readable name of how a weight is stored: "fp16", "8-bit quantized", "4-bit palette", "sparse + 4-bit palette".
QString storageName(const std::string& encoding, DType dtype, int bits);

}  // namespace cms::ui
