// Type inference of the selection, scan, reverse and upsampling MIL declarations (band_part,
// cumsum, reverse, upsample_nearest_neighbor, upsample_bilinear) where Core ML's rules are specific:
// cumsum's axis range, the floor of fractional scales, opset differences.
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
};

QTEST_APPLESS_MAIN(TestIndexOpDecls)
#include "test_index_op_decls.moc"
