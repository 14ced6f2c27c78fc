#pragma once
// Runs model import and conversion on worker threads and reports back on the GUI thread through
// signals, so the window never blocks and never sees an exception.
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QThread>

#include <memory>

#include "converter.h"
#include "package/package.h"

namespace cms::ui {

struct ModelInfo {
    QString path;
    // The imported graph for the graph view, with lowering's dtypes/shapes when the settings gave
    // every input a shape and lowering succeeded; graphNote says why shapes are missing otherwise.
    std::shared_ptr<const ir::Graph> graph;
    QString graphNote;
    // The ML Program converted from the graph (lowered and optimised with the settings' precision) when
    // lowering succeeded: the graph view shows it beside the source graph, linked op by op.
    std::shared_ptr<const mil::Program> program;
    QStringList inputNames;
    QStringList outputNames;
    QStringList warnings;
    int nodeCount = 0;
    // `graph` is the module outline drawn while the full import runs (programReady brings the full graph).
    bool moduleOutline = false;
};

// A package opened from disk for inspection.
struct PackageInfo {
    QString path;
    std::shared_ptr<const package::PackageContents> contents;
    std::shared_ptr<const mil::Program> program;  // contents->program, for GraphView::showProgramOnly
    QString note;                                 // e.g. that the package has no provenance sidecar
};

class ConversionRunner : public QObject {
    Q_OBJECT
public:
    explicit ConversionRunner(QObject* parent = nullptr);
    ~ConversionRunner() override;

    bool busy() const { return !thread_.isNull(); }
    // Busy only with the lowering that follows an import (shapes and the ML Program for the view):
    // nothing the user asked to wait for, so a new job may drop it (dropAnnotation) and start.
    bool annotating() const { return busy() && annotating_; }
    // Imports the model (interface and graph; a TorchScript file as its module outline, ModelInfo::
    // moduleOutline) and emits modelOpened, so the view can draw it at once. Then imports a TorchScript
    // file fully and, when `shapeSettings` gives every input a shape, lowers that graph, and emits
    // programReady with the full graph carrying tensor shapes and the ML Program (or a note saying why
    // there are none). Emits failed when an import fails.
    void openModel(const QString& path, const ConversionSettings& shapeSettings = {});
    // Reads an .mlpackage folder (model, weights, our provenance sidecar). Emits packageOpened or failed.
    void openPackage(const QString& path);
    // Runs the whole conversion. Emits progress, then converted or failed (cancelled included).
    void convert(const ConversionSettings& settings);
    void cancel();
    // Cancels any running job and waits for its thread (and any dropped lowering's) to end (for shutdown).
    void stopAndWait();
    // Cancels the lowering that follows an import without waiting for it: a big model's libtorch
    // freeze has no cancellation point inside, and the user should not wait for it. Its thread ends
    // on its own, silently; the runner is free at once.
    void dropAnnotation();

signals:
    void modelOpened(const cms::ui::ModelInfo& info);
    void programReady(const cms::ui::ModelInfo& info);
    void packageOpened(const cms::ui::PackageInfo& info);
    void progress(cms::Stage stage, double fraction, const QString& message);
    void converted(const cms::ConversionReport& report);
    void failed(const QString& message, bool cancelled);
    void busyChanged(bool busy);

private:
    template <class Job> void start(Job job);
    QPointer<QThread> thread_;
    QList<QPointer<QThread>> dropped_;  // cancelled lowerings still finishing
    bool annotating_ = false;  // set and read on the GUI thread
    std::shared_ptr<CancelToken> cancel_;
};

}  // namespace cms::ui

Q_DECLARE_METATYPE(cms::ui::ModelInfo)
Q_DECLARE_METATYPE(cms::ui::PackageInfo)
Q_DECLARE_METATYPE(cms::ConversionReport)
Q_DECLARE_METATYPE(cms::Stage)
