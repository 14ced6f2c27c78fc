// lowerGraph on hand-built IR graphs: unsupported-op reports, input/settings errors, Core ML
// image preprocessing, output naming, scalar folding, error provenance and type write-back.
#include "common/error.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "lower/constant_folding.h"
#include "lower/lowering.h"
#include "support/test_support.h"

#include <algorithm>
#include <limits>

using namespace cms;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ir::Provenance at(const std::string& modulePath, const std::string& op) {
    ir::Provenance p;
    p.modulePath = modulePath;
    p.sourceOp = op;
    p.file = "model.py";
    p.line = 7;
    return p;
}

// Appends `kind(inputs...)` with one output of `outKind` to the top block.
ir::Value* addNode(ir::Graph& g, const std::string& kind, std::vector<ir::Value*> inputs, const std::string& out,
                   const std::string& modulePath = {}, ir::ValueKind outKind = ir::ValueKind::Tensor) {
    ir::Node* n = g.newNode(kind, at(modulePath, kind));
    n->inputs = std::move(inputs);
    ir::Value* v = g.newValue(out, outKind);
    v->producer = n;
    n->outputs.push_back(v);
    g.top().nodes.push_back(n);
    return v;
}

ir::Value* addInput(ir::Graph& g, const std::string& name) {
    ir::Value* v = g.newValue(name, ir::ValueKind::Tensor, "Tensor");
    g.top().inputs.push_back(v);
    g.inputNames.push_back(name);
    return v;
}

ConversionSettings settingsWith(std::vector<InputSpec> inputs) {
    ConversionSettings s;
    s.inputs = std::move(inputs);
    return s;
}

InputSpec tensorInput(const std::string& name, Shape shape) {
    InputSpec in;
    in.name = name;
    in.shape = std::move(shape);
    return in;
}

std::vector<std::string> opTypes(const mil::Program& p) {
    std::vector<std::string> out;
    for (const auto& op : p.main().body.ops)
        if (op->type != "const") out.push_back(op->type);
    return out;
}

const mil::Operation* opNamed(const mil::Program& p, const std::string& name) {
    for (const auto& op : p.main().body.ops)
        if (op->name == name) return op.get();
    return nullptr;
}

template <class F>
Error expectError(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    throw std::runtime_error("expected a cms::Error");
}

}  // namespace

class TestLowering : public QObject {
    Q_OBJECT
private slots:
    void reportsEveryUnsupportedOpWithAllOccurrences() {
        ir::Graph g;
        g.sourcePath = "model.pt";
        ir::Value* x = addInput(g, "x");
        ir::Value* a = addNode(g, "aten::frobnicate", {x}, "a", "layer1.0");
        ir::Value* b = addNode(g, "aten::permute", {a, g.newConstant("perm", std::vector<int64_t>{1, 0})}, "b", "layer1.1");
        ir::Value* c = addNode(g, "aten::twiddle", {b}, "c", "head");
        ir::Value* d = addNode(g, "aten::frobnicate", {c}, "d", "layer2.0");
        g.top().outputs.push_back(d);

        const auto unsupported = lower::findUnsupportedOps(g);
        QCOMPARE(unsupported.size(), size_t(2));
        QCOMPARE(unsupported[0].kind, std::string("aten::frobnicate"));
        QCOMPARE(unsupported[0].occurrences.size(), size_t(2));
        QCOMPARE(unsupported[0].occurrences[1].modulePath, std::string("layer2.0"));
        QCOMPARE(unsupported[1].kind, std::string("aten::twiddle"));
        QCOMPARE(unsupported[1].occurrences.size(), size_t(1));

        const Error e = expectError([&] { lower::lowerGraph(g, settingsWith({tensorInput("x", {2, 3})})); });
        QCOMPARE(e.kind(), ErrorKind::Unsupported);
        QCOMPARE(e.file(), std::string("model.pt"));
        const std::string msg = e.message();
        QVERIFY2(contains(msg, "aten::frobnicate x2") && contains(msg, "aten::twiddle x1"), msg.c_str());
        QVERIFY2(contains(msg, "layer1.0") && contains(msg, "layer2.0") && contains(msg, "head"), msg.c_str());
        QCOMPARE(std::count(msg.begin(), msg.end(), '\n'), 2L);  // one line per op type
        QVERIFY(!e.hint().empty());
    }

    void findsOverloadsAndInPlaceVariants() {
        const lower::TranslatorTable& table = lower::TranslatorTable::instance();
        QVERIFY(table.registration("aten::slice.Tensor") == table.registration("aten::slice"));
        QVERIFY(table.registration("aten::repeat_") == table.registration("aten::repeat"));
        QVERIFY(table.registration("aten::squeeze_.dim") == table.registration("aten::squeeze"));
        QVERIFY(table.registration("aten::squeeze") != table.registration("aten::repeat"));
        QVERIFY(table.find("aten::repeat") != nullptr);
        QVERIFY(table.find("aten::frobnicate_") == nullptr);
        QVERIFY(table.find("aten::__frob__") == nullptr);
    }

    void inputCountMismatchNamesTheModelInputs() {
        ir::Graph g;
        ir::Value* x = addInput(g, "image");
        ir::Value* y = addInput(g, "mask");
        g.top().outputs.push_back(addNode(g, "aten::cat", {addNode(g, "prim::ListConstruct", {x, y}, "l", {}, ir::ValueKind::List),
                                                            g.newConstant("dim", int64_t(1))}, "out"));
        const Error e = expectError([&] { lower::lowerGraph(g, settingsWith({tensorInput("image", {1, 3})})); });
        QCOMPARE(e.kind(), ErrorKind::Settings);
        QVERIFY2(contains(e.message(), "image") && contains(e.message(), "mask"), e.message().c_str());
        QVERIFY2(contains(e.hint(), "--input NAME:SHAPE"), e.hint().c_str());
    }

    void rankMismatchWithKnownModelRankNamesTheInput() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        x->shape = {1, 3, 8, 8};
        x->shapeKnown = true;
        g.top().outputs.push_back(addNode(g, "aten::flatten", {x, g.newConstant("s", int64_t(1)), g.newConstant("e", int64_t(-1))}, "f"));
        const Error e = expectError([&] { lower::lowerGraph(g, settingsWith({tensorInput("x", {3, 8, 8})})); });
        QCOMPARE(e.kind(), ErrorKind::Settings);
        QVERIFY2(contains(e.message(), "'x'") && contains(e.message(), "rank 3") && contains(e.message(), "rank 4"),
                 e.message().c_str());
        QVERIFY2(contains(e.hint(), "--input"), e.hint().c_str());
    }

    void wrongRankAtTheFirstOpNamesNodeAndInput() {
        // TorchScript files do not record input shapes: the first op that reads the input fails.
        ir::Graph g = frontends::importTorchScript(test::testModel("op_permute.pt"));
        const Error e = expectError([&] { lower::lowerGraph(g, settingsWith({tensorInput("x", {3, 4, 5})})); });
        QCOMPARE(e.kind(), ErrorKind::Conversion);
        QVERIFY2(contains(e.node(), "aten::permute"), e.node().c_str());
        QVERIFY2(contains(e.hint(), "input 'x' (3x4x5)") && contains(e.hint(), "--input"), e.hint().c_str());
    }

    void imagePreprocessingMatchesCoreML() {
        auto lowerImage = [](ImageSpec image, Shape shape) {
            ir::Graph g;
            ir::Value* x = addInput(g, "image");
            g.top().outputs.push_back(addNode(g, "aten::flatten", {x, g.newConstant("s", int64_t(1)), g.newConstant("e", int64_t(-1))}, "logits"));
            InputSpec in = tensorInput("image", std::move(shape));
            in.image = std::move(image);
            return lower::lowerGraph(g, settingsWith({in}));
        };
        {
            ImageSpec image;
            image.scale = 1.0 / 255.0;
            image.bias = {-1.0, -2.0, -3.0};
            const mil::Program p = lowerImage(image, {1, 3, 4, 4});
            QCOMPARE(opTypes(p), (std::vector<std::string>{"mul", "add", "reshape"}));
            const mil::Operation* mul = opNamed(p, "image__scaled__");
            const mil::Operation* add = opNamed(p, "image__biased__");
            QVERIFY(mul && add);
            QCOMPARE(mul->input("x"), p.main().inputs[0]);
            QCOMPARE(mul->input("y")->constValue->toFloats(), std::vector<float>{float(1.0 / 255.0)});
            QCOMPARE(add->input("x"), mul->output());
            QCOMPARE(add->input("y")->type.shape, (Shape{1, 3, 1, 1}));
            QCOMPARE(add->input("y")->constValue->toFloats(), (std::vector<float>{-1, -2, -3}));
            QCOMPARE(p.main().inputs[0]->type, (mil::TensorType{DType::Float32, {1, 3, 4, 4}}));
        }
        {  // scale 1 and zero bias: nothing to do
            ImageSpec image;
            image.bias = {0, 0, 0};
            QCOMPARE(opTypes(lowerImage(image, {1, 3, 4, 4})), std::vector<std::string>{"reshape"});
        }
        {  // bias only; grayscale takes a scalar bias
            ImageSpec image;
            image.layout = ColorLayout::Grayscale;
            image.bias = {0.5};
            const mil::Program p = lowerImage(image, {1, 1, 4, 4});
            QCOMPARE(opTypes(p), (std::vector<std::string>{"add", "reshape"}));
            QCOMPARE(opNamed(p, "image__biased__")->input("y")->type.shape, Shape{});
        }
        {
            ImageSpec image;  // RGB needs three channels
            const Error e = expectError([&] { lowerImage(image, {1, 1, 4, 4}); });
            QCOMPARE(e.kind(), ErrorKind::Settings);
            QVERIFY2(contains(e.message(), "image"), e.message().c_str());
        }
    }

    void outputsAreFlattenedNamedAndMadeByOps() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        ir::Value* t = addNode(g, "aten::transpose", {x, g.newConstant("d0", int64_t(0)), g.newConstant("d1", int64_t(1))}, "t");
        ir::Value* tuple = addNode(g, "prim::TupleConstruct", {t, x}, "pair", {}, ir::ValueKind::Tuple);
        g.top().outputs = {tuple, t};
        g.outputNames = {"pair", "t"};

        ConversionSettings s = settingsWith({tensorInput("x", {2, 3})});
        {  // defaults: readable source names, a tuple's tensors numbered
            const mil::Program p = lower::lowerGraph(g, s);
            const auto& outs = p.main().body.outputs;
            QCOMPARE(outs.size(), size_t(3));
            QCOMPARE(outs[0]->name, std::string("pair_0"));
            QCOMPARE(outs[1]->name, std::string("pair_1"));
            QCOMPARE(outs[2]->name, std::string("t"));
            // the input passed through and the repeated tensor each get an identity op
            QCOMPARE(outs[1]->producer->type, std::string("identity"));
            QCOMPARE(outs[2]->producer->type, std::string("identity"));
            QCOMPARE(outs[0]->producer->type, std::string("transpose"));
        }
        {  // names given per tensor
            s.outputs = {{"a"}, {"b"}, {"c"}};
            const mil::Program p = lower::lowerGraph(g, s);
            QCOMPARE(p.main().body.outputs[2]->name, std::string("c"));
        }
        {
            s.outputs = {{"a"}, {"x"}, {"c"}};  // clashes with the input
            QCOMPARE(expectError([&] { lower::lowerGraph(g, s); }).kind(), ErrorKind::Settings);
        }
        {  // unreadable source names fall back to output_<i>
            g.outputNames = {"input.3", "17"};
            s.outputs.clear();
            const mil::Program p = lower::lowerGraph(g, s);
            QCOMPARE(p.main().body.outputs[0]->name, std::string("output_0"));
            QCOMPARE(p.main().body.outputs[2]->name, std::string("output_2"));
        }
    }

    void foldsScalarArithmeticExactly() {
        ir::Graph g;
        mil::Program program;
        mil::Function& fn = program.addFunction("main", mil::Target::iOS15);
        mil::Builder builder(program, fn.body, mil::Target::iOS15);
        lower::LowerContext ctx(program, builder, g);
        auto fold = [&](const std::string& kind, ir::Constant a, ir::Constant b) -> ir::Constant {
            ir::Node* n = g.newNode(kind);
            n->inputs = {g.newConstant("a", std::move(a)), g.newConstant("b", std::move(b))};
            n->outputs = {g.newValue("r", ir::ValueKind::Other)};
            if (!lower::foldScalarNode(ctx, *n)) throw std::runtime_error(kind + " did not fold");
            return ctx.constant(n->outputs[0]);
        };
        QCOMPARE(std::get<int64_t>(fold("aten::floordiv", int64_t(-7), int64_t(2))), int64_t(-4));
        QCOMPARE(std::get<int64_t>(fold("aten::remainder", int64_t(-7), int64_t(2))), int64_t(1));
        QCOMPARE(std::get<double>(fold("aten::div", int64_t(7), int64_t(2))), 3.5);
        QCOMPARE(std::get<int64_t>(fold("aten::floor_divide", Tensor::scalarInt(9, DType::Int64), int64_t(4))), int64_t(2));
        const int64_t big = std::numeric_limits<int64_t>::max();
        QCOMPARE(std::get<int64_t>(fold("aten::sub", big, int64_t(1))), big - 1);
        QCOMPARE(std::get<bool>(fold("aten::lt", int64_t(2), 2.5)), true);
        // A one-element weight of shape [1] keeps its shape: not folded to a number.
        ir::Node* n = g.newNode("aten::mul");
        n->inputs = {g.newConstant("w", Tensor::fromFloats({2.0f}, {1})), g.newConstant("k", 3.0)};
        n->outputs = {g.newValue("r", ir::ValueKind::Tensor)};
        QVERIFY(!lower::foldScalarNode(ctx, *n));
    }

    void conversionErrorsNameTheNode() {
        ir::Graph g;
        g.sourcePath = "net.pt";
        ir::Value* x = addInput(g, "x");
        ir::Value* t = addNode(g, "aten::transpose", {x, g.newConstant("d0", int64_t(0)), g.newConstant("d1", int64_t(1))}, "t", "encoder");
        g.top().outputs.push_back(addNode(g, "aten::view", {t, g.newConstant("shape", std::vector<int64_t>{7, -1})}, "v", "encoder.proj"));
        const Error e = expectError([&] { lower::lowerGraph(g, settingsWith({tensorInput("x", {2, 3})})); });
        QCOMPARE(e.kind(), ErrorKind::Conversion);
        QCOMPARE(e.file(), std::string("net.pt"));
        QVERIFY2(contains(e.node(), "encoder.proj") && contains(e.node(), "aten::view"), e.node().c_str());
        QVERIFY2(contains(e.message(), "3x2") && contains(e.message(), "[7, -1]"), e.message().c_str());
    }

    void writesInferredTypesBackIntoTheGraph() {
        ir::Graph g;
        ir::Value* x = addInput(g, "x");
        ir::Value* r = addNode(g, "aten::mean", {x, g.newConstant("dims", std::vector<int64_t>{-1}), g.newConstant("keep", true),
                                                 g.newConstant("dtype", ir::NoneValue{})}, "r");
        ir::Value* i = addNode(g, "aten::argmax", {x, g.newConstant("dim", int64_t(1)), g.newConstant("keep2", false)}, "i");
        g.top().outputs = {r, i};
        lower::lowerGraph(g, settingsWith({tensorInput("x", {2, 5})}));
        QCOMPARE(r->shape, (Shape{2, 1}));
        QVERIFY(r->shapeKnown);
        QCOMPARE(r->dtype, DType::Float32);
        QCOMPARE(i->shape, (Shape{2}));
        QCOMPARE(i->dtype, DType::Int32);
        QCOMPARE(x->shape, (Shape{2, 5}));
    }
};

QTEST_APPLESS_MAIN(TestLowering)
#include "test_lowering.moc"
