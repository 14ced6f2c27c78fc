#include "reports/reports_controller.h"

#include <QCoreApplication>
#include <QPushButton>
#include <QTabWidget>

#include <algorithm>
#include <exception>

#include "common/error.h"
#include "conversion_runner.h"
#include "graph/graph_view.h"
#include "graph/graph_canvas.h"
#include "graph/graph_pane.h"
#include "graph/graph_scene.h"
#include "graphview/graph_view_model.h"
#include "graphview/program_link.h"
#include "reports/accuracy_report_view.h"
#include "reports/compare_runs_view.h"
#include "reports/placement_report_view.h"
#include "reports/report_run.h"
#include "reports/sensitivity_view.h"
#include "reports/size_report_view.h"
#include "results/results_panel.h"
#include "workspace/project_document.h"

namespace cms::ui {

namespace {

QString failureText(std::exception_ptr failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    } catch (const std::bad_alloc&) {
        return QObject::tr("out of memory while analysing the package; close other programs and try again");
    } catch (const std::exception& e) {
        return QObject::tr("internal error while analysing the package: %1").arg(QString::fromUtf8(e.what()).section('\n', 0, 0));
    } catch (...) {
        return QObject::tr("internal error while analysing the package");
    }
}

}  // namespace

ReportsController::ReportsController(ResultsPanel* results, GraphView* graph, ProjectDocument* document,
                                     ConversionRunner* runner, QPushButton* convertButton, QObject* parent)
    : QObject(parent), results_(results), graph_(graph), document_(document), convertButton_(convertButton) {
    qRegisterMetaType<std::shared_ptr<const cms::ui::ReportRun>>();
    size_ = new SizeReportView;
    accuracy_ = new AccuracyReportView;
    placement_ = new PlacementReportView(graph_);
    compare_ = new CompareRunsView;
    sensitivity_ = new SensitivityView;
    views_ << size_ << accuracy_ << placement_ << compare_ << sensitivity_;
    for (ReportView* v : views_) results_->addReportTab(v, v->title());
    connect(runner, &ConversionRunner::converted, this, &ReportsController::onConverted);
    const auto show = [this](const QString& op) { showOpInGraph(op); };
    connect(accuracy_, &AccuracyReportView::opChosen, this, show);
    connect(placement_, &PlacementReportView::opChosen, this, show);
    connect(compare_, &CompareRunsView::opChosen, this, show);
    connect(accuracy_, &AccuracyReportView::keepInFp32Requested, this, &ReportsController::keepInFp32AndConvert);
    connect(sensitivity_, &SensitivityView::analyseRequested, this, &ReportsController::analyseSensitivity);
    connect(sensitivity_, &SensitivityView::applyRequested, this, &ReportsController::applyRecommendation);
    connect(this, &ReportsController::busyChanged, sensitivity_, &SensitivityView::setBusy);
}

ReportsController::~ReportsController() {
    pending_.reset();
    if (thread_) thread_->wait();  // its result, queued to this object, is dropped with it
}

void ReportsController::waitForIdle() {
    if (thread_) thread_->wait();
    QCoreApplication::sendPostedEvents(this);
}

template <class Job, class Done>
void ReportsController::startJob(Job job, Done done, std::function<void(const QString&)> fail) {
    QPointer<ReportsController> self(this);
    QThread* thread = QThread::create([self, job, done, fail] {
        std::exception_ptr failure;
        decltype(job()) result{};
        try {
            result = job();
        } catch (...) {
            failure = std::current_exception();
        }
        if (!self) return;
        QMetaObject::invokeMethod(
            self.data(),
            [self, done, fail, result, failure] {
                if (!self) return;
                if (!failure) {
                    done(result);
                    return;
                }
                const QString message = failureText(failure);
                if (fail) fail(message);
                emit self->analysisFailed(message);
            },
            Qt::QueuedConnection);
    });
    thread_ = thread;
    connect(thread, &QThread::finished, this, [this, thread] {
        thread->deleteLater();
        if (thread_ == thread) thread_.clear();
        if (!busy() && pending_) {
            startPending();
            return;
        }
        emit busyChanged(busy());
    });
    thread->start();
    emit busyChanged(true);
}

void ReportsController::onConverted(const ConversionReport& report) {
    pending_ = std::make_unique<Pending>(Pending{document_->settings(), report});
    if (!busy()) startPending();  // else when the running job ends
}

void ReportsController::startPending() {
    if (!pending_) return;
    const ConversionSettings settings = pending_->settings;
    const ConversionReport report = pending_->report;
    pending_.reset();
    const int number = nextRun_++;
    startJob([settings, report, number] { return std::shared_ptr<const ReportRun>(computeReportRun(settings, report, number)); },
             [this](std::shared_ptr<const ReportRun> run) { addRun(run); });
}

void ReportsController::addRun(std::shared_ptr<const ReportRun> run) {
    runs_.push_back(run);
    while (runs_.size() > kKeptRuns) runs_.pop_front();
    // The graph's ML Program becomes the package written, so report rows can point at its ops.
    if (graph_ && graph_->model() && run->package)
        graph_->setProgram(std::shared_ptr<const mil::Program>(run->package, &run->package->program));
    for (ReportView* v : views_) v->showRun(run);
    compare_->setRuns(runs_);
    emit runFinished(run);
}

bool ReportsController::showOpInGraph(const QString& opName) {
    const graphview::GraphViewModel* program = graph_ ? graph_->programModel() : nullptr;
    if (!program) return false;
    const std::string name = opName.toStdString();
    int found = -1;
    for (const graphview::DisplayNode& node : program->nodes())
        if (node.op && node.op->name == name) found = node.id;
    if (found < 0) return false;
    const graphview::ProgramLink* link = graph_->link();
    const std::vector<int> sources = link ? link->sourceNodesOf(found) : std::vector<int>{};
    if (!sources.empty() && graph_->model()) {
        // Selecting the source op also selects what it became in the ML Program pane (when shown).
        graph_->scene()->selectNodes(sources);
        if (QGraphicsItem* item = graph_->scene()->itemForNode(sources.front())) graph_->canvas()->centerOn(item);
        return true;
    }
    graph_->setProgramVisible(true);
    graph_->programScene()->selectNode(found);
    if (QGraphicsItem* item = graph_->programScene()->itemForNode(found)) graph_->programPane()->canvas()->centerOn(item);
    return true;
}

void ReportsController::keepInFp32AndConvert(const QStringList& ops) {
    ConversionSettings s = document_->settings();
    int added = 0;
    for (const QString& op : ops) {
        const std::string entry = op.toStdString();
        if (std::find(s.fp32Ops.begin(), s.fp32Ops.end(), entry) != s.fp32Ops.end()) continue;
        s.fp32Ops.push_back(entry);
        ++added;
    }
    if (added > 0) document_->edit(s, tr("Keep %n op(s) in fp32", nullptr, added));
    convertButton_->click();
}

void ReportsController::analyseSensitivity(double targetSnrDb) {
    const std::shared_ptr<const ReportRun> run = currentRun();
    if (!run) return;
    if (busy()) {
        emit analysisFailed(tr("The reports of the last conversion are still being prepared; try again in a moment."));
        return;
    }
    compress::SensitivityOptions options;
    options.targetSnrDb = targetSnrDb;
    const std::string package = run->conversion.packagePath;
    sensitivity_->showAnalysing();
    startJob([package, options] { return std::make_shared<const compress::SensitivityReport>(
                                      compress::analyseSensitivity(package, options)); },
             [this, run](std::shared_ptr<const compress::SensitivityReport> report) {
                 run->sensitivity = report;
                 if (currentRun() == run) sensitivity_->showRun(run);
             },
             [this](const QString& message) { sensitivity_->showFailure(message); });
}

bool ReportsController::applyRecommendation() {
    const std::shared_ptr<const ReportRun> run = currentRun();
    if (!run || !run->sensitivity) return false;
    ConversionSettings s = document_->settings();
    s.compression = run->sensitivity->recommendation.config;
    document_->edit(s, tr("Apply recommended compression"));
    return true;
}

}  // namespace cms::ui
