#include "checklist_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QThread>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "checklist_details.h"
#include "style/palette_colors.h"

namespace cms::ui {

namespace {

using analysis::CheckStatus;

QString statusText(CheckStatus s) {
    switch (s) {
        case CheckStatus::Pass: return ChecklistPanel::tr("Pass");
        case CheckStatus::Warn: return ChecklistPanel::tr("Warning");
        case CheckStatus::Fail: return ChecklistPanel::tr("Fail");
        case CheckStatus::NotChecked: break;
    }
    return ChecklistPanel::tr("Not checked yet");
}

// Outside run(): lupdate cannot tell the class of a tr() in a member template or its lambdas.
QString notCheckedMessage() { return ChecklistPanel::tr("Not every item could be checked: %1"); }

QColor statusColor(CheckStatus s, const QPalette& palette) {
    switch (s) {
        case CheckStatus::Pass: return successTextColor(palette);
        case CheckStatus::Warn: return warningTextColor(palette);
        case CheckStatus::Fail: return errorTextColor(palette);
        case CheckStatus::NotChecked: break;
    }
    return {};
}

QString fixLabel(analysis::FixPlace p) {
    switch (p) {
        case analysis::FixPlace::ModelExport: return ChecklistPanel::tr("How to fix…");
        case analysis::FixPlace::Inputs: return ChecklistPanel::tr("Open Inputs…");
        case analysis::FixPlace::Conversion: return ChecklistPanel::tr("Open Conversion…");
        case analysis::FixPlace::Quantization: return ChecklistPanel::tr("Open Quantization…");
        case analysis::FixPlace::Accuracy: break;
    }
    return ChecklistPanel::tr("Check Accuracy…");
}

// The item titles as the user reads them (the core's titles are the CLI's English).
QString itemTitle(const std::string& id, const std::string& fallback) {
    if (id == "eval-mode") return ChecklistPanel::tr("Model in eval() mode before tracing");
    if (id == "preprocessing") return ChecklistPanel::tr("Preprocessing (scale/bias) baked into the model");
    if (id == "ml-program") return ChecklistPanel::tr("ML Program format");
    if (id == "accuracy") return ChecklistPanel::tr("Accuracy tested against the source model");
    if (id == "compression") return ChecklistPanel::tr("Weights compressed (start with int8)");
    if (id == "neural-engine") return ChecklistPanel::tr("Estimated Neural Engine use");
    if (id == "representative-inputs") return ChecklistPanel::tr("Tested with representative inputs");
    if (id == "memory") return ChecklistPanel::tr("Memory estimate");
    if (id == "fallback") return ChecklistPanel::tr("Fallback settings");
    return QString::fromStdString(fallback);
}

}  // namespace

ChecklistPanel::ChecklistPanel(QWidget* parent)
    : QWidget(parent), status_(new QLabel), tree_(new QTreeWidget), accuracy_(new QPushButton(tr("Check &Accuracy"))) {
    auto* layout = new QVBoxLayout(this);
    status_->setWordWrap(true);
    layout->addWidget(status_);
    tree_->setHeaderLabels({tr("Status"), tr("Item"), tr("Based on"), tr("Fix")});
    tree_->setRootIsDecorated(false);
    tree_->setWordWrap(true);
    tree_->setAccessibleName(tr("Production checklist"));
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    tree_->header()->setSectionResizeMode(2, QHeaderView::Stretch);
    tree_->header()->setSectionResizeMode(3, QHeaderView::ResizeToContents);
    layout->addWidget(tree_, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(accuracy_);
    layout->addLayout(buttons);
    accuracy_->setEnabled(false);
    connect(accuracy_, &QPushButton::clicked, this, &ChecklistPanel::checkAccuracy);
    evaluate();
}

ChecklistPanel::~ChecklistPanel() {
    if (thread_) thread_->wait();
}

void ChecklistPanel::setModel(const QString& modelPath, const QStringList& importWarnings) {
    warnings_.clear();
    for (const QString& w : importWarnings) warnings_.push_back(w.toStdString());
    data_.imported = !modelPath.isEmpty();
    if (data_.settings.modelPath == modelPath.toStdString()) {
        evaluate();  // the same model's full import: its notices only
        return;
    }
    data_.settings.modelPath = modelPath.toStdString();
    conversion_.reset();
    facts_.reset();
    accuracyReport_.reset();
    accuracy_->setEnabled(false);
    evaluate();
}

void ChecklistPanel::setSettings(const ConversionSettings& settings) {
    const std::string model = data_.settings.modelPath;
    data_.settings = settings;
    if (data_.settings.modelPath.empty()) data_.settings.modelPath = model;
    evaluate();
}

void ChecklistPanel::setConversion(const ConversionReport& report, const ConversionSettings& settings) {
    conversion_ = report;
    data_.settings = settings;
    facts_.reset();
    accuracyReport_.reset();  // it was for the previous package
    evaluate();
    const std::string path = report.packagePath;
    const ComputeUnits units = settings.computeUnits;
    status_->setText(tr("Reading the package and estimating its placement …"));
    run([this, path, units] {
        auto facts = std::make_shared<const analysis::PackageFacts>(analysis::packageFacts(path, units));
        return [this, facts, path] {
            if (!conversion_ || conversion_->packagePath != path) return;  // another conversion came since
            facts_ = facts;
            accuracy_->setEnabled(true);
        };
    });
}

void ChecklistPanel::setAccuracy(const analysis::AccuracyReport& report) {
    accuracyReport_ = report;
    evaluate();
}

void ChecklistPanel::checkAccuracy() {
    if (busy()) return;
    if (!conversion_) {
        status_->setText(tr("Convert the model first: the accuracy check compares the package with the source model."));
        return;
    }
    analysis::VerifyOptions options;
    options.modelPath = data_.settings.modelPath;
    options.packagePath = conversion_->packagePath;
    options.noReference = data_.settings.noReference;  // the user chose never to run the model's code
    status_->setText(tr("Running the source model and the package on the same inputs …"));
    accuracy_->setEnabled(false);
    run([this, options] {
        const analysis::AccuracyReport report = analysis::verifyPackage(options);
        return [this, report] {
            accuracy_->setEnabled(true);
            if (conversion_ && conversion_->packagePath == report.packagePath) accuracyReport_ = report;
        };
    });
}

// Runs `job` on a worker thread; the function it returns is applied on the GUI thread, then the list is
// evaluated again. An error is shown in the status line.
template <class Job> void ChecklistPanel::run(Job job) {
    if (busy()) {
        // One job at a time: this one starts when the running one ends (the latest request wins).
        pending_ = [this, job] { run(job); };
        return;
    }
    const QString notChecked = notCheckedMessage();
    QThread* thread = QThread::create([this, job, notChecked] {
        try {
            auto apply = job();
            QMetaObject::invokeMethod(this, [this, apply] {
                apply();
                evaluate();
            }, Qt::QueuedConnection);
        } catch (const std::exception& e) {
            const QString message = QString::fromUtf8(e.what());
            QMetaObject::invokeMethod(this, [this, message, notChecked] {
                evaluate();
                status_->setText(notChecked.arg(message));
                accuracy_->setEnabled(conversion_.has_value());
            }, Qt::QueuedConnection);
        }
    });
    thread_ = thread;
    connect(thread, &QThread::finished, thread, &QObject::deleteLater);
    connect(thread, &QThread::finished, this, [this] {
        thread_.clear();
        if (!pending_) return;
        const std::function<void()> next = std::move(pending_);
        pending_ = nullptr;
        next();
    });
    thread->start();
}

void ChecklistPanel::evaluate() {
    data_.importWarnings = warnings_;
    data_.conversion = conversion_ ? &*conversion_ : nullptr;
    data_.package = facts_ ? &facts_->contents : nullptr;
    data_.placement = facts_ ? &facts_->placement : nullptr;
    data_.accuracy = accuracyReport_ ? &*accuracyReport_ : nullptr;
    items_ = analysis::evaluateChecklist(data_);

    tree_->clear();
    fixButtons_.clear();
    int passed = 0, open = 0;
    for (const analysis::ChecklistItem& it : items_) {
        passed += it.status == CheckStatus::Pass;
        open += it.status == CheckStatus::NotChecked;
        const QString detail = checklistDetailText(it);
        auto* row = new QTreeWidgetItem(tree_, {statusText(it.status), itemTitle(it.id, it.title), detail});
        row->setData(0, Qt::UserRole, QString::fromStdString(it.id));
        row->setForeground(0, statusColor(it.status, palette()));
        row->setToolTip(2, detail);
        if (it.status == CheckStatus::Pass) continue;
        auto* fix = new QPushButton(fixLabel(it.fix));
        fixButtons_.insert(QString::fromStdString(it.id), fix);
        fix->setToolTip(QString::fromStdString(it.fixHint));
        const analysis::FixPlace place = it.fix;
        const QString field = QString::fromStdString(it.fixField);
        connect(fix, &QPushButton::clicked, this, [this, place, field] {
            if (place == analysis::FixPlace::Accuracy) checkAccuracy();
            emit fixRequested(place, field);
        });
        tree_->setItemWidget(row, 3, fix);
    }
    status_->setText(tr("%1 of %2 items pass; %3 not checked yet.").arg(passed).arg(items_.size()).arg(open));
    emit evaluated();
}

QPushButton* ChecklistPanel::fixButton(const QString& id) const {
    return fixButtons_.value(id, nullptr);
}

}  // namespace cms::ui
