// fp16_cast_placement: fp32 model I/O, fp16 compute, one cast per value and dtype, no cast chains,
// fp32Ops honoured, declarations respected.
#include "common/half.h"
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

namespace {
passes::PassContext fp16Context(std::vector<std::string> fp32Ops = {}, std::vector<std::string>* log = nullptr) {
    passes::PassContext ctx;
    ctx.precision = Precision::Float16;
    ctx.fp32Ops = std::move(fp32Ops);
    ctx.log = log;
    return ctx;
}

// Every cast reads something that is not itself a cast result, and no value is cast twice to one dtype.
void checkNoCastChains(mil::Program& p) {
    std::set<std::pair<const mil::Value*, DType>> seen;
    for (const auto& op : p.main().body.ops) {
        if (op->type != "cast") continue;
        const mil::Value* x = op->input("x");
        QVERIFY2(!x->producer || x->producer->type != "cast",
                 qPrintable(QString::fromStdString("cast of a cast: " + op->name)));
        QVERIFY2(seen.insert({x, op->output()->type.dtype}).second,
                 qPrintable(QString::fromStdString("value cast twice: " + x->name)));
        QVERIFY(x->type.dtype != op->output()->type.dtype);
    }
}

mil::Value* conv1x1(ProgramFixture& f, mil::Value* x, const std::string& name) {
    return f.b.add1("conv",
                    {{"x", {x}},
                     {"weight", {f.b.constant(Tensor::fromFloats({0.5f, -2.0f}, {2, 1, 1, 1}), name + "_w")}},
                     {"bias", {f.b.constFloats({0.25f, 1.0f}, name + "_b")}}},
                    name);
}
}  // namespace

class TestFp16CastPlacement : public QObject {
    Q_OBJECT
private slots:
    void computesInFp16WithFp32InputsAndOutputs() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 1, 2, 2}));
        mil::Value* c = conv1x1(f, x, "conv");
        mil::Value* y = f.b.add1("relu", {{"x", {c}}}, "y");
        mil::Value* z = f.b.add1("add", {{"x", {c}}, {"y", {x}}}, "z");  // x read twice, c read twice
        f.output(y);
        f.output(z);
        std::vector<std::string> log;
        QVERIFY(runPass(f.p, "fp16_cast_placement", fp16Context({}, &log)));

        QCOMPARE(f.p.main().inputs.front()->type, fp32({1, 1, 2, 2}));  // model input unchanged
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"cast", "conv", "relu", "add", "cast", "cast"}));
        checkNoCastChains(f.p);
        mil::Operation* conv = firstOf(f.p, "conv");
        QCOMPARE(conv->input("x")->type.dtype, DType::Float16);
        QCOMPARE(conv->input("weight")->constValue->dtype(), DType::Float16);
        QCOMPARE(valuesOf(conv->input("weight")), (std::vector<double>{0.5, -2.0}));
        QCOMPARE(conv->input("bias")->constValue->dtype(), DType::Float16);
        QCOMPARE(conv->output()->type.dtype, DType::Float16);
        // No fp32 tensor constant is left behind.
        for (const auto& op : f.body().ops)
            if (op->type == "const") QVERIFY(op->output()->type.dtype != DType::Float32);
        // Outputs: fp32, same names, produced by the casts back.
        QCOMPARE(f.body().outputs[0]->name, std::string("y"));
        QCOMPARE(f.body().outputs[1]->name, std::string("z"));
        for (mil::Value* out : f.body().outputs) {
            QCOMPARE(out->type.dtype, DType::Float32);
            QCOMPARE(out->producer->type, std::string("cast"));
        }
        QVERIFY(!log.empty());
    }

    void honoursFp32OpsByTypeWithoutChains() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 1, 2, 2}));
        mil::Value* c = conv1x1(f, x, "conv");
        mil::Value* r = f.b.add1("relu", {{"x", {c}}}, "r");
        mil::Value* s = f.b.add1("sigmoid", {{"x", {c}}}, "s");
        mil::Value* y = f.b.add1("add", {{"x", {r}}, {"y", {s}}}, "y");
        f.output(y);
        QVERIFY(runPass(f.p, "fp16_cast_placement", fp16Context({"relu"})));
        QCOMPARE(firstOf(f.p, "relu")->input("x")->type.dtype, DType::Float32);
        QCOMPARE(firstOf(f.p, "relu")->output()->type.dtype, DType::Float32);
        QCOMPARE(firstOf(f.p, "sigmoid")->output()->type.dtype, DType::Float16);
        QCOMPARE(firstOf(f.p, "add")->output()->type.dtype, DType::Float16);
        // x->fp16, conv->fp32 for relu, relu->fp16 for add, add->fp32 for the output
        QCOMPARE(countType(f.p, "cast"), size_t(4));
        checkNoCastChains(f.p);
    }

    void honoursFp32OpsByModulePath() {
        for (const std::string entry : {"head", "head.*", "*.fc", "head.f?"}) {
            ProgramFixture f;
            mil::Value* x = f.input("x", fp32({4}));
            mil::Value* a = f.b.add1("relu", {{"x", {x}}}, "a");
            ir::Provenance prov;
            prov.modulePath = "head.fc";
            f.b.setProvenance(prov);
            mil::Value* y = f.b.add1("mul", {{"x", {a}}, {"y", {f.b.constFloat(3.0f, "k")}}}, "y");
            f.output(y);
            runPass(f.p, "fp16_cast_placement", fp16Context({entry}));
            QVERIFY2(firstOf(f.p, "mul")->output()->type.dtype == DType::Float32, entry.c_str());
            QCOMPARE(firstOf(f.p, "relu")->output()->type.dtype, DType::Float16);
            checkNoCastChains(f.p);
        }
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({4}));
        ir::Provenance prov;
        prov.modulePath = "header.fc";
        f.b.setProvenance(prov);
        f.output(f.b.add1("relu", {{"x", {x}}}, "y"));
        runPass(f.p, "fp16_cast_placement", fp16Context({"head"}));
        QCOMPARE(firstOf(f.p, "relu")->output()->type.dtype, DType::Float16);  // "head" is not "header"
    }

    void keepsOpsWithOutOfRangeConstantsInFp32() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({3}));
        mil::Value* big = f.b.add1("mul", {{"x", {x}}, {"y", {f.b.constFloat(1.0e5f, "big")}}}, "big_mul");
        // -FLT_MAX is a mask sentinel: it saturates to -65504 rather than blocking fp16; a tiny
        // non-zero value does not flush to zero.
        mil::Value* mask = f.b.constFloats({-3.4e38f, 1e-9f, 1.0f}, "mask");
        mil::Value* y = f.b.add1("add", {{"x", {big}}, {"y", {mask}}}, "y");
        f.output(y);
        std::vector<std::string> log;
        runPass(f.p, "fp16_cast_placement", fp16Context({}, &log));
        QCOMPARE(firstOf(f.p, "mul")->output()->type.dtype, DType::Float32);
        mil::Operation* add = firstOf(f.p, "add");
        QCOMPARE(add->output()->type.dtype, DType::Float16);
        const std::vector<double> m = valuesOf(add->input("y"));
        QCOMPARE(m[0], -65504.0);
        QVERIFY(m[1] > 0.0 && m[1] == double(halfToFloat(0x0001)));
        QCOMPARE(m[2], 1.0);
        QVERIFY(std::any_of(log.begin(), log.end(),
                            [](const std::string& l) { return l.find("big_mul") != std::string::npos; }));
    }

    void leavesIntegerAndPassThroughValuesAlone() {
        ProgramFixture f;
        mil::Value* idx = f.input("idx", mil::TensorType{DType::Int32, {3}});
        mil::Value* x = f.input("x", fp32({3}));
        mil::Value* sum = f.b.add1("add", {{"x", {idx}}, {"y", {f.b.constInts({1, 2, 3}, "k")}}}, "sum");
        f.output(sum);
        f.output(x);  // an input passed straight through
        QVERIFY(!runPass(f.p, "fp16_cast_placement", fp16Context()));
        QCOMPARE(countType(f.p, "cast"), size_t(0));
        QCOMPARE(f.body().outputs[1], x);
    }

    void readsTheSourceOfAnExistingCastInsteadOfCastingTwice() {
        ProgramFixture f;
        mil::Value* idx = f.input("idx", mil::TensorType{DType::Int32, {3}});
        mil::Value* asFloat = f.b.add1("cast", {{"x", {idx}}, {"dtype", {f.b.constString("fp32", "dt")}}}, "as_float");
        mil::Value* y = f.b.add1("relu", {{"x", {asFloat}}}, "y");
        f.output(y);
        passes::PassPipeline({"fp16_cast_placement", "fold_casts", "dead_code_elimination"}).run(f.p, fp16Context());
        // int32 -> fp16 directly, fp16 -> fp32 for the output
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"cast", "relu", "cast"}));
        QCOMPARE(firstOf(f.p, "cast")->input("x"), idx);
        QCOMPARE(firstOf(f.p, "relu")->output()->type.dtype, DType::Float16);
        checkNoCastChains(f.p);
    }

    void respectsDeclaredInputDtypes() {
        // iOS15 leaky_relu's alpha shares x's dtype, so it becomes fp16; from iOS17 alpha may stay fp32.
        for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS17}) {
            ProgramFixture f(t);
            mil::Value* x = f.input("x", fp32({3}));
            mil::Value* y = f.b.add1("leaky_relu", {{"x", {x}}, {"alpha", {f.b.constFloat(0.1f, "alpha")}}}, "y");
            f.output(y);
            runPass(f.p, "fp16_cast_placement", fp16Context());
            mil::Operation* op = firstOf(f.p, "leaky_relu");
            QCOMPARE(op->output()->type.dtype, DType::Float16);
            QCOMPARE(op->input("alpha")->type.dtype, t == mil::Target::iOS15 ? DType::Float16 : DType::Float32);
        }
    }

    void doesNothingInFp32() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({3}));
        f.output(f.b.add1("relu", {{"x", {x}}}, "y"));
        passes::PassContext ctx;
        ctx.precision = Precision::Float32;
        QVERIFY(!runPass(f.p, "fp16_cast_placement", ctx));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"relu"});
    }
};

QTEST_APPLESS_MAIN(TestFp16CastPlacement)
#include "test_fp16_cast_placement.moc"
