#pragma once
// The op placement estimate of a run for a chosen chip and compute-units setting: where Core ML is
// likely to run each op (Neural Engine, GPU, CPU), estimated time and op count by device as charts,
// a table of ops with every reason an op is off the Neural Engine, and the graph coloured by device
// or by estimated time (GraphHeatmap) with a legend. An estimate, and the view says so.
#include "reports/graph_heatmap.h"
#include "reports/report_view.h"

class QChart;
class QCheckBox;
class QComboBox;
class QLabel;
class QTableWidget;

namespace cms::ui {

class GraphView;

class PlacementReportView : public ReportView {
    Q_OBJECT
public:
    // `graph` (may be null) is coloured while "Colour the graph" is checked.
    explicit PlacementReportView(GraphView* graph, QWidget* parent = nullptr);

    QString title() const override { return tr("Placement"); }
    bool hasData() const override { return run_ != nullptr; }
    void showRun(std::shared_ptr<const ReportRun> run) override;
    QString htmlTables() const override;

    // The plan shown (null without a run).
    const analysis::PlacementPlan* plan() const { return plan_; }
    QComboBox* chipBox() const { return chip_; }
    QComboBox* unitsBox() const { return units_; }
    QComboBox* colourBox() const { return colour_; }  // by device, by estimated time
    QCheckBox* colourGraphBox() const { return colourGraph_; }
    QLabel* summaryLabel() const { return summary_; }
    QLabel* legendLabel() const { return legend_; }
    QChart* timeChart() const { return timeChart_; }
    QChart* countChart() const { return countChart_; }
    // The time chart's unit per second: 1e6 (µs) when the whole prediction takes under 1 ms, else 1e3 (ms).
    double timeChartScale() const { return timeScale_; }
    // Op, type, source, device, estimated time, why not on the Neural Engine.
    QTableWidget* opTable() const { return table_; }
    GraphHeatmap* heatmap() const { return heatmap_; }

signals:
    void opChosen(const QString& opName);

protected:
    // The graph is coloured only while this view is on screen.
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void refresh();
    void updateHeatmap();

    std::shared_ptr<const ReportRun> run_;
    const analysis::PlacementPlan* plan_ = nullptr;
    GraphHeatmap* heatmap_;
    QComboBox* chip_;
    QComboBox* units_;
    QComboBox* colour_;
    QCheckBox* colourGraph_;
    QLabel* summary_;
    QLabel* legend_;
    QChart* timeChart_;
    QChart* countChart_;
    QTableWidget* table_;
    double timeScale_ = 1e3;
};

}  // namespace cms::ui
