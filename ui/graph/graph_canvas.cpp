#include "graph/graph_canvas.h"

#include <QEvent>
#include <QGraphicsItem>
#include <QKeyEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

#include "style/palette_colors.h"

namespace cms::ui {

namespace {
constexpr double kMinZoom = 0.02;
constexpr double kMaxZoom = 4.0;
}  // namespace

GraphCanvas::GraphCanvas(QGraphicsScene* scene, QWidget* parent) : QGraphicsView(scene, parent) {
    setDragMode(QGraphicsView::ScrollHandDrag);
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    // Edges span large areas; repainting only what changed is cheaper than full updates.
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState);
    setBackgroundBrush(GraphColors::fromPalette(palette()).background);
    setFocusPolicy(Qt::StrongFocus);
}

void GraphCanvas::zoomBy(double factor) {
    const double target = std::clamp(zoom() * factor, kMinZoom, kMaxZoom);
    const double applied = target / zoom();
    scale(applied, applied);
    emit viewportChanged();
}

void GraphCanvas::fitAll() {
    if (!scene()) return;
    fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    // Small graphs should not be blown up past natural size.
    if (zoom() > 1.0) {
        resetTransform();
        centerOn(scene()->sceneRect().center());
    }
    emit viewportChanged();
}

void GraphCanvas::showStart() {
    fitAll();
    if (!scene() || zoom() >= 0.7) return;
    resetTransform();
    scale(0.85, 0.85);
    const QRectF r = scene()->sceneRect();
    const QRectF visible = visibleSceneRect();
    centerOn(QPointF(r.center().x(), r.top() + visible.height() / 2));
    emit viewportChanged();
}

QRectF GraphCanvas::visibleSceneRect() const { return mapToScene(viewport()->rect()).boundingRect(); }

void GraphCanvas::wheelEvent(QWheelEvent* event) {
    const int delta = event->angleDelta().y();
    if (delta == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomBy(std::pow(1.0015, delta));
    event->accept();
}

void GraphCanvas::keyPressEvent(QKeyEvent* event) {
    const int step = 60;
    QScrollBar* h = horizontalScrollBar();
    QScrollBar* v = verticalScrollBar();
    switch (event->key()) {
        case Qt::Key_Left: h->setValue(h->value() - step); break;
        case Qt::Key_Right: h->setValue(h->value() + step); break;
        case Qt::Key_Up: v->setValue(v->value() - step); break;
        case Qt::Key_Down: v->setValue(v->value() + step); break;
        default: QGraphicsView::keyPressEvent(event); return;
    }
    event->accept();
}

void GraphCanvas::changeEvent(QEvent* event) {
    QGraphicsView::changeEvent(event);
    if (event->type() != QEvent::PaletteChange) return;
    // A theme switch (light <-> dark): new background, and items repaint past their pixmap caches.
    setBackgroundBrush(GraphColors::fromPalette(palette()).background);
    if (!scene()) return;
    const QList<QGraphicsItem*> items = scene()->items();
    for (QGraphicsItem* item : items) item->update();
}

void GraphCanvas::scrollContentsBy(int dx, int dy) {
    QGraphicsView::scrollContentsBy(dx, dy);
    emit viewportChanged();
}

void GraphCanvas::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    emit viewportChanged();
}

}  // namespace cms::ui
