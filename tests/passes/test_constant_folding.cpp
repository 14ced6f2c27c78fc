// constant_folding on elementwise arithmetic: values checked by hand, names and provenance kept.
#include "common/half.h"
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

class TestConstantFolding : public QObject {
    Q_OBJECT
private slots:
    void foldsBroadcastArithmeticKeepingNameAndProvenance() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2, 3}));
        mil::Value* a = f.b.constant(Tensor::fromFloats({1, 2}, {2, 1}), "a");
        mil::Value* b = f.b.constFloats({10, 20, 30}, "b");
        ir::Provenance prov;
        prov.modulePath = "head.scale";
        prov.sourceOp = "aten::add";
        f.b.setProvenance(prov);
        mil::Value* sum = f.b.add1("add", {{"x", {a}}, {"y", {b}}}, "sum");  // [[11,21,31],[12,22,32]]
        mil::Value* diff = f.b.add1("sub", {{"x", {sum}}, {"y", {f.b.constFloat(1, "one")}}}, "diff");
        mil::Value* half = f.b.add1("real_div", {{"x", {diff}}, {"y", {f.b.constFloats({2, 4, 5}, "d")}}}, "half");
        mil::Value* y = f.b.add1("mul", {{"x", {x}}, {"y", {half}}}, "y");
        f.output(y);

        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"mul"});
        mil::Value* folded = firstOf(f.p, "mul")->input("y");
        QCOMPARE(folded, half);  // same value: every reader and the name stay
        QCOMPARE(folded->name, std::string("half"));
        QCOMPARE(folded->type, fp32({2, 3}));
        QCOMPARE(valuesOf(folded), (std::vector<double>{5, 5, 6, 5.5, 5.25, 6.2f}));
        QCOMPARE(folded->producer->prov.modulePath, std::string("head.scale"));
        QVERIFY(!runPass(f.p, "constant_folding"));
    }

    void roundsOnceIntoTheResultDtype() {
        ProgramFixture f;
        mil::Value* one = f.b.constant(Tensor::fromFloats({1, 2}, {2}, DType::Float16), "one");
        mil::Value* three = f.b.constant(Tensor::fromFloats({3, 3}, {2}, DType::Float16), "three");
        mil::Value* q = f.b.add1("real_div", {{"x", {one}}, {"y", {three}}}, "q");
        f.output(q);
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(q->constValue->dtype(), DType::Float16);
        QCOMPARE(q->constValue->toFloats()[0], halfToFloat(floatToHalf(1.0f / 3.0f)));
        QCOMPARE(q->constValue->toFloats()[1], halfToFloat(floatToHalf(2.0f / 3.0f)));
    }

    void integerArithmeticStaysExact() {
        ProgramFixture f;
        mil::Value* a = f.b.constInts({7, -7, 1000}, "a");
        mil::Value* b = f.b.constInts({2, 2, 3000}, "b");
        mil::Value* p = f.b.add1("mul", {{"x", {a}}, {"y", {b}}}, "p");
        mil::Value* s = f.b.add1("sub", {{"x", {p}}, {"y", {f.b.constInt(1, "one")}}}, "s");
        f.output(s);
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(s->constValue->dtype(), DType::Int32);
        QCOMPARE(s->constValue->toInts(), (std::vector<int64_t>{13, -15, 2999999}));
    }

    void leavesIntegerOverflowAlone() {
        // 100000 * 30000 does not fit int32: folding would have to invent a wrapped value.
        ProgramFixture f;
        mil::Value* p =
            f.b.add1("mul", {{"x", {f.b.constInts({100000}, "a")}}, {"y", {f.b.constInts({30000}, "b")}}}, "p");
        f.output(p);
        QVERIFY(!runPass(f.p, "constant_folding"));
        QVERIFY(!p->isConst());
    }

    void leavesOpsWithRuntimeInputs() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2}));
        mil::Value* y = f.b.add1("add", {{"x", {x}}, {"y", {f.b.constFloats({1, 2}, "c")}}}, "y");
        mil::Value* r = f.b.add1("relu", {{"x", {f.b.constFloats({-1, 2}, "k")}}}, "r");
        mil::Value* z = f.b.add1("mul", {{"x", {y}}, {"y", {r}}}, "z");
        f.output(z);
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"add", "mul"}));
        QCOMPARE(valuesOf(r), (std::vector<double>{0, 2}));
    }
};

QTEST_APPLESS_MAIN(TestConstantFolding)
#include "test_constant_folding.moc"
