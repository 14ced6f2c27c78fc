// fuse_conv_batchnorm: fused weights and biases against values worked out by hand.
#include <cmath>

#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

namespace {
void compareClose(const std::vector<double>& actual, const std::vector<double>& expected) {
    QCOMPARE(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i)
        QVERIFY2(std::fabs(actual[i] - expected[i]) < 1e-6,
                 qPrintable(QString("element %1: %2 vs %3").arg(i).arg(actual[i]).arg(expected[i])));
}

mil::Value* batchNorm(mil::Builder& b, mil::Value* x, std::vector<float> mean, std::vector<float> var,
                      std::vector<float> gamma, std::vector<float> beta, float eps, const std::string& name) {
    return b.add1("batch_norm",
                  {{"x", {x}},
                   {"mean", {b.constFloats(mean, "mean")}},
                   {"variance", {b.constFloats(var, "var")}},
                   {"gamma", {b.constFloats(gamma, "gamma")}},
                   {"beta", {b.constFloats(beta, "beta")}},
                   {"epsilon", {b.constFloat(eps, "eps")}}},
                  name);
}
}  // namespace

class TestFuseConvBatchnorm : public QObject {
    Q_OBJECT
private slots:
    void foldsBatchNormIntoWeightAndBias() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 1, 4, 4}));
        ir::Provenance prov;
        prov.modulePath = "features.0";
        f.b.setProvenance(prov);
        mil::Value* conv = f.b.add1("conv",
                                    {{"x", {x}},
                                     {"weight", {f.b.constant(Tensor::fromFloats({2, 3}, {2, 1, 1, 1}), "w")}},
                                     {"bias", {f.b.constFloats({1, -1}, "b")}}},
                                    "conv");
        prov.modulePath = "features.1";
        f.b.setProvenance(prov);
        // sqrt(var + eps) = {2, 4}, so scale = gamma / {2, 4} = {0.25, 0.5}
        mil::Value* bn = batchNorm(f.b, conv, {1, 2}, {3, 15}, {0.5f, 2}, {0.1f, 0.2f}, 1.0f, "bn");
        f.output(bn);
        std::vector<std::string> log;
        passes::PassContext ctx;
        ctx.log = &log;

        QVERIFY(runPass(f.p, "fuse_conv_batchnorm", ctx));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"conv"});
        QCOMPARE(countType(f.p, "const"), size_t(2));  // old weight, bias and BN statistics are gone
        mil::Operation* op = firstOf(f.p, "conv");
        QCOMPARE(f.body().outputs.front(), op->output());
        QCOMPARE(op->output()->name, std::string("bn"));  // the model output keeps its name
        QCOMPARE(op->prov.modulePath, std::string("features.0"));
        compareClose(valuesOf(op->input("weight")), {2 * 0.25, 3 * 0.5});
        // b' = (b - mean) * scale + beta
        compareClose(valuesOf(op->input("bias")), {(1 - 1) * 0.25 + 0.1, (-1 - 2) * 0.5 + 0.2});
        QCOMPARE(log.size(), size_t(1));
        QVERIFY(log[0].find("features.1") != std::string::npos);
        QVERIFY(!runPass(f.p, "fuse_conv_batchnorm"));
    }

    void absorbsPerChannelAddAndScaleWithoutBias() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 1, 3, 3}));
        mil::Value* conv = f.b.add1(
            "conv", {{"x", {x}}, {"weight", {f.b.constant(Tensor::fromFloats({1, 2}, {2, 1, 1, 1}), "w")}}}, "conv");
        mil::Value* shifted = f.b.add1(
            "add", {{"x", {f.b.constant(Tensor::fromFloats({3, 4}, {1, 2, 1, 1}), "c")}}, {"y", {conv}}}, "shifted");
        mil::Value* scaled = f.b.add1("mul", {{"x", {shifted}}, {"y", {f.b.constFloat(2.0f, "two")}}}, "scaled");
        mil::Value* out = f.b.add1(
            "sub", {{"x", {scaled}}, {"y", {f.b.constant(Tensor::fromFloats({1, 1}, {2, 1, 1}), "d")}}}, "out");
        f.output(out);
        QVERIFY(runPass(f.p, "fuse_conv_batchnorm"));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"conv"});
        mil::Operation* op = firstOf(f.p, "conv");
        // ((w x + 0) + c) * 2 - 1
        compareClose(valuesOf(op->input("weight")), {2, 4});
        compareClose(valuesOf(op->input("bias")), {(3 * 2) - 1, (4 * 2) - 1});
        QCOMPARE(op->output()->name, std::string("out"));
    }

    void mapsTransposedConvWeightsToOutputChannels() {
        // conv_transpose weight is [Cin, Cout/groups, k...]: with groups=2 and Cin=4, input channels
        // 0,1 feed output channels 0,1 and input channels 2,3 feed output channels 2,3.
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 4, 2, 2}));
        std::vector<float> ones(8, 1.0f);
        mil::Value* conv = f.b.add1("conv_transpose",
                                    {{"x", {x}},
                                     {"weight", {f.b.constant(Tensor::fromFloats(ones, {4, 2, 1, 1}), "w")}},
                                     {"groups", {f.b.constInt(2, "groups")}}},
                                    "deconv");
        QCOMPARE(conv->type.shape, (Shape{1, 4, 2, 2}));
        mil::Value* bn = batchNorm(f.b, conv, {0, 0, 0, 1}, {1, 1, 1, 1}, {1, 10, 100, 1000}, {0, 0, 0, 0}, 0.0f, "bn");
        f.output(bn);
        QVERIFY(runPass(f.p, "fuse_conv_batchnorm"));
        mil::Operation* op = firstOf(f.p, "conv_transpose");
        compareClose(valuesOf(op->input("weight")), {1, 10, 1, 10, 100, 1000, 100, 1000});
        compareClose(valuesOf(op->input("bias")), {0, 0, 0, -1000});
    }

    void mapsUngroupedTransposedConvWeights() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 2, 2, 2}));
        mil::Value* conv = f.b.add1(
            "conv_transpose",
            {{"x", {x}}, {"weight", {f.b.constant(Tensor::fromFloats({1, 2, 3, 4}, {2, 2, 1, 1}), "w")}}}, "deconv");
        mil::Value* y =
            f.b.add1("mul", {{"x", {conv}}, {"y", {f.b.constant(Tensor::fromFloats({10, 100}, {2, 1, 1}), "s")}}}, "y");
        f.output(y);
        QVERIFY(runPass(f.p, "fuse_conv_batchnorm"));
        // elements are [in0->out0, in0->out1, in1->out0, in1->out1]
        compareClose(valuesOf(firstOf(f.p, "conv_transpose")->input("weight")), {10, 200, 30, 400});
    }

    void leavesSharedOrOutputConvsAlone() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 1, 2, 2}));
        mil::Value* w = f.b.constant(Tensor::fromFloats({1, 1}, {2, 1, 1, 1}), "w");
        mil::Value* c1 = f.b.add1("conv", {{"x", {x}}, {"weight", {w}}}, "c1");
        mil::Value* bn1 = batchNorm(f.b, c1, {0, 0}, {1, 1}, {2, 2}, {0, 0}, 0.0f, "bn1");
        mil::Value* r1 = f.b.add1("relu", {{"x", {c1}}}, "r1");  // a second reader of c1
        mil::Value* c2 = f.b.add1("conv", {{"x", {x}}, {"weight", {w}}}, "c2");
        mil::Value* bn2 = batchNorm(f.b, c2, {0, 0}, {1, 1}, {2, 2}, {0, 0}, 0.0f, "bn2");
        mil::Value* bigger = f.b.add1(
            "add", {{"x", {c2}}, {"y", {f.b.constant(Tensor::fromFloats({1, 2, 3, 4}, {4, 1, 1, 1}), "k")}}}, "bigger");
        f.output(bn1);
        f.output(r1);
        f.output(c2);  // c2 is itself an output
        f.output(bn2);
        f.output(bigger);  // broadcasts the conv output up: not a per-channel affine
        QVERIFY(!runPass(f.p, "fuse_conv_batchnorm"));
        QCOMPARE(countType(f.p, "batch_norm"), size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestFuseConvBatchnorm)
#include "test_fuse_conv_batchnorm.moc"
