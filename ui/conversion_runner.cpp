#include "conversion_runner.h"

#include <exception>

#include "common/cancellation.h"
#include "common/error.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/load_time_code.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "graph_copy.h"
#include "lower/lowering.h"

namespace cms::ui {

namespace {

QString describeFailure(std::exception_ptr failure, bool* cancelled) {
    *cancelled = false;
    try {
        std::rethrow_exception(failure);
    } catch (const Error& e) {
        *cancelled = e.kind() == ErrorKind::Cancelled;
        return QString::fromStdString(std::string(errorKindName(e.kind())) + ": " + e.what());
    } catch (const std::bad_alloc&) {
        return QStringLiteral("out of memory while converting; close other programs and try again");
    } catch (const std::exception& e) {
        // Library exceptions may carry backtraces; the first line is the message.
        const std::string what = e.what();
        return QString::fromStdString("internal error: " + what.substr(0, what.find('\n')) +
                                      "\nWhat to do: this is a converter bug; please report it with the model.");
    } catch (...) {
        return QStringLiteral("internal error: unknown exception");
    }
}

// Why lowering cannot give the graph shapes with these settings, or nothing when it can try.
QString missingShapesNote(const ir::Graph& graph, const ConversionSettings& settings) {
    if (settings.inputs.empty() || settings.inputs.size() != graph.inputNames.size())
        return QObject::tr("tensor shapes appear once every input has a shape (Inputs table or settings file)");
    for (const InputSpec& in : settings.inputs)
        if (in.shape.empty()) return QObject::tr("tensor shapes appear once every input has a shape");
    return {};
}

// Lowers and optimises the graph as a conversion would (lowering writes tensor shapes back into the
// graph) and keeps the program for the graph view. Returns why shapes are missing, or nothing.
QString annotateShapes(ir::Graph& graph, const ConversionSettings& settings, const CancelToken& token,
                       std::shared_ptr<const mil::Program>* program) {
    try {
        ConversionSettings complete = completeSettings(graph, settings);
        token.throwIfCancelled();
        *program = std::make_shared<const mil::Program>(buildProgram(graph, complete, nullptr, {}, &token));
        return {};
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Cancelled) throw;
        return QObject::tr("no tensor shapes (lowering failed: %1)").arg(QString::fromStdString(e.message()));
    } catch (const std::exception& e) {
        return QObject::tr("no tensor shapes (lowering failed: %1)").arg(QString::fromUtf8(e.what()).section('\n', 0, 0));
    }
}

}  // namespace

ConversionRunner::ConversionRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<cms::ui::ModelInfo>();
    qRegisterMetaType<cms::ui::PackageInfo>();
    qRegisterMetaType<cms::ConversionReport>();
    qRegisterMetaType<cms::Stage>();
}

ConversionRunner::~ConversionRunner() { stopAndWait(); }

template <class Job> void ConversionRunner::start(Job job) {
    cancel_ = std::make_shared<CancelToken>();
    annotating_ = false;
    QThread* thread = QThread::create([this, job, token = cancel_] {
        std::exception_ptr failure;
        try {
            job(*token);
        } catch (...) {
            failure = std::current_exception();
        }
        if (failure) {
            bool cancelled = false;
            const QString message = describeFailure(failure, &cancelled);
            QMetaObject::invokeMethod(this, [this, message, cancelled] { emit failed(message, cancelled); },
                                      Qt::QueuedConnection);
        }
    });
    thread_ = thread;
    connect(thread, &QThread::finished, this, [this, thread] {
        thread->deleteLater();
        if (thread_ == thread) {
            thread_.clear();
            annotating_ = false;
        }
        emit busyChanged(busy());
    });
    thread->start();
    emit busyChanged(true);
}

void ConversionRunner::openModel(const QString& path, const ConversionSettings& shapeSettings) {
    if (busy()) return;
    start([this, path, shapeSettings](const CancelToken& token) {
        const std::string file = path.toStdString();
        // A TorchScript file is drawn first from its module outline (no freeze, no inlining: for a large
        // model most of the import), collapsed; the full import, which lowering needs, follows on this thread.
        const bool outline = frontends::probeArchive(file).kind == frontends::ArchiveKind::TorchScript;
        frontends::TorchScriptImportOptions quick;
        quick.outline = true;
        std::shared_ptr<const ir::Graph> graph;
        try {
            // "Never run the model's code": the outline's fallback and the full import load the archive.
            if (outline && shapeSettings.noReference) frontends::refuseCodeRunAtLoad(file);
            graph = std::make_shared<ir::Graph>(outline ? frontends::importTorchScript(file, quick)
                                                        : importModel(file));
        } catch (const Error& e) {
            throw e.withFile(file);
        }
        ModelInfo info;
        info.graph = graph;
        info.moduleOutline = outline;
        info.path = path;
        for (const auto& n : graph->inputNames) info.inputNames << QString::fromStdString(n);
        for (const auto& n : graph->outputNames) info.outputNames << QString::fromStdString(n);
        for (const auto& w : graph->warnings) info.warnings << QString::fromStdString(w);
        info.nodeCount = int(graph->nodeCount());
        info.graphNote = missingShapesNote(*graph, shapeSettings);
        const bool annotate = info.graphNote.isEmpty();
        if (annotate) info.graphNote = tr("computing tensor shapes and the ML Program…");
        // The graph as imported goes to the view now; the full import and lowering (seconds for a large
        // model) follow.
        const bool followUp = annotate || outline;
        QMetaObject::invokeMethod(this, [this, info, followUp] {
            annotating_ = followUp;
            emit busyChanged(busy());
            emit modelOpened(info);
        }, Qt::QueuedConnection);
        if (!followUp) return;
        ModelInfo full = info;
        full.moduleOutline = false;
        try {
            const CancelCheckScope cancellable([&token] { token.throwIfCancelled(); });
            // Lowering writes shapes into the graph's values: never into the graph the view reads.
            std::shared_ptr<ir::Graph> complete = outline ? std::make_shared<ir::Graph>(importModel(file, shapeSettings.noReference))
                                                          : copyGraph(*graph);
            full.nodeCount = int(complete->nodeCount());
            full.warnings.clear();
            for (const auto& w : complete->warnings) full.warnings << QString::fromStdString(w);
            if (annotate) full.graphNote = annotateShapes(*complete, shapeSettings, token, &full.program);
            full.graph = complete;
        } catch (...) {
            // Cancelled (or failing after it): a new job replaced this one, which says nothing more.
            if (token.cancelled()) return;
            throw;
        }
        if (token.cancelled()) return;
        QMetaObject::invokeMethod(this, [this, full] { emit programReady(full); }, Qt::QueuedConnection);
    });
}

void ConversionRunner::openPackage(const QString& path) {
    if (busy()) return;
    start([this, path](const CancelToken&) {
        auto contents = std::make_shared<const package::PackageContents>(package::readPackage(path.toStdString()));
        PackageInfo info;
        info.path = path;
        info.contents = contents;
        info.program = std::shared_ptr<const mil::Program>(contents, &contents->program);
        if (contents->provenance.empty())
            info.note = tr("no provenance sidecar (not written by this studio): ops are not grouped by module");
        QMetaObject::invokeMethod(this, [this, info] { emit packageOpened(info); }, Qt::QueuedConnection);
    });
}

void ConversionRunner::convert(const ConversionSettings& settings) {
    if (busy()) return;
    start([this, settings](const CancelToken& token) {
        const ProgressFn onProgress = [this](Stage stage, double fraction, const std::string& message) {
            const QString text = QString::fromStdString(message);
            QMetaObject::invokeMethod(this, [this, stage, fraction, text] { emit progress(stage, fraction, text); },
                                      Qt::QueuedConnection);
        };
        const ConversionReport report = convertModel(settings, onProgress, &token);
        QMetaObject::invokeMethod(this, [this, report] { emit converted(report); }, Qt::QueuedConnection);
    });
}

void ConversionRunner::cancel() {
    if (cancel_) cancel_->cancel();
}

void ConversionRunner::dropAnnotation() {
    if (!annotating()) return;
    cancel();
    dropped_.removeIf([](const QPointer<QThread>& t) { return t.isNull(); });
    dropped_.push_back(thread_);
    thread_.clear();
    annotating_ = false;
    emit busyChanged(false);
}

void ConversionRunner::stopAndWait() {
    cancel();
    for (const QPointer<QThread>& t : dropped_)
        if (t) t->wait();
    dropped_.clear();
    if (!thread_) return;
    thread_->wait();
    // Free for the next job now; the queued finished handler still deletes the thread.
    thread_.clear();
    annotating_ = false;
    emit busyChanged(false);
}

}  // namespace cms::ui
