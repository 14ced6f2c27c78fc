#pragma once
// The main graph view: zoom with the wheel (around the cursor) and Ctrl+=/Ctrl+-, pan by
// dragging the background or with the arrow keys, fit to window.
#include <QGraphicsView>

namespace cms::ui {

class GraphCanvas : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphCanvas(QGraphicsScene* scene, QWidget* parent = nullptr);

    void zoomBy(double factor);
    void fitAll();
    // The view a freshly opened graph gets: all of it when that stays readable, else the top
    // (where the inputs are) at a readable zoom.
    void showStart();
    double zoom() const { return transform().m11(); }
    // The scene rectangle currently on screen (the minimap draws it).
    QRectF visibleSceneRect() const;

signals:
    void viewportChanged();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void changeEvent(QEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void resizeEvent(QResizeEvent* event) override;
};

}  // namespace cms::ui
