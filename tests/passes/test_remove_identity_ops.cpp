// remove_identity_ops: ops that return their input go; outputs keep their names or the op stays.
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

class TestRemoveIdentityOps : public QObject {
    Q_OBJECT
private slots:
    void removesNoOpsBetweenRealOps() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 2, 3}));
        mil::Value* v = f.b.add1("relu", {{"x", {x}}}, "a");
        v = f.b.add1("identity", {{"x", {v}}}, "id");
        v = f.b.add1("cast", {{"x", {v}}, {"dtype", {f.b.constString("fp32", "dt")}}}, "same_cast");
        v = f.b.add1("reshape", {{"x", {v}}, {"shape", {f.b.constInts({1, 2, 3}, "s")}}}, "same_shape");
        v = f.b.add1("transpose", {{"x", {v}}, {"perm", {f.b.constInts({0, 1, 2}, "p")}}}, "no_perm");
        v = f.b.add1("slice_by_index",
                     {{"x", {v}}, {"begin", {f.b.constInts({0, 0, 0}, "b")}}, {"end", {f.b.constInts({1, 2, 3}, "e")}}},
                     "everything");
        v = f.b.add1("squeeze", {{"x", {v}}, {"axes", {f.b.constInts({0}, "ax")}}}, "sq");
        v = f.b.add1("expand_dims", {{"x", {v}}, {"axes", {f.b.constInts({0}, "ax2")}}}, "unsq");
        mil::Value* y = f.b.add1("relu", {{"x", {v}}}, "y");
        f.output(y);
        QVERIFY(runPass(f.p, "remove_identity_ops"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"relu", "relu"}));
        QCOMPARE(f.body().ops.size(), size_t(2));  // the bypassed ops' constants went with them
        QCOMPARE(firstOf(f.p, "relu")->output()->name, std::string("a"));
        QVERIFY(!runPass(f.p, "remove_identity_ops"));
    }

    void keepsOpsThatDoSomething() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2, 2}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* t = f.b.add1("transpose", {{"x", {r}}, {"perm", {f.b.constInts({1, 0}, "p")}}}, "t");
        mil::Value* rev = f.b.add1("slice_by_index",
                                   {{"x", {r}},
                                    {"begin", {f.b.constInts({-1, 0}, "b")}},
                                    {"end", {f.b.constInts({0, 2}, "e")}},
                                    {"stride", {f.b.constInts({-1, 1}, "s")}},
                                    {"end_mask", {f.b.constant(Tensor::fromBools({true, false}, {2}), "em")}}},
                                   "reversed");
        mil::Value* c = f.b.add1("cast", {{"x", {r}}, {"dtype", {f.b.constString("fp16", "dt")}}}, "c");
        f.output(t);
        f.output(rev);
        f.output(c);
        QCOMPARE(rev->type, fp32({2, 2}));
        QVERIFY(!runPass(f.p, "remove_identity_ops"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"relu", "transpose", "slice_by_index", "cast"}));
    }

    void outputNameMovesToTheReplacement() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({4}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* out = f.b.add1("identity", {{"x", {r}}}, "logits");
        f.output(out);
        QVERIFY(runPass(f.p, "remove_identity_ops"));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"relu"});
        QCOMPARE(f.body().outputs.front()->name, std::string("logits"));
        QCOMPARE(f.body().outputs.front()->producer->type, std::string("relu"));
    }

    void keepsAnOutputThatWouldBecomeAnInputOrAnotherOutput() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({4}));
        mil::Value* same = f.b.add1("identity", {{"x", {x}}}, "same");  // output = input: it must stay
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* copy = f.b.add1("identity", {{"x", {r}}}, "copy");  // r is an output too
        f.output(same);
        f.output(r);
        f.output(copy);
        QVERIFY(!runPass(f.p, "remove_identity_ops"));
        QCOMPARE(countType(f.p, "identity"), size_t(2));
        QCOMPARE(f.body().outputs[0]->name, std::string("same"));
        QCOMPARE(f.body().outputs[1]->name, std::string("r"));
    }

    void transposePairsCancelOrMerge() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2, 3, 4}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* t1 =
            f.b.add1("transpose", {{"x", {r}}, {"perm", {f.b.constInts({1, 2, 0}, "p1")}}}, "t1");  // 3x4x2
        mil::Value* back = f.b.add1("transpose", {{"x", {t1}}, {"perm", {f.b.constInts({2, 0, 1}, "p2")}}}, "back");
        mil::Value* a = f.b.add1("relu", {{"x", {back}}}, "a");
        mil::Value* u1 =
            f.b.add1("transpose", {{"x", {r}}, {"perm", {f.b.constInts({1, 0, 2}, "p3")}}}, "u1");  // 3x2x4
        mil::Value* u2 =
            f.b.add1("transpose", {{"x", {u1}}, {"perm", {f.b.constInts({0, 2, 1}, "p4")}}}, "u2");  // 3x4x2
        f.output(a);
        f.output(u2);
        QVERIFY(runPass(f.p, "remove_identity_ops"));
        QCOMPARE(firstOf(f.p, "relu")->output(), r);
        QCOMPARE(f.body().ops.back()->output()->name, std::string("u2"));
        QCOMPARE(countType(f.p, "transpose"), size_t(1));
        mil::Operation* merged = firstOf(f.p, "transpose");
        QCOMPARE(merged->input("x"), r);
        // out[i] = r[p3[p4[i]]]: {1, 2, 0}
        QCOMPARE(merged->input("perm")->constValue->toInts(), (std::vector<int64_t>{1, 2, 0}));
        QCOMPARE(merged->output()->type, fp32({3, 4, 2}));
        QCOMPARE(f.body().outputs[1]->name, std::string("u2"));
    }

    void reshapeChainsThatRestoreTheShapeGo() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({1, 6}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* a = f.b.add1("reshape", {{"x", {r}}, {"shape", {f.b.constInts({2, 3}, "s1")}}}, "a");
        mil::Value* b = f.b.add1("expand_dims", {{"x", {a}}, {"axes", {f.b.constInts({0}, "ax")}}}, "b");
        mil::Value* c = f.b.add1("reshape", {{"x", {b}}, {"shape", {f.b.constInts({1, 6}, "s2")}}}, "c");
        f.output(f.b.add1("relu", {{"x", {c}}}, "y"));
        QVERIFY(runPass(f.p, "remove_identity_ops"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"relu", "relu"}));
    }
};

QTEST_APPLESS_MAIN(TestRemoveIdentityOps)
#include "test_remove_identity_ops.moc"
