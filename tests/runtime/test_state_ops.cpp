// States by hand: read_state / coreml_update_state type inference, the package form Core ML expects
// (a state-typed function input, write_state then read_state, the description's state feature) read back
// to the same program, and the interpreter's state object accumulating across runs.
#include <algorithm>
#include <fstream>

#include "common/error.h"
#include "mil/builder.h"
#include "mil/op_registry.h"
#include "package/package.h"
#include "package/proto/model.pb.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

using namespace cms;

namespace {

// acc (state fp16 [2]) += x; returns the new sum.
mil::Program accumulator() {
    mil::Program p;
    p.target = mil::Target::iOS18;
    mil::Function& f = p.addFunction("main", p.target);
    mil::Value* x = p.newValueNamed("x", {DType::Float16, {2}});
    mil::Value* acc = p.newValueNamed("acc", {DType::Float16, {2}, true});
    f.inputs = {x, acc};
    mil::Builder b(p, f.body, p.target);
    mil::Value* old = b.add1("read_state", {{"input", {acc}}}, "acc_read");
    mil::Value* sum = b.add1("add", {{"x", {old}}, {"y", {x}}}, "sum");
    mil::Value* written = b.add1("coreml_update_state", {{"state", {acc}}, {"value", {sum}}}, "acc_update");
    mil::Value* one = b.constant(Tensor::fromFloats({1.0f}, {1}).castTo(DType::Float16), "one");
    f.body.outputs.push_back(b.add1("mul", {{"x", {written}}, {"y", {one}}}, "y"));
    return p;
}

package::ModelDescription accumulatorDescription() {
    package::ModelDescription d;
    package::FeatureDescription x, y, acc;
    x.name = "x", x.dtype = DType::Float16, x.shape = {2};
    y.name = "y", y.dtype = DType::Float16, y.shape = {2};
    acc.name = "acc", acc.dtype = DType::Float16, acc.shape = {2};
    d.inputs = {x};
    d.outputs = {y};
    d.states = {acc};
    return d;
}

QString inferError(const mil::Operation& op) {
    try {
        mil::inferTypes(op, mil::Target::iOS18);
    } catch (const Error& e) {
        return QString::fromStdString(e.what());
    }
    return "no error";
}

}  // namespace

class TestStateOps : public QObject {
    Q_OBJECT
private slots:
    void typeInference() {
        mil::Program p = accumulator();
        const auto& ops = p.main().body.ops;
        const mil::Operation& read = *ops[0];
        QCOMPARE(mil::inferTypes(read, mil::Target::iOS18).at(0), (mil::TensorType{DType::Float16, {2}}));
        QVERIFY(!mil::OpRegistry::instance().find("read_state", mil::Target::iOS17));
        // read_state of a plain tensor, and a value of another type than the state's, are refused.
        mil::Operation bad;
        bad.type = "read_state";
        bad.name = "bad";
        bad.inputs = {{"input", {p.main().inputs[0]}}};
        QVERIFY2(inferError(bad).contains("must be a state"), qPrintable(inferError(bad)));
        mil::Operation update;
        update.type = "coreml_update_state";
        update.name = "u";
        mil::Value* wide = p.newValueNamed("wide", {DType::Float16, {3}});
        update.inputs = {{"state", {p.main().inputs[1]}}, {"value", {wide}}};
        QVERIFY2(inferError(update).contains("must have the type of the state"), qPrintable(inferError(update)));
    }

    void packageFormAndRoundTrip() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("acc.mlpackage");
        package::writePackage(accumulator(), accumulatorDescription(), pkg);
        cms::coreml::Model m;
        std::ifstream in(pkg + "/Data/com.apple.CoreML/model.mlmodel", std::ios::binary);
        QVERIFY(m.ParseFromIstream(&in));
        QCOMPARE(m.description().state_size(), 1);
        QCOMPARE(m.description().state(0).name(), std::string("acc"));
        QVERIFY(m.description().state(0).type().statetype().has_arraytype());
        QCOMPARE(m.description().input_size(), 1);
        const auto& fn = m.mlprogram().functions().at("main");
        QCOMPARE(fn.inputs(1).name(), std::string("acc"));
        QVERIFY(fn.inputs(1).type().has_statetype());
        std::vector<std::string> types;
        const auto& block = fn.block_specializations().at(mil::opsetName(mil::Target::iOS18));
        for (const auto& op : block.operations()) types.push_back(op.type());
        // The write is write_state (no outputs) followed by the read_state that gives its value.
        const auto write = std::find(types.begin(), types.end(), "write_state");
        QVERIFY(write != types.end());
        QCOMPARE(*(write + 1), std::string("read_state"));

        const package::PackageContents back = package::readPackage(pkg);
        QVERIFY(back.description == accumulatorDescription());
        QVERIFY(back.program.main().inputs[1]->type.state);
        int updates = 0;
        for (const auto& op : back.program.main().body.ops) updates += op->type == "coreml_update_state";
        QCOMPARE(updates, 1);
    }

    void interpreterKeepsStateAcrossRuns() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("acc.mlpackage");
        package::writePackage(accumulator(), accumulatorDescription(), pkg);
        const runtime::Interpreter interp = runtime::Interpreter::fromPackage(pkg);
        runtime::State state = interp.makeState();
        const Tensor x = Tensor::fromFloats({1.5f, -0.25f}, {2}).castTo(DType::Float16);
        for (int i = 0; i < 3; ++i) interp.run({{"x", x}}, state);
        QCOMPARE(state.value("acc").toFloats(), (std::vector<float>{4.5f, -0.75f}));
        QCOMPARE(interp.run({{"x", x}}, state).at("y").toFloats(), (std::vector<float>{6.0f, -1.0f}));
        // run() without a state object starts from zeros each time; a state is not an input to give.
        QCOMPARE(interp.run({{"x", x}}).at("y").toFloats(), (std::vector<float>{1.5f, -0.25f}));
        bool refused = false;
        try {
            interp.run({{"x", x}, {"acc", x}}, state);
        } catch (const Error& e) {
            refused = std::string(e.what()).find("no input named acc") != std::string::npos;
        }
        QVERIFY(refused);
        bool unknown = false;
        try {
            state.value("nope");
        } catch (const Error&) {
            unknown = true;
        }
        QVERIFY(unknown);
    }
};

QTEST_APPLESS_MAIN(TestStateOps)
#include "test_state_ops.moc"
