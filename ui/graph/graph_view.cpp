#include "graph/graph_view.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QShortcut>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <set>
#include <string>

#include "common/error.h"
#include "graph/graph_canvas.h"
#include "graph/graph_items.h"
#include "graph/graph_scene.h"
#include "graph/minimap.h"
#include "graph/node_inspector.h"
#include "graphview/graph_view_model.h"

namespace cms::ui {

GraphView::GraphView(QWidget* parent)
    : QWidget(parent),
      scene_(new GraphScene(this)),
      canvas_(new GraphCanvas(scene_)),
      minimap_(new Minimap(canvas_, canvas_)),
      inspector_(new NodeInspector),
      search_(new QLineEdit),
      matches_(new QLabel),
      status_(new QLabel) {
    auto* toolbar = new QHBoxLayout;
    toolbar->setContentsMargins(0, 0, 0, 0);
    search_->setPlaceholderText(tr("Find op or module (Ctrl+F), Enter for next"));
    search_->setClearButtonEnabled(true);
    toolbar->addWidget(search_, 1);
    toolbar->addWidget(matches_);
    const auto button = [&](const QString& text, const QString& tip, const QKeySequence& keys, auto slot) {
        auto* action = new QAction(text, this);
        action->setToolTip(keys.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, keys.toString(QKeySequence::NativeText)));
        if (!keys.isEmpty()) {
            action->setShortcut(keys);
            action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        }
        connect(action, &QAction::triggered, this, slot);
        addAction(action);
        auto* b = new QToolButton;
        b->setDefaultAction(action);
        toolbar->addWidget(b);
        return action;
    };
    button(tr("Fit"), tr("Fit the graph to the window"), QKeySequence(Qt::CTRL | Qt::Key_0), [this] { canvas_->fitAll(); });
    button(tr("+"), tr("Zoom in"), QKeySequence(Qt::CTRL | Qt::Key_Equal), [this] { canvas_->zoomBy(1.25); });
    button(tr("\u2212"), tr("Zoom out"), QKeySequence(Qt::CTRL | Qt::Key_Minus), [this] { canvas_->zoomBy(0.8); });
    button(tr("Expand all"), tr("Expand every group (slow for very large models)"), {}, [this] {
        scene_->expandAll();
        canvas_->fitAll();
    });
    button(tr("Collapse all"), tr("Collapse every group"), {}, [this] {
        scene_->collapseAll();
        canvas_->fitAll();
    });
    // Ctrl++ arrives as Ctrl+Shift+= on many layouts.
    auto* zoomInAlt = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus), this, [this] { canvas_->zoomBy(1.25); });
    zoomInAlt->setContext(Qt::WidgetWithChildrenShortcut);
    auto* find = new QShortcut(QKeySequence::Find, this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    find->setContext(Qt::WidgetWithChildrenShortcut);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(canvas_);
    splitter->addWidget(inspector_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({700, 240});

    status_->setStyleSheet(QStringLiteral("color: #5f6b76;"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(status_);

    minimap_->resize(180, 130);
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        matchIds_ = model() ? model()->search(text.trimmed().toStdString()) : std::vector<int>{};
        matchIndex_ = -1;
        matches_->setText(text.trimmed().isEmpty() ? QString() : tr("%n match(es)", nullptr, int(matchIds_.size())));
    });
    connect(search_, &QLineEdit::returnPressed, this, &GraphView::findNext);
    connect(canvas_, &GraphCanvas::viewportChanged, this, &GraphView::placeMinimap);
    connect(scene_, &QGraphicsScene::selectionChanged, this, &GraphView::onSelectionChanged);
    connect(scene_, &GraphScene::relaidOut, this, &GraphView::onRelaidOut);
    connect(scene_, &GraphScene::relaidOut, this, [this](QGraphicsItem* focus) {
        if (focus) canvas_->centerOn(focus);
    });
    updateStatus();
}

GraphView::~GraphView() {
    // Items refer to the model; drop them before it goes.
    scene_->setModel(nullptr);
}

graphview::GraphViewModel* GraphView::model() const { return scene_->model(); }

void GraphView::setGraph(std::shared_ptr<const ir::Graph> graph, const QString& note) {
    note_ = note;
    inspector_->showNothing();
    // The same model again (new input shapes): keep what the user opened and where they looked.
    const bool sameModel = graph && graph_ && graph->sourcePath == graph_->sourcePath && model();
    std::set<std::string> expandedPaths;
    const QTransform transform = canvas_->transform();
    const QPointF center = canvas_->visibleSceneRect().center();
    if (sameModel)
        for (const graphview::Group& g : model()->groups())
            if (g.id != graphview::kRootGroup && model()->expanded(g.id)) expandedPaths.insert(g.path);
    if (!sameModel) search_->clear();
    try {
        auto model = graph ? std::make_shared<graphview::GraphViewModel>(*graph) : nullptr;
        if (model && sameModel)
            for (const graphview::Group& g : model->groups())
                if (g.id != graphview::kRootGroup) model->setExpanded(g.id, expandedPaths.count(g.path) > 0);
        scene_->setModel(model);
        graph_ = std::move(graph);
    } catch (const Error& e) {
        scene_->setModel(nullptr);
        graph_.reset();
        note_ = QString::fromStdString(e.what());
    }
    if (sameModel && graph_) {
        canvas_->setTransform(transform);
        canvas_->centerOn(center);
    } else {
        canvas_->showStart();
    }
    updateStatus();
}

void GraphView::clear() { setGraph(nullptr); }

void GraphView::findNext() {
    if (matchIds_.empty()) {
        matches_->setText(search_->text().trimmed().isEmpty() ? QString() : tr("no match"));
        return;
    }
    matchIndex_ = (matchIndex_ + 1) % int(matchIds_.size());
    const int node = matchIds_[size_t(matchIndex_)];
    scene_->selectNode(node);
    if (QGraphicsItem* item = scene_->itemForNode(node)) {
        if (canvas_->zoom() < 0.6) {
            canvas_->resetTransform();
            canvas_->scale(0.8, 0.8);
        }
        canvas_->centerOn(item);
    }
    matches_->setText(tr("%1 of %2").arg(matchIndex_ + 1).arg(matchIds_.size()));
}

void GraphView::onSelectionChanged() {
    const QList<QGraphicsItem*> selected = scene_->selectedItems();
    if (!model() || selected.isEmpty()) {
        inspector_->showNothing();
        return;
    }
    QGraphicsItem* item = selected.first();
    try {
        if (item->type() == NodeItem::Type) inspector_->showNode(*model(), static_cast<NodeItem*>(item)->nodeId());
        else if (item->type() == GroupBoxItem::Type)
            inspector_->showGroup(*model(), static_cast<GroupBoxItem*>(item)->groupId());
    } catch (const std::exception& e) {
        inspector_->setPlainText(tr("Cannot describe this op: %1").arg(QString::fromUtf8(e.what())));
    }
}

void GraphView::onRelaidOut() {
    minimap_->refit();
    updateStatus();
}

void GraphView::updateStatus() {
    QString text;
    if (const graphview::GraphViewModel* m = model()) {
        const auto& v = scene_->visible();
        text = tr("%1 nodes in %2 groups; showing %3 boxes (layout %4 ms)")
                   .arg(m->nodes().size())
                   .arg(m->groups().size() - 1)
                   .arg(v.items.size())
                   .arg(qRound(scene_->lastLayoutSeconds() * 1000));
    } else {
        text = tr("No graph.");
    }
    if (!note_.isEmpty()) text += QStringLiteral("  \u2014  ") + note_;
    status_->setText(text);
}

void GraphView::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    placeMinimap();
}

void GraphView::placeMinimap() {
    // Bottom-right corner of the canvas, clear of its scroll bars.
    const QRect area = canvas_->viewport()->geometry();
    minimap_->move(area.right() - minimap_->width() - 8, area.bottom() - minimap_->height() - 8);
    minimap_->raise();
}

}  // namespace cms::ui
