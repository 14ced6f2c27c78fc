#include "reports/sensitivity_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>

#include "reports/report_run.h"

namespace cms::ui {

namespace {

constexpr double kChartCapDb = 100.0;  // +inf (the layer's output unchanged) drawn at this height

QString layerName(const compress::LayerSensitivity& l) {
    return QString::fromStdString(l.modulePath.empty() ? l.opName : l.modulePath);
}

}  // namespace

SensitivityView::SensitivityView(QWidget* parent)
    : ReportView(parent), summary_(new QLabel), target_(new QDoubleSpinBox), analyse_(new QPushButton(tr("Analyse Sensitivity"))),
      apply_(new QPushButton(tr("Apply Recommended Settings to the Quantization Table"))), chart_(new QChart),
      table_(new QTableWidget(0, 0)) {
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    target_->setRange(10.0, 90.0);
    target_->setValue(35.0);
    target_->setSuffix(tr(" dB"));
    target_->setToolTip(tr("The smallest signal-to-noise ratio the whole model should keep; 35 dB is a common choice"));
    analyse_->setToolTip(tr("Compresses each layer alone with each setting and measures the model's output (needs a "
                            "package for iOS16 or later, converted without compression)"));
    apply_->setToolTip(tr("Sets the recommended per-layer compression in the Quantization tab (undoable); Convert "
                          "then applies it"));
    chart_->setTitle(tr("Model output signal-to-noise with one layer compressed (higher: less sensitive)"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Target:")));
    controls->addWidget(target_);
    controls->addWidget(analyse_);
    controls->addStretch();
    controls->addWidget(apply_);
    auto* chartView = new QChartView(chart_);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(260);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(chartView);
    split->addWidget(table_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);
    addExportedChart(chartView, chart_->title());

    connect(analyse_, &QPushButton::clicked, this, [this] { emit analyseRequested(target_->value()); });
    connect(apply_, &QPushButton::clicked, this, &SensitivityView::applyRequested);
    showRun(nullptr);
}

bool SensitivityView::hasData() const { return report_ != nullptr; }

void SensitivityView::setBusy(bool busy) {
    busy_ = busy;
    analyse_->setEnabled(run_ && !busy);
    apply_->setEnabled(report_ && !busy);
}

void SensitivityView::showAnalysing() {
    summary_->setText(tr("Analysing: each layer is compressed with each setting and the model run again…"));
}

void SensitivityView::showFailure(const QString& message) {
    summary_->setText(tr("The analysis could not run: %1").arg(message.toHtmlEscaped()));
}

void SensitivityView::showRun(std::shared_ptr<const ReportRun> run) {
    run_ = std::move(run);
    report_ = run_ && run_->sensitivity ? run_->sensitivity.get() : nullptr;
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);
        delete axis;
    }
    table_->setRowCount(0);
    table_->setColumnCount(0);
    analyse_->setEnabled(run_ && !busy_);
    apply_->setEnabled(report_ && !busy_);
    if (!run_) {
        summary_->setText(tr("No conversion yet. Convert (for iOS16 or later, without compression), then analyse "
                             "which layers tolerate compression."));
        return;
    }
    if (!report_) {
        summary_->setText(tr("Analyse the package of %1 to see how much each layer's compression costs in accuracy, "
                             "and a per-layer setting that keeps the model above the target.")
                              .arg(run_->label.toHtmlEscaped()));
        return;
    }
    const compress::SensitivityReport& s = *report_;
    const compress::Recommendation& rec = s.recommendation;
    QStringList uniform;
    for (const compress::UniformResult& u : s.uniform)
        uniform << tr("%1 everywhere: %2, %3").arg(QString::fromStdString(u.label), readableSize(u.bytesAfter),
                                                    decibels(u.snrDb));
    summary_->setText(tr("<b>Recommended mix: %1 → %2</b>, measured %3 (target %4) — %5.<br>For comparison: %6.")
                          .arg(readableSize(rec.bytesBefore), readableSize(rec.bytesAfter), decibels(rec.measuredSnrDb),
                               decibels(s.targetSnrDb),
                               rec.meetsTarget ? tr("meets the target") : tr("does not meet the target"))
                          .arg(uniform.join(QStringLiteral("; ")).toHtmlEscaped()));

    // Grouped bars: per layer, one bar per candidate.
    auto* series = new QBarSeries;
    for (size_t c = 0; c < s.candidates.size(); ++c) {
        auto* set = new QBarSet(QString::fromStdString(s.candidates[c]));
        for (const compress::LayerSensitivity& l : s.layers) {
            const std::optional<double>& db = l.snrDb[c];
            *set << (db ? std::clamp(*db, 0.0, kChartCapDb) : 0.0);
        }
        series->append(set);
    }
    chart_->addSeries(series);
    auto* layers = new QBarCategoryAxis;
    for (const compress::LayerSensitivity& l : s.layers) layers->append(layerName(l));
    layers->setLabelsAngle(-45);
    chart_->addAxis(layers, Qt::AlignBottom);
    series->attachAxis(layers);
    auto* db = new QValueAxis;
    db->setRange(0.0, kChartCapDb);
    db->setTitleText(tr("dB"));
    chart_->addAxis(db, Qt::AlignLeft);
    series->attachAxis(db);

    const int fixed = 2;
    table_->setColumnCount(fixed + int(s.candidates.size()) + 1);
    QStringList header{tr("Layer"), tr("Parameters")};
    for (const std::string& c : s.candidates) header << tr("%1 (dB)").arg(QString::fromStdString(c));
    header << tr("Recommended");
    table_->setHorizontalHeaderLabels(header);
    table_->setRowCount(int(s.layers.size()));
    for (int r = 0; r < int(s.layers.size()); ++r) {
        const compress::LayerSensitivity& l = s.layers[size_t(r)];
        table_->setItem(r, 0, new QTableWidgetItem(layerName(l)));
        table_->setItem(r, 1, new QTableWidgetItem(QLocale().toString(qlonglong(l.params))));
        for (int c = 0; c < int(s.candidates.size()); ++c) {
            const std::optional<double>& v = l.snrDb[size_t(c)];
            auto* item = new QTableWidgetItem(v ? decibels(*v) : tr("n/a"));
            item->setData(Qt::UserRole, v ? *v : std::nan(""));
            table_->setItem(r, fixed + c, item);
        }
        const int choice = r < int(rec.choice.size()) ? rec.choice[size_t(r)] : -1;
        table_->setItem(r, fixed + int(s.candidates.size()),
                        new QTableWidgetItem(choice >= 0 ? QString::fromStdString(s.candidates[size_t(choice)])
                                                         : tr("keep uncompressed")));
    }
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
}

QString SensitivityView::htmlTables() const {
    if (!report_) return {};
    QList<QStringList> rows;
    for (int r = 0; r < table_->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < table_->columnCount(); ++c) row << table_->item(r, c)->text();
        rows << row;
    }
    QStringList header;
    for (int c = 0; c < table_->columnCount(); ++c) header << table_->horizontalHeaderItem(c)->text();
    const compress::Recommendation& rec = report_->recommendation;
    return QStringLiteral("<h3>%1</h3><p>%2</p>")
               .arg(tr("Compression sensitivity").toHtmlEscaped(),
                    tr("Recommended mix: %1 → %2, measured %3 (target %4).")
                        .arg(readableSize(rec.bytesBefore), readableSize(rec.bytesAfter), decibels(rec.measuredSnrDb),
                             decibels(report_->targetSnrDb))
                        .toHtmlEscaped()) +
           htmlTable(header, rows);
}

}  // namespace cms::ui
