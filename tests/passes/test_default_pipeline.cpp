// The default pipeline on a small residual CNN as lowering produces it: BN folded, identities,
// constant subgraphs and dead branches gone, and in fp16 exactly one cast in and one cast out.
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

namespace {
std::vector<float> ramp(size_t n, float scale) {
    std::vector<float> v(n);
    for (size_t i = 0; i < n; ++i) v[i] = scale * static_cast<float>(static_cast<int>(i % 7) - 3);
    return v;
}

mil::Value* convBn(ProgramFixture& f, mil::Value* x, int64_t cin, int64_t cout, int64_t k, const std::string& name) {
    ir::Provenance prov;
    prov.modulePath = name;
    f.b.setProvenance(prov);
    const size_t n = static_cast<size_t>(cout * cin * k * k);
    mil::Value* c =
        f.b.add1("conv",
                 {{"x", {x}},
                  {"weight", {f.b.constant(Tensor::fromFloats(ramp(n, 0.1f), {cout, cin, k, k}), name + "_w")}},
                  {"pad_type", {f.b.constString("same", name + "_pad")}}},
                 name);
    std::vector<float> ones(static_cast<size_t>(cout), 1.0f), halfs(static_cast<size_t>(cout), 0.5f);
    return f.b.add1("batch_norm",
                    {{"x", {c}},
                     {"mean", {f.b.constFloats(halfs, "mean")}},
                     {"variance", {f.b.constFloats(ones, "var")}},
                     {"gamma", {f.b.constFloats(halfs, "gamma")}},
                     {"beta", {f.b.constFloats(ones, "beta")}},
                     {"epsilon", {f.b.constFloat(1e-5f, "eps")}}},
                    name + "_bn");
}

void buildResidualNet(ProgramFixture& f) {
    mil::Value* x = f.input("image", fp32({1, 3, 8, 8}));
    mil::Value* a = f.b.add1("relu", {{"x", {convBn(f, x, 3, 4, 3, "stem")}}}, "stem_relu");
    mil::Value* b = convBn(f, a, 4, 4, 1, "block_conv");
    mil::Value* sum = f.b.add1("add", {{"x", {b}}, {"y", {a}}}, "block_add");
    mil::Value* r = f.b.add1("relu", {{"x", {sum}}}, "block_relu");
    f.b.add1("sigmoid", {{"x", {r}}}, "unused_branch");
    mil::Value* pooled = f.b.add1(
        "reduce_mean",
        {{"x", {r}}, {"axes", {f.b.constInts({2, 3}, "axes")}}, {"keep_dims", {f.b.constBool(false, "keep")}}}, "pool");
    mil::Value* dropout = f.b.add1("identity", {{"x", {pooled}}}, "dropout");
    // An offset computed from constants, as lowering emits for `x + c * 2`.
    mil::Value* offset = f.b.add1(
        "mul", {{"x", {f.b.constFloats({0.5f, -0.5f, 1, 2}, "c")}}, {"y", {f.b.constFloat(2.0f, "two")}}}, "offset");
    mil::Value* shifted = f.b.add1("add", {{"x", {dropout}}, {"y", {offset}}}, "shifted");
    mil::Value* logits = f.b.add1("linear",
                                  {{"x", {shifted}},
                                   {"weight", {f.b.constant(Tensor::fromFloats(ramp(8, 0.25f), {2, 4}), "fc_w")}},
                                   {"bias", {f.b.constFloats({0.5f, -0.5f}, "fc_b")}}},
                                  "fc");
    f.output(f.b.add1("identity", {{"x", {logits}}}, "logits"));
}
}  // namespace

class TestDefaultPipeline : public QObject {
    Q_OBJECT
private slots:
    void inFp32() {
        ProgramFixture f;
        buildResidualNet(f);
        passes::PassContext ctx;
        ctx.precision = Precision::Float32;
        passes::PassPipeline::defaultPipeline(ctx).run(f.p, ctx);
        QCOMPARE(opTypes(f.p),
                 (std::vector<std::string>{"conv", "relu", "conv", "add", "relu", "reduce_mean", "add", "linear"}));
        QCOMPARE(f.body().outputs.front()->name, std::string("logits"));
        QCOMPARE(firstOf(f.p, "conv")->prov.modulePath, std::string("stem"));
        QVERIFY(firstOf(f.p, "conv")->hasInput("bias"));
    }

    void inFp16() {
        ProgramFixture f;
        buildResidualNet(f);
        passes::PassContext ctx;
        std::vector<std::string> log;
        ctx.log = &log;
        std::vector<std::string> ran;
        passes::PassPipeline::defaultPipeline(ctx).run(f.p, ctx, [&](const std::string& n, bool) { ran.push_back(n); });
        QCOMPARE(ran, passes::PassPipeline::defaultPipeline(ctx).names());
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"cast", "conv", "relu", "conv", "add", "relu", "reduce_mean",
                                                         "add", "linear", "cast"}));
        QCOMPARE(f.p.main().inputs.front()->type.dtype, DType::Float32);
        mil::Value* out = f.body().outputs.front();
        QCOMPARE(out->name, std::string("logits"));
        QCOMPARE(out->type, fp32({1, 2}));
        for (const auto& op : f.body().ops) {
            if (op->type == "const")
                QVERIFY(op->output()->type.dtype != DType::Float32);
            else if (op->type != "cast")
                QCOMPARE(op->output()->type.dtype, DType::Float16);
        }
        QVERIFY(std::any_of(log.begin(), log.end(), [](const std::string& l) {
            return l.find("fuse_conv_batchnorm") == 0 && l.find("batch_norm") != std::string::npos &&
                   l.find("stem") != std::string::npos;
        }));
    }
};

QTEST_APPLESS_MAIN(TestDefaultPipeline)
#include "test_default_pipeline.moc"
