#include "reports/graph_heatmap.h"

#include <QGraphicsRectItem>
#include <QPen>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "graphview/program_link.h"
#include "reports/report_run.h"

namespace cms::ui {

namespace {

// Overlay items carry this key so they can be found and removed.
constexpr int kOverlayKey = 0x4d48;  // "HM"

struct Tally {
    std::array<double, analysis::kDeviceCount> seconds{};
    std::array<int, analysis::kDeviceCount> ops{};
    double total = 0;
    QStringList lines;
    analysis::Device dominant() const {
        // The device the most ops run on; ties go to the one taking longer.
        size_t best = 0;
        for (size_t d = 1; d < analysis::kDeviceCount; ++d)
            if (ops[d] > ops[best] || (ops[d] == ops[best] && seconds[d] > seconds[best])) best = d;
        return analysis::Device(best);
    }
};

QString opLines(const analysis::OpPlacement& p) {
    QString text = QObject::tr("%1 (%2): %3, about %4")
                       .arg(QString::fromStdString(p.opName), QString::fromStdString(p.opType),
                            QString::fromStdString(analysis::deviceName(p.device)), readableSeconds(p.seconds));
    for (const analysis::PlacementReason& r : p.reasons)
        text += QStringLiteral("\n  • ") + QString::fromStdString(r.text);
    return text;
}

}  // namespace

QString readableSeconds(double seconds) {
    if (seconds >= 1.0) return QObject::tr("%1 s").arg(seconds, 0, 'f', 2);
    if (seconds >= 1e-3) return QObject::tr("%1 ms").arg(seconds * 1e3, 0, 'f', 2);
    if (seconds >= 1e-6) return QObject::tr("%1 µs").arg(seconds * 1e6, 0, 'f', 1);
    return QObject::tr("%1 ns").arg(seconds * 1e9, 0, 'f', 0);
}

QColor GraphHeatmap::deviceColor(analysis::Device d) {
    switch (d) {
    case analysis::Device::NeuralEngine: return QColor(0x2e, 0x9d, 0x4f);
    case analysis::Device::Gpu: return QColor(0x1e, 0x6f, 0xd9);
    case analysis::Device::Cpu: return QColor(0xe8, 0x7a, 0x12);
    }
    return Qt::gray;
}

QColor GraphHeatmap::timeColor(double seconds, double fastest, double slowest) {
    double t = 0.0;
    if (slowest > fastest && seconds > 0 && fastest > 0)
        t = std::clamp(std::log(seconds / fastest) / std::log(slowest / fastest), 0.0, 1.0);
    else if (slowest > 0)
        t = std::clamp(seconds / slowest, 0.0, 1.0);
    // Light yellow -> orange -> dark red.
    const QColor a(0xff, 0xf1, 0x9c), b(0xf5, 0x7c, 0x00), c(0x8e, 0x10, 0x10);
    const auto mix = [](const QColor& x, const QColor& y, double f) {
        return QColor::fromRgbF(float(x.redF() + (y.redF() - x.redF()) * f), float(x.greenF() + (y.greenF() - x.greenF()) * f),
                                float(x.blueF() + (y.blueF() - x.blueF()) * f));
    };
    return t < 0.5 ? mix(a, b, t * 2.0) : mix(b, c, (t - 0.5) * 2.0);
}

GraphHeatmap::GraphHeatmap(GraphView* view, QObject* parent) : QObject(parent), view_(view) {
    if (!view) return;
    for (GraphScene* scene : {view->scene(), view->programScene()})
        connect(scene, &GraphScene::relaidOut, this, [this] {
            if (active()) apply();
        });
}

GraphHeatmap::~GraphHeatmap() {
    if (view_) removeOverlays();
}

void GraphHeatmap::show(std::shared_ptr<const ReportRun> run, const analysis::PlacementPlan* plan, Mode mode) {
    run_ = std::move(run);
    plan_ = plan;
    mode_ = mode;
    fastest_ = slowest_ = 0;
    if (plan_)
        for (const analysis::OpPlacement& p : plan_->ops) {
            if (p.seconds <= 0) continue;
            fastest_ = fastest_ == 0 ? p.seconds : std::min(fastest_, p.seconds);
            slowest_ = std::max(slowest_, p.seconds);
        }
    apply();
}

void GraphHeatmap::clear() {
    plan_ = nullptr;
    run_.reset();
    removeOverlays();
}

void GraphHeatmap::removeOverlays() {
    programOverlays_ = sourceOverlays_ = 0;
    if (!view_) return;
    for (GraphScene* scene : {view_->scene(), view_->programScene()}) {
        const QList<QGraphicsItem*> items = scene->items();
        for (QGraphicsItem* item : items)
            if (item->data(kOverlayKey).toBool()) delete item;
    }
}

void GraphHeatmap::apply() {
    removeOverlays();
    if (!plan_ || !view_) return;
    // Only over the run's own program: another model opened since must not take this run's colours.
    const graphview::GraphViewModel* shown = view_->programModel();
    if (!shown || !run_ || !run_->package || shown->program() != &run_->package->program) return;
    applyTo(view_->programScene(), true, &programOverlays_);
    applyTo(view_->scene(), false, &sourceOverlays_);
}

void GraphHeatmap::applyTo(GraphScene* scene, bool program, int* count) {
    const graphview::GraphViewModel* model = scene->model();
    const graphview::GraphViewModel* programModel = view_->programModel();
    const graphview::ProgramLink* link = view_->link();
    if (!model || !programModel || (!program && !link)) return;
    // Every MIL op's placement lands on the box showing it (its own, or its collapsed group's).
    std::map<QGraphicsItem*, Tally> tallies;
    const auto add = [&](QGraphicsItem* item, const analysis::OpPlacement& p) {
        if (!item) return;
        Tally& t = tallies[item];
        t.seconds[size_t(p.device)] += p.seconds;
        t.ops[size_t(p.device)] += 1;
        t.total += p.seconds;
        if (t.lines.size() < 12) t.lines << opLines(p);
        else if (t.lines.size() == 12) t.lines << QObject::tr("…");
    };
    for (const graphview::DisplayNode& node : model->nodes()) {
        QGraphicsItem* item = scene->itemForNode(node.id);
        if (!item) continue;
        if (program) {
            if (const analysis::OpPlacement* p = node.op ? plan_->find(node.op->name) : nullptr) add(item, *p);
            continue;
        }
        for (int pid : link->programNodesOf(node.id)) {
            const graphview::DisplayNode& pnode = programModel->nodes().at(size_t(pid));
            if (const analysis::OpPlacement* p = pnode.op ? plan_->find(pnode.op->name) : nullptr) add(item, *p);
        }
    }
    for (const auto& [item, t] : tallies) {
        const QColor color = mode_ == Mode::Device ? deviceColor(t.dominant()) : timeColor(t.total, fastest_, slowest_);
        auto* overlay = new QGraphicsRectItem(item->boundingRect().adjusted(1, 1, -1, -1), item);
        QColor fill = color;
        fill.setAlpha(mode_ == Mode::Device ? 90 : 140);
        overlay->setBrush(fill);
        overlay->setPen(QPen(color, 3));
        overlay->setAcceptedMouseButtons(Qt::NoButton);
        overlay->setData(kOverlayKey, true);
        QString tip = item->toolTip();
        if (!tip.isEmpty()) tip += QStringLiteral("\n\n");
        tip += QObject::tr("Estimated: %1 in all (%2)").arg(readableSeconds(t.total), QString::fromStdString(plan_->chipName));
        tip += QStringLiteral("\n") + t.lines.join(QStringLiteral("\n"));
        overlay->setToolTip(tip);
        ++*count;
    }
}

}  // namespace cms::ui
