// constant_folding on tensor-shaping ops (transpose, slicing, concat, gather, casts, shape ...),
// each against values worked out by hand, and the size limit.
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

namespace {
// 0 1 2 / 3 4 5 as a 2x3 int32 tensor.
mil::Value* iota(ProgramFixture& f, Shape shape, DType dt = DType::Int32) {
    std::vector<int64_t> v(static_cast<size_t>(shapeNumel(shape)));
    for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<int64_t>(i);
    return f.b.constant(Tensor::fromInts(v, shape, dt), "iota");
}

std::vector<int64_t> folded(mil::Value* v) {
    if (!v->isConst()) return {-999};
    return v->constValue->toInts();
}
}  // namespace

class TestConstantFoldingTensors : public QObject {
    Q_OBJECT
private slots:
    void transposeReshapeSqueeze() {
        ProgramFixture f;
        mil::Value* t = f.b.add1("transpose", {{"x", {iota(f, {2, 3})}}, {"perm", {f.b.constInts({1, 0}, "p")}}}, "t");
        mil::Value* r = f.b.add1("reshape", {{"x", {t}}, {"shape", {f.b.constInts({1, 6}, "s")}}}, "r");
        mil::Value* e = f.b.add1("expand_dims", {{"x", {r}}, {"axes", {f.b.constInts({0}, "a")}}}, "e");
        mil::Value* s = f.b.add1("squeeze", {{"x", {e}}, {"axes", {f.b.constInts({0, 1}, "a2")}}}, "s");
        f.output(s);
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(folded(t), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
        QCOMPARE(s->type.shape, Shape{6});
        QCOMPARE(folded(s), (std::vector<int64_t>{0, 3, 1, 4, 2, 5}));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{});
    }

    void sliceByIndexWithMasksAndNegativeStrides() {
        ProgramFixture f;
        mil::Value* x = iota(f, {3, 4});  // rows 0..3, 4..7, 8..11
        auto bools = [&](std::vector<bool> v, const char* n) { return f.b.constant(Tensor::fromBools(v, {2}), n); };
        // x[1:, ::-2] -> rows 1,2; columns 3,1
        mil::Value* a = f.b.add1("slice_by_index",
                                 {{"x", {x}},
                                  {"begin", {f.b.constInts({1, 0}, "b")}},
                                  {"end", {f.b.constInts({0, 0}, "e")}},
                                  {"stride", {f.b.constInts({1, -2}, "st")}},
                                  {"begin_mask", {bools({false, true}, "bm")}},
                                  {"end_mask", {bools({true, true}, "em")}}},
                                 "a");
        // x[-1, 1:3] -> 9, 10 (row squeezed)
        mil::Value* b = f.b.add1("slice_by_index",
                                 {{"x", {x}},
                                  {"begin", {f.b.constInts({-1, 1}, "b2")}},
                                  {"end", {f.b.constInts({0, 3}, "e2")}},
                                  {"squeeze_mask", {bools({true, false}, "sm")}}},
                                 "b");
        f.output(a);
        f.output(b);
        QCOMPARE(a->type.shape, (Shape{2, 2}));
        QCOMPARE(b->type.shape, (Shape{2}));
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(folded(a), (std::vector<int64_t>{7, 5, 11, 9}));
        QCOMPARE(folded(b), (std::vector<int64_t>{9, 10}));
    }

    void concatGatherTile() {
        ProgramFixture f;
        mil::Value* x = iota(f, {2, 2});
        mil::Value* c = f.b.add1(
            "concat",
            {{"values", {x, f.b.constant(Tensor::fromInts({7, 8}, {2, 1}), "k")}}, {"axis", {f.b.constInt(1, "ax")}}},
            "c");  // 0 1 7 / 2 3 8
        mil::Value* g = f.b.add1(
            "gather", {{"x", {c}}, {"indices", {f.b.constInts({2, -3}, "i")}}, {"axis", {f.b.constInt(1, "ax1")}}},
            "g");  // columns 2 and 0: 7 0 / 8 2
        mil::Value* t =
            f.b.add1("tile", {{"x", {f.b.constInts({1, 2}, "v")}}, {"reps", {f.b.constInts({2}, "reps")}}}, "t");
        f.output(g);
        f.output(t);
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(folded(c), (std::vector<int64_t>{0, 1, 7, 2, 3, 8}));
        QCOMPARE(folded(g), (std::vector<int64_t>{7, 0, 8, 2}));
        QCOMPARE(folded(t), (std::vector<int64_t>{1, 2, 1, 2}));
    }

    void castShapeAndRange() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2, 5, 7}));
        mil::Value* shape = f.b.add1("shape", {{"x", {x}}}, "shape");
        mil::Value* asFloat =
            f.b.add1("cast", {{"x", {shape}}, {"dtype", {f.b.constString("fp32", "dt")}}}, "as_float");
        mil::Value* half = f.b.add1("real_div", {{"x", {asFloat}}, {"y", {f.b.constFloat(2.0f, "two")}}}, "half");
        mil::Value* back = f.b.add1("cast", {{"x", {half}}, {"dtype", {f.b.constString("int32", "dt2")}}}, "back");
        mil::Value* range = f.b.add1("range_1d",
                                     {{"end", {f.b.constInt(10, "end")}},
                                      {"start", {f.b.constInt(1, "start")}},
                                      {"step", {f.b.constInt(4, "step")}}},
                                     "range");
        f.output(back);
        f.output(range);
        f.output(f.b.add1("relu", {{"x", {x}}}, "y"));
        QVERIFY(runPass(f.p, "constant_folding"));
        QCOMPARE(folded(shape), (std::vector<int64_t>{2, 5, 7}));
        QCOMPARE(half->constValue->toDoubles(), (std::vector<double>{1, 2.5, 3.5}));
        QCOMPARE(folded(back), (std::vector<int64_t>{1, 2, 3}));  // truncation toward zero
        QCOMPARE(folded(range), (std::vector<int64_t>{1, 5, 9}));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"relu"});
    }

    void sizeLimitKeepsLargeExpansions() {
        ProgramFixture f;
        mil::Value* small =
            f.b.add1("fill", {{"shape", {f.b.constInts({2, 2}, "s")}}, {"value", {f.b.constFloat(3, "v")}}}, "small");
        mil::Value* large = f.b.add1(
            "fill", {{"shape", {f.b.constInts({512, 512}, "s2")}}, {"value", {f.b.constFloat(3, "v2")}}}, "large");
        // A large result computed from an equally large constant is folded: nothing grows.
        std::vector<float> w(256 * 256, 1.0f);
        mil::Value* big = f.b.constant(Tensor::fromFloats(w, {256, 256}), "w");
        mil::Value* wt = f.b.add1("transpose", {{"x", {big}}, {"perm", {f.b.constInts({1, 0}, "p")}}}, "wt");
        f.output(small);
        f.output(large);
        f.output(wt);
        QVERIFY(runPass(f.p, "constant_folding"));
        QVERIFY(small->isConst());
        QVERIFY(!large->isConst());
        QVERIFY(wt->isConst());
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"fill"});
    }
};

QTEST_APPLESS_MAIN(TestConstantFoldingTensors)
#include "test_constant_folding_tensors.moc"
