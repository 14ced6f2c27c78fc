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
#include "graph/graph_pane.h"
#include "graph/graph_scene.h"
#include "graph/minimap.h"
#include "graph/node_inspector.h"
#include "graphview/graph_view_model.h"
#include "graphview/program_link.h"
#include "mil/program.h"
#include "style/palette_colors.h"

namespace cms::ui {

GraphView::GraphView(QWidget* parent)
    : QWidget(parent),
      sourcePane_(new GraphPane(tr("Source graph"))),
      programPane_(new GraphPane(tr("ML Program"))),
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
    button(tr("Fit"), tr("Fit the graph to the window"), QKeySequence(Qt::CTRL | Qt::Key_0),
           [this] { activePane()->canvas()->fitAll(); });
    button(tr("+"), tr("Zoom in"), QKeySequence(Qt::CTRL | Qt::Key_Equal), [this] { activePane()->canvas()->zoomBy(1.25); });
    button(tr("\u2212"), tr("Zoom out"), QKeySequence(Qt::CTRL | Qt::Key_Minus),
           [this] { activePane()->canvas()->zoomBy(0.8); });
    button(tr("Expand all"), tr("Expand every group (slow for very large models)"), {}, [this] {
        activePane()->scene()->expandAll();
        activePane()->canvas()->fitAll();
    });
    button(tr("Collapse all"), tr("Collapse every group"), {}, [this] {
        activePane()->scene()->collapseAll();
        activePane()->canvas()->fitAll();
    });
    programToggle_ = button(tr("ML Program"), tr("Show the converted ML Program beside the source graph"),
                            QKeySequence(Qt::CTRL | Qt::Key_M), [this](bool on) { setProgramVisible(on); });
    programToggle_->setCheckable(true);
    programToggle_->setEnabled(false);
    // Ctrl++ arrives as Ctrl+Shift+= on many layouts.
    auto* zoomInAlt = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Plus), this,
                                    [this] { activePane()->canvas()->zoomBy(1.25); });
    zoomInAlt->setContext(Qt::WidgetWithChildrenShortcut);
    auto* find = new QShortcut(QKeySequence::Find, this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    find->setContext(Qt::WidgetWithChildrenShortcut);

    auto* splitter = new QSplitter(Qt::Horizontal);
    splitter->addWidget(sourcePane_);
    splitter->addWidget(programPane_);
    splitter->addWidget(inspector_);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 1);
    splitter->setSizes({700, 700, 240});
    programPane_->hide();

    status_->setStyleSheet(QStringLiteral("color: %1;").arg(secondaryTextColor(palette()).name()));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(toolbar);
    layout->addWidget(splitter, 1);
    layout->addWidget(status_);

    connect(search_, &QLineEdit::textChanged, this, &GraphView::updateSearch);
    connect(search_, &QLineEdit::returnPressed, this, &GraphView::findNext);
    for (GraphPane* pane : {sourcePane_, programPane_}) {
        connect(pane->scene(), &QGraphicsScene::selectionChanged, this, [this, pane] { onSelectionChanged(pane); });
        connect(pane->scene(), &GraphScene::relaidOut, this, [this, pane](QGraphicsItem* focus) {
            if (focus) pane->canvas()->centerOn(focus);
            updateStatus();
        });
        connect(pane, &GraphPane::activated, this, [this, pane] { setActivePane(pane); });
    }
    updateStatus();
}

GraphView::~GraphView() {
    // Items refer to the models; drop them before they go.
    sourcePane_->scene()->setModel(nullptr);
    programPane_->scene()->setModel(nullptr);
}

graphview::GraphViewModel* GraphView::model() const { return sourcePane_->scene()->model(); }
GraphScene* GraphView::scene() const { return sourcePane_->scene(); }
GraphCanvas* GraphView::canvas() const { return sourcePane_->canvas(); }
Minimap* GraphView::minimap() const { return sourcePane_->minimap(); }
graphview::GraphViewModel* GraphView::programModel() const { return programPane_->scene()->model(); }
GraphScene* GraphView::programScene() const { return programPane_->scene(); }

GraphPane* GraphView::activePane() const {
    if (active_ && active_->isVisibleTo(this)) return active_;
    return sourcePane_->isVisibleTo(this) || !programPane_->isVisibleTo(this) ? sourcePane_ : programPane_;
}

void GraphView::setActivePane(GraphPane* pane) {
    if (active_ == pane) return;
    active_ = pane;
    updateSearch();
}

bool GraphView::programVisible() const { return programPane_->isVisibleTo(this); }

void GraphView::setProgramVisible(bool visible) {
    visible = visible && programModel();
    programToggle_->setChecked(visible || !sourcePane_->isVisibleTo(this));
    if (visible == programVisible()) return;
    programPane_->setVisible(visible);
    if (visible) {
        programPane_->canvas()->showStart();
        // Show what the current source selection became.
        if (!sourcePane_->scene()->selectedNodeIds().empty()) onSelectionChanged(sourcePane_);
    } else if (active_ == programPane_) {
        setActivePane(sourcePane_);
    }
    updateStatus();
}

void GraphView::setGraph(std::shared_ptr<const ir::Graph> graph, const QString& note,
                         std::shared_ptr<const mil::Program> program) {
    showSourceGraph(std::move(graph), note, std::move(program), false);
}

void GraphView::setModuleOutline(std::shared_ptr<const ir::Graph> outline, const QString& note) {
    showSourceGraph(std::move(outline), note, nullptr, true);
}

void GraphView::showSourceGraph(std::shared_ptr<const ir::Graph> graph, const QString& note,
                                std::shared_ptr<const mil::Program> program, bool moduleOutline) {
    note_ = note;
    inspector_->showNothing();
    // The same model again (new input shapes): keep what the user opened and where they looked.
    const bool sameModel = graph && graph_ && graph->sourcePath == graph_->sourcePath && model();
    std::set<std::string> expandedPaths;
    GraphCanvas* canvas = sourcePane_->canvas();
    const QTransform transform = canvas->transform();
    const QPointF center = canvas->visibleSceneRect().center();
    // Replacing a module outline, the groups the user opened are added to the full graph's own defaults.
    const bool afterOutline = sameModel && model()->isModuleOutline();
    if (sameModel)
        for (const graphview::Group& g : model()->groups())
            if (g.id != graphview::kRootGroup && model()->expanded(g.id)) expandedPaths.insert(g.path);
    if (!sameModel) search_->clear();
    link_.reset();
    try {
        auto model = graph ? std::make_shared<graphview::GraphViewModel>(*graph, moduleOutline) : nullptr;
        if (model && sameModel && !moduleOutline)
            for (const graphview::Group& g : model->groups())
                if (g.id != graphview::kRootGroup)
                    model->setExpanded(g.id, expandedPaths.count(g.path) || (afterOutline && model->expanded(g.id)));
        sourcePane_->scene()->setModel(model);
        graph_ = std::move(graph);
    } catch (const Error& e) {
        sourcePane_->scene()->setModel(nullptr);
        graph_.reset();
        note_ = QString::fromStdString(e.what());
    }
    sourcePane_->show();
    // An outline the user did not open anything in was only a first paint: start the full graph afresh.
    if (sameModel && graph_ && !(afterOutline && expandedPaths.empty())) {
        canvas->setTransform(transform);
        canvas->centerOn(center);
    } else {
        canvas->showStart();
    }
    program_ = std::move(program);
    rebuildProgramModel(sameModel);
}

void GraphView::setProgram(std::shared_ptr<const mil::Program> program) {
    program_ = std::move(program);
    rebuildProgramModel(true);
}

void GraphView::showProgramOnly(std::shared_ptr<const mil::Program> program, const QString& note) {
    link_.reset();
    sourcePane_->scene()->setModel(nullptr);
    graph_.reset();
    sourcePane_->hide();
    search_->clear();
    inspector_->showNothing();
    note_ = note;
    program_ = std::move(program);
    rebuildProgramModel(false);
    setProgramVisible(true);
}

void GraphView::rebuildProgramModel(bool sameModel) {
    // Keep the program pane's open groups when the same model's program is shown again.
    sameModel = sameModel && programModel() != nullptr && program_ != nullptr;
    std::set<std::string> expandedPaths;
    if (sameModel)
        for (const graphview::Group& g : programModel()->groups())
            if (g.id != graphview::kRootGroup && programModel()->expanded(g.id)) expandedPaths.insert(g.path);
    link_.reset();
    try {
        auto model = program_ ? std::make_shared<graphview::GraphViewModel>(*program_) : nullptr;
        if (model && sameModel) {
            for (const graphview::Group& g : model->groups())
                if (g.id != graphview::kRootGroup) model->setExpanded(g.id, expandedPaths.count(g.path) > 0);
        } else if (model && this->model()) {
            // A fresh program opens like its source graph: the same modules open or closed.
            const graphview::GraphViewModel& source = *this->model();
            for (const graphview::Group& g : model->groups()) {
                const int same = g.id == graphview::kRootGroup ? -1 : source.findGroup(g.path);
                if (same > 0) model->setExpanded(g.id, source.expanded(same));
            }
        }
        programPane_->scene()->setModel(model);
        if (model && this->model()) link_ = std::make_unique<graphview::ProgramLink>(*this->model(), *model);
    } catch (const Error& e) {
        programPane_->scene()->setModel(nullptr);
        program_.reset();
        note_ = QString::fromStdString(e.what());
    }
    programToggle_->setEnabled(programModel() && sourcePane_->isVisibleTo(this));
    if (!programModel()) setProgramVisible(false);
    else if (programVisible()) programPane_->canvas()->showStart();
    programToggle_->setChecked(programVisible());
    updateSearch();
    updateStatus();
}

void GraphView::clear() {
    setGraph(nullptr);
}

void GraphView::updateSearch() {
    const QString text = search_->text().trimmed();
    graphview::GraphViewModel* m = activePane()->scene()->model();
    matchIds_ = m ? m->search(text.toStdString()) : std::vector<int>{};
    matchIndex_ = -1;
    matches_->setText(text.isEmpty() ? QString() : tr("%n match(es)", nullptr, int(matchIds_.size())));
}

void GraphView::findNext() {
    if (matchIds_.empty()) {
        matches_->setText(search_->text().trimmed().isEmpty() ? QString() : tr("no match"));
        return;
    }
    GraphPane* pane = activePane();
    matchIndex_ = (matchIndex_ + 1) % int(matchIds_.size());
    const int node = matchIds_[size_t(matchIndex_)];
    pane->scene()->selectNode(node);
    if (QGraphicsItem* item = pane->scene()->itemForNode(node)) {
        if (pane->canvas()->zoom() < 0.6) {
            pane->canvas()->resetTransform();
            pane->canvas()->scale(0.8, 0.8);
        }
        pane->canvas()->centerOn(item);
    }
    matches_->setText(tr("%1 of %2").arg(matchIndex_ + 1).arg(matchIds_.size()));
}

void GraphView::onSelectionChanged(GraphPane* pane) {
    if (linking_) return;
    GraphScene* scene = pane->scene();
    const QList<QGraphicsItem*> selected = scene->selectedItems();
    if (!scene->model() || selected.isEmpty()) {
        inspector_->showNothing();
        return;
    }
    QGraphicsItem* item = selected.first();
    try {
        if (item->type() == NodeItem::Type) inspector_->showNode(*scene->model(), static_cast<NodeItem*>(item)->nodeId());
        else if (item->type() == GroupBoxItem::Type)
            inspector_->showGroup(*scene->model(), static_cast<GroupBoxItem*>(item)->groupId());
    } catch (const std::exception& e) {
        inspector_->setPlainText(tr("Cannot describe this op: %1").arg(QString::fromUtf8(e.what())));
    }
    // The linked ops in the other pane: what this source node became, or where this MIL op came from.
    if (!link_ || !programVisible() || !sourcePane_->isVisibleTo(this)) return;
    std::vector<int> linked;
    for (int id : scene->selectedNodeIds()) {
        const auto& other = pane == sourcePane_ ? link_->programNodesOf(id) : link_->sourceNodesOf(id);
        linked.insert(linked.end(), other.begin(), other.end());
    }
    GraphPane* otherPane = pane == sourcePane_ ? programPane_ : sourcePane_;
    linking_ = true;
    otherPane->scene()->selectNodes(linked);
    linking_ = false;
    if (!linked.empty())
        if (QGraphicsItem* first = otherPane->scene()->itemForNode(linked.front())) otherPane->canvas()->ensureVisible(first);
    updateStatus();
}

void GraphView::updateStatus() {
    QString text;
    const auto describe = [this](const graphview::GraphViewModel* m, GraphScene* scene, const QString& what) {
        const auto& v = scene->visible();
        return tr("%1: %2 nodes in %3 groups, showing %4 boxes (layout %5 ms)")
            .arg(what)
            .arg(m->nodes().size())
            .arg(m->groups().size() - 1)
            .arg(v.items.size())
            .arg(qRound(scene->lastLayoutSeconds() * 1000));
    };
    QStringList parts;
    if (const graphview::GraphViewModel* m = model()) parts << describe(m, scene(), tr("Source"));
    if (const graphview::GraphViewModel* m = programModel(); m && programVisible())
        parts << describe(m, programScene(), tr("ML Program"));
    if (link_ && programVisible()) {
        const auto source = scene()->selectedNodeIds();
        if (source.size() == 1)
            parts << tr("selected op became %n MIL op(s)", nullptr, int(link_->programNodesOf(source.front()).size()));
    }
    text = parts.isEmpty() ? tr("No graph.") : parts.join(QStringLiteral("; "));
    if (!note_.isEmpty()) text += QStringLiteral("  \u2014  ") + note_;
    status_->setText(text);
}

}  // namespace cms::ui
