#include "reports/accuracy_report_view.h"

#include <QChart>
#include <QChartView>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "reports/report_run.h"
#include "style/palette_colors.h"

namespace cms::ui {

namespace {

// Identical layers (SNR +inf) are drawn at this height; the table says "identical".
constexpr double kChartCapDb = 120.0;

const QColor kFailColor(0xc6, 0x28, 0x28);
const QColor kNonFiniteColor(0x6a, 0x1b, 0x9a);

double chartDb(double db) {
    if (std::isnan(db) || (std::isinf(db) && db < 0)) return 0.0;
    return std::min(db, kChartCapDb);
}

QTableWidgetItem* cell(const QString& text, double sortValue = 0) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, sortValue);
    return item;
}

QString number(double v) { return QString::number(v, 'g', 4); }

QString layerSource(const analysis::LayerReport& l) {
    const QString path = QString::fromStdString(l.provenance.modulePath);
    return path.isEmpty() ? QString::fromStdString(l.referenceOp) : path;
}

}  // namespace

AccuracyReportView::AccuracyReportView(QWidget* parent)
    : ReportView(parent), summary_(new QLabel), outputs_(new QTableWidget(0, 10)), chart_(new QChart),
      layers_(new QTableWidget(0, 6)), keepFp32_(new QPushButton(tr("Keep Suggested Ops in fp32 and Convert Again"))) {
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    outputs_->setHorizontalHeaderLabels({tr("Output"), tr("Largest error"), tr("Average error"),
                                         tr("Largest error (relative)"), tr("Signal-to-noise"), tr("Peak SNR"),
                                         tr("Cosine similarity"), tr("Same top class"), tr("Top-5 overlap"),
                                         tr("Result")});
    outputs_->horizontalHeaderItem(1)->setToolTip(tr("Maximum absolute difference from the reference"));
    outputs_->horizontalHeaderItem(3)->setToolTip(tr("Maximum difference divided by the reference's largest magnitude"));
    outputs_->horizontalHeaderItem(4)->setToolTip(tr("Higher is better; 40 dB means the error is 1% of the signal"));
    outputs_->verticalHeader()->hide();
    outputs_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    outputs_->setMaximumHeight(140);
    chart_->setTitle(tr("Signal-to-noise ratio of each layer, in execution order"));
    chart_->legend()->setAlignment(Qt::AlignBottom);
    layers_->setHorizontalHeaderLabels({tr("Step"), tr("Op"), tr("Source"), tr("Signal-to-noise"),
                                        tr("Largest error"), tr("Note")});
    layers_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    layers_->verticalHeader()->hide();
    layers_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layers_->setSelectionBehavior(QAbstractItemView::SelectRows);
    layers_->setSelectionMode(QAbstractItemView::SingleSelection);
    keepFp32_->setToolTip(tr("Adds the ops the report suggests to the Conversion tab's fp32 list (undoable) and "
                             "converts again"));

    auto* chartView = new QChartView(chart_);
    chartView->setRenderHint(QPainter::Antialiasing);
    chartView->setMinimumHeight(260);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(outputs_);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(chartView);
    split->addWidget(layers_);
    layout->addWidget(split, 1);
    layout->addWidget(keepFp32_);
    addExportedChart(chartView, chart_->title());

    connect(layers_, &QTableWidget::cellClicked, this, [this](int row, int) { chooseLayer(row); });
    connect(keepFp32_, &QPushButton::clicked, this, [this] {
        if (!run_ || !run_->accuracy) return;
        QStringList ops;
        for (const std::string& s : run_->accuracy->suggestedFp32Ops) ops << QString::fromStdString(s);
        if (!ops.isEmpty()) emit keepInFp32Requested(ops);
    });
    showRun(nullptr);
}

bool AccuracyReportView::hasData() const { return run_ && run_->accuracy; }

void AccuracyReportView::chooseLayer(int row) {
    if (!hasData() || row < 0 || row >= int(run_->accuracy->layers.size())) return;
    layers_->selectRow(row);
    emit opChosen(QString::fromStdString(run_->accuracy->layers[row].opName));
}

void AccuracyReportView::showRun(std::shared_ptr<const ReportRun> run) {
    run_ = std::move(run);
    chart_->removeAllSeries();
    for (QAbstractAxis* axis : chart_->axes()) {
        chart_->removeAxis(axis);
        delete axis;
    }
    outputs_->setRowCount(0);
    layers_->setRowCount(0);
    firstFailing_.reset();
    firstNonFinite_.reset();
    keepFp32_->setEnabled(false);
    if (!run_) {
        summary_->setText(tr("No conversion yet. After Convert, the package is run beside the source model on the "
                             "same inputs and compared here."));
        return;
    }
    if (!run_->accuracy) {
        summary_->setText(tr("The accuracy check could not run: %1").arg(run_->accuracyError.toHtmlEscaped()));
        return;
    }
    const analysis::AccuracyReport& a = *run_->accuracy;
    const double threshold = a.criteria.minSnrDb.value_or(0.0);

    for (size_t i = 0; i < a.layers.size(); ++i) {
        const analysis::LayerReport& l = a.layers[i];
        if (!firstFailing_ && a.criteria.minSnrDb && !(l.snrDb >= threshold)) firstFailing_ = int(i);
        if (!firstNonFinite_ && (l.nonFinite || (a.firstNonFinite && a.firstNonFinite->opName == l.opName)))
            firstNonFinite_ = int(i);
    }

    QStringList inputs;
    for (const analysis::InputInfo& in : a.inputs) inputs << QString::fromStdString(in.name + ": " + in.source);
    QString text = a.passed ? tr("<b style='color:#2e7d32'>Passed</b>") : tr("<b style='color:#c62828'>Failed</b>");
    text += QStringLiteral(" ") + tr("(%1) — the %2 package compared with %3 on %4.")
                                      .arg(QString::fromStdString(a.criteria.describe()).toHtmlEscaped(),
                                           QString::fromStdString(a.precision),
                                           QString::fromStdString(a.reference).toHtmlEscaped(),
                                           inputs.join(QStringLiteral("; ")).toHtmlEscaped());
    if (firstFailing_)
        text += QStringLiteral("<br>") + tr("First layer below %1: step %2, %3.")
                                             .arg(decibels(threshold))
                                             .arg(*firstFailing_ + 1)
                                             .arg(layerSource(a.layers[*firstFailing_]).toHtmlEscaped());
    if (a.firstNonFinite)
        text += QStringLiteral("<br>") + tr("First inf/NaN: %1 (%2), %n value(s).", nullptr, int(a.firstNonFinite->count))
                                             .arg(QString::fromStdString(a.firstNonFinite->provenance.modulePath.empty()
                                                                             ? a.firstNonFinite->opName
                                                                             : a.firstNonFinite->provenance.modulePath)
                                                      .toHtmlEscaped(),
                                                  QString::fromStdString(a.firstNonFinite->opType));
    if (!a.suggestedFp32Ops.empty()) {
        QStringList ops;
        for (const std::string& s : a.suggestedFp32Ops) ops << QString::fromStdString(s);
        text += QStringLiteral("<br>") + tr("Suggested: keep %1 in fp32.").arg(ops.join(QStringLiteral(", ")).toHtmlEscaped());
    }
    summary_->setText(text);
    keepFp32_->setEnabled(!a.suggestedFp32Ops.empty());

    outputs_->setRowCount(int(a.outputs.size()));
    for (int i = 0; i < int(a.outputs.size()); ++i) {
        const analysis::OutputReport& o = a.outputs[i];
        const analysis::TensorMetrics& m = o.metrics;
        outputs_->setItem(i, 0, cell(QString::fromStdString(o.name)));
        outputs_->setItem(i, 1, cell(number(m.maxAbsError), m.maxAbsError));
        outputs_->setItem(i, 2, cell(number(m.meanAbsError), m.meanAbsError));
        outputs_->setItem(i, 3, cell(number(m.maxRelError), m.maxRelError));
        outputs_->setItem(i, 4, cell(decibels(m.snrDb), m.snrDb));
        outputs_->setItem(i, 5, cell(decibels(m.psnrDb), m.psnrDb));
        outputs_->setItem(i, 6, cell(QString::number(m.cosine, 'f', 6), m.cosine));
        outputs_->setItem(i, 7, cell(m.top1Agrees ? (*m.top1Agrees ? tr("yes") : tr("no")) : tr("n/a")));
        outputs_->setItem(i, 8, cell(m.top5Overlap ? QStringLiteral("%1%").arg(*m.top5Overlap * 100.0, 0, 'f', 0) : tr("n/a"),
                                     m.top5Overlap.value_or(-1.0)));
        auto* result = cell(o.passed ? tr("Pass") : tr("Fail"), o.passed ? 1 : 0);
        result->setForeground(o.passed ? successTextColor(palette()) : errorTextColor(palette()));
        outputs_->setItem(i, 9, result);
    }

    // Per layer: the line, the threshold, and the two marked points.
    auto* line = new QLineSeries;
    line->setName(tr("Signal-to-noise (dB)"));
    line->setPointsVisible(true);
    double top = threshold;
    for (size_t i = 0; i < a.layers.size(); ++i) {
        line->append(double(i + 1), chartDb(a.layers[i].snrDb));
        top = std::max(top, chartDb(a.layers[i].snrDb));
    }
    chart_->addSeries(line);
    QList<QAbstractSeries*> all{line};
    if (a.criteria.minSnrDb) {
        auto* limit = new QLineSeries;
        limit->setName(tr("Threshold (%1)").arg(decibels(threshold)));
        limit->append(0.5, threshold);
        limit->append(double(a.layers.size()) + 0.5, threshold);
        QPen pen(kFailColor);
        pen.setStyle(Qt::DashLine);
        pen.setWidth(2);
        limit->setPen(pen);
        chart_->addSeries(limit);
        all << limit;
    }
    const auto mark = [&](std::optional<int> row, const QString& name, const QColor& color) {
        if (!row) return;
        auto* point = new QScatterSeries;
        point->setName(name);
        point->setColor(color);
        point->setMarkerSize(14);
        point->append(double(*row + 1), chartDb(a.layers[*row].snrDb));
        chart_->addSeries(point);
        all << point;
        connect(point, &QScatterSeries::clicked, this, [this, row] { chooseLayer(*row); });
    };
    mark(firstFailing_, tr("First layer below the threshold"), kFailColor);
    mark(firstNonFinite_, tr("First inf/NaN"), kNonFiniteColor);
    auto* steps = new QValueAxis;
    steps->setTitleText(tr("Layer (execution order)"));
    steps->setLabelFormat(QStringLiteral("%d"));
    steps->setRange(0.5, double(std::max<size_t>(a.layers.size(), 1)) + 0.5);
    auto* db = new QValueAxis;
    db->setTitleText(tr("dB"));
    db->setRange(0.0, std::ceil((top + 10.0) / 10.0) * 10.0);
    chart_->addAxis(steps, Qt::AlignBottom);
    chart_->addAxis(db, Qt::AlignLeft);
    for (QAbstractSeries* s : all) {
        s->attachAxis(steps);
        s->attachAxis(db);
    }
    connect(line, &QLineSeries::clicked, this, [this](const QPointF& p) { chooseLayer(int(std::lround(p.x())) - 1); });

    layers_->setRowCount(int(a.layers.size()));
    for (int i = 0; i < int(a.layers.size()); ++i) {
        const analysis::LayerReport& l = a.layers[i];
        layers_->setItem(i, 0, cell(QString::number(i + 1), i + 1));
        layers_->setItem(i, 1, cell(QString::fromStdString(l.opType)));
        layers_->setItem(i, 2, cell(layerSource(l)));
        layers_->setItem(i, 3, cell(decibels(l.snrDb), l.snrDb));
        layers_->setItem(i, 4, cell(number(l.maxAbsError), l.maxAbsError));
        QStringList notes;
        if (firstFailing_ == i) notes << tr("first below the threshold");
        if (a.firstJump && int(*a.firstJump) == i) notes << tr("error jumps here");
        if (firstNonFinite_ == i) notes << tr("first inf/NaN");
        if (l.referenceMaxAbs > 65504.0) notes << tr("values beyond fp16's range");
        layers_->setItem(i, 5, cell(notes.join(QStringLiteral("; "))));
        if (!notes.isEmpty()) {
            const QColor tint = firstNonFinite_ == i ? kNonFiniteColor : kFailColor;
            for (int c = 0; c < layers_->columnCount(); ++c)
                layers_->item(i, c)->setBackground(QColor(tint.red(), tint.green(), tint.blue(), 40));
        }
    }
    layers_->resizeColumnsToContents();
}

QString AccuracyReportView::htmlTables() const {
    if (!hasData()) return {};
    const analysis::AccuracyReport& a = *run_->accuracy;
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>").arg(tr("Accuracy").toHtmlEscaped(),
                                                             (a.passed ? tr("Passed") : tr("Failed")).toHtmlEscaped() +
                                                                 QStringLiteral(" (") +
                                                                 QString::fromStdString(a.criteria.describe()).toHtmlEscaped() +
                                                                 QStringLiteral(")"));
    QList<QStringList> rows;
    for (int r = 0; r < outputs_->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < outputs_->columnCount(); ++c) row << outputs_->item(r, c)->text();
        rows << row;
    }
    QStringList header;
    for (int c = 0; c < outputs_->columnCount(); ++c) header << outputs_->horizontalHeaderItem(c)->text();
    html += htmlTable(header, rows);
    QList<QStringList> layerRows;
    for (int r = 0; r < layers_->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < layers_->columnCount(); ++c) row << layers_->item(r, c)->text();
        layerRows << row;
    }
    QStringList layerHeader;
    for (int c = 0; c < layers_->columnCount(); ++c) layerHeader << layers_->horizontalHeaderItem(c)->text();
    return html + htmlTable(layerHeader, layerRows);
}

}  // namespace cms::ui
