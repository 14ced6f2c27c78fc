#pragma once
// Colours the graph view's ops by a placement estimate: by device (Neural Engine, GPU, CPU) or by
// estimated time (a gradient), in the ML Program pane (each MIL op) and the source graph (each
// source op by the MIL ops it became; a collapsed group by the ops inside). Each coloured box gets a
// tooltip with the device, the time and every reason the op is off the Neural Engine. The overlay
// is redrawn after every re-layout (groups opened or closed) and removed by clear().
#include <QColor>
#include <QObject>
#include <QPointer>

#include <memory>

#include "analysis/placement.h"

class QGraphicsItem;

namespace cms::ui {

class GraphScene;
class GraphView;
struct ReportRun;

class GraphHeatmap : public QObject {
    Q_OBJECT
public:
    enum class Mode { Device, Time };

    explicit GraphHeatmap(GraphView* view, QObject* parent = nullptr);
    ~GraphHeatmap() override;

    // `plan` belongs to `run` (ReportRun::plan), which the heatmap keeps alive.
    void show(std::shared_ptr<const ReportRun> run, const analysis::PlacementPlan* plan, Mode mode);
    void clear();
    bool active() const { return plan_ != nullptr; }
    // Coloured boxes in the program pane and the source pane (for tests and the status line).
    int programOverlays() const { return programOverlays_; }
    int sourceOverlays() const { return sourceOverlays_; }

    static QColor deviceColor(analysis::Device d);
    // Light yellow (fastest) to dark red (slowest), on a log scale between the plan's extremes.
    static QColor timeColor(double seconds, double fastest, double slowest);

private:
    void apply();
    void applyTo(GraphScene* scene, bool program, int* count);
    void removeOverlays();

    QPointer<GraphView> view_;
    std::shared_ptr<const ReportRun> run_;
    const analysis::PlacementPlan* plan_ = nullptr;
    Mode mode_ = Mode::Device;
    double fastest_ = 0, slowest_ = 0;
    int programOverlays_ = 0, sourceOverlays_ = 0;
};

// "12.3 µs", "1.20 ms": estimated times as people read them.
QString readableSeconds(double seconds);

}  // namespace cms::ui
