#pragma once
// The graph panel: a toolbar (search with jump-to, fit, zoom, expand/collapse all), the graph
// canvas with a minimap in its corner, and the inspector for the selected op.
#include <QWidget>

#include <memory>
#include <vector>

namespace cms::ir {
class Graph;
}
namespace cms::graphview {
class GraphViewModel;
}

class QLabel;
class QLineEdit;
class QSplitter;

namespace cms::ui {

class GraphCanvas;
class GraphScene;
class Minimap;
class NodeInspector;

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    // Shows a graph; the view keeps it alive. `note` explains missing shapes, if any.
    void setGraph(std::shared_ptr<const ir::Graph> graph, const QString& note = {});
    void clear();

    graphview::GraphViewModel* model() const;
    GraphScene* scene() const { return scene_; }
    GraphCanvas* canvas() const { return canvas_; }
    Minimap* minimap() const { return minimap_; }
    NodeInspector* inspector() const { return inspector_; }
    QLineEdit* searchEdit() const { return search_; }
    QLabel* statusLabel() const { return status_; }

    // Jumps to the next match of the search text (Enter in the search box).
    void findNext();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void onSelectionChanged();
    void onRelaidOut();
    void placeMinimap();
    void updateStatus();

    std::shared_ptr<const ir::Graph> graph_;
    GraphScene* scene_;
    GraphCanvas* canvas_;
    Minimap* minimap_;
    NodeInspector* inspector_;
    QLineEdit* search_;
    QLabel* matches_;
    QLabel* status_;
    QString note_;
    std::vector<int> matchIds_;
    int matchIndex_ = -1;
};

}  // namespace cms::ui
