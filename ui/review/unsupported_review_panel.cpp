#include "unsupported_review_panel.h"

#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTextBrowser>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "composite_editor.h"
#include "converter.h"

namespace cms::ui {

namespace {

enum Role { OpIndexRole = Qt::UserRole, OccurrenceRole };

QString q(const std::string& s) { return QString::fromStdString(s); }

QString stepKindLabel(analysis::StepKind k) {
    switch (k) {
        case analysis::StepKind::BuiltinComposite: return UnsupportedReviewPanel::tr("built-in composite");
        case analysis::StepKind::UserComposite: return UnsupportedReviewPanel::tr("write a composite");
        case analysis::StepKind::Rewrite: return UnsupportedReviewPanel::tr("change the model");
        case analysis::StepKind::Outside: break;
    }
    return UnsupportedReviewPanel::tr("keep it outside the model");
}

}  // namespace

UnsupportedReviewPanel::UnsupportedReviewPanel(QWidget* parent)
    : QWidget(parent), summary_(new QLabel), tree_(new QTreeWidget), help_(new QTextBrowser),
      editor_(new CompositeEditor), template_(new QPushButton(tr("Start from the Op's Te&mplate"))),
      retry_(new QPushButton(tr("Save Composites and &Try Again"))) {
    auto* layout = new QVBoxLayout(this);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);

    auto* split = new QSplitter(Qt::Vertical);
    tree_->setHeaderLabels({tr("Op or occurrence"), tr("Where"), tr("Input types")});
    tree_->setAccessibleName(tr("Unsupported ops"));
    tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    split->addWidget(tree_);
    help_->setOpenExternalLinks(false);
    help_->setAccessibleName(tr("Explanation and next steps"));
    split->addWidget(help_);

    auto* editorBox = new QWidget;
    auto* editorLayout = new QVBoxLayout(editorBox);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    editorLayout->addWidget(new QLabel(tr("Composite definition (checked as you type):")));
    editorLayout->addWidget(editor_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(template_);
    buttons->addStretch();
    buttons->addWidget(retry_);
    editorLayout->addLayout(buttons);
    split->addWidget(editorBox);
    split->setSizes({160, 140, 320});
    layout->addWidget(split, 1);

    template_->setEnabled(false);
    retry_->setEnabled(false);
    connect(tree_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) { onCurrentItemChanged(item); });
    connect(tree_, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem* item) { onCurrentItemChanged(item); });
    connect(template_, &QPushButton::clicked, this, &UnsupportedReviewPanel::insertTemplate);
    connect(retry_, &QPushButton::clicked, this, &UnsupportedReviewPanel::tryAgain);
    connect(editor_, &CompositeEditor::checked, retry_, [this](bool valid) { retry_->setEnabled(valid && !modelPath_.isEmpty()); });
    clear();
}

UnsupportedReviewPanel::~UnsupportedReviewPanel() {
    if (thread_) thread_->wait();
}

void UnsupportedReviewPanel::survey(const ConversionSettings& settings) {
    if (surveying()) return;
    summary_->setText(tr("Surveying the ops of %1 …").arg(q(settings.modelPath)));
    QThread* thread = QThread::create([this, settings] {
        try {
            ir::Graph graph = importModel(settings.modelPath, settings.noReference);
            const ConversionSettings complete = completeSettings(graph, settings);
            const analysis::UnsupportedReport report = analysis::buildUnsupportedReport(graph, complete);
            QMetaObject::invokeMethod(this, [this, report, path = q(settings.modelPath)] {
                showReport(report, path);
                emit reportReady(int(report.ops.size()));
            }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            QMetaObject::invokeMethod(this, [this, message] {
                summary_->setText(tr("The ops could not be surveyed: %1").arg(message));
                emit surveyFailed(message);
            }, Qt::QueuedConnection);
        }
    });
    thread_ = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    thread->start();
}

void UnsupportedReviewPanel::showReport(const analysis::UnsupportedReport& report, const QString& modelPath) {
    report_ = report;
    modelPath_ = modelPath;
    currentOp_ = -1;
    tree_->clear();
    help_->clear();
    QStringList ops;
    for (size_t i = 0; i < report.ops.size(); ++i) {
        const analysis::UnsupportedOpEntry& entry = report.ops[i];
        ops << q(entry.op);
        auto* opItem = new QTreeWidgetItem(tree_, {tr("%1 ×%2").arg(q(entry.op)).arg(entry.count)});
        opItem->setData(0, OpIndexRole, int(i));
        opItem->setToolTip(0, q(entry.schema));
        for (size_t k = 0; k < entry.occurrences.size(); ++k) {
            const analysis::OpOccurrence& o = entry.occurrences[k];
            const QString where =
                o.file.empty() ? QString() : QStringLiteral("%1:%2").arg(QFileInfo(q(o.file)).fileName()).arg(o.line);
            QStringList inputs;
            for (const std::string& in : o.inputs) inputs << q(in);
            const QString module = o.modulePath.empty() ? tr("(top level)")
                                   : o.moduleType.empty() ? q(o.modulePath)
                                                          : QStringLiteral("%1 (%2)").arg(q(o.modulePath), q(o.moduleType));
            auto* occ = new QTreeWidgetItem(opItem, {module, where, inputs.join(QStringLiteral(", "))});
            occ->setData(0, OpIndexRole, int(i));
            occ->setData(0, OccurrenceRole, int(k));
            occ->setToolTip(0, tr("Select this node in the graph"));
            occ->setToolTip(1, q(o.file));
        }
        opItem->setExpanded(true);
    }
    editor_->setExpectedOps(ops);
    summary_->setText(report.empty()
                          ? tr("Every op of %1 converts.").arg(QFileInfo(modelPath).fileName())
                          : tr("%1 cannot be converted yet: %n op type(s), %2 occurrence(s). Choose an occurrence to "
                               "see it in the graph.", nullptr, int(report.ops.size()))
                                .arg(QFileInfo(modelPath).fileName())
                                .arg(report.totalOccurrences));
    if (tree_->topLevelItemCount() > 0) tree_->setCurrentItem(tree_->topLevelItem(0));
}

void UnsupportedReviewPanel::clear() {
    report_ = {};
    currentOp_ = -1;
    tree_->clear();
    help_->clear();
    template_->setEnabled(false);
    editor_->setExpectedOps({});
    summary_->setText(tr("No unsupported ops have been reported. A conversion that meets one lists it here."));
}

QString UnsupportedReviewPanel::compositeFilePath() const {
    const QFileInfo model(modelPath_);
    return model.dir().filePath(model.completeBaseName() + QStringLiteral(".composites.yaml"));
}

void UnsupportedReviewPanel::onCurrentItemChanged(QTreeWidgetItem* item) {
    if (!item) return;
    const int index = item->data(0, OpIndexRole).toInt();
    if (index < 0 || size_t(index) >= report_.ops.size()) return;
    const analysis::UnsupportedOpEntry& entry = report_.ops[size_t(index)];
    if (index != currentOp_) {
        currentOp_ = index;
        showHelp(entry);
    }
    const QVariant occurrence = item->data(0, OccurrenceRole);
    if (occurrence.isValid()) {
        const analysis::OpOccurrence& o = entry.occurrences.at(size_t(occurrence.toInt()));
        emit occurrenceActivated(q(entry.op), q(o.modulePath), o.line);
    }
}

void UnsupportedReviewPanel::showHelp(const analysis::UnsupportedOpEntry& entry) {
    QString html = QStringLiteral("<h3>%1</h3>").arg(q(entry.op).toHtmlEscaped());
    if (!entry.schema.empty()) html += QStringLiteral("<p><code>%1</code></p>").arg(q(entry.schema).toHtmlEscaped());
    html += QStringLiteral("<p>%1</p>").arg(q(entry.explanation).toHtmlEscaped());
    html += QStringLiteral("<h4>%1</h4><ol>").arg(tr("Next steps, best first"));
    bool hasTemplate = false;
    for (const analysis::NextStep& step : entry.steps) {
        html += QStringLiteral("<li><b>%1</b> (%2)").arg(q(step.title).toHtmlEscaped(), stepKindLabel(step.kind));
        if (!step.detail.empty()) html += QStringLiteral("<br>%1").arg(q(step.detail).toHtmlEscaped());
        if (!step.flag.empty()) html += QStringLiteral("<br><code>%1</code>").arg(q(step.flag).toHtmlEscaped());
        html += QStringLiteral("</li>");
        hasTemplate |= !step.templateText.empty();
    }
    html += QStringLiteral("</ol>");
    help_->setHtml(html);
    template_->setEnabled(hasTemplate);
}

void UnsupportedReviewPanel::insertTemplate() {
    if (currentOp_ < 0) return;
    for (const analysis::NextStep& step : report_.ops[size_t(currentOp_)].steps)
        if (!step.templateText.empty()) {
            editor_->setText(q(step.templateText));
            return;
        }
}

void UnsupportedReviewPanel::tryAgain() {
    editor_->check();
    if (!editor_->valid()) return;
    const QString path = compositeFilePath();
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(editor_->text().toUtf8()) < 0 || !file.commit()) {
        summary_->setText(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return;
    }
    emit retryRequested(path);
}

}  // namespace cms::ui
