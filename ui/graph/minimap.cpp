#include "graph/minimap.h"

#include <QMouseEvent>
#include <QPainter>

#include "graph/graph_canvas.h"
#include "style/palette_colors.h"

namespace cms::ui {

Minimap::Minimap(GraphCanvas* canvas, QWidget* parent) : QGraphicsView(canvas->scene(), parent), canvas_(canvas) {
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHints(QPainter::Antialiasing);
    setFrameShape(QFrame::Box);
    setBackgroundBrush(GraphColors::fromPalette(palette()).minimapBackground);
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::NoFocus);  // a mouse shortcut: Tab goes to the canvas, whose arrow keys pan
    setToolTip(tr("Overview: click or drag to move the view"));
    connect(canvas_, &GraphCanvas::viewportChanged, viewport(), qOverload<>(&QWidget::update));
    connect(canvas_->scene(), &QGraphicsScene::sceneRectChanged, this, &Minimap::refit);
}

void Minimap::refit() {
    if (scene()) fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
    cache_ = QPixmap();
    viewport()->update();
}

void Minimap::paintEvent(QPaintEvent*) {
    // The overview draws every item of the scene; it sits over the canvas, so it repaints with every
    // frame of a pan. The items are rendered once per layout into a pixmap, the frame on top of it.
    QPainter p(viewport());
    const qreal dpr = viewport()->devicePixelRatioF();
    if (cache_.isNull() || cache_.size() != viewport()->size() * dpr) {
        cache_ = QPixmap(viewport()->size() * dpr);
        cache_.setDevicePixelRatio(dpr);
        cache_.fill(backgroundBrush().color());
        if (scene()) {
            QPainter cp(&cache_);
            cp.setRenderHints(renderHints());
            cp.setTransform(viewportTransform());
            scene()->render(&cp, sceneRect(), sceneRect(), Qt::IgnoreAspectRatio);
        }
    }
    p.drawPixmap(0, 0, cache_);
    p.setTransform(viewportTransform());
    drawForeground(&p, QRectF());
}

void Minimap::drawForeground(QPainter* painter, const QRectF&) {
    const QRectF visible = canvas_->visibleSceneRect().intersected(sceneRect());
    QColor frame = palette().color(QPalette::Highlight);
    painter->setPen(QPen(frame, 0));  // cosmetic: one pixel at any scale
    frame.setAlpha(40);
    painter->setBrush(frame);
    painter->drawRect(visible);
}

void Minimap::mousePressEvent(QMouseEvent* event) {
    canvas_->centerOn(mapToScene(event->position().toPoint()));
    event->accept();
}

void Minimap::mouseMoveEvent(QMouseEvent* event) {
    if (event->buttons() & Qt::LeftButton) canvas_->centerOn(mapToScene(event->position().toPoint()));
    event->accept();
}

void Minimap::resizeEvent(QResizeEvent* event) {
    QGraphicsView::resizeEvent(event);
    refit();
}

void Minimap::wheelEvent(QWheelEvent* event) { event->accept(); }

}  // namespace cms::ui
