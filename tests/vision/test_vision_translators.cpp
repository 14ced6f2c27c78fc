// Vision/NN translators on tiny traced models (tests/models/gen_ops_vision.py): each fixture is
// imported, lowered for iOS15 and iOS17, and checked for the MIL ops it became, their key
// attributes, and the output shape/dtype libtorch computed.
#include <fstream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "lower/lowering.h"
#include "mil/program.h"
#include "support/test_support.h"

using namespace cms;
Q_DECLARE_METATYPE(mil::Target)

namespace {

const nlohmann::json& index() {
    static const nlohmann::json j = [] {
        std::ifstream in(test::testModel("ops_vision.json"));
        return nlohmann::json::parse(in);
    }();
    return j;
}

mil::Program convert(const std::string& name, mil::Target target) {
    ir::Graph g = frontends::importTorchScript(test::testModel("op_" + name + ".pt"));
    ConversionSettings s;
    s.target = target;
    const auto& shapes = index().at(name).at("inputs");
    for (size_t i = 0; i < shapes.size(); ++i) {
        InputSpec in;
        in.name = i < g.inputNames.size() ? g.inputNames[i] : "input_" + std::to_string(i);
        in.shape = shapes[i].get<Shape>();
        s.inputs.push_back(in);
    }
    return lower::lowerGraph(g, s);
}

std::multiset<std::string> opTypes(mil::Program& p) {
    std::multiset<std::string> out;
    for (mil::Operation* op : mil::opsOf(p.main().body))
        if (op->type != "const") out.insert(op->type);
    return out;
}

mil::Operation* firstOp(mil::Program& p, const std::string& type) {
    for (mil::Operation* op : mil::opsOf(p.main().body))
        if (op->type == type) return op;
    return nullptr;
}

std::vector<int64_t> intsOf(const mil::Operation* op, const std::string& input) {
    const mil::Value* v = op->input(input);
    return v && v->constValue ? v->constValue->toInts() : std::vector<int64_t>{};
}

std::string join(const std::multiset<std::string>& s) {
    std::string out;
    for (const auto& x : s) out += (out.empty() ? "" : " ") + x;
    return out;
}

}  // namespace

class TestVisionTranslators : public QObject {
    Q_OBJECT
private slots:
    // Every fixture lowers to the expected MIL ops with libtorch's output shape and dtype.
    void lowersWithTorchOutputShape_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QStringList>("ops");  // MIL op types that must appear (consts aside)
        QTest::addColumn<mil::Target>("target");
        const std::map<std::string, QStringList> expected = {
            {"conv2d_pad1_stride2", {"conv"}},
            {"conv2d_same_even_kernel", {"conv"}},
            {"conv2d_same_dilated", {"conv"}},
            {"conv2d_valid", {"conv"}},
            {"conv2d_dilated", {"conv"}},
            {"conv2d_groups", {"conv"}},
            {"conv2d_depthwise", {"conv"}},
            {"conv1d", {"conv"}},
            {"conv3d", {"conv"}},
            {"conv_transpose2d", {"conv_transpose"}},
            {"conv_transpose2d_groups", {"conv_transpose"}},
            {"conv_transpose1d", {"conv_transpose"}},
            {"batch_norm2d", {"batch_norm"}},
            {"batch_norm1d_rank2", {"mul", "add"}},
            {"batch_norm1d_rank3", {"batch_norm"}},
            {"layer_norm", {"layer_norm"}},
            {"layer_norm_2d", {"layer_norm"}},
            {"group_norm", {"reshape", "instance_norm", "mul", "add"}},
            {"instance_norm", {"instance_norm"}},
            {"linear", {"linear"}},
            {"addmm", {"linear"}},
            {"addmm_scaled", {"matmul", "mul", "add"}},
            {"matmul_const", {"linear"}},
            {"bmm", {"matmul"}},
            {"matmul_broadcast", {"matmul"}},
            {"relu", {"relu"}},
            {"relu6", {"relu6"}},
            {"hardtanh", {"clip"}},
            {"hardswish", {"sigmoid_hard", "mul"}},
            {"hardsigmoid", {"sigmoid_hard"}},
            {"sigmoid", {"sigmoid"}},
            {"silu", {"silu"}},
            {"gelu", {"gelu"}},
            {"gelu_tanh", {"gelu"}},
            {"tanh", {"tanh"}},
            {"leaky_relu", {"leaky_relu"}},
            {"elu", {"elu"}},
            {"softplus_beta", {"softplus_parametric"}},
            {"softplus_beta_rank2", {"mul", "softplus", "real_div"}},
            {"prelu", {"prelu"}},
            {"prelu_rank2", {"maximum", "minimum", "mul", "add"}},
            {"mish", {"softplus", "tanh", "mul"}},
            {"max_pool2d", {"max_pool"}},
            {"max_pool2d_ceil", {"max_pool"}},
            {"max_pool1d", {"max_pool"}},
            {"max_pool3d_ceil", {"max_pool"}},
            {"avg_pool2d_exclude_pad", {"avg_pool"}},
            {"avg_pool2d_include_pad", {"avg_pool"}},
            {"avg_pool2d_ceil", {"avg_pool"}},
            {"avg_pool2d_divisor", {"avg_pool", "mul"}},
            {"avg_pool1d", {"avg_pool"}},
            {"avg_pool3d", {"avg_pool"}},
            {"adaptive_avg_pool2d_global", {"reduce_mean"}},
            {"adaptive_avg_pool2d_tiled", {"avg_pool"}},
            {"adaptive_max_pool2d_global", {"reduce_max"}},
            {"add_int_scalar", {"add"}},
            {"mul_float_scalar", {"mul"}},
            {"add_alpha", {"mul", "add"}},
            {"sub_broadcast", {"sub"}},
            {"rsub_scalar", {"sub"}},
            {"div_tensor", {"real_div"}},
            {"div_floor", {"floor_div"}},
            {"div_trunc", {"real_div", "sign", "abs", "floor", "mul"}},
            {"pow_scalar", {"pow"}},
            {"neg_abs_exp", {"abs", "mul", "exp"}},
            {"log_sqrt_rsqrt", {"log", "sqrt", "rsqrt"}},
            {"clamp", {"clip"}},
            {"clamp_min_max", {"maximum", "minimum"}},
            {"clamp_tensor_bounds", {"maximum"}},
            {"maximum_minimum", {"maximum", "minimum", "add"}},
            {"compare", {"greater", "less_equal", "logical_and", "equal"}},
        };
        for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS17})
            for (const auto& [name, ops] : expected)
                QTest::newRow((name + "@" + mil::targetName(t)).c_str()) << QString::fromStdString(name) << ops << t;
    }
    void lowersWithTorchOutputShape() {
        QFETCH(QString, fixture);
        QFETCH(QStringList, ops);
        QFETCH(mil::Target, target);
        const std::string name = fixture.toStdString();
        mil::Program p = convert(name, target);
        const std::multiset<std::string> types = opTypes(p);
        for (const QString& op : ops)
            QVERIFY2(types.count(op.toStdString()), ("missing " + op.toStdString() + " in: " + join(types)).c_str());
        const auto& expected = index().at(name);
        QCOMPARE(p.main().body.outputs.size(), size_t(1));
        const mil::TensorType& out = p.main().body.outputs[0]->type;
        QCOMPARE(out.shape, expected.at("output_shape").get<Shape>());
        QCOMPARE(dtypeName(out.dtype), expected.at("output_dtype").get<std::string>());
    }

    void convPaddingModes() {
        // torch 'same' with an even kernel pads the odd element at the end: (4 - 1) = 1 + 2
        mil::Program same = convert("conv2d_same_even_kernel", mil::Target::iOS15);
        mil::Operation* conv = firstOp(same, "conv");
        QCOMPARE(conv->input("pad_type")->constValue->stringValue(), std::string("custom"));
        QCOMPARE(intsOf(conv, "pad"), (std::vector<int64_t>{1, 2, 1, 2}));
        mil::Program valid = convert("conv2d_valid", mil::Target::iOS15);
        QCOMPARE(firstOp(valid, "conv")->input("pad_type")->constValue->stringValue(), std::string("valid"));
        QVERIFY(!firstOp(valid, "conv")->hasInput("bias"));
        mil::Program dil = convert("conv2d_dilated", mil::Target::iOS15);
        QCOMPARE(intsOf(firstOp(dil, "conv"), "dilations"), (std::vector<int64_t>{2, 3}));
        QCOMPARE(intsOf(firstOp(dil, "conv"), "pad"), (std::vector<int64_t>{2, 2, 1, 1}));
        mil::Program groups = convert("conv2d_depthwise", mil::Target::iOS15);
        QCOMPARE(intsOf(firstOp(groups, "conv"), "groups"), (std::vector<int64_t>{8}));
        QCOMPARE(intsOf(firstOp(groups, "conv"), "strides"), (std::vector<int64_t>{2, 2}));
    }
    void convTransposeOutputPaddingCropsLessAtTheEnd() {
        mil::Program p = convert("conv_transpose2d", mil::Target::iOS15);
        QCOMPARE(intsOf(firstOp(p, "conv_transpose"), "pad"), (std::vector<int64_t>{1, 0, 1, 0}));
        try {
            convert("conv_transpose2d_outpad_gt_pad", mil::Target::iOS15);
            QFAIL("output_padding > padding must be reported");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Conversion);
            QVERIFY(e.message().find("output_padding") != std::string::npos);
            QVERIFY(!e.hint().empty());
        }
    }
    void poolCeilModeAndPadding() {
        mil::Program ceil2d = convert("max_pool2d_ceil", mil::Target::iOS15);
        QVERIFY(firstOp(ceil2d, "max_pool")->input("ceil_mode")->constValue->scalarAsInt() != 0);
        // Core ML has no 3-D ceil_mode: the end padding grows instead.
        mil::Program ceil3d = convert("max_pool3d_ceil", mil::Target::iOS15);
        mil::Operation* pool = firstOp(ceil3d, "max_pool");
        QCOMPARE(pool->input("ceil_mode")->constValue->scalarAsInt(), int64_t(0));
        QCOMPARE(intsOf(pool, "pad"), (std::vector<int64_t>{0, 1, 0, 1, 0, 1}));
        mil::Program excl = convert("avg_pool2d_exclude_pad", mil::Target::iOS15);
        QCOMPARE(firstOp(excl, "avg_pool")->input("exclude_padding_from_average")->constValue->scalarAsInt(), int64_t(1));
        mil::Program incl = convert("avg_pool2d_include_pad", mil::Target::iOS15);
        QCOMPARE(firstOp(incl, "avg_pool")->input("exclude_padding_from_average")->constValue->scalarAsInt(), int64_t(0));
        // divisor_override 3 on 2x2 windows: the window mean times 4/3
        mil::Program div = convert("avg_pool2d_divisor", mil::Target::iOS15);
        QCOMPARE(firstOp(div, "mul")->input("y")->constValue->toFloats(), (std::vector<float>{4.0f / 3.0f}));
        mil::Program tiled = convert("adaptive_avg_pool2d_tiled", mil::Target::iOS15);
        QCOMPARE(intsOf(firstOp(tiled, "avg_pool"), "kernel_sizes"), (std::vector<int64_t>{4, 3}));
        QCOMPARE(intsOf(firstOp(tiled, "avg_pool"), "strides"), (std::vector<int64_t>{4, 3}));
        mil::Program global = convert("adaptive_avg_pool2d_global", mil::Target::iOS15);
        QCOMPARE(intsOf(firstOp(global, "reduce_mean"), "axes"), (std::vector<int64_t>{-2, -1}));
        try {
            convert("adaptive_avg_pool2d_uneven", mil::Target::iOS15);
            QFAIL("uneven adaptive pooling must be reported");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Conversion);
            QVERIFY(e.message().find("adaptive pooling") != std::string::npos);
            QVERIFY(e.node().find("aten::adaptive_avg_pool2d") != std::string::npos);
        }
    }
    void hardActivationsAndGeluModes() {
        mil::Program hs = convert("hardswish", mil::Target::iOS15);
        mil::Operation* gate = firstOp(hs, "sigmoid_hard");
        QCOMPARE(gate->input("alpha")->constValue->toFloats(), (std::vector<float>{1.0f / 6.0f}));
        QCOMPARE(gate->input("beta")->constValue->toFloats(), (std::vector<float>{0.5f}));
        mil::Operation* mul = firstOp(hs, "mul");
        QCOMPARE(mul->input("x"), hs.main().inputs[0]);
        QCOMPARE(mul->input("y"), gate->output());
        mil::Program gt = convert("gelu_tanh", mil::Target::iOS15);
        QCOMPARE(firstOp(gt, "gelu")->input("mode")->constValue->stringValue(), std::string("TANH_APPROXIMATION"));
        mil::Program ge = convert("gelu", mil::Target::iOS15);
        QCOMPARE(firstOp(ge, "gelu")->input("mode")->constValue->stringValue(), std::string("EXACT"));
        mil::Program ht = convert("hardtanh", mil::Target::iOS15);
        QCOMPARE(firstOp(ht, "clip")->input("alpha")->constValue->toFloats(), (std::vector<float>{-2.0f}));
        QCOMPARE(firstOp(ht, "clip")->input("beta")->constValue->toFloats(), (std::vector<float>{3.0f}));
    }
    void scalarsTakeTheTensorDtype() {
        // x + 2: the int scalar becomes an fp32 const, as torch promotes it
        mil::Program add = convert("add_int_scalar", mil::Target::iOS15);
        const mil::Value* y = firstOp(add, "add")->input("y");
        QVERIFY(y->isConst());
        QCOMPARE(y->type, (mil::TensorType{DType::Float32, {}}));
        QCOMPARE(y->constValue->toFloats(), (std::vector<float>{2.0f}));
        // 1 - x: rsub swaps the operands
        mil::Program rsub = convert("rsub_scalar", mil::Target::iOS15);
        QVERIFY(firstOp(rsub, "sub")->input("x")->isConst());
        QCOMPARE(firstOp(rsub, "sub")->input("y"), rsub.main().inputs[0]);
        // add(x, y, alpha=2) scales y
        mil::Program alpha = convert("add_alpha", mil::Target::iOS15);
        QCOMPARE(firstOp(alpha, "mul")->input("x"), alpha.main().inputs[1]);
        QCOMPARE(firstOp(alpha, "mul")->input("y")->constValue->toFloats(), (std::vector<float>{2.0f}));
    }
};

QTEST_APPLESS_MAIN(TestVisionTranslators)
#include "test_vision_translators.moc"
