// The ML Program in the graph view: MIL ops grouped by the module path lowering stamped on them,
// selection linked between a source node and the MIL ops it became (both ways), the inspector for a
// MIL op, and a package read from disk shown and linked through its provenance sidecar.
#include "converter.h"
#include "graph/graph_items.h"
#include "graph/graph_pane.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graph/node_inspector.h"
#include "graphview/graph_view_model.h"
#include "graphview/node_details.h"
#include "graphview/program_link.h"
#include "conversion_runner.h"
#include "support/test_support.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>

#include <set>

using namespace cms;
using namespace cms::graphview;

namespace {

ConversionSettings resnetSettings() {
    ConversionSettings s;
    s.inputs.push_back(parseInputSpec("x:1x3x224x224"));
    s.precision = Precision::Float32;
    return s;
}

struct Converted {
    std::shared_ptr<ir::Graph> graph;
    std::shared_ptr<mil::Program> program;
};

Converted convertedResnet18() {
    Converted c;
    c.graph = std::make_shared<ir::Graph>(importModel(test::testModel("tv_resnet18.pt")));
    c.program = std::make_shared<mil::Program>(buildProgram(*c.graph, completeSettings(*c.graph, resnetSettings())));
    return c;
}

int nodeNamed(const GraphViewModel& m, const std::string& name) {
    for (const DisplayNode& n : m.nodes())
        if (n.name == name) return n.id;
    return -1;
}

std::set<std::string> topLevelGroups(const GraphViewModel& m) {
    std::set<std::string> out;
    for (int g : m.group(kRootGroup).groups) out.insert(m.group(g).path);
    return out;
}

}  // namespace

class TestProgramView : public QObject {
    Q_OBJECT
private slots:
    void milOpsAreGroupedLikeTheSourceGraph() {
        const Converted c = convertedResnet18();
        const GraphViewModel source(*c.graph);
        const GraphViewModel program(*c.program);
        QVERIFY(program.isProgram());
        QCOMPARE(topLevelGroups(program), topLevelGroups(source));
        QCOMPARE(topLevelGroups(program), (std::set<std::string>{"layer1", "layer2", "layer3", "layer4"}));
        const int block = program.findGroup("layer1.0");
        QVERIFY(block > 0);
        QCOMPARE(program.group(block).parent, program.findGroup("layer1"));
        // One MIL conv for the torch conv, inside its block; constants are folded into it.
        const int conv = nodeNamed(program, "layer4.1.conv2/conv");
        QVERIFY(conv >= 0);
        QCOMPARE(program.group(program.nodes()[conv].group).path, std::string("layer4.1"));
        QCOMPARE(program.nodes()[conv].family, OpFamily::Conv);
        for (const DisplayNode& n : program.nodes()) QVERIFY(n.kind != "const");
        bool shaped = false;
        for (const DisplayEdge& e : program.edges()) shaped |= e.to == conv && e.label == "1x512x7x7";
        QVERIFY(shaped);
        // Collapsed, the same boxes as the source graph's top level.
        GraphViewModel collapsed(*c.program);
        collapsed.collapseAll();
        std::set<std::string> boxes;
        for (const auto& item : collapsed.visibleGraph().items)
            if (item.isGroup) boxes.insert(collapsed.group(item.id).path);
        QCOMPARE(boxes, (std::set<std::string>{"layer1", "layer2", "layer3", "layer4"}));

        const NodeDetails d = describeNode(program, conv);
        QCOMPARE(d.kind, std::string("conv"));
        QCOMPARE(d.sourceOp, std::string("aten::_convolution"));
        QCOMPARE(d.modulePath, std::string("layer4.1.conv2"));
        QVERIFY(!d.milName.empty());
        // The weight, and the bias the batch norm folded into it.
        QCOMPARE(d.weights.size(), size_t(2));
        QCOMPARE(d.weights[0].shape, (Shape{512, 512, 3, 3}));
        QCOMPARE(d.weights[1].shape, (Shape{512}));
        QVERIFY(d.weights[0].hasRange && d.weights[0].min < d.weights[0].max);
        QCOMPARE(d.outputs.size(), size_t(1));
        QCOMPARE(d.outputs[0].type, std::string("fp32 1x512x7x7"));
    }

    void linkMapsSourceNodesToTheirMilOpsAndBack() {
        const Converted c = convertedResnet18();
        const GraphViewModel source(*c.graph);
        const GraphViewModel program(*c.program);
        const ProgramLink link(source, program);
        const int conv = nodeNamed(source, "layer4.1.conv2");
        QVERIFY(conv >= 0);
        const std::vector<int>& ops = link.programNodesOf(conv);
        QCOMPARE(ops.size(), size_t(1));
        QCOMPARE(program.nodes()[ops[0]].kind, std::string("conv"));
        QCOMPARE(link.sourceNodesOf(ops[0]), std::vector<int>{conv});
        // The two residual adds of layer1 are told apart though they share module and op.
        const int add0 = nodeNamed(source, "layer1.0/add"), add1 = nodeNamed(source, "layer1.1/add");
        QVERIFY(add0 >= 0 && add1 >= 0);
        QCOMPARE(link.programNodesOf(add0).size(), size_t(1));
        QVERIFY(link.programNodesOf(add0) != link.programNodesOf(add1));
        // Inputs and outputs link to the function's.
        QCOMPARE(program.nodes()[link.programNodesOf(0).at(0)].family, OpFamily::Input);
        // Batch norms are fused into their convolutions by the passes: nothing of their own to show.
        const int bn = nodeNamed(source, "layer4.1.bn2");
        QVERIFY(bn >= 0);
        QVERIFY(link.programNodesOf(bn).empty());
    }

    void selectingInOnePaneSelectsTheLinkedOpsInTheOther() {
        const Converted c = convertedResnet18();
        ui::GraphView view;
        view.resize(1400, 800);
        view.show();
        view.setGraph(c.graph, {}, c.program);
        QVERIFY(view.programModel());
        QVERIFY(view.programToggle()->isEnabled());
        QVERIFY(!view.programVisible());
        // The program opens with the source graph's groups open or closed.
        const int layer1 = view.programModel()->findGroup("layer1");
        QVERIFY(!view.model()->expanded(view.model()->findGroup("layer1")));
        QVERIFY(!view.programModel()->expanded(layer1));
        view.programToggle()->trigger();
        QVERIFY(view.programVisible());
        QVERIFY(!view.programScene()->items().isEmpty());

        const GraphViewModel& program = *view.programModel();
        const int conv = nodeNamed(*view.model(), "layer4.1.conv2");
        view.scene()->selectNode(conv);  // expands layer4 > layer4.1 in the source pane
        const std::vector<int> selected = view.programScene()->selectedNodeIds();
        QCOMPARE(selected.size(), size_t(1));
        QCOMPARE(program.nodes()[selected[0]].name, std::string("layer4.1.conv2/conv"));
        // The program pane opened the groups around it.
        QVERIFY(view.programScene()->itemForNode(selected[0])->type() == ui::NodeItem::Type);
        QVERIFY(view.statusLabel()->text().contains("became 1 MIL op"));
        QVERIFY(view.inspector()->toPlainText().contains("aten::_convolution"));

        // The reverse: a MIL op selects its source node, and the inspector shows the MIL op.
        const int add = nodeNamed(program, "layer2.1/add");
        QVERIFY(add >= 0);
        view.programScene()->selectNode(add);
        const std::vector<int> sourceSelected = view.scene()->selectedNodeIds();
        QCOMPARE(sourceSelected.size(), size_t(1));
        QCOMPARE(view.model()->nodes()[sourceSelected[0]].name, std::string("layer2.1/add"));
        QVERIFY(view.inspector()->toPlainText().contains("MIL name"));

        // Hidden, the program pane is left alone.
        view.programToggle()->trigger();
        QVERIFY(!view.programVisible());
        view.scene()->selectNode(conv);
        QCOMPARE(view.programScene()->selectedNodeIds(), std::vector<int>{add});
    }

    void aPackageFromDiskShowsItsProgramAndLinksThroughItsSidecar() {
        test::ScratchDir dir;
        ConversionSettings s = resnetSettings();
        s.modelPath = test::testModel("tv_resnet18.pt");
        s.outputPath = dir.path("r18.mlpackage");
        convertModel(s);

        ui::ConversionRunner runner;
        QSignalSpy opened(&runner, &ui::ConversionRunner::packageOpened);
        QSignalSpy failed(&runner, &ui::ConversionRunner::failed);
        runner.openPackage(QString::fromStdString(s.outputPath));
        QTRY_VERIFY_WITH_TIMEOUT(opened.count() + failed.count() > 0, 30000);
        QCOMPARE(failed.count(), 0);
        const auto info = opened.at(0).at(0).value<ui::PackageInfo>();
        QVERIFY(info.program);
        QVERIFY(info.note.isEmpty());

        ui::GraphView view;
        view.resize(1000, 700);
        view.show();
        view.showProgramOnly(info.program, info.path);
        QVERIFY(view.programVisible());
        QVERIFY(!view.sourcePane()->isVisibleTo(&view));
        QVERIFY(!view.programToggle()->isEnabled());
        QVERIFY(view.programModel()->findGroup("layer1.0") > 0);
        QVERIFY(nodeNamed(*view.programModel(), "layer4.1.conv2/conv") >= 0);
        // Search acts on the program pane when it is the only one.
        view.searchEdit()->setText("layer3.0.conv1");
        view.findNext();
        QCOMPARE(view.programScene()->selectedNodeIds().size(), size_t(1));

        // Node ids survive the sidecar: a fresh import of the model links op by op.
        const ir::Graph graph = importModel(s.modelPath);
        const GraphViewModel source(graph);
        const ProgramLink link(source, *view.programModel());
        const int add0 = nodeNamed(source, "layer1.0/add"), add1 = nodeNamed(source, "layer1.1/add");
        QCOMPARE(link.programNodesOf(add0).size(), size_t(1));
        QCOMPARE(link.programNodesOf(add1).size(), size_t(1));
        QVERIFY(link.programNodesOf(add0) != link.programNodesOf(add1));
    }
};

QTEST_MAIN(TestProgramView)
#include "test_program_view.moc"
