#include "reports/placement_report_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include "common/error.h"
#include "reports/report_run.h"

namespace cms::ui {

namespace {

constexpr analysis::Device kDevices[] = {analysis::Device::NeuralEngine, analysis::Device::Gpu, analysis::Device::Cpu};
constexpr ComputeUnits kUnits[] = {ComputeUnits::All, ComputeUnits::CpuAndNeuralEngine, ComputeUnits::CpuAndGpu,
                                   ComputeUnits::CpuOnly};

QString unitsLabel(ComputeUnits u) {
    switch (u) {
    case ComputeUnits::All: return QObject::tr("All (Neural Engine, GPU, CPU)");
    case ComputeUnits::CpuAndNeuralEngine: return QObject::tr("CPU and Neural Engine");
    case ComputeUnits::CpuAndGpu: return QObject::tr("CPU and GPU");
    case ComputeUnits::CpuOnly: return QObject::tr("CPU only");
    }
    return {};
}

QString deviceLabel(analysis::Device d) { return QString::fromStdString(analysis::deviceName(d)); }

QString swatch(const QColor& c) {
    return QStringLiteral("<span style='background:%1'>&nbsp;&nbsp;&nbsp;&nbsp;</span>").arg(c.name());
}

void resetChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

// One bar per device, coloured as in the graph.
void fillDeviceChart(QChart* chart, const std::array<double, analysis::kDeviceCount>& values, const QString& unit) {
    resetChart(chart);
    auto* series = new QBarSeries;
    for (analysis::Device d : kDevices) {
        auto* set = new QBarSet(deviceLabel(d));
        // One category, one set per device: each bar gets the device's colour and a legend entry.
        *set << values[size_t(d)];
        set->setColor(GraphHeatmap::deviceColor(d));
        series->append(set);
    }
    series->setLabelsVisible(true);
    series->setLabelsFormat(QStringLiteral("@value"));
    series->setLabelsPrecision(3);
    chart->addSeries(series);
    auto* category = new QBarCategoryAxis;
    category->append(unit);
    chart->addAxis(category, Qt::AlignBottom);
    series->attachAxis(category);
    auto* axis = new QValueAxis;
    axis->setMin(0);
    axis->setLabelFormat(QStringLiteral("%.3g"));
    chart->addAxis(axis, Qt::AlignLeft);
    series->attachAxis(axis);
}

}  // namespace

PlacementReportView::PlacementReportView(GraphView* graph, QWidget* parent)
    : ReportView(parent), heatmap_(new GraphHeatmap(graph, this)), chip_(new QComboBox), units_(new QComboBox),
      colour_(new QComboBox), colourGraph_(new QCheckBox(tr("Colour the graph"))), summary_(new QLabel),
      legend_(new QLabel), timeChart_(new QChart), countChart_(new QChart), table_(new QTableWidget(0, 6)) {
    try {
        for (const analysis::ChipProfile& c : analysis::ChipLibrary::shipped().chips())
            chip_->addItem(QString::fromStdString(c.name), QString::fromStdString(c.id));
    } catch (const Error& e) {
        summary_->setText(QString::fromStdString(e.what()));
    }
    for (ComputeUnits u : kUnits) units_->addItem(unitsLabel(u), int(u));
    colour_->addItem(tr("By device"), int(GraphHeatmap::Mode::Device));
    colour_->addItem(tr("By estimated time"), int(GraphHeatmap::Mode::Time));
    colourGraph_->setChecked(true);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    legend_->setTextFormat(Qt::RichText);
    timeChart_->setTitle(tr("Estimated time by device (ms)"));
    countChart_->setTitle(tr("Ops by device"));
    table_->setHorizontalHeaderLabels({tr("Op"), tr("Type"), tr("Source"), tr("Device"), tr("Estimated time (µs)"),
                                       tr("Why not on the Neural Engine")});
    table_->horizontalHeader()->setSectionResizeMode(5, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setWordWrap(false);

    auto* form = new QFormLayout;
    form->addRow(tr("Chip:"), chip_);
    form->addRow(tr("Compute units:"), units_);
    auto* colourRow = new QHBoxLayout;
    colourRow->addWidget(colour_, 1);
    colourRow->addWidget(colourGraph_);
    form->addRow(tr("Colour:"), colourRow);
    auto* charts = new QHBoxLayout;
    QList<QChartView*> views;
    for (QChart* c : {timeChart_, countChart_}) {
        c->legend()->setAlignment(Qt::AlignBottom);
        auto* v = new QChartView(c);
        v->setRenderHint(QPainter::Antialiasing);
        v->setMinimumHeight(220);
        charts->addWidget(v);
        views << v;
    }
    auto* top = new QWidget;
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addLayout(form);
    topLayout->addWidget(summary_);
    topLayout->addWidget(legend_);
    topLayout->addLayout(charts, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(table_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    addExportedChart(views[0], timeChart_->title());
    addExportedChart(views[1], countChart_->title());

    for (QComboBox* box : {chip_, units_}) connect(box, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(colour_, &QComboBox::currentIndexChanged, this, [this] { updateHeatmap(); });
    connect(colourGraph_, &QCheckBox::toggled, this, [this] { updateHeatmap(); });
    connect(table_, &QTableWidget::cellClicked, this, [this](int row, int) {
        if (plan_ && row >= 0 && row < int(plan_->ops.size()))
            emit opChosen(QString::fromStdString(plan_->ops[size_t(row)].opName));
    });
    showRun(nullptr);
}

void PlacementReportView::showRun(std::shared_ptr<const ReportRun> run) {
    run_ = std::move(run);
    if (run_) {
        const int u = units_->findData(int(run_->settings.computeUnits));
        const QSignalBlocker block(units_);
        if (u >= 0) units_->setCurrentIndex(u);
    }
    refresh();
}

void PlacementReportView::refresh() {
    plan_ = nullptr;
    resetChart(timeChart_);
    resetChart(countChart_);
    table_->setRowCount(0);
    legend_->clear();
    if (!run_ || chip_->count() == 0) {
        heatmap_->clear();
        if (!run_) summary_->setText(tr("No conversion yet. Where Core ML is likely to run each op appears here after "
                                        "Convert."));
        return;
    }
    try {
        plan_ = &run_->plan(chip_->currentData().toString().toStdString(), ComputeUnits(units_->currentData().toInt()));
    } catch (const Error& e) {
        summary_->setText(QString::fromStdString(e.what()).toHtmlEscaped());
        heatmap_->clear();
        return;
    }
    const analysis::PlacementPlan& p = *plan_;
    QStringList shares;
    for (analysis::Device d : kDevices)
        if (p.share(d).ops > 0)
            shares << tr("%1% of ops on the %2").arg(p.opFraction(d) * 100.0, 0, 'f', 0).arg(deviceLabel(d));
    summary_->setText(tr("<b>About %1 per prediction</b> on %2 — %3; %n hand-over(s) between devices.", nullptr,
                         int(p.switches))
                          .arg(readableSeconds(p.totalSeconds), QString::fromStdString(p.chipName).toHtmlEscaped(),
                               shares.join(QStringLiteral(", "))) +
                      QStringLiteral("<br><span style='color:#5f6b76'>%1</span>")
                          .arg(tr("This is an estimate from public notes and peak figures; on a Mac, Xcode's "
                                  "performance report shows where the model really runs.")));

    // Small models run in microseconds: the unit follows the total.
    timeScale_ = p.totalSeconds < 1e-3 ? 1e6 : 1e3;
    const QString unit = timeScale_ == 1e6 ? tr("µs") : tr("ms");
    timeChart_->setTitle(tr("Estimated time by device (%1)").arg(unit));
    std::array<double, analysis::kDeviceCount> times{}, ops{};
    for (analysis::Device d : kDevices) {
        times[size_t(d)] = p.share(d).seconds * timeScale_;
        ops[size_t(d)] = double(p.share(d).ops);
    }
    fillDeviceChart(timeChart_, times, tr("Estimated time (%1)").arg(unit));
    fillDeviceChart(countChart_, ops, tr("Ops"));

    table_->setRowCount(int(p.ops.size()));
    for (int i = 0; i < int(p.ops.size()); ++i) {
        const analysis::OpPlacement& o = p.ops[size_t(i)];
        QStringList reasons;
        for (const analysis::PlacementReason& r : o.reasons) reasons << QString::fromStdString(r.text);
        const QString source = QString::fromStdString(o.provenance.modulePath);
        auto* device = new QTableWidgetItem(deviceLabel(o.device));
        device->setBackground(GraphHeatmap::deviceColor(o.device).lighter(150));
        auto* time = new QTableWidgetItem(QString::number(o.seconds * 1e6, 'f', 2));
        time->setData(Qt::UserRole, o.seconds);
        time->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        auto* why = new QTableWidgetItem(reasons.join(QStringLiteral("; ")));
        why->setToolTip(reasons.join(QStringLiteral("\n")));
        table_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(o.opName)));
        table_->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(o.opType)));
        table_->setItem(i, 2, new QTableWidgetItem(source));
        table_->setItem(i, 3, device);
        table_->setItem(i, 4, time);
        table_->setItem(i, 5, why);
    }
    updateHeatmap();
}

void PlacementReportView::updateHeatmap() {
    const auto mode = GraphHeatmap::Mode(colour_->currentData().toInt());
    if (mode == GraphHeatmap::Mode::Device) {
        QStringList parts;
        for (analysis::Device d : kDevices) parts << swatch(GraphHeatmap::deviceColor(d)) + QStringLiteral(" ") + deviceLabel(d);
        legend_->setText(tr("Legend: %1").arg(parts.join(QStringLiteral(" &nbsp; "))));
    } else if (plan_) {
        double fastest = 0, slowest = 0;
        for (const analysis::OpPlacement& o : plan_->ops) {
            if (o.seconds <= 0) continue;
            fastest = fastest == 0 ? o.seconds : std::min(fastest, o.seconds);
            slowest = std::max(slowest, o.seconds);
        }
        QString ramp;
        for (int i = 0; i <= 6; ++i) {
            const double s = fastest > 0 ? fastest * std::pow(slowest / fastest, i / 6.0) : 0.0;
            ramp += swatch(GraphHeatmap::timeColor(s, fastest, slowest));
        }
        legend_->setText(tr("Legend: estimated time per op, %1 %2 %3").arg(readableSeconds(fastest), ramp,
                                                                          readableSeconds(slowest)));
    }
    if (plan_ && colourGraph_->isChecked() && isVisible()) heatmap_->show(run_, plan_, mode);
    else heatmap_->clear();
}

void PlacementReportView::showEvent(QShowEvent* event) {
    ReportView::showEvent(event);
    updateHeatmap();
}

void PlacementReportView::hideEvent(QHideEvent* event) {
    ReportView::hideEvent(event);
    heatmap_->clear();
}

QString PlacementReportView::htmlTables() const {
    if (!plan_) return {};
    const analysis::PlacementPlan& p = *plan_;
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(tr("Placement (estimate)").toHtmlEscaped(),
                            tr("%1, compute units %2: about %3 per prediction, %n hand-over(s).", nullptr, int(p.switches))
                                .arg(QString::fromStdString(p.chipName), QString::fromStdString(computeUnitsName(p.units)),
                                     readableSeconds(p.totalSeconds))
                                .toHtmlEscaped());
    QList<QStringList> devices;
    for (analysis::Device d : kDevices)
        devices << QStringList{deviceLabel(d), QString::number(p.share(d).ops), readableSeconds(p.share(d).seconds)};
    html += htmlTable({tr("Device"), tr("Ops"), tr("Estimated time")}, devices);
    QList<QStringList> offNe;
    for (const analysis::OpPlacement& o : p.ops) {
        if (o.reasons.empty()) continue;
        QStringList reasons;
        for (const analysis::PlacementReason& r : o.reasons) reasons << QString::fromStdString(r.text);
        offNe << QStringList{QString::fromStdString(o.opName), QString::fromStdString(o.opType), deviceLabel(o.device),
                             reasons.join(QStringLiteral("; "))};
    }
    if (!offNe.isEmpty()) html += htmlTable({tr("Op"), tr("Type"), tr("Device"), tr("Why not on the Neural Engine")}, offNe);
    return html;
}

}  // namespace cms::ui
