#pragma once
// One graph on screen: a header naming what it shows, the scene, its canvas and the minimap in the
// canvas's corner. The graph view shows the source graph and the ML Program in two panes.
#include <QWidget>

class QLabel;

namespace cms::ui {

class GraphCanvas;
class GraphScene;
class Minimap;

class GraphPane : public QWidget {
    Q_OBJECT
public:
    explicit GraphPane(const QString& title, QWidget* parent = nullptr);

    GraphScene* scene() const { return scene_; }
    GraphCanvas* canvas() const { return canvas_; }
    Minimap* minimap() const { return minimap_; }
    QLabel* header() const { return header_; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    // The user pressed a mouse button or a key in the canvas: this pane is the one the toolbar acts on.
    void activated();

private:
    void placeMinimap();

    GraphScene* scene_;
    GraphCanvas* canvas_;
    Minimap* minimap_;
    QLabel* header_;
};

}  // namespace cms::ui
