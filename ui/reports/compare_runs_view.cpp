#include "reports/compare_runs_view.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineSeries>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <cmath>
#include <map>

#include "analysis/placement_compare.h"
#include "common/error.h"
#include "reports/graph_heatmap.h"
#include "reports/report_run.h"

namespace cms::ui {

namespace {

constexpr analysis::Device kDevices[] = {analysis::Device::NeuralEngine, analysis::Device::Gpu, analysis::Device::Cpu};
constexpr double kChartCapDb = 120.0;

double chartDb(double db) { return std::isfinite(db) ? std::max(db, 0.0) : (db > 0 ? kChartCapDb : 0.0); }

QString percentChange(double a, double b) {
    if (a == 0) return b == 0 ? QObject::tr("same") : QObject::tr("new");
    const double p = (b - a) / a * 100.0;
    if (std::abs(p) < 0.05) return QObject::tr("same");
    return QStringLiteral("%1%2%").arg(p > 0 ? QStringLiteral("+") : QString()).arg(p, 0, 'f', 1);
}

QString dbChange(double a, double b) {
    if (!std::isfinite(a) || !std::isfinite(b)) return a == b ? QObject::tr("same") : QObject::tr("changed");
    return QObject::tr("%1%2 dB").arg(b >= a ? QStringLiteral("+") : QString()).arg(b - a, 0, 'f', 1);
}

uint64_t storedWeightBytes(const ReportRun& r) {
    uint64_t n = 0;
    for (const compress::WeightInfo& w : r.weights) n += w.storedBytes;
    return n;
}

std::map<std::string, double> layerSnr(const ReportRun& r) {
    std::map<std::string, double> snr;
    if (r.accuracy)
        for (const analysis::LayerReport& l : r.accuracy->layers) snr.emplace(l.opName, l.snrDb);
    return snr;
}

}  // namespace

CompareRunsView::CompareRunsView(QWidget* parent)
    : ReportView(parent), first_(new QComboBox), second_(new QComboBox), chip_(new QComboBox), note_(new QLabel),
      summary_(new QTableWidget(0, 4)), changes_(new QTableWidget(0, 7)), snrChart_(new QChart),
      deviceChart_(new QChart) {
    try {
        for (const analysis::ChipProfile& c : analysis::ChipLibrary::shipped().chips())
            chip_->addItem(QString::fromStdString(c.name), QString::fromStdString(c.id));
    } catch (const Error& e) {
        note_->setText(QString::fromStdString(e.what()));
    }
    note_->setWordWrap(true);
    summary_->setHorizontalHeaderLabels({tr("What"), tr("First run"), tr("Second run"), tr("Change")});
    summary_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    summary_->verticalHeader()->hide();
    summary_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    changes_->setHorizontalHeaderLabels({tr("Op"), tr("Type"), tr("Source"), tr("Device (first)"),
                                         tr("Device (second)"), tr("Signal-to-noise (first → second)"),
                                         tr("What changed")});
    changes_->horizontalHeader()->setSectionResizeMode(6, QHeaderView::Stretch);
    changes_->verticalHeader()->hide();
    changes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    changes_->setSelectionBehavior(QAbstractItemView::SelectRows);
    snrChart_->setTitle(tr("Signal-to-noise of each layer, both runs"));
    deviceChart_->setTitle(tr("Ops by estimated device, both runs"));

    auto* form = new QFormLayout;
    form->addRow(tr("First run:"), first_);
    form->addRow(tr("Second run:"), second_);
    form->addRow(tr("Chip for the placement estimate:"), chip_);
    auto* charts = new QHBoxLayout;
    QList<QChartView*> views;
    for (QChart* c : {snrChart_, deviceChart_}) {
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
    topLayout->addWidget(note_);
    topLayout->addWidget(summary_, 1);
    auto* split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    auto* chartBox = new QWidget;
    chartBox->setLayout(charts);
    split->addWidget(chartBox);
    split->addWidget(changes_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split);
    addExportedChart(views[0], snrChart_->title());
    addExportedChart(views[1], deviceChart_->title());

    for (QComboBox* box : {first_, second_, chip_})
        connect(box, &QComboBox::currentIndexChanged, this, [this] { refresh(); });
    connect(changes_, &QTableWidget::cellClicked, this,
            [this](int row, int) { emit opChosen(changes_->item(row, 0)->text()); });
    refresh();
}

void CompareRunsView::setRuns(const QList<std::shared_ptr<const ReportRun>>& runs) {
    runs_ = runs;
    for (QComboBox* box : {first_, second_}) {
        const QSignalBlocker block(box);
        box->clear();
        for (const auto& r : runs_) box->addItem(r->label);
    }
    choose(int(runs_.size()) - 2, int(runs_.size()) - 1);
}

void CompareRunsView::showRun(std::shared_ptr<const ReportRun>) {
    // The pair follows the run list (setRuns); nothing else to do for a single run.
}

void CompareRunsView::choose(int first, int second) {
    {
        const QSignalBlocker a(first_), b(second_);
        first_->setCurrentIndex(first);
        second_->setCurrentIndex(second);
    }
    refresh();
}

void CompareRunsView::refresh() {
    const int i = first_->currentIndex(), j = second_->currentIndex();
    a_ = i >= 0 && i < runs_.size() ? runs_[i] : nullptr;
    b_ = j >= 0 && j < runs_.size() ? runs_[j] : nullptr;
    summary_->setRowCount(0);
    changes_->setRowCount(0);
    for (QChart* c : {snrChart_, deviceChart_}) {
        c->removeAllSeries();
        for (QAbstractAxis* axis : c->axes()) {
            c->removeAxis(axis);
            delete axis;
        }
    }
    if (!a_ || !b_) {
        note_->setText(tr("Convert at least twice (e.g. with two compression settings) to compare runs; the session "
                          "keeps the last runs."));
        return;
    }
    note_->setText(a_ == b_ ? tr("Both sides show the same run; pick another.") : QString());
    const ReportRun& a = *a_;
    const ReportRun& b = *b_;

    const auto addRow = [this](const QString& what, const QString& x, const QString& y, const QString& change) {
        const int row = summary_->rowCount();
        summary_->insertRow(row);
        summary_->setItem(row, 0, new QTableWidgetItem(what));
        summary_->setItem(row, 1, new QTableWidgetItem(x));
        summary_->setItem(row, 2, new QTableWidgetItem(y));
        summary_->setItem(row, 3, new QTableWidgetItem(change));
    };
    addRow(tr("Settings"), describeSettings(a.settings), describeSettings(b.settings), QString());
    addRow(tr("Package size"), readableSize(a.size.package.compressedBytes), readableSize(b.size.package.compressedBytes),
           percentChange(double(a.size.package.compressedBytes), double(b.size.package.compressedBytes)));
    const uint64_t wa = storedWeightBytes(a), wb = storedWeightBytes(b);
    addRow(tr("Weights stored"), readableSize(wa), readableSize(wb), percentChange(double(wa), double(wb)));
    if (a.accuracy && b.accuracy) {
        for (const analysis::OutputReport& oa : a.accuracy->outputs)
            for (const analysis::OutputReport& ob : b.accuracy->outputs) {
                if (oa.name != ob.name) continue;
                const QString name = QString::fromStdString(oa.name);
                addRow(tr("Signal-to-noise of %1").arg(name), decibels(oa.metrics.snrDb), decibels(ob.metrics.snrDb),
                       dbChange(oa.metrics.snrDb, ob.metrics.snrDb));
                addRow(tr("Largest error of %1").arg(name), QString::number(oa.metrics.maxAbsError, 'g', 4),
                       QString::number(ob.metrics.maxAbsError, 'g', 4),
                       percentChange(oa.metrics.maxAbsError, ob.metrics.maxAbsError));
            }
        addRow(tr("Accuracy check"), a.accuracy->passed ? tr("Pass") : tr("Fail"),
               b.accuracy->passed ? tr("Pass") : tr("Fail"), QString());
    }

    const analysis::PlacementPlan* pa = nullptr;
    const analysis::PlacementPlan* pb = nullptr;
    if (chip_->count() > 0) {
        try {
            const std::string chip = chip_->currentData().toString().toStdString();
            pa = &a.plan(chip, a.settings.computeUnits);
            pb = &b.plan(chip, b.settings.computeUnits);
        } catch (const Error& e) {
            note_->setText(QString::fromStdString(e.what()));
        }
    }
    if (pa && pb) {
        addRow(tr("Estimated time per prediction"), readableSeconds(pa->totalSeconds), readableSeconds(pb->totalSeconds),
               percentChange(pa->totalSeconds, pb->totalSeconds));
        for (analysis::Device d : kDevices)
            addRow(tr("Ops on the %1").arg(QString::fromStdString(analysis::deviceName(d))),
                   QString::number(pa->share(d).ops), QString::number(pb->share(d).ops),
                   QString::number(qlonglong(pb->share(d).ops) - qlonglong(pa->share(d).ops)));
    }

    // Ops that changed: device moves (estimate), then error changes.
    struct Change {
        std::string op, type, source;
        QString deviceA, deviceB, snr;
        QStringList what;
    };
    std::vector<Change> changes;
    std::map<std::string, size_t> byOp;
    const auto change = [&](const std::string& op) -> Change& {
        const auto it = byOp.find(op);
        if (it != byOp.end()) return changes[it->second];
        byOp[op] = changes.size();
        changes.push_back({op, {}, {}, {}, {}, {}, {}});
        return changes.back();
    };
    if (pa && pb) {
        const analysis::PlanComparison cmp = analysis::comparePlans(*pa, *pb);
        for (const analysis::OpMove& m : cmp.moved) {
            Change& c = change(m.opName);
            c.type = m.opType;
            c.source = m.provenance.modulePath;
            c.deviceA = QString::fromStdString(analysis::deviceName(m.before));
            c.deviceB = QString::fromStdString(analysis::deviceName(m.after));
            c.what << tr("moved from the %1 to the %2").arg(c.deviceA, c.deviceB);
        }
    }
    const std::map<std::string, double> snrA = layerSnr(a), snrB = layerSnr(b);
    if (b.accuracy)
        for (const analysis::LayerReport& l : b.accuracy->layers) {
            const auto it = snrA.find(l.opName);
            if (it == snrA.end()) continue;
            const double x = it->second, y = l.snrDb;
            const bool changed = std::isfinite(x) && std::isfinite(y) ? std::abs(y - x) >= kChangedDb : x != y;
            if (!changed) continue;
            Change& c = change(l.opName);
            c.type = l.opType;
            c.source = l.provenance.modulePath;
            c.snr = QStringLiteral("%1 → %2").arg(decibels(x), decibels(y));
            c.what << (y > x ? tr("error smaller by %1").arg(dbChange(x, y)) : tr("error larger by %1").arg(dbChange(y, x)));
        }
    changes_->setRowCount(int(changes.size()));
    for (int r = 0; r < int(changes.size()); ++r) {
        Change& c = changes[size_t(r)];
        if (c.snr.isEmpty()) {
            const auto x = snrA.find(c.op), y = snrB.find(c.op);
            if (x != snrA.end() && y != snrB.end()) c.snr = QStringLiteral("%1 → %2").arg(decibels(x->second), decibels(y->second));
        }
        if (c.deviceA.isEmpty() && pa && pb) {
            if (const analysis::OpPlacement* p = pa->find(c.op)) c.deviceA = QString::fromStdString(analysis::deviceName(p->device));
            if (const analysis::OpPlacement* p = pb->find(c.op)) c.deviceB = QString::fromStdString(analysis::deviceName(p->device));
        }
        const QStringList cells{QString::fromStdString(c.op), QString::fromStdString(c.type), QString::fromStdString(c.source),
                                c.deviceA, c.deviceB, c.snr, c.what.join(QStringLiteral("; "))};
        for (int k = 0; k < cells.size(); ++k) {
            auto* item = new QTableWidgetItem(cells[k]);
            item->setBackground(QColor(0xff, 0xe0, 0x82, 90));
            changes_->setItem(r, k, item);
        }
    }

    // Charts.
    double top = 0;
    for (const auto& [run, name] : {std::pair{a_, tr("First run")}, std::pair{b_, tr("Second run")}}) {
        if (!run->accuracy) continue;
        auto* line = new QLineSeries;
        line->setName(name);
        for (size_t k = 0; k < run->accuracy->layers.size(); ++k) {
            line->append(double(k + 1), chartDb(run->accuracy->layers[k].snrDb));
            top = std::max(top, chartDb(run->accuracy->layers[k].snrDb));
        }
        snrChart_->addSeries(line);
    }
    if (!snrChart_->series().isEmpty()) {
        snrChart_->createDefaultAxes();
        const auto y = snrChart_->axes(Qt::Vertical);
        if (!y.isEmpty()) {
            y.front()->setRange(0.0, std::ceil((top + 10.0) / 10.0) * 10.0);
            y.front()->setTitleText(tr("dB"));
        }
        const auto x = snrChart_->axes(Qt::Horizontal);
        if (!x.isEmpty()) x.front()->setTitleText(tr("Layer (execution order)"));
    }
    if (pa && pb) {
        auto* series = new QBarSeries;
        for (const auto& [plan, name] : {std::pair{pa, tr("First run")}, std::pair{pb, tr("Second run")}}) {
            auto* set = new QBarSet(name);
            for (analysis::Device d : kDevices) *set << double(plan->share(d).ops);
            series->append(set);
        }
        series->setLabelsVisible(true);
        deviceChart_->addSeries(series);
        auto* devices = new QBarCategoryAxis;
        for (analysis::Device d : kDevices) devices->append(QString::fromStdString(analysis::deviceName(d)));
        deviceChart_->addAxis(devices, Qt::AlignBottom);
        series->attachAxis(devices);
        auto* count = new QValueAxis;
        count->setMin(0);
        count->setLabelFormat(QStringLiteral("%d"));
        count->setTitleText(tr("Ops"));
        deviceChart_->addAxis(count, Qt::AlignLeft);
        series->attachAxis(count);
    }
}

QString CompareRunsView::htmlTables() const {
    if (!hasData()) return {};
    const auto rows = [](const QTableWidget* t) {
        QList<QStringList> out;
        for (int r = 0; r < t->rowCount(); ++r) {
            QStringList row;
            for (int c = 0; c < t->columnCount(); ++c) row << (t->item(r, c) ? t->item(r, c)->text() : QString());
            out << row;
        }
        return out;
    };
    const auto header = [](const QTableWidget* t) {
        QStringList h;
        for (int c = 0; c < t->columnCount(); ++c) h << t->horizontalHeaderItem(c)->text();
        return h;
    };
    QString html = QStringLiteral("<h3>%1</h3><p>%2</p>")
                       .arg(tr("Comparison").toHtmlEscaped(), tr("%1 against %2").arg(a_->label, b_->label).toHtmlEscaped());
    html += htmlTable(header(summary_), rows(summary_));
    if (changes_->rowCount() > 0) html += htmlTable(header(changes_), rows(changes_));
    return html;
}

}  // namespace cms::ui
