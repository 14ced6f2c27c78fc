// fold_casts: same-dtype casts go, lossless chains shorten, lossy round trips stay, repeats merge.
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

namespace {
mil::Value* cast(ProgramFixture& f, mil::Value* x, const std::string& to, const std::string& name) {
    return f.b.add1("cast", {{"x", {x}}, {"dtype", {f.b.constString(to, name + "_dt")}}}, name);
}
}  // namespace

class TestFoldCasts : public QObject {
    Q_OBJECT
private slots:
    void shortensLosslessChains() {
        ProgramFixture f;
        mil::Value* idx = f.input("idx", mil::TensorType{DType::Int32, {3}});
        mil::Value* h = cast(f, cast(f, idx, "fp32", "wide"), "fp16", "narrow");  // int32 -> fp32 -> fp16
        f.output(f.b.add1("relu", {{"x", {h}}}, "y"));
        QVERIFY(runPass(f.p, "fold_casts"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"cast", "relu"}));
        mil::Operation* c = firstOf(f.p, "cast");
        QCOMPARE(c->input("x"), idx);
        QCOMPARE(c->output()->type.dtype, DType::Float16);
    }

    void cancelsRoundTripsThatLoseNothing() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp16({3}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* back = cast(f, cast(f, r, "fp32", "up"), "fp16", "down");  // fp16 -> fp32 -> fp16
        f.output(f.b.add1("relu", {{"x", {back}}}, "y"));
        QVERIFY(runPass(f.p, "fold_casts"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"relu", "relu"}));
        QCOMPARE(f.body().ops.back()->input("x"), r);
    }

    void keepsLossyRoundTrips() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({3}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* back = cast(f, cast(f, r, "fp16", "down"), "fp32", "up");  // rounds to fp16 on purpose
        mil::Value* i = cast(f, cast(f, r, "bool", "flag"), "fp32", "flag_f");  // clamps to 0/1
        f.output(back);
        f.output(i);
        QVERIFY(!runPass(f.p, "fold_casts"));
        QCOMPARE(countType(f.p, "cast"), size_t(4));
    }

    void mergesRepeatedCastsAndDropsSameDtypeCasts() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({3}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* a = cast(f, r, "fp16", "a");
        mil::Value* b = cast(f, r, "fp16", "b");
        mil::Value* same = cast(f, a, "fp16", "same");
        mil::Value* s = f.b.add1("add", {{"x", {same}}, {"y", {b}}}, "s");
        f.output(s);
        QVERIFY(runPass(f.p, "fold_casts"));
        QCOMPARE(countType(f.p, "cast"), size_t(1));
        mil::Operation* add = firstOf(f.p, "add");
        QCOMPARE(add->input("x"), a);
        QCOMPARE(add->input("y"), a);
    }

    void keepsTheOutputNameOnACastToAnInput() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({3}));
        mil::Value* out = cast(f, x, "fp32", "out");  // a no-op, but removing it would rename input x
        f.output(out);
        QVERIFY(!runPass(f.p, "fold_casts"));
        QCOMPARE(f.body().outputs.front()->name, std::string("out"));
    }
};

QTEST_APPLESS_MAIN(TestFoldCasts)
#include "test_fold_casts.moc"
