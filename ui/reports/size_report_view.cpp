#include "reports/size_report_view.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHorizontalBarSeries>
#include <QBarSeries>
#include <QLabel>
#include <QPieSeries>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

#include "reports/report_run.h"

namespace cms::ui {

namespace {

// Kilobytes (1000 bytes), the unit of the charts.
double kilobytes(uint64_t bytes) { return double(bytes) / 1000.0; }

QTableWidgetItem* numberItem(double value, const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setData(Qt::UserRole, value);
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QChartView* chartView(QChart* chart) {
    auto* view = new QChartView(chart);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(220);
    return view;
}

void resetChart(QChart* chart) {
    chart->removeAllSeries();
    for (QAbstractAxis* axis : chart->axes()) {
        chart->removeAxis(axis);
        delete axis;
    }
}

struct WeightRow {
    QString name, op, storage;
    int64_t elements = 0;
    uint64_t before = 0, after = 0;
};

std::vector<WeightRow> weightRows(const ReportRun& run) {
    std::map<std::string, const compress::LayerSize*> changed;
    for (const compress::LayerSize& l : run.size.layers) changed.emplace(l.name, &l);
    std::vector<WeightRow> rows;
    for (const compress::WeightInfo& w : run.weights) {
        WeightRow r;
        r.name = QString::fromStdString(w.name);
        r.op = QString::fromStdString(w.readers);
        r.elements = shapeNumel(w.shape);
        r.after = w.storedBytes;
        const auto it = changed.find(w.name);
        r.before = it != changed.end() ? it->second->bytesBefore : w.storedBytes;
        r.storage = storageName(w.encoding, w.dtype, w.bits);
        rows.push_back(r);
    }
    return rows;
}

}  // namespace

QString storageName(const std::string& encoding, DType dtype, int bits) {
    if (encoding == "const") return QString::fromStdString(dtypeName(dtype));
    const QString e = QString::fromStdString(encoding);
    QStringList parts;
    if (e.contains(QLatin1String("sparse"))) parts << QObject::tr("sparse");
    if (e.contains(QLatin1String("lut"))) parts << QObject::tr("%1-bit palette").arg(bits);
    else if (e.contains(QLatin1String("affine")) || e.contains(QLatin1String("blockwise")) ||
             e.contains(QLatin1String("quantize")))
        parts << QObject::tr("%1-bit quantized").arg(bits);
    if (parts.isEmpty()) parts << QObject::tr("%1 (%2 bits)").arg(e).arg(bits);
    return parts.join(QStringLiteral(" + "));
}

SizeReportView::SizeReportView(QWidget* parent)
    : ReportView(parent), summary_(new QLabel), progression_(new QChart), layers_(new QChart), storage_(new QChart),
      table_(new QTableWidget(0, 7)) {
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layers_->setTitle(tr("Weight bytes by layer, before and after compression"));
    storage_->setTitle(tr("Weight bytes by storage type"));
    for (QChart* c : {progression_, layers_, storage_}) c->legend()->setAlignment(Qt::AlignBottom);
    progression_->setTitle(tr("Package size by weight precision"));
    table_->setHorizontalHeaderLabels({tr("Weight"), tr("Used by"), tr("Elements"), tr("Before"), tr("After"),
                                       tr("Bits per weight"), tr("Stored as")});
    table_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->addWidget(summary_);
    auto* top = new QHBoxLayout;
    QChartView* progressionView = chartView(progression_);
    QChartView* storageView = chartView(storage_);
    top->addWidget(progressionView, 1);
    top->addWidget(storageView, 1);
    layout->addLayout(top);
    QChartView* layerView = chartView(layers_);
    layerView_ = layerView;
    layout->addWidget(layerView);
    layout->addWidget(table_);
    table_->setMinimumHeight(220);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    addExportedChart(progressionView, progression_->title());
    addExportedChart(storageView, storage_->title());
    addExportedChart(layerView, layers_->title());
    showRun(nullptr);
}

void SizeReportView::showRun(std::shared_ptr<const ReportRun> run) {
    run_ = std::move(run);
    for (QChart* c : {progression_, layers_, storage_}) resetChart(c);
    table_->setRowCount(0);
    if (!run_) {
        summary_->setText(tr("No conversion yet. The package's size, layer by layer, appears here after Convert."));
        return;
    }
    const compress::SizeReport& size = run_->size;
    const std::vector<WeightRow> rows = weightRows(*run_);

    // Summary, in plain words.
    QString text = tr("<b>Package written: %1</b> (%2 if every weight were fp32, %3 in fp16).")
                       .arg(readableSize(size.package.compressedBytes), readableSize(size.package.fp32Bytes),
                            readableSize(size.package.fp16Bytes));
    if (!size.layers.empty()) {
        text += QStringLiteral("<br>") +
                tr("Compression: %n weight(s) from %1 to %2, %3× smaller (%4 bits per weight on average).", nullptr,
                   int(size.layers.size()))
                    .arg(readableSize(size.bytesBefore()), readableSize(size.bytesAfter()))
                    .arg(size.ratio(), 0, 'f', 2)
                    .arg(size.bitsPerWeight(), 0, 'f', 2);
    } else {
        text += QStringLiteral("<br>") + tr("No weight compression was set: every weight is stored as it was "
                                            "converted. The Quantization tab sets compression.");
    }
    if (size.package.fp32Bytes > 0)
        text += QStringLiteral("<br>") + tr("Compared with fp32 weights the package is %1× smaller.")
                                             .arg(double(size.package.fp32Bytes) /
                                                      double(std::max<uint64_t>(size.package.compressedBytes, 1)),
                                                  0, 'f', 2);
    summary_->setText(text);

    // fp32 -> fp16 -> written.
    auto* sizes = new QBarSet(tr("Package size (kB)"));
    *sizes << kilobytes(size.package.fp32Bytes) << kilobytes(size.package.fp16Bytes)
           << kilobytes(size.package.compressedBytes);
    auto* progression = new QBarSeries;
    progression->append(sizes);
    progression->setLabelsVisible(true);
    progression->setLabelsFormat(QStringLiteral("@value"));
    progression->setLabelsPrecision(4);
    progression_->addSeries(progression);
    auto* steps = new QBarCategoryAxis;
    steps->append({tr("All fp32"), tr("All fp16"), tr("As written")});
    progression_->addAxis(steps, Qt::AlignBottom);
    progression->attachAxis(steps);
    auto* kb = new QValueAxis;
    kb->setTitleText(tr("kB"));
    kb->setLabelFormat(QStringLiteral("%.0f"));
    kb->setMin(0);
    progression_->addAxis(kb, Qt::AlignLeft);
    progression->attachAxis(kb);
    progression_->legend()->hide();

    // By storage type.
    std::map<QString, uint64_t> byStorage;
    for (const WeightRow& r : rows) byStorage[r.storage] += r.after;
    auto* pie = new QPieSeries;
    for (const auto& [name, bytes] : byStorage)
        pie->append(tr("%1: %2").arg(name, readableSize(bytes)), kilobytes(bytes));
    storage_->addSeries(pie);
    storage_->legend()->setAlignment(Qt::AlignRight);

    // By layer: the largest kChartLayers, kept in program order.
    std::vector<size_t> shown(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) shown[i] = i;
    if (shown.size() > size_t(kChartLayers)) {
        std::stable_sort(shown.begin(), shown.end(), [&](size_t a, size_t b) { return rows[a].before > rows[b].before; });
        shown.resize(kChartLayers);
        std::sort(shown.begin(), shown.end());
        layers_->setTitle(tr("Weight bytes of the %1 largest layers, before and after compression").arg(kChartLayers));
    } else {
        layers_->setTitle(tr("Weight bytes by layer, before and after compression"));
    }
    auto* before = new QBarSet(tr("Before (kB)"));
    auto* after = new QBarSet(tr("After (kB)"));
    QStringList names;
    // A horizontal chart lists categories bottom-up: reverse so the first layer is on top.
    for (auto it = shown.rbegin(); it != shown.rend(); ++it) {
        *before << kilobytes(rows[*it].before);
        *after << kilobytes(rows[*it].after);
        names << rows[*it].name;
    }
    layerView_->setMinimumHeight(std::max(360, 60 + 26 * int(shown.size())));
    auto* bars = new QHorizontalBarSeries;
    bars->append(before);
    bars->append(after);
    layers_->addSeries(bars);
    auto* layerAxis = new QBarCategoryAxis;
    layerAxis->append(names);
    layers_->addAxis(layerAxis, Qt::AlignLeft);
    bars->attachAxis(layerAxis);
    auto* layerKb = new QValueAxis;
    layerKb->setTitleText(tr("kB"));
    layerKb->setLabelFormat(QStringLiteral("%.0f"));
    layerKb->setMin(0);
    layers_->addAxis(layerKb, Qt::AlignBottom);
    bars->attachAxis(layerKb);

    table_->setSortingEnabled(false);
    table_->setRowCount(int(rows.size()));
    for (int i = 0; i < int(rows.size()); ++i) {
        const WeightRow& r = rows[i];
        table_->setItem(i, 0, new QTableWidgetItem(r.name));
        table_->setItem(i, 1, new QTableWidgetItem(r.op));
        table_->setItem(i, 2, numberItem(double(r.elements), QLocale().toString(qlonglong(r.elements))));
        table_->setItem(i, 3, numberItem(double(r.before), QLocale().toString(qulonglong(r.before))));
        table_->setItem(i, 4, numberItem(double(r.after), QLocale().toString(qulonglong(r.after))));
        const double bits = r.elements ? 8.0 * double(r.after) / double(r.elements) : 0.0;
        table_->setItem(i, 5, numberItem(bits, QString::number(bits, 'f', 2)));
        table_->setItem(i, 6, new QTableWidgetItem(r.storage));
    }
}

QString SizeReportView::htmlTables() const {
    if (!run_) return {};
    const compress::SizeReport& size = run_->size;
    QString html = QStringLiteral("<h3>%1</h3>").arg(tr("Size").toHtmlEscaped());
    QList<QStringList> totals{
        {tr("Package, every weight fp32"), readableSize(size.package.fp32Bytes)},
        {tr("Package, every weight fp16"), readableSize(size.package.fp16Bytes)},
        {tr("Package as written"), readableSize(size.package.compressedBytes)}};
    if (!size.layers.empty())
        totals << QStringList{tr("Compressed weights"), tr("%1 → %2 (%3×, %4 bits per weight)")
                                                          .arg(readableSize(size.bytesBefore()),
                                                               readableSize(size.bytesAfter()))
                                                          .arg(size.ratio(), 0, 'f', 2)
                                                          .arg(size.bitsPerWeight(), 0, 'f', 2)};
    html += htmlTable({tr("What"), tr("Size")}, totals);
    QList<QStringList> rows;
    for (const WeightRow& r : weightRows(*run_))
        rows << QStringList{r.name, r.op, QString::number(r.elements), QString::number(r.before),
                            QString::number(r.after), r.storage};
    html += htmlTable({tr("Weight"), tr("Used by"), tr("Elements"), tr("Bytes before"), tr("Bytes after"),
                       tr("Stored as")},
                      rows);
    return html;
}

}  // namespace cms::ui
