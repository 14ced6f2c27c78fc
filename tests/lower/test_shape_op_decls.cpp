// Type inference of the shape/tensor/gather/reduction/cast MIL declarations, on the cases where
// Core ML's rules are easy to get wrong (masks, zeros in shapes, opset differences).
#include "common/error.h"
#include "mil/builder.h"
#include "support/op_decl_fixture.h"
#include "support/test_support.h"

using namespace cms;
using mil::TensorType;

using Fixture = test::OpDeclFixture;
using test::fp32;

class TestShapeOpDecls : public QObject {
    Q_OBJECT
private slots:
    void reshapeZerosDifferBetweenOpsets() {
        Fixture f15(mil::Target::iOS15);
        mil::Value* x = f15.input(fp32({2, 3, 4}));
        QCOMPARE(f15.type("reshape", {{"x", {x}}, {"shape", {f15.ints({0, 0, -1})}}}), fp32({2, 3, 4}));
        QVERIFY(f15.fails("reshape", {{"x", {x}}, {"shape", {f15.ints({0, -1})}}}));  // 0 needs equal ranks
        QVERIFY(f15.fails("reshape", {{"x", {x}}, {"shape", {f15.ints({5, -1})}}}));
        Fixture f17(mil::Target::iOS17);
        mil::Value* y = f17.input(fp32({2, 3, 4}));
        QCOMPARE(f17.type("reshape", {{"x", {y}}, {"shape", {f17.ints({0, -1})}}}), fp32({3, 8}));  // aligned right
    }

    void squeezeKeepsListedAxesThatAreNotOne() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({1, 3, 1}));
        QCOMPARE(f.type("squeeze", {{"x", {x}}, {"axes", {f.ints({0, 1})}}}), fp32({3, 1}));
        QCOMPARE(f.type("squeeze", {{"x", {x}}}), fp32({3}));
        QCOMPARE(f.type("expand_dims", {{"x", {x}}, {"axes", {f.ints({-1, 0})}}}), fp32({1, 1, 3, 1, 1}));
        QCOMPARE(f.type("transpose", {{"x", {x}}, {"perm", {f.ints({2, 0, 1})}}}), fp32({1, 1, 3}));
        QVERIFY(f.fails("transpose", {{"x", {x}}, {"perm", {f.ints({0, 0, 1})}}}));
    }

    void sliceByIndexFollowsCoreMLRules() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({10, 1, 6}));
        auto slice = [&](std::vector<int64_t> b, std::vector<int64_t> e, std::vector<int64_t> s, std::vector<bool> em) {
            return f.type("slice_by_index", {{"x", {x}}, {"begin", {f.ints(b)}}, {"end", {f.ints(e)}}, {"stride", {f.ints(s)}},
                                             {"end_mask", {f.bools(em)}}});
        };
        QCOMPARE(slice({1, 0, 2}, {8, 5, 2}, {2, 1, 1}, {false, false, false}), fp32({4, 1, 0}));
        QCOMPARE(slice({-3, 0, 0}, {0, 1, 0}, {1, 1, 1}, {true, false, true}), fp32({3, 1, 6}));
        QCOMPARE(slice({-1, 0, 0}, {-4, 1, 0}, {-1, 1, 1}, {false, false, true}), fp32({3, 1, 6}));
        QCOMPARE(slice({2, 0, 1}, {100, 1, 3}, {1, 1, 1}, {false, false, false}), fp32({8, 1, 2}));  // clamped
        QCOMPARE(f.type("slice_by_index", {{"x", {x}}, {"begin", {f.ints({3, 0, 0})}}, {"end", {f.ints({4, 0, 0})}},
                                           {"end_mask", {f.bools({false, true, true})}},
                                           {"squeeze_mask", {f.bools({true, false, false})}}}),
                 fp32({1, 6}));
        QCOMPARE(f.type("slice_by_size", {{"x", {x}}, {"begin", {f.ints({2, 0, 1})}}, {"size", {f.ints({3, -1, -1})}}}),
                 fp32({3, 1, 5}));
    }

    void splitConcatStack() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 6}));
        const auto parts = f.types("split", {{"x", {x}}, {"num_splits", {f.builder->constInt(3)}}, {"axis", {f.builder->constInt(1)}}});
        QCOMPARE(parts.size(), size_t(3));
        QCOMPARE(parts[2], fp32({2, 2}));
        QVERIFY(f.fails("split", {{"x", {x}}, {"num_splits", {f.builder->constInt(4)}}, {"axis", {f.builder->constInt(1)}}}));
        QCOMPARE(f.types("split", {{"x", {x}}, {"split_sizes", {f.ints({1, 5})}}, {"axis", {f.builder->constInt(-1)}}})[1],
                 fp32({2, 5}));
        mil::Value* y = f.builder->constant(Tensor::zeros(DType::Float32, {2, 3}));
        QCOMPARE(f.type("concat", {{"values", {x, y}}, {"axis", {f.builder->constInt(-1)}}}), fp32({2, 9}));
        QVERIFY(f.fails("concat", {{"values", {x, y}}, {"axis", {f.builder->constInt(0)}}}));
        QCOMPARE(f.type("stack", {{"values", {y, y}}, {"axis", {f.builder->constInt(-1)}}}), fp32({2, 3, 2}));
        QCOMPARE(f.type("tile", {{"x", {y}}, {"reps", {f.ints({2, 1})}}}), fp32({4, 3}));
    }

    void reductions() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 3, 4}));
        QCOMPARE(f.type("reduce_mean", {{"x", {x}}, {"axes", {f.ints({-1})}}, {"keep_dims", {f.builder->constBool(true)}}}),
                 fp32({2, 3, 1}));
        QCOMPARE(f.type("reduce_sum", {{"x", {x}}}), fp32({}));
        QCOMPARE(f.type("reduce_argmax", {{"x", {x}}, {"axis", {f.builder->constInt(1)}}}), (TensorType{DType::Int32, {2, 4}}));
        QVERIFY(f.fails("reduce_argmax", {{"x", {x}}, {"output_dtype", {f.builder->constString("uint16")}}}));
        Fixture f17(mil::Target::iOS17);
        mil::Value* y = f17.input(fp32({2, 3}));
        QCOMPARE(f17.type("reduce_argmin", {{"x", {y}}, {"output_dtype", {f17.builder->constString("uint16")}}}),
                 (TensorType{DType::UInt16, {2}}));
    }

    void gatherAndCastByOpset() {
        Fixture f15(mil::Target::iOS15);
        mil::Value* x = f15.input(fp32({2, 5, 3}));
        mil::Value* idx = f15.builder->constant(Tensor::fromInts({0, 1, 2, 3, 4, 0, 1, 2}, {2, 4}));
        QCOMPARE(f15.type("gather", {{"x", {x}}, {"indices", {idx}}, {"axis", {f15.builder->constInt(1)}}}), fp32({2, 2, 4, 3}));
        QVERIFY(f15.fails("gather", {{"x", {x}}, {"indices", {idx}}, {"batch_dims", {f15.builder->constInt(1)}}}));
        QVERIFY(f15.fails("cast", {{"x", {x}}, {"dtype", {f15.builder->constString("int8")}}}));
        QVERIFY(f15.fails("fill_like", {{"ref_tensor", {x}}}));  // iOS16+
        Fixture f16(mil::Target::iOS16);
        mil::Value* y = f16.input(fp32({2, 5, 3}));
        mil::Value* idx16 = f16.builder->constant(Tensor::fromInts({0, 1, 2, 3, 4, 0, 1, 2}, {2, 4}));
        QCOMPARE(f16.type("gather", {{"x", {y}}, {"indices", {idx16}}, {"axis", {f16.builder->constInt(1)}},
                                     {"batch_dims", {f16.builder->constInt(1)}}}),
                 fp32({2, 4, 3}));
        Fixture f17(mil::Target::iOS17);
        mil::Value* z = f17.input(fp32({2, 3}));
        QCOMPARE(f17.type("cast", {{"x", {z}}, {"dtype", {f17.builder->constString("int8")}}}), (TensorType{DType::Int8, {2, 3}}));
    }

    void creation() {
        Fixture f(mil::Target::iOS15);
        QCOMPARE(f.type("range_1d", {{"end", {f.builder->constInt(5)}}, {"start", {f.builder->constInt(0)}}, {"step", {f.builder->constInt(2)}}}),
                 (TensorType{DType::Int32, {3}}));
        QCOMPARE(f.type("fill", {{"shape", {f.ints({2, 3})}}, {"value", {f.builder->constFloat(1.5f)}}}), fp32({2, 3}));
        mil::Value* x = f.input(fp32({4, 2}));
        QCOMPARE(f.type("shape", {{"x", {x}}}), (TensorType{DType::Int32, {2}}));
    }
};

QTEST_APPLESS_MAIN(TestShapeOpDecls)
#include "test_shape_op_decls.moc"
