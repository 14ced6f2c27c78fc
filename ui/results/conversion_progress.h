#pragma once
// The conversion's progress: one bar per stage (import, lower, passes, compress, write, verify) with the
// stage's last message, the elapsed time, and the Cancel button. Stages the job skipped (no compression
// asked for) say so when it ends.
#include <QWidget>

#include <map>

#include "converter.h"

class QLabel;
class QProgressBar;
class QPushButton;
class QTimer;

namespace cms::ui {

class ConversionProgress : public QWidget {
    Q_OBJECT
public:
    explicit ConversionProgress(QWidget* parent = nullptr);

    QPushButton* cancelButton() const { return cancel_; }
    QProgressBar* bar(Stage stage) const { return bars_.at(stage); }
    QLabel* message(Stage stage) const { return messages_.at(stage); }
    QLabel* summary() const { return summary_; }

    // A job starts: bars empty, Cancel enabled, the clock running.
    void start();
    // Empty bars, no job.
    void reset();
    bool running() const;
    void onProgress(Stage stage, double fraction, const QString& message);
    // The job ended: completed, failed or cancelled.
    void finish(bool succeeded, bool cancelled);

signals:
    void cancelRequested();

private:
    void updateElapsed();

    std::map<Stage, QProgressBar*> bars_;
    std::map<Stage, QLabel*> messages_;
    std::map<Stage, bool> reported_;
    QPushButton* cancel_;
    QLabel* summary_;
    QTimer* clock_;
    qint64 startedMs_ = 0;
};

}  // namespace cms::ui
