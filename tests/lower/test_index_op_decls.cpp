// Type inference of the selection, scan, reverse, upsampling, gather_nd/scatter and sorting MIL
// declarations (band_part, cumsum, reverse, upsample_nearest_neighbor, upsample_bilinear, gather_nd,
// scatter, scatter_along_axis, scatter_nd, topk, argsort) where Core ML's rules are specific: cumsum's
// axis range, the floor of fractional scales, the shapes updates must have, opset differences.
#include "common/error.h"
#include "mil/builder.h"
#include "support/op_decl_fixture.h"
#include "support/test_support.h"

using namespace cms;
using mil::TensorType;

using Fixture = test::OpDeclFixture;
using test::fp32;

class TestIndexOpDecls : public QObject {
    Q_OBJECT
private slots:
    void bandPartKeepsTheType() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(TensorType{DType::Int32, {2, 4, 5}});
        QCOMPARE(f.type("band_part", {{"x", {x}}, {"lower", {f.builder->constInt(0)}}}), (TensorType{DType::Int32, {2, 4, 5}}));
        mil::Value* v = f.input(fp32({5}));
        QVERIFY(f.fails("band_part", {{"x", {v}}}));
    }
    void cumsumAcceptsOnlyMinusOneAsNegativeAxis() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 3}));
        QCOMPARE(f.type("cumsum", {{"x", {x}}, {"axis", {f.builder->constInt(-1)}}}), fp32({2, 3}));
        QCOMPARE(f.type("cumsum", {{"x", {x}}}), fp32({2, 3}));
        QVERIFY(f.fails("cumsum", {{"x", {x}}, {"axis", {f.builder->constInt(-2)}}}));
        QVERIFY(f.fails("cumsum", {{"x", {x}}, {"axis", {f.builder->constInt(2)}}}));
        mil::Value* b = f.input(TensorType{DType::Bool, {3}});
        QVERIFY(f.fails("cumsum", {{"x", {b}}}));
    }
    void reverseChecksAxes() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 3}));
        QCOMPARE(f.type("reverse", {{"x", {x}}, {"axes", {f.ints({-1})}}}), fp32({2, 3}));
        QVERIFY(f.fails("reverse", {{"x", {x}}, {"axes", {f.ints({2})}}}));
        mil::Value* i8 = f.input(TensorType{DType::Int8, {3}});
        QVERIFY(f.fails("reverse", {{"x", {i8}}}));
        Fixture f17(mil::Target::iOS17);
        mil::Value* j8 = f17.input(TensorType{DType::Int8, {3}});
        QCOMPARE(f17.type("reverse", {{"x", {j8}}}), (TensorType{DType::Int8, {3}}));
    }
    void upsampleFloorsFractionalScales() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({1, 3, 4, 5}));
        QCOMPARE(f.type("upsample_nearest_neighbor", {{"x", {x}},
                                                      {"scale_factor_height", {f.builder->constInt(2)}},
                                                      {"scale_factor_width", {f.builder->constInt(3)}}}),
                 fp32({1, 3, 8, 15}));
        QCOMPARE(f.type("upsample_bilinear", {{"x", {x}},
                                              {"scale_factor_height", {f.builder->constFloat(1.5f)}},
                                              {"scale_factor_width", {f.builder->constFloat(1.3f)}}}),
                 fp32({1, 3, 6, 6}));
        mil::Value* small = f.input(fp32({4, 5}));
        QVERIFY(f.fails("upsample_bilinear", {{"x", {small}}}));
    }
    void halfPixelCentersNeedIos16() {
        Fixture f15(mil::Target::iOS15);
        mil::Value* x = f15.input(fp32({1, 1, 2, 2}));
        QVERIFY(f15.fails("upsample_bilinear", {{"x", {x}}, {"half_pixel_centers", {f15.builder->constBool(true)}}}));
        Fixture f16(mil::Target::iOS16);
        mil::Value* y = f16.input(fp32({1, 1, 2, 2}));
        QCOMPARE(f16.type("upsample_bilinear", {{"x", {y}},
                                                {"scale_factor_height", {f16.builder->constInt(2)}},
                                                {"half_pixel_centers", {f16.builder->constBool(true)}}}),
                 fp32({1, 1, 4, 2}));
    }
    void gatherNdTakesTheIndexDepthFromTheLastDim() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({4, 5, 6}));
        mil::Value* idx = f.input(TensorType{DType::Int32, {2, 3, 2}});
        QCOMPARE(f.type("gather_nd", {{"x", {x}}, {"indices", {idx}}}), fp32({2, 3, 6}));
        mil::Value* deep = f.input(TensorType{DType::Int32, {3, 4}});
        QVERIFY(f.fails("gather_nd", {{"x", {x}}, {"indices", {deep}}}));
        QVERIFY(f.fails("gather_nd", {{"x", {x}}, {"indices", {idx}}, {"batch_dims", {f.builder->constInt(1)}}}));
        Fixture f16(mil::Target::iOS16);
        mil::Value* y = f16.input(fp32({4, 5, 6}));
        mil::Value* j = f16.input(TensorType{DType::Int32, {4, 1}});
        QCOMPARE(f16.type("gather_nd", {{"x", {y}}, {"indices", {j}}, {"batch_dims", {f16.builder->constInt(1)}}}), fp32({4, 6}));
    }
    void scattersCheckTheShapeOfUpdates() {
        Fixture f(mil::Target::iOS15);
        mil::Value* data = f.input(fp32({3, 5}));
        mil::Value* idx1 = f.input(TensorType{DType::Int32, {2}});
        mil::Value* rows = f.input(fp32({2, 5}));
        QCOMPARE(f.type("scatter", {{"data", {data}}, {"indices", {idx1}}, {"updates", {rows}}}), fp32({3, 5}));
        QVERIFY(f.fails("scatter", {{"data", {data}}, {"indices", {idx1}}, {"updates", {data}}}));
        QVERIFY(f.fails("scatter", {{"data", {data}}, {"indices", {idx1}}, {"updates", {rows}}, {"mode", {f.builder->constString("mean")}}}));
        mil::Value* idx = f.input(TensorType{DType::Int32, {3, 2}});
        mil::Value* upd = f.input(fp32({3, 2}));
        QCOMPARE(f.type("scatter_along_axis", {{"data", {data}}, {"indices", {idx}}, {"updates", {upd}}, {"axis", {f.builder->constInt(1)}}}),
                 fp32({3, 5}));
        QVERIFY(f.fails("scatter_along_axis", {{"data", {data}}, {"indices", {idx}}, {"updates", {upd}}, {"axis", {f.builder->constInt(0)}}}));
        mil::Value* vectors = f.input(TensorType{DType::Int32, {4, 1}});
        mil::Value* four = f.input(fp32({4, 5}));
        QCOMPARE(f.type("scatter_nd", {{"data", {data}}, {"indices", {vectors}}, {"updates", {four}}}), fp32({3, 5}));
        QVERIFY(f.fails("scatter_nd", {{"data", {data}}, {"indices", {vectors}}, {"updates", {rows}}}));
        mil::Value* ints = f.input(TensorType{DType::Int32, {4, 5}});
        QVERIFY(f.fails("scatter_nd", {{"data", {data}}, {"indices", {vectors}}, {"updates", {ints}}}));
        QVERIFY(f.fails("scatter_nd", {{"data", {data}}, {"indices", {vectors}}, {"updates", {four}}, {"validate_indices", {f.builder->constBool(true)}}}));
        Fixture f17(mil::Target::iOS17);
        mil::Value* d17 = f17.input(fp32({3, 5}));
        mil::Value* v17 = f17.input(TensorType{DType::Int32, {4, 1}});
        mil::Value* u17 = f17.input(fp32({4, 5}));
        QCOMPARE(f17.type("scatter_nd", {{"data", {d17}}, {"indices", {v17}}, {"updates", {u17}}, {"validate_indices", {f17.builder->constBool(true)}}}),
                 fp32({3, 5}));
    }
    void topkAndArgsortShapes() {
        Fixture f(mil::Target::iOS15);
        mil::Value* x = f.input(fp32({2, 6, 3}));
        const std::vector<TensorType> both = f.types("topk", {{"x", {x}}, {"k", {f.builder->constInt(4)}}, {"axis", {f.builder->constInt(1)}}});
        QCOMPARE(both.size(), size_t(2));
        QCOMPARE(both[0], fp32({2, 4, 3}));
        QCOMPARE(both[1], (TensorType{DType::Int32, {2, 4, 3}}));
        QCOMPARE(f.types("topk", {{"x", {x}}})[0], fp32({2, 6, 1}));
        QVERIFY(f.fails("topk", {{"x", {x}}, {"k", {f.builder->constInt(4)}}}));
        QVERIFY(f.fails("topk", {{"x", {x}}, {"return_indices", {f.builder->constBool(false)}}}));
        Fixture f16(mil::Target::iOS16);
        mil::Value* y = f16.input(fp32({2, 6}));
        QCOMPARE(f16.types("topk", {{"x", {y}}, {"k", {f16.builder->constInt(2)}}, {"return_indices", {f16.builder->constBool(false)}}}).size(),
                 size_t(1));
        QCOMPARE(f.type("argsort", {{"x", {x}}, {"axis", {f.builder->constInt(-2)}}}), (TensorType{DType::Int32, {2, 6, 3}}));
        QVERIFY(f.fails("argsort", {{"x", {x}}, {"axis", {f.builder->constInt(3)}}}));
        mil::Value* b = f.input(TensorType{DType::Bool, {4}});
        QVERIFY(f.fails("argsort", {{"x", {b}}}));
    }
};

QTEST_APPLESS_MAIN(TestIndexOpDecls)
#include "test_index_op_decls.moc"
