#pragma once
// An overview of the whole graph with the main view's visible rectangle; click or drag in it
// to move the main view there.
#include <QGraphicsView>
#include <QPixmap>

namespace cms::ui {

class GraphCanvas;

class Minimap : public QGraphicsView {
    Q_OBJECT
public:
    Minimap(GraphCanvas* canvas, QWidget* parent = nullptr);
    void refit();

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    GraphCanvas* canvas_;
    QPixmap cache_;  // the scene as drawn at the current fit; empty after a re-layout or resize
};

}  // namespace cms::ui
