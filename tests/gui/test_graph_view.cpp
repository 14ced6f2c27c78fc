// The graph view: module-path grouping and collapse state of the view model, Graphviz layout,
// search with jump-to, the inspector, and the main window showing the opened model's graph.
#include "graph/graph_canvas.h"
#include "graph/graph_items.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph/minimap.h"
#include "graph/node_inspector.h"
#include "graphview/graph_view_model.h"
#include "graphview/node_details.h"
#include "lower/lowering.h"
#include "main_window.h"
#include "converter.h"
#include "support/test_support.h"

#include <QApplication>
#include <QLabel>
#include <QWheelEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>

using namespace cms;
using namespace cms::graphview;
namespace fs = std::filesystem;

namespace {

// resnet18 imported and lowered for a 224x224 image, so values carry shapes.
std::shared_ptr<ir::Graph> loweredResnet18() {
    auto graph = std::make_shared<ir::Graph>(importModel(test::testModel("tv_resnet18.pt")));
    ConversionSettings s;
    s.inputs.push_back(parseInputSpec("x:1x3x224x224"));
    lower::lowerGraph(*graph, completeSettings(*graph, s));
    return graph;
}

int nodeNamed(const GraphViewModel& m, const std::string& name) {
    for (const DisplayNode& n : m.nodes())
        if (n.name == name) return n.id;
    return -1;
}

std::set<std::string> visibleGroupBoxes(const GraphViewModel& m) {
    std::set<std::string> out;
    for (const auto& item : m.visibleGraph().items)
        if (item.isGroup) out.insert(m.group(item.id).path);
    return out;
}

}  // namespace

class TestGraphView : public QObject {
    Q_OBJECT
private slots:
    void groupsResnetByModulePath() {
        const auto graph = loweredResnet18();
        GraphViewModel m(*graph);

        // Groups nest by path; a single-op module (conv2) is an op of its block, not a group.
        const int layer1 = m.findGroup("layer1");
        const int block = m.findGroup("layer1.0");
        QVERIFY(layer1 > 0 && block > 0);
        QCOMPARE(m.group(block).parent, layer1);
        QCOMPARE(m.group(layer1).parent, kRootGroup);
        QCOMPARE(m.findGroup("layer4.1.conv2"), -1);
        QVERIFY(m.findGroup("layer2.0.downsample") > 0);
        const int conv = nodeNamed(m, "layer4.1.conv2");
        QVERIFY(conv >= 0);
        QCOMPARE(m.group(m.nodes()[conv].group).path, std::string("layer4.1"));
        QCOMPARE(m.nodes()[conv].family, OpFamily::Conv);
        QCOMPARE(m.nodes()[conv].label, std::string("conv2"));
        // The residual add belongs to the block itself.
        QVERIFY(nodeNamed(m, "layer1.0/add") >= 0);
        // Constants (weights, strides) are folded into their consumers: no node for them.
        for (const DisplayNode& n : m.nodes()) QVERIFY(n.kind != "prim::ListConstruct");

        // Large enough to open collapsed: the top level is a handful of boxes.
        const VisibleGraph collapsed = m.visibleGraph();
        QVERIFY2(collapsed.items.size() <= 16, qPrintable(QString::number(collapsed.items.size())));
        QCOMPARE(visibleGroupBoxes(m), (std::set<std::string>{"layer1", "layer2", "layer3", "layer4"}));
        QVERIFY(collapsed.clusters.empty());

        m.setExpanded(layer1, true);
        QCOMPARE(visibleGroupBoxes(m),
                 (std::set<std::string>{"layer1.0", "layer1.1", "layer2", "layer3", "layer4"}));
        QCOMPARE(m.visibleGraph().clusters, std::vector<int>{layer1});
        QCOMPARE(m.hidingGroup(conv), m.findGroup("layer4"));
        m.reveal(conv);
        QCOMPARE(m.hidingGroup(conv), -1);
        QVERIFY(m.visibleGraph().itemOfNode(conv) >= 0);
    }

    void edgesCarryShapes() {
        const auto graph = loweredResnet18();
        GraphViewModel m(*graph);
        const int conv1 = nodeNamed(m, "conv1"), bn1 = nodeNamed(m, "bn1");
        QVERIFY(conv1 >= 0 && bn1 >= 0);
        bool found = false;
        for (const DisplayEdge& e : m.edges()) {
            if (e.from == conv1 && e.to == bn1) {
                QCOMPARE(e.label, std::string("1x64x112x112"));
                found = true;
            }
        }
        QVERIFY(found);
        // Edges re-routed to collapsed boxes keep the tensor's shape: maxpool -> layer1.
        const VisibleGraph v = m.visibleGraph();
        const int pool = v.itemOfNode(nodeNamed(m, "maxpool")), layer1 = v.itemOfGroup(m.findGroup("layer1"));
        QVERIFY(pool >= 0 && layer1 >= 0);
        found = false;
        for (const auto& e : v.edges) {
            if (e.from == pool && e.to == layer1) {
                QCOMPARE(e.label, std::string("1x64x56x56"));
                found = true;
            }
        }
        QVERIFY(found);
        // Without lowering there are no shapes to show.
        const ir::Graph plain = importModel(test::testModel("tv_resnet18.pt"));
        GraphViewModel unshaped(plain);
        for (const DisplayEdge& e : unshaped.edges()) QVERIFY(e.label.empty());
    }

    void inspectorDescribesTheConv() {
        const auto graph = loweredResnet18();
        GraphViewModel m(*graph);
        const NodeDetails d = describeNode(m, nodeNamed(m, "layer4.1.conv2"));
        QCOMPARE(d.modulePath, std::string("layer4.1.conv2"));
        QVERIFY(!d.weights.empty());
        QCOMPARE(shapeToString(d.weights[0].shape), std::string("512x512x3x3"));
        QCOMPARE(d.weights[0].bytes, size_t(512 * 512 * 9 * 4));
        QVERIFY(d.weights[0].hasRange && d.weights[0].min < 0 && d.weights[0].max > 0);
        QCOMPARE(d.outputs.size(), size_t(1));
        QCOMPARE(d.outputs[0].type, std::string("fp32 1x512x7x7"));
        QVERIFY(!d.file.empty() && d.line > 0);
        // Constant inputs are attributes named by the op's schema.
        const auto attribute = [](const NodeDetails& details, const std::string& name) {
            for (const auto& [key, value] : details.attributes)
                if (key == name) return value;
            return std::string("(missing)");
        };
        QCOMPARE(attribute(d, "stride"), std::string("[1, 1]"));
        QCOMPARE(attribute(d, "padding"), std::string("[1, 1]"));
        QCOMPARE(attribute(d, "groups"), std::string("1"));
        QCOMPARE(attribute(d, "bias"), std::string("None"));
        const NodeDetails down = describeNode(m, nodeNamed(m, "layer2.0.downsample.0"));
        QCOMPARE(attribute(down, "stride"), std::string("[2, 2]"));
        QCOMPARE(attribute(down, "padding"), std::string("[0, 0]"));
    }

    void searchJumpsToTheConvAndInspectsIt() {
        ui::GraphView view;
        view.resize(1000, 700);
        view.show();
        view.setGraph(loweredResnet18());
        QVERIFY(view.model());
        QVERIFY(view.scene()->visible().items.size() <= 16);

        view.searchEdit()->setText("layer4.1.conv2");
        view.findNext();
        const int conv = nodeNamed(*view.model(), "layer4.1.conv2");
        QCOMPARE(view.scene()->selectedNodeId(), conv);
        QVERIFY(view.model()->expanded(view.model()->findGroup("layer4")));
        QVERIFY(view.model()->expanded(view.model()->findGroup("layer4.1")));
        QGraphicsItem* item = view.scene()->itemForNode(conv);
        QVERIFY(item && item->type() == ui::NodeItem::Type);
        QVERIFY(view.canvas()->visibleSceneRect().contains(item->sceneBoundingRect().center()));
        const QString text = view.inspector()->toPlainText();
        QVERIFY2(text.contains("512x512x3x3"), qPrintable(text));
        QVERIFY(text.contains("layer4.1.conv2"));
        QVERIFY(text.contains("aten::_convolution"));

        // Search by op: every convolution, Enter cycles through them.
        view.searchEdit()->setText("_convolution");
        view.findNext();
        const int first = view.scene()->selectedNodeId();
        view.findNext();
        QVERIFY(view.scene()->selectedNodeId() != first);
        QCOMPARE(view.model()->nodes()[view.scene()->selectedNodeId()].family, OpFamily::Conv);
    }

    void layoutIsFiniteAndSiblingsDoNotOverlap() {
        ui::GraphView view;
        view.setGraph(loweredResnet18());
        auto* m = view.model();
        view.scene()->setGroupExpanded(m->findGroup("layer1"), true);
        view.scene()->setGroupExpanded(m->findGroup("layer1.0"), true);
        const auto& visible = view.scene()->visible();
        const auto& layout = view.scene()->layout();
        QCOMPARE(layout.nodeCenters.size(), visible.items.size());
        QVERIFY(visible.items.size() > 14);
        for (size_t i = 0; i < visible.items.size(); ++i) {
            QVERIFY(std::isfinite(layout.nodeCenters[i].x) && std::isfinite(layout.nodeCenters[i].y));
            const QGraphicsItem* a = visible.items[i].isGroup ? view.scene()->itemForGroup(visible.items[i].id)
                                                              : view.scene()->itemForNode(visible.items[i].id);
            QVERIFY(a);
            for (size_t j = i + 1; j < visible.items.size(); ++j) {
                if (visible.items[i].cluster != visible.items[j].cluster) continue;
                const QGraphicsItem* b = visible.items[j].isGroup ? view.scene()->itemForGroup(visible.items[j].id)
                                                                  : view.scene()->itemForNode(visible.items[j].id);
                QVERIFY2(!a->sceneBoundingRect().adjusted(2, 2, -2, -2).intersects(
                             b->sceneBoundingRect().adjusted(2, 2, -2, -2)),
                         qPrintable(QString("items %1 and %2 overlap").arg(i).arg(j)));
            }
            // Each item lies inside the frame of the expanded group around it.
            if (visible.items[i].cluster > kRootGroup) {
                const QGraphicsItem* frame = view.scene()->itemForGroup(visible.items[i].cluster);
                QVERIFY(frame && frame->type() == ui::ClusterItem::Type);
                QVERIFY(frame->boundingRect().contains(a->sceneBoundingRect().center()));
            }
        }
        // Collapsing again re-lays out to the smaller graph.
        view.scene()->setGroupExpanded(m->findGroup("layer1"), false);
        QVERIFY(view.scene()->visible().items.size() <= 16);
        QCOMPARE(view.scene()->layout().nodeCenters.size(), view.scene()->visible().items.size());
    }

    void zoomPanFitAndDoubleClickWithMouseAndKeyboard() {
        ui::GraphView view;
        view.resize(900, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setGraph(loweredResnet18());
        ui::GraphCanvas* canvas = view.canvas();
        canvas->setFocus();

        const double before = canvas->zoom();
        QTest::keyClick(canvas, Qt::Key_Equal, Qt::ControlModifier);
        QVERIFY(canvas->zoom() > before * 1.2);
        QTest::keyClick(canvas, Qt::Key_Minus, Qt::ControlModifier);
        QVERIFY(std::abs(canvas->zoom() - before) < 1e-6);
        // Zoomed in far enough to scroll, the arrow keys pan.
        canvas->zoomBy(3.0);
        const QPointF center = canvas->visibleSceneRect().center();
        QTest::keyClick(canvas, Qt::Key_Down);
        QVERIFY(canvas->visibleSceneRect().center().y() > center.y());
        // The wheel zooms.
        const double wheelBefore = canvas->zoom();
        QWheelEvent wheel(QPointF(100, 100), canvas->viewport()->mapToGlobal(QPointF(100, 100)), QPoint(),
                          QPoint(0, -240), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(canvas->viewport(), &wheel);
        QVERIFY(canvas->zoom() < wheelBefore);
        // Fit shows the whole graph.
        QTest::keyClick(canvas, Qt::Key_0, Qt::ControlModifier);
        QVERIFY(canvas->visibleSceneRect().adjusted(-2, -2, 2, 2).contains(view.scene()->itemsBoundingRect()));

        // Double-clicking a collapsed group box expands it; double-clicking its frame's header collapses it.
        auto* m = view.model();
        const int layer2 = m->findGroup("layer2");
        QVERIFY(!m->expanded(layer2));
        const auto clickAt = [canvas](QPointF scenePoint) {
            const QPoint p = canvas->mapFromScene(scenePoint);
            QTest::mouseDClick(canvas->viewport(), Qt::LeftButton, Qt::NoModifier, p);
        };
        clickAt(view.scene()->itemForGroup(layer2)->sceneBoundingRect().center());
        QVERIFY(m->expanded(layer2));
        QGraphicsItem* frame = view.scene()->itemForGroup(layer2);
        QVERIFY(frame && frame->type() == ui::ClusterItem::Type);
        canvas->centerOn(frame);
        clickAt(frame->boundingRect().topLeft() + QPointF(30, 8));
        QVERIFY(!m->expanded(layer2));

        // The minimap moves the main view to where it is clicked.
        canvas->zoomBy(4.0);
        ui::Minimap* minimap = view.minimap();
        minimap->refit();
        const QPointF target = view.scene()->itemsBoundingRect().bottomLeft() + QPointF(40, -40);
        QTest::mouseClick(minimap->viewport(), Qt::LeftButton, Qt::NoModifier, minimap->mapFromScene(target));
        QVERIFY(QLineF(canvas->visibleSceneRect().center(), target).length() <
                std::max(canvas->visibleSceneRect().width(), canvas->visibleSceneRect().height()) / 2);
    }

    void mainWindowShowsTheOpenedGraphWithShapes() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo_cnn.settings.json")) << R"({"inputs": [{"name": "image", "shape": [1, 3, 64, 64]}]})";
        ui::MainWindow w;
        QSignalSpy ready(w.runner(), &ui::ConversionRunner::programReady);
        w.openModel(QString::fromStdString(dir.path("demo_cnn.pt")));
        // Drawn at once from the import; the shapes come with the lowering that follows.
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 30000);
        const GraphViewModel& m = *w.graphView()->model();
        QVERIFY(m.nodes().size() > 3);
        bool shaped = false;
        for (const DisplayEdge& e : m.edges()) shaped |= e.label == "1x3x64x64";
        QVERIFY(shaped);
        QVERIFY(!w.graphView()->scene()->items().isEmpty());
    }

    void moduleOutlineIsDrawnFirstAndTheFullGraphReplacesIt() {
        ui::MainWindow w;
        QSignalSpy ready(w.runner(), &ui::ConversionRunner::programReady);
        bool checkedOutline = false;
        // Connected after the window's own handler: the graph as first drawn.
        QObject::connect(w.runner(), &ui::ConversionRunner::modelOpened, &w, [&] {
            const GraphViewModel& m = *w.graphView()->model();
            QVERIFY(m.isModuleOutline());
            std::vector<std::string> top;
            for (int g : m.group(kRootGroup).groups) {
                top.push_back(m.group(g).path);
                QVERIFY(!m.expanded(g));
            }
            QCOMPARE(top, (std::vector<std::string>{"stem", "block1", "block2", "pool", "classifier"}));
            QCOMPARE(m.group(m.findGroup("block1")).moduleType, std::string("BasicBlock"));
            // The collapsed boxes are linked as forward() calls them; flatten is the root's own op.
            const VisibleGraph v = m.visibleGraph();
            const auto linked = [&](const std::string& from, const std::string& to) {
                const int a = v.itemOfGroup(m.findGroup(from));
                const int b = to == "flatten" ? v.itemOfNode(nodeNamed(m, "flatten")) : v.itemOfGroup(m.findGroup(to));
                return std::any_of(v.edges.begin(), v.edges.end(),
                                   [&](const VisibleGraph::Edge& e) { return e.from == a && e.to == b; });
            };
            QVERIFY(linked("stem", "block1"));
            QVERIFY(linked("block1", "block2"));
            QVERIFY(linked("block2", "pool"));
            QVERIFY(linked("pool", "flatten"));
            QVERIFY(!linked("stem", "block2"));
            // Opened before the full graph arrives: it shows expanded once that graph is there.
            w.graphView()->scene()->setGroupExpanded(m.findGroup("block1"), true);
            checkedOutline = true;
        });
        w.openModel(QString::fromStdString(test::testModel("demo_cnn.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 30000);
        QVERIFY(checkedOutline);
        const GraphViewModel& full = *w.graphView()->model();
        QVERIFY(!full.isModuleOutline());
        const int block1 = full.findGroup("block1");
        QVERIFY(block1 > 0 && full.expanded(block1));
        QVERIFY(full.findGroup("block1.downsample") > 0);
        QVERIFY(full.group(block1).totalNodes >= 7);  // conv1, bn1, relu, conv2, bn2, add, relu, downsample
        QVERIFY(nodeNamed(full, "block1.conv1") >= 0);
    }

    void editingAnInputShapeRelabelsTheEdges() {
        ui::MainWindow w;
        w.openModel(QString::fromStdString(test::testModel("demo_cnn.pt")));  // no settings file: no shapes
        // The full graph, after the module outline drawn first.
        QTRY_VERIFY_WITH_TIMEOUT(w.graphView()->model() && !w.graphView()->model()->isModuleOutline(), 30000);
        QVERIFY(w.graphView()->statusLabel()->text().contains("once every input has a shape"));
        const auto hasLabel = [&w](const std::string& label) {
            for (const DisplayEdge& e : w.graphView()->model()->edges())
                if (e.label == label) return true;
            return false;
        };
        QVERIFY(!hasLabel("1x3x96x96"));
        // Collapse a group: the refreshed graph keeps the user's collapse state.
        const int block1 = w.graphView()->model()->findGroup("block1");
        QVERIFY(block1 > 0);
        w.graphView()->scene()->setGroupExpanded(block1, false);

        w.inputsTable()->item(0, 1)->setText("1x3x96x96");
        QTRY_VERIFY_WITH_TIMEOUT(hasLabel("1x3x96x96"), 30000);
        QVERIFY(!w.graphView()->statusLabel()->text().contains("once every input has a shape"));
        QVERIFY(!w.graphView()->model()->expanded(w.graphView()->model()->findGroup("block1")));
        QVERIFY(w.graphView()->model()->expanded(w.graphView()->model()->findGroup("block2")));
        // Conversions are not held up by the refresh: they run on their own worker.
        QVERIFY(w.convertButton()->isEnabled());
    }

    void fallsBackToTheGraphWithoutShapesWhenLoweringFails() {
        test::ScratchDir dir;
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo_cnn.settings.json")) << R"({"inputs": [{"name": "image", "shape": [1, 4, 64, 64]}]})";
        ui::MainWindow w;
        QSignalSpy ready(w.runner(), &ui::ConversionRunner::programReady);
        w.openModel(QString::fromStdString(dir.path("demo_cnn.pt")));
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 30000);
        QVERIFY(!w.graphView()->programToggle()->isEnabled());
        QVERIFY2(w.graphView()->statusLabel()->text().contains("lowering failed"),
                 qPrintable(w.graphView()->statusLabel()->text()));
        QVERIFY(w.graphView()->model()->nodes().size() > 3);
        QCOMPARE(w.inputsTable()->rowCount(), 1);
    }
};

QTEST_MAIN(TestGraphView)
#include "test_graph_view.moc"
