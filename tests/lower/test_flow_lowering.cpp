// How recurrent layers and TorchScript control flow lower (fixtures of tests/models/gen_ops_flow.py):
// static conditions and trip counts are resolved at conversion time, run-time ones become cond and
// while_loop; gru keeps Core ML's op only when torch's new-gate hidden bias is zero; and the forms
// Core ML cannot express fail with the node and a hint.
#include <map>

#include "common/error.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

void countOps(const mil::Block& b, std::map<std::string, int>& counts) {
    for (const auto& op : b.ops) {
        ++counts[op->type];
        for (const auto& sub : op->blocks) countOps(*sub, counts);
    }
}

// Op types of the converted fixture (nested blocks included); inputs as the fixture's json lists them.
std::map<std::string, int> convertedOps(const std::string& name, const std::vector<InputSpec>& inputs) {
    test::ScratchDir dir;
    ConversionSettings s;
    s.modelPath = test::testModel(name + ".pt");
    s.outputPath = dir.path("m.mlpackage");
    s.inputs = inputs;
    s.precision = Precision::Float32;
    convertModel(s);
    std::map<std::string, int> counts;
    countOps(package::readPackage(s.outputPath).program.main().body, counts);
    return counts;
}

InputSpec input(const std::string& name, Shape shape) {
    InputSpec i;
    i.name = name;
    i.shape = std::move(shape);
    return i;
}

}  // namespace

class TestFlowLowering : public QObject {
    Q_OBJECT
private slots:
    void staticControlFlowIsResolved() {
        auto ops = convertedOps("op_loop_for_static", {input("x", {2, 3})});
        QCOMPARE(ops["while_loop"], 0);
        QCOMPARE(ops["mul"], 3);  // one per unrolled iteration
        ops = convertedOps("op_loop_list_append_stack", {input("x", {2, 3})});
        QCOMPARE(ops["while_loop"], 0);
        QCOMPARE(ops["tanh"], 4);
        QCOMPARE(ops["stack"], 1);
    }

    void runTimeControlFlowStays() {
        auto ops = convertedOps("op_if_data_dependent", {input("x", {2, 3})});
        QCOMPARE(ops["cond"], 1);
        ops = convertedOps("op_loop_while_data_dependent", {input("x", {2, 3})});
        QCOMPARE(ops["while_loop"], 1);
        ops = convertedOps("op_loop_branch_inside", {input("x", {2, 3})});
        QCOMPARE(ops["while_loop"], 0);
        QCOMPARE(ops["cond"], 3);  // a run-time branch in each of the three unrolled iterations
    }

    void gruUsesCoreMlsOpOnlyWhenItMatchesTorch() {
        // Random biases: torch adds the new gate's hidden bias inside the reset gate, Core ML outside.
        auto ops = convertedOps("op_gru", {input("x", {5, 2, 4})});
        QCOMPARE(ops["gru"], 0);
        QCOMPARE(ops["tanh"], 5);
        ops = convertedOps("op_gru_no_bias_bidirectional", {input("x", {5, 2, 4})});
        QCOMPARE(ops["gru"], 2);
        QCOMPARE(ops["reverse"], 2);
        ops = convertedOps("op_lstm_bidirectional", {input("x", {6, 2, 4})});
        QCOMPARE(ops["lstm"], 2);  // one per layer, both directions in one op
    }

    void unconvertibleFormsNameTheNode() {
        try {
            convertedOps("flow_lstm_proj", {input("x", {5, 2, 4})});
            QFAIL("an LSTM with proj_size converted");
        } catch (const Error& e) {
            QVERIFY2(contains(e.message(), "proj_size"), e.what());
            QVERIFY2(contains(e.node(), "aten::lstm"), e.node().c_str());
            QVERIFY2(contains(e.hint(), "nn.Linear"), e.hint().c_str());
        }
        try {
            convertedOps("flow_list_in_runtime_loop", {input("x", {2, 3})});
            QFAIL("a list grown in a run-time loop converted");
        } catch (const Error& e) {
            QVERIFY2(contains(e.message(), "is changed inside a loop"), e.what());
            QVERIFY2(contains(e.node(), "prim::Loop"), e.node().c_str());
            QVERIFY2(contains(e.hint(), "unrolled"), e.hint().c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestFlowLowering)
#include "test_flow_lowering.moc"
