#include "graph/graph_scene.h"

#include <QElapsedTimer>
#include <QGraphicsSceneMouseEvent>
#include <QLineF>
#include <QRegularExpression>
#include <QtMath>

#include <cmath>

#include "graph/graph_items.h"

namespace cms::ui {

using namespace graphview;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString groupTitle(const Group& g) {
    return g.moduleType.empty() ? qs(g.name) : QStringLiteral("%1 : %2").arg(qs(g.name), qs(g.moduleType));
}

// A module outline's box stands for a module whose ops the full import is still reading.
QString groupSubtitle(const GraphViewModel& model, const Group& g) {
    return model.isModuleOutline() ? QObject::tr("reading ops…") : QObject::tr("%n ops", nullptr, int(g.totalNodes));
}

// "_convolution" reads as "convolution"; the exact kind is in the inspector.
QString opText(const DisplayNode& n) {
    QString op = qs(shortOpName(n.kind));
    while (op.startsWith('_')) op.remove(0, 1);
    return op;
}

// Children of a Sequential are numbered: "0" says less than the op, so the op becomes the title.
bool numberedChild(const DisplayNode& n) {
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    return n.source && digits.match(qs(n.label)).hasMatch();
}

QString nodeTitle(const DisplayNode& n) { return numberedChild(n) ? opText(n) : qs(n.label); }

QString nodeSubtitle(const DisplayNode& n) {
    if (n.family == OpFamily::Input || n.family == OpFamily::Output) {
        const QString role = n.family == OpFamily::Input ? QObject::tr("input") : QObject::tr("output");
        return role == qs(n.label) ? QString() : role;
    }
    if (numberedChild(n)) return QStringLiteral("[%1]").arg(qs(n.label));
    const QString op = opText(n);
    return op == qs(n.label) ? QString() : op;
}

QPolygonF arrowHead(QPointF from, QPointF tip) {
    const QLineF line(tip, from);
    if (line.length() < 0.01) return {};
    const double angle = qDegreesToRadians(line.angle());
    const double size = 7.0, spread = 0.45;
    const QPointF a = tip + QPointF(std::cos(angle + spread) * size, -std::sin(angle + spread) * size);
    const QPointF b = tip + QPointF(std::cos(angle - spread) * size, -std::sin(angle - spread) * size);
    return QPolygonF({tip, a, b});
}

}  // namespace

GraphScene::GraphScene(QObject* parent) : QGraphicsScene(parent) {
    // Items never move after layout; a BSP index of a static scene makes hit tests and painting cheap.
    setItemIndexMethod(QGraphicsScene::BspTreeIndex);
}

void GraphScene::setModel(std::shared_ptr<GraphViewModel> model) {
    model_ = std::move(model);
    rebuild();
}

void GraphScene::setGroupExpanded(int groupId, bool expanded) {
    if (!model_ || groupId <= kRootGroup) return;
    model_->setExpanded(groupId, expanded);
    QGraphicsItem* focus = nullptr;
    rebuild(&focus, groupId);
}

void GraphScene::expandAll() {
    if (!model_) return;
    model_->expandAll();
    rebuild();
}

void GraphScene::collapseAll() {
    if (!model_) return;
    model_->collapseAll();
    rebuild();
}

void GraphScene::selectNode(int nodeId) {
    if (!model_) return;
    if (model_->hidingGroup(nodeId) >= 0) {
        model_->reveal(nodeId);
        rebuild();
    }
    clearSelection();
    if (QGraphicsItem* item = itemForNode(nodeId)) item->setSelected(true);
}

void GraphScene::selectNodes(const std::vector<int>& nodeIds) {
    if (!model_) return;
    bool hidden = false;
    for (int id : nodeIds)
        if (model_->hidingGroup(id) >= 0) {
            model_->reveal(id);
            hidden = true;
        }
    if (hidden) rebuild();
    clearSelection();
    for (int id : nodeIds)
        if (QGraphicsItem* item = itemForNode(id)) item->setSelected(true);
}

std::vector<int> GraphScene::selectedNodeIds() const {
    std::vector<int> out;
    for (QGraphicsItem* item : selectedItems())
        if (item->type() == NodeItem::Type) out.push_back(static_cast<NodeItem*>(item)->nodeId());
    return out;
}

QGraphicsItem* GraphScene::itemForNode(int nodeId) const {
    if (const auto it = nodeItems_.find(nodeId); it != nodeItems_.end()) return it->second;
    if (!model_) return nullptr;
    const int hiding = model_->hidingGroup(nodeId);
    return hiding >= 0 ? itemForGroup(hiding) : nullptr;
}

QGraphicsItem* GraphScene::itemForGroup(int groupId) const {
    const auto it = groupItems_.find(groupId);
    return it == groupItems_.end() ? nullptr : it->second;
}

int GraphScene::selectedNodeId() const {
    for (QGraphicsItem* item : selectedItems())
        if (item->type() == NodeItem::Type) return static_cast<NodeItem*>(item)->nodeId();
    return -1;
}

void GraphScene::rebuild(QGraphicsItem** focusOut, int focusGroup) {
    clear();
    nodeItems_.clear();
    groupItems_.clear();
    visible_ = {};
    layout_ = {};
    if (!model_) {
        emit relaidOut(nullptr);
        return;
    }
    QElapsedTimer timer;
    timer.start();
    visible_ = model_->visibleGraph();

    LayoutRequest request;
    std::map<int, int> clusterIndex;
    for (int g : visible_.clusters) {
        LayoutRequest::Cluster c;
        const int parent = model_->group(g).parent;
        c.parent = parent > kRootGroup ? clusterIndex.at(parent) : -1;
        c.label = "[-] " + model_->group(g).name;  // reserves the header the frame draws
        clusterIndex[g] = int(request.clusters.size());
        request.clusters.push_back(c);
    }
    std::vector<QSizeF> sizes;
    for (const VisibleGraph::Item& item : visible_.items) {
        QSizeF size;
        if (item.isGroup) {
            const Group& g = model_->group(item.id);
            size = GroupBoxItem::sizeFor(groupTitle(g), groupSubtitle(*model_, g));
        } else {
            const DisplayNode& n = model_->nodes()[item.id];
            size = NodeItem::sizeFor(nodeTitle(n), nodeSubtitle(n));
        }
        sizes.push_back(size);
        request.nodes.push_back({size.width(), size.height(), item.cluster > kRootGroup ? clusterIndex.at(item.cluster) : -1});
    }
    for (const VisibleGraph::Edge& e : visible_.edges)
        request.edges.push_back({e.from, e.to, e.label});
    layout_ = layoutLayered(request);

    for (size_t i = 0; i < visible_.clusters.size(); ++i) {
        const int g = visible_.clusters[i];
        const LayoutRect& r = layout_.clusterRects[i];
        int depth = 0;
        for (int p = model_->group(g).parent; p > kRootGroup; p = model_->group(p).parent) ++depth;
        auto* item = new ClusterItem(g, groupTitle(model_->group(g)), QRectF(r.x, r.y, r.width, r.height), depth);
        addItem(item);
        groupItems_[g] = item;
    }
    for (size_t i = 0; i < visible_.items.size(); ++i) {
        const VisibleGraph::Item& v = visible_.items[i];
        QGraphicsItem* item;
        if (v.isGroup) {
            const Group& g = model_->group(v.id);
            item = new GroupBoxItem(v.id, groupTitle(g), groupSubtitle(*model_, g), sizes[i]);
            groupItems_[v.id] = item;
        } else {
            const DisplayNode& n = model_->nodes()[v.id];
            item = new NodeItem(v.id, n.family, nodeTitle(n), nodeSubtitle(n), sizes[i]);
            nodeItems_[v.id] = item;
        }
        item->setPos(layout_.nodeCenters[i].x, layout_.nodeCenters[i].y);
        addItem(item);
    }
    for (size_t i = 0; i < visible_.edges.size(); ++i) {
        const LayoutResult::EdgePath& e = layout_.edges[i];
        if (e.curve.empty()) continue;
        QPainterPath path(QPointF(e.curve[0].x, e.curve[0].y));
        for (size_t k = 1; k + 2 < e.curve.size(); k += 3)
            path.cubicTo(QPointF(e.curve[k].x, e.curve[k].y), QPointF(e.curve[k + 1].x, e.curve[k + 1].y),
                         QPointF(e.curve[k + 2].x, e.curve[k + 2].y));
        QPolygonF arrow;
        if (e.hasArrow) arrow = arrowHead(path.currentPosition(), QPointF(e.arrowTip.x, e.arrowTip.y));
        QString label = qs(visible_.edges[i].label);
        if (visible_.edges[i].multiplicity > 1 && label.isEmpty())
            label = QStringLiteral("\u00d7%1").arg(visible_.edges[i].multiplicity);
        addItem(new EdgeItem(path, arrow, label, QPointF(e.labelCenter.x, e.labelCenter.y)));
    }
    setSceneRect(QRectF(-20, -20, layout_.bounds.width + 40, layout_.bounds.height + 40));
    lastLayoutSeconds_ = timer.elapsed() / 1000.0;
    QGraphicsItem* focus = focusGroup > 0 ? itemForGroup(focusGroup) : nullptr;
    if (focusOut) *focusOut = focus;
    emit relaidOut(focus);
}

void GraphScene::mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) {
    QGraphicsItem* item = itemAt(event->scenePos(), QTransform());
    if (item && item->type() == GroupBoxItem::Type) {
        setGroupExpanded(static_cast<GroupBoxItem*>(item)->groupId(), true);
        return;
    }
    if (item && item->type() == ClusterItem::Type) {
        setGroupExpanded(static_cast<ClusterItem*>(item)->groupId(), false);
        return;
    }
    QGraphicsScene::mouseDoubleClickEvent(event);
}

}  // namespace cms::ui
