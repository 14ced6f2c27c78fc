// The IR graph: values, constants, nodes with nested blocks, execution order, dumps and provenance text.
#include "ir/graph.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::ir;

class TestIrGraph : public QObject {
    Q_OBJECT
private slots:
    void constantsKnowTheirKind() {
        Graph g;
        QCOMPARE(g.newConstant("n", NoneValue{})->kind, ValueKind::None);
        QCOMPARE(g.newConstant("i", int64_t{3})->kind, ValueKind::Int);
        QCOMPARE(g.newConstant("l", std::vector<int64_t>{1, 2})->typeName, std::string("int[]"));
        Value* w = g.newConstant("w", Tensor::zeros(DType::Float32, {4, 2}));
        QCOMPARE(w->kind, ValueKind::Tensor);
        QVERIFY(w->shapeKnown);
        QCOMPARE(w->shape, (Shape{4, 2}));
        QCOMPARE(constantToString(*w->constant), std::string("Tensor<fp32 4x2>"));
        QCOMPARE(constantToString(Constant{std::vector<int64_t>{1, 2}}), std::string("[1, 2]"));
    }

    void allNodesFollowsExecutionOrderIntoSubBlocks() {
        Graph g;
        Value* x = g.newValue("x", ValueKind::Tensor, "Tensor");
        g.top().inputs.push_back(x);
        Node* relu = g.newNode("aten::relu", Provenance{"act", "ReLU", "aten::relu", "/src/model.py", 12});
        relu->inputs = {x};
        relu->outputs = {g.newValue("r", ValueKind::Tensor)};
        Node* branch = g.newNode("prim::If");
        Block* thenBlock = g.newBlock();
        Node* inner = g.newNode("aten::neg");
        inner->inputs = {relu->outputs[0]};
        inner->outputs = {g.newValue("n", ValueKind::Tensor)};
        thenBlock->nodes.push_back(inner);
        branch->blocks.push_back(thenBlock);
        Node* last = g.newNode("aten::sigmoid");
        last->inputs = {relu->outputs[0]};
        last->outputs = {g.newValue("s", ValueKind::Tensor)};
        g.top().nodes = {relu, branch, last};
        g.top().outputs = {last->outputs[0]};

        std::vector<std::string> kinds;
        for (const Node* n : g.allNodes()) kinds.push_back(n->kind);
        QCOMPARE(kinds, (std::vector<std::string>{"aten::relu", "prim::If", "aten::neg", "aten::sigmoid"}));
        QCOMPARE(g.nodeCount(), size_t(4));

        const std::string dump = dumpGraph(g);
        QVERIFY2(dump.find("%r = aten::relu(%x)  # act (aten::relu, model.py:12)") != std::string::npos, dump.c_str());
        QVERIFY2(dump.find("return (%s)") != std::string::npos, dump.c_str());
    }

    void provenanceDescribesWhatIsKnown() {
        QCOMPARE(Provenance{}.describe(), std::string("<top>"));
        QCOMPARE((Provenance{"layer1.0.conv1", "Conv2d", "aten::_convolution", "", 0}.describe()),
                 std::string("layer1.0.conv1 (aten::_convolution)"));
        QCOMPARE((Provenance{"", "", "", "/a/b/net.py", 7}.describe()), std::string("<top> (net.py:7)"));
        QVERIFY(Provenance{}.empty());
    }
};

QTEST_APPLESS_MAIN(TestIrGraph)
#include "test_ir_graph.moc"
