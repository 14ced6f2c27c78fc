#pragma once
// The production checklist for the open model and its settings (core/analysis/production_checklist.h):
// one row per item with its status, what it is based on, and a "Fix…" link to where it is fixed.
// After a conversion the package is read and placed on a worker thread; "Check Accuracy" runs the
// accuracy check against the source model there too.
#include <QMap>
#include <QPointer>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

#include "analysis/production_checklist.h"

class QLabel;
class QPushButton;
class QThread;
class QTreeWidget;

namespace cms::ui {

class ChecklistPanel : public QWidget {
    Q_OBJECT
public:
    explicit ChecklistPanel(QWidget* parent = nullptr);
    ~ChecklistPanel() override;

    // What is known; each call re-evaluates. Another model forgets the last package and accuracy check.
    void setModel(const QString& modelPath, const QStringList& importWarnings);
    void setSettings(const ConversionSettings& settings);
    // A conversion wrote a package: its facts (format, placement, memory) are read on a worker thread.
    void setConversion(const ConversionReport& report, const ConversionSettings& settings);
    void setAccuracy(const analysis::AccuracyReport& report);
    // Runs the accuracy check of the last converted package (a worker thread).
    void checkAccuracy();
    bool busy() const { return !thread_.isNull(); }

    const std::vector<analysis::ChecklistItem>& items() const { return items_; }
    const analysis::ChecklistData& data() const { return data_; }
    QTreeWidget* itemTree() const { return tree_; }
    QPushButton* accuracyButton() const { return accuracy_; }
    // The "Fix…" button of item `id`, null when that item needs no fix.
    QPushButton* fixButton(const QString& id) const;

signals:
    // The user asked to fix an item: open that place (a settings tab and field).
    void fixRequested(cms::analysis::FixPlace place, const QString& field);
    // The list was evaluated again (after new data arrived).
    void evaluated();

private:
    void evaluate();
    template <class Job> void run(Job job);

    analysis::ChecklistData data_;
    std::vector<std::string> warnings_;
    std::optional<ConversionReport> conversion_;
    std::shared_ptr<const analysis::PackageFacts> facts_;
    std::optional<analysis::AccuracyReport> accuracyReport_;
    std::vector<analysis::ChecklistItem> items_;
    QMap<QString, QPushButton*> fixButtons_;  // by item id, for the current rows
    QPointer<QThread> thread_;
    std::function<void()> pending_;  // the job asked for while another ran
    QLabel* status_;
    QTreeWidget* tree_;
    QPushButton* accuracy_;
};

}  // namespace cms::ui
