#include "results/conversion_progress.h"

#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>

#include "labels/user_labels.h"
#include "style/palette_colors.h"

namespace cms::ui {

namespace {

const Stage kStages[] = {Stage::Import, Stage::Lower, Stage::Passes, Stage::Compress, Stage::Write, Stage::Verify};

}  // namespace

ConversionProgress::ConversionProgress(QWidget* parent)
    : QWidget(parent), cancel_(new QPushButton(tr("Cancel"))), summary_(new QLabel), clock_(new QTimer(this)) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    int row = 0;
    for (Stage s : kStages) {
        grid->addWidget(new QLabel(stageTitle(s)), row, 0);
        auto* bar = new QProgressBar;
        bar->setRange(0, 100);
        bar->setValue(0);
        bar->setTextVisible(true);
        grid->addWidget(bar, row, 1);
        auto* label = new QLabel;
        label->setMinimumWidth(150);
        label->setStyleSheet(QStringLiteral("color: %1;").arg(secondaryTextColor(palette()).name()));
        grid->addWidget(label, row, 2);
        bars_[s] = bar;
        messages_[s] = label;
        ++row;
    }
    grid->addWidget(summary_, row, 0, 1, 2);
    grid->addWidget(cancel_, row, 2, Qt::AlignRight);
    grid->setColumnStretch(1, 1);
    cancel_->setEnabled(false);
    cancel_->setToolTip(tr("Stop the conversion; nothing is written (Esc)"));
    cancel_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(cancel_, &QPushButton::clicked, this, [this] {
        cancel_->setEnabled(false);
        summary_->setText(tr("Cancelling…"));
        emit cancelRequested();
    });
    clock_->setInterval(200);
    connect(clock_, &QTimer::timeout, this, &ConversionProgress::updateElapsed);
}

void ConversionProgress::reset() {
    clock_->stop();
    for (Stage s : kStages) {
        bars_[s]->setValue(0);
        bars_[s]->setEnabled(true);
        messages_[s]->clear();
        reported_[s] = false;
    }
    cancel_->setEnabled(false);
    summary_->clear();
}

bool ConversionProgress::running() const { return clock_->isActive(); }

void ConversionProgress::start() {
    reset();
    cancel_->setEnabled(true);
    startedMs_ = QDateTime::currentMSecsSinceEpoch();
    summary_->setText(tr("Converting…"));
    clock_->start();
}

void ConversionProgress::onProgress(Stage stage, double fraction, const QString& message) {
    // Stages run in order: those before this one are done (or were skipped).
    for (Stage s : kStages) {
        if (s == stage) break;
        if (!reported_[s]) {
            bars_[s]->setEnabled(false);
            messages_[s]->setText(tr("skipped"));
        } else {
            bars_[s]->setValue(100);
        }
    }
    reported_[stage] = true;
    bars_[stage]->setValue(int(fraction * 100.0 + 0.5));
    messages_[stage]->setText(message);
}

void ConversionProgress::finish(bool succeeded, bool cancelled) {
    clock_->stop();
    cancel_->setEnabled(false);
    const double seconds = (QDateTime::currentMSecsSinceEpoch() - startedMs_) / 1000.0;
    if (succeeded) {
        for (Stage s : kStages) {
            if (reported_[s]) {
                bars_[s]->setValue(100);
            } else {
                bars_[s]->setEnabled(false);
                messages_[s]->setText(tr("skipped"));
            }
        }
        summary_->setText(tr("Done in %1 s").arg(seconds, 0, 'f', 1));
    } else {
        summary_->setText(cancelled ? tr("Cancelled after %1 s; nothing was written").arg(seconds, 0, 'f', 1)
                                    : tr("Failed after %1 s").arg(seconds, 0, 'f', 1));
    }
}

void ConversionProgress::updateElapsed() {
    const double seconds = (QDateTime::currentMSecsSinceEpoch() - startedMs_) / 1000.0;
    if (cancel_->isEnabled()) summary_->setText(tr("Converting… %1 s").arg(seconds, 0, 'f', 1));
}

}  // namespace cms::ui
