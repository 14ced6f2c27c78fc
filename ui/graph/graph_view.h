#pragma once
// The graph panel: a toolbar (search with jump-to, fit, zoom, expand/collapse all, the ML Program
// toggle), the source graph and, beside it, the converted ML Program, each in a pane with a minimap,
// and the inspector for the selected op. Selecting a source node selects the MIL ops it became in the
// program pane, and the reverse. A package opened from disk shows its program alone.
#include <QWidget>

#include <memory>
#include <vector>

namespace cms::ir {
class Graph;
}
namespace cms::mil {
class Program;
}
namespace cms::graphview {
class GraphViewModel;
class ProgramLink;
}

class QAction;
class QLabel;
class QLineEdit;
class QSplitter;

namespace cms::ui {

class GraphCanvas;
class GraphPane;
class GraphScene;
class Minimap;
class NodeInspector;

class GraphView : public QWidget {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    // Shows a source graph and, when given, the ML Program converted from it (linked by the
    // provenance lowering stamped on each MIL op). The view keeps both alive. `note` explains
    // missing shapes, if any.
    void setGraph(std::shared_ptr<const ir::Graph> graph, const QString& note = {},
                  std::shared_ptr<const mil::Program> program = nullptr);
    // Shows a model's module outline (one box per submodule call, every group collapsed) while its full
    // import runs; the setGraph of the same model that follows keeps the groups the user opened.
    void setModuleOutline(std::shared_ptr<const ir::Graph> outline, const QString& note = {});
    // Replaces the program beside the current source graph (e.g. the package a conversion wrote);
    // the caller guarantees it was converted from that graph's model file.
    void setProgram(std::shared_ptr<const mil::Program> program);
    // A package opened from disk: its program alone, grouped by its provenance sidecar.
    void showProgramOnly(std::shared_ptr<const mil::Program> program, const QString& note = {});
    void clear();

    // Source graph pane (what model(), scene(), canvas() and minimap() refer to).
    graphview::GraphViewModel* model() const;
    GraphScene* scene() const;
    GraphCanvas* canvas() const;
    Minimap* minimap() const;
    GraphPane* sourcePane() const { return sourcePane_; }
    // ML Program pane.
    graphview::GraphViewModel* programModel() const;
    GraphScene* programScene() const;
    GraphPane* programPane() const { return programPane_; }
    const graphview::ProgramLink* link() const { return link_.get(); }
    // Checkable: shows the ML Program beside the source graph. Enabled when there is a program.
    QAction* programToggle() const { return programToggle_; }
    void setProgramVisible(bool visible);
    bool programVisible() const;

    NodeInspector* inspector() const { return inspector_; }
    QLineEdit* searchEdit() const { return search_; }
    QLabel* statusLabel() const { return status_; }

    // Jumps to the next match of the search text (Enter in the search box), in the active pane.
    void findNext();
    // The pane the toolbar acts on: the one last clicked, else the source graph when there is one.
    GraphPane* activePane() const;

private:
    void onSelectionChanged(GraphPane* pane);
    void setActivePane(GraphPane* pane);
    void showSourceGraph(std::shared_ptr<const ir::Graph> graph, const QString& note,
                         std::shared_ptr<const mil::Program> program, bool moduleOutline);
    void rebuildProgramModel(bool sameModel);
    void updateSearch();
    void updateStatus();

    std::shared_ptr<const ir::Graph> graph_;
    std::shared_ptr<const mil::Program> program_;
    std::unique_ptr<graphview::ProgramLink> link_;
    GraphPane* sourcePane_;
    GraphPane* programPane_;
    GraphPane* active_ = nullptr;
    NodeInspector* inspector_;
    QAction* programToggle_ = nullptr;
    QLineEdit* search_;
    QLabel* matches_;
    QLabel* status_;
    QString note_;
    std::vector<int> matchIds_;
    int matchIndex_ = -1;
    bool linking_ = false;  // selecting the linked ops in the other pane
};

}  // namespace cms::ui
