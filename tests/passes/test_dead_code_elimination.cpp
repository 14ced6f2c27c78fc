// dead_code_elimination: unread ops go, outputs and everything they need stay.
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

class TestDeadCodeElimination : public QObject {
    Q_OBJECT
private slots:
    void removesUnreadChainsKeepsOutputs() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({4}));
        mil::Value* one = f.b.constFloat(1.0f, "one");
        mil::Value* a = f.b.add1("add", {{"x", {x}}, {"y", {one}}}, "a");
        mil::Value* deadMid = f.b.add1("mul", {{"x", {a}}, {"y", {f.b.constFloat(3.0f, "three")}}}, "dead_mid");
        f.b.add1("relu", {{"x", {deadMid}}}, "dead_end");
        mil::Value* out1 = f.b.add1("relu", {{"x", {a}}}, "out1");
        f.output(out1);
        f.output(a);  // an intermediate that is also an output
        QVERIFY(runPass(f.p, "dead_code_elimination"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"add", "relu"}));
        QCOMPARE(countType(f.p, "const"), size_t(1));  // "three" went with its reader
        QCOMPARE(f.body().outputs[0]->name, std::string("out1"));
        QCOMPARE(f.body().outputs[1]->name, std::string("a"));
        QVERIFY(!runPass(f.p, "dead_code_elimination"));
    }

    void keepsOutputsThatAreConstants() {
        ProgramFixture f;
        f.input("x", fp32({1}));
        mil::Value* c = f.b.constFloats({1, 2}, "c");
        f.b.constFloats({5}, "unused");
        f.output(c);
        QVERIFY(runPass(f.p, "dead_code_elimination"));
        QCOMPARE(countType(f.p, "const"), size_t(1));
        QCOMPARE(f.body().ops.front()->output(), c);
        QCOMPARE(f.p.main().inputs.size(), size_t(1));  // model inputs are never removed
    }

    void recursesIntoNestedBlocks() {
        // A nested body (as a cond/while would own) with a dead op inside; the owner stays because
        // its result is an output, and the body's own outputs keep their producers.
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2}));
        mil::Value* r = f.b.add1("relu", {{"x", {x}}}, "r");
        mil::Value* owner = f.b.add1("relu", {{"x", {x}}}, "owner");
        auto inner = std::make_unique<mil::Block>();
        mil::Builder ib(f.p, *inner, mil::Target::iOS15);
        mil::Value* kept = ib.add1("mul", {{"x", {r}}, {"y", {ib.constFloat(2.0f, "two")}}}, "kept");
        ib.add1("add", {{"x", {r}}, {"y", {ib.constFloat(5.0f, "five")}}}, "dead_inner");
        inner->outputs.push_back(kept);
        f.body().ops.back()->blocks.push_back(std::move(inner));
        f.output(owner);
        QVERIFY(runPass(f.p, "dead_code_elimination"));
        QCOMPARE(opTypes(f.p), (std::vector<std::string>{"relu", "relu"}));  // r is read inside the body
        const auto& body = *f.body().ops.back()->blocks.front();
        QCOMPARE(body.ops.size(), size_t(2));  // "two" and "kept"
        QCOMPARE(body.ops.back()->name, std::string("kept"));
    }
};

QTEST_APPLESS_MAIN(TestDeadCodeElimination)
#include "test_dead_code_elimination.moc"
