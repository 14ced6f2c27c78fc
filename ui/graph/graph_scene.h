#pragma once
// The scene of the graph view: lays out the model's visible graph (collapsed groups as boxes)
// and creates the items. Toggling a group re-lays out only what is then visible.
#include <QGraphicsScene>

#include <map>
#include <memory>
#include <vector>

#include "graphview/graph_view_model.h"
#include "graphview/layered_layout.h"

namespace cms::ui {

class GraphScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit GraphScene(QObject* parent = nullptr);

    // Shows a new model (nullptr clears the scene).
    void setModel(std::shared_ptr<graphview::GraphViewModel> model);
    graphview::GraphViewModel* model() const { return model_.get(); }

    // Expands or collapses a group and re-lays out.
    void setGroupExpanded(int groupId, bool expanded);
    void expandAll();
    void collapseAll();
    // Expands the node's groups if needed, then selects it.
    void selectNode(int nodeId);
    // The same for several nodes at once (one re-layout at most); an empty list clears the selection.
    void selectNodes(const std::vector<int>& nodeIds);
    // The item standing for a display node: its own box, or the collapsed group hiding it.
    QGraphicsItem* itemForNode(int nodeId) const;
    QGraphicsItem* itemForGroup(int groupId) const;  // a collapsed box or an expanded frame
    int selectedNodeId() const;                      // -1 when no op box is selected
    std::vector<int> selectedNodeIds() const;        // op boxes only, in no particular order
    const graphview::LayoutResult& layout() const { return layout_; }
    const graphview::VisibleGraph& visible() const { return visible_; }
    double lastLayoutSeconds() const { return lastLayoutSeconds_; }

signals:
    // After every re-layout; `focus` is the item the change was about (may be null).
    void relaidOut(QGraphicsItem* focus);

protected:
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent* event) override;

private:
    void rebuild(QGraphicsItem** focusOut = nullptr, int focusGroup = -1);

    std::shared_ptr<graphview::GraphViewModel> model_;
    graphview::VisibleGraph visible_;
    graphview::LayoutResult layout_;
    std::map<int, QGraphicsItem*> nodeItems_;
    std::map<int, QGraphicsItem*> groupItems_;
    double lastLayoutSeconds_ = 0.0;
};

}  // namespace cms::ui
