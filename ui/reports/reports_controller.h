#pragma once
// Owns the report views (tabs of the Results panel) and the session's runs: after each conversion
// it reads the package, builds its size and accuracy reports on a worker thread (libtorch runs the
// source model there), keeps the last runs for comparison, and carries out what the views ask for
// (jump to a node, keep ops in fp32 and convert again, analyse sensitivity, apply a compression config).
#include <QList>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>

#include "converter.h"

class QPushButton;

namespace cms::ui {

class ConversionRunner;
class GraphView;
class ProjectDocument;
class ReportView;
class AccuracyReportView;
class CompareRunsView;
class PlacementReportView;
class ResultsPanel;
class SensitivityView;
class SizeReportView;
struct ReportRun;

class ReportsController : public QObject {
    Q_OBJECT
public:
    // The session keeps this many runs for comparison.
    static constexpr int kKeptRuns = 8;

    ReportsController(ResultsPanel* results, GraphView* graph, ProjectDocument* document, ConversionRunner* runner,
                      QPushButton* convertButton, QObject* parent = nullptr);
    ~ReportsController() override;

    // In tab order: Size, Accuracy, Placement, Compare, Sensitivity.
    QList<ReportView*> views() const { return views_; }
    SizeReportView* sizeView() const { return size_; }
    AccuracyReportView* accuracyView() const { return accuracy_; }
    PlacementReportView* placementView() const { return placement_; }
    CompareRunsView* compareView() const { return compare_; }
    SensitivityView* sensitivityView() const { return sensitivity_; }

    std::shared_ptr<const ReportRun> currentRun() const { return runs_.isEmpty() ? nullptr : runs_.back(); }
    // The session's last runs, oldest first.
    const QList<std::shared_ptr<const ReportRun>>& runs() const { return runs_; }
    bool busy() const { return !thread_.isNull(); }
    // Waits for a running analysis (for shutdown and tests).
    void waitForIdle();

    // Selects the MIL op's source op in the graph (or the op itself in the ML Program pane) and scrolls to it.
    // False when the graph has no such op.
    bool showOpInGraph(const QString& opName);
    // Adds the ops to the project's fp32 list (one undoable edit) and converts again.
    void keepInFp32AndConvert(const QStringList& ops);
    // Analyses the current run's package on the worker; the Sensitivity view shows the result.
    void analyseSensitivity(double targetSnrDb);
    // Replaces the project's compression with the current run's recommended mix (one undoable edit).
    bool applyRecommendation();

signals:
    // A conversion's reports are ready and every view shows them.
    void runFinished(std::shared_ptr<const cms::ui::ReportRun> run);
    // An analysis failed; the message says why and what to do.
    void analysisFailed(const QString& message);
    void busyChanged(bool busy);

private:
    void onConverted(const ConversionReport& report);
    void startPending();
    void addRun(std::shared_ptr<const ReportRun> run);
    // Runs `job` on a worker thread; `done` gets its result on the GUI thread.
    // `fail` (optional) gets the message of a job that threw, before analysisFailed is emitted.
    template <class Job, class Done>
    void startJob(Job job, Done done, std::function<void(const QString&)> fail = {});

    ResultsPanel* results_;
    GraphView* graph_;
    ProjectDocument* document_;
    QPushButton* convertButton_;
    QList<ReportView*> views_;
    SizeReportView* size_ = nullptr;
    AccuracyReportView* accuracy_ = nullptr;
    PlacementReportView* placement_ = nullptr;
    CompareRunsView* compare_ = nullptr;
    SensitivityView* sensitivity_ = nullptr;
    QList<std::shared_ptr<const ReportRun>> runs_;
    QPointer<QThread> thread_;
    // A finished conversion waiting for the running job (e.g. a sensitivity analysis) to end.
    struct Pending {
        ConversionSettings settings;
        ConversionReport report;
    };
    std::unique_ptr<Pending> pending_;
    int nextRun_ = 1;
};

}  // namespace cms::ui

Q_DECLARE_METATYPE(std::shared_ptr<const cms::ui::ReportRun>)
