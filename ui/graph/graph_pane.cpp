#include "graph/graph_pane.h"

#include <QEvent>
#include <QGraphicsItem>
#include <QLabel>
#include <QVBoxLayout>

#include "graph/graph_canvas.h"
#include "graph/graph_scene.h"
#include "graph/minimap.h"

namespace cms::ui {

GraphPane::GraphPane(const QString& title, QWidget* parent)
    : QWidget(parent), scene_(new GraphScene(this)), canvas_(new GraphCanvas(scene_)),
      minimap_(new Minimap(canvas_, canvas_)), header_(new QLabel(title)) {
    header_->setStyleSheet(QStringLiteral("font-weight: bold; padding: 2px 4px;"));  // the palette's text colour
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(header_);
    layout->addWidget(canvas_, 1);
    minimap_->resize(180, 130);
    connect(canvas_, &GraphCanvas::viewportChanged, this, &GraphPane::placeMinimap);
    connect(scene_, &GraphScene::relaidOut, minimap_, &Minimap::refit);
    canvas_->viewport()->installEventFilter(this);
    canvas_->installEventFilter(this);
}

bool GraphPane::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::KeyPress ||
        event->type() == QEvent::Wheel)
        emit activated();
    return QWidget::eventFilter(watched, event);
}

void GraphPane::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeMinimap();
}

void GraphPane::placeMinimap() {
    // Bottom-right corner of the canvas, clear of its scroll bars.
    const QRect area = canvas_->viewport()->geometry();
    minimap_->move(area.right() - minimap_->width() - 8, area.bottom() - minimap_->height() - 8);
    minimap_->raise();
}

}  // namespace cms::ui
