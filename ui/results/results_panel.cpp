#include "results/results_panel.h"

#include <QDesktopServices>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

#include "labels/user_labels.h"
#include "style/palette_colors.h"

namespace cms::ui {

namespace {

QString humanBytes(uint64_t bytes) {
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat);
}

// A numeric cell that sorts by value.
QTableWidgetItem* countItem(size_t n) {
    auto* item = new QTableWidgetItem;
    item->setData(Qt::DisplayRole, qulonglong(n));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

}  // namespace

ResultsPanel::ResultsPanel(QWidget* parent)
    : QWidget(parent), tabs_(new QTabWidget), summary_(new QLabel), ops_(new QTableWidget(0, 2)),
      warnings_(new QListWidget), showProgram_(new QPushButton(tr("Show ML Program"))),
      openFolder_(new QPushButton(tr("Open Folder"))) {
    auto* page = new QWidget;
    auto* layout = new QVBoxLayout(page);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(showProgram_);
    buttons->addWidget(openFolder_);
    buttons->addStretch();
    layout->addLayout(buttons);
    ops_->setHorizontalHeaderLabels({tr("MIL op"), tr("Count")});
    ops_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    ops_->verticalHeader()->hide();
    ops_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    ops_->setSortingEnabled(true);
    layout->addWidget(new QLabel(tr("Ops by type (constants excluded)")));
    layout->addWidget(ops_, 2);
    layout->addWidget(new QLabel(tr("Warnings")));
    layout->addWidget(warnings_, 1);
    tabs_->addTab(page, tr("Summary"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(tabs_);
    connect(showProgram_, &QPushButton::clicked, this,
            [this] { emit showProgramRequested(QString::fromStdString(report_.packagePath)); });
    connect(openFolder_, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(
            QUrl::fromLocalFile(QFileInfo(QString::fromStdString(report_.packagePath)).absolutePath()));
    });
    clear();
}

void ResultsPanel::clear() {
    report_ = {};
    summary_->setText(tr("No conversion yet. The package, its ops and any warnings appear here when one finishes."));
    ops_->setRowCount(0);
    warnings_->clear();
    showProgram_->setEnabled(false);
    openFolder_->setEnabled(false);
}

int ResultsPanel::addReportTab(QWidget* page, const QString& title) { return tabs_->addTab(page, title); }

void ResultsPanel::showReport(const ConversionReport& report) {
    report_ = report;
    const QString path = QString::fromStdString(report.packagePath);
    QStringList times;
    for (Stage s : {Stage::Import, Stage::Lower, Stage::Passes, Stage::Compress, Stage::Write, Stage::Verify}) {
        const auto it = report.stageSeconds.find(stageName(s));
        if (it != report.stageSeconds.end()) times << tr("%1 %2 s").arg(stageTitle(s)).arg(it->second, 0, 'f', 2);
    }
    summary_->setText(tr("<b>%1</b><br>%2 &nbsp;·&nbsp; %n op(s) &nbsp;·&nbsp; %3 warning(s)<br>"
                         "<span style='color:%5'>%4</span>",
                         nullptr, int(report.opCount))
                          .arg(path.toHtmlEscaped(), humanBytes(report.packageBytes))
                          .arg(report.warnings.size())
                          .arg(times.join(QStringLiteral(", ")), secondaryTextColor(palette()).name()));
    ops_->setSortingEnabled(false);
    ops_->setRowCount(0);
    for (const auto& [type, count] : report.opHistogram) {
        if (type == "const") continue;
        const int row = ops_->rowCount();
        ops_->insertRow(row);
        ops_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(type)));
        ops_->setItem(row, 1, countItem(count));
    }
    ops_->setSortingEnabled(true);
    ops_->sortItems(1, Qt::DescendingOrder);
    warnings_->clear();
    for (const std::string& w : report.warnings) warnings_->addItem(QString::fromStdString(w));
    if (report.warnings.empty()) warnings_->addItem(tr("No warnings."));
    showProgram_->setEnabled(!path.isEmpty());
    openFolder_->setEnabled(!path.isEmpty());
    tabs_->setCurrentIndex(0);
}

}  // namespace cms::ui
