// Declarations of the compressed-weight ops: output types and rejected inputs as Core ML's type
// inference gives them; the builder's inferred types agree with what the interpreter decodes.
#include "interpreter_test_util.h"
#include "support/op_decl_fixture.h"

using namespace cms;
using cms::test::ProgramMaker;


class TestConstexprDecls : public QObject {
    Q_OBJECT
private slots:
    void iOS16Forms() {
        ProgramMaker m(mil::Target::iOS16);
        mil::Value* w = m.op("constexpr_affine_dequantize",
                             {{"quantized_data", {m.tensor(Tensor::fromInts({1, 2, 3, 4, 5, 6}, {3, 2}, DType::Int8))}},
                              {"zero_point", {m.tensor(Tensor::fromInts({0, 1}, {2}, DType::Int8))}},
                              {"scale", {m.floats({0.5f}, {}, DType::Float16)}},
                              {"axis", {m.b().constInt(1, "axis")}}});
        QCOMPARE(w->type, (mil::TensorType{DType::Float16, {3, 2}}));
        // A zero point per row along axis 1 needs 2 values, not 3.
        EXPECT_CONVERSION_ERROR(m.op("constexpr_affine_dequantize",
                                     {{"quantized_data", {m.tensor(Tensor::fromInts({1, 2, 3, 4, 5, 6}, {3, 2}, DType::Int8))}},
                                      {"zero_point", {m.tensor(Tensor::fromInts({0, 1, 2}, {3}, DType::Int8))}},
                                      {"scale", {m.floats({0.5f}, {})}},
                                      {"axis", {m.b().constInt(1, "axis")}}}));
        mil::Value* lut = m.op("constexpr_lut_to_dense",
                               {{"indices", {m.tensor(Tensor::fromInts({99, 3}, {2}, DType::UInt8))}},
                                {"lut", {m.floats({-1, 0, 0.5f, 2}, {4})}},
                                {"shape", {m.tensor(Tensor::fromInts({5}, {1}, DType::UInt32))}}});
        QCOMPARE(lut->type, (mil::TensorType{DType::Float32, {5}}));
        // 5 two-bit indices need 2 bytes.
        EXPECT_CONVERSION_ERROR(m.op("constexpr_lut_to_dense",
                                     {{"indices", {m.tensor(Tensor::fromInts({99}, {1}, DType::UInt8))}},
                                      {"lut", {m.floats({-1, 0, 0.5f, 2}, {4})}},
                                      {"shape", {m.tensor(Tensor::fromInts({5}, {1}, DType::UInt32))}}}));
        // Three bits set for two values.
        EXPECT_CONVERSION_ERROR(m.op("constexpr_sparse_to_dense",
                                     {{"nonzero_data", {m.floats({1, 2}, {2})}},
                                      {"mask", {m.tensor(Tensor::fromInts({7}, {1}, DType::UInt8))}},
                                      {"shape", {m.tensor(Tensor::fromInts({8}, {1}, DType::UInt32))}}}));
        QVERIFY(!mil::OpRegistry::instance().find("constexpr_blockwise_shift_scale", mil::Target::iOS17));
    }

    void iOS18FormsMatchTheDecodedValues() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        mil::Value* w = m.op("constexpr_lut_to_dense",
                             {{"indices", {m.tensor(Tensor::fromInts({0, 0, 1, 0, 1, 1, 0, 0}, {2, 2, 2}, DType::UInt1))}},
                              {"lut", {m.floats({1, 2, 3, 4, 5, 6}, {1, 1, 1, 2, 3})}},
                              {"vector_axis", {m.b().constInt(1, "axis")}}});
        QCOMPARE(w->type, (mil::TensorType{DType::Float32, {2, 6, 2}}));
        std::vector<mil::Value*> sparse =
            m.b().add("constexpr_lut_to_sparse",
                      {{"indices_mask", {m.tensor(Tensor::fromInts({1, 0, 1, 0, 1, 0}, {2, 3}, DType::UInt1))}},
                       {"indices_nonzero_data", {m.tensor(Tensor::fromInts({1, 0, 1}, {3}, DType::UInt1))}},
                       {"lut", {m.floats({10, 20}, {1, 1, 2, 1})}}},
                      "s");
        QCOMPARE(sparse[0]->type, (mil::TensorType{DType::UInt1, {2, 3}}));
        QCOMPARE(sparse[1]->type, (mil::TensorType{DType::Float32, {3}}));
        mil::Value* dense = m.op("constexpr_sparse_to_dense", {{"nonzero_data", {sparse[1]}}, {"mask", {sparse[0]}}});
        QCOMPARE(dense->type, (mil::TensorType{DType::Float32, {2, 3}}));
        // Two blocks of 2 along the last axis of a [2, 4] tensor: scale [2, 2]; a [2, 3] scale does not divide it.
        EXPECT_CONVERSION_ERROR(m.op("constexpr_blockwise_shift_scale",
                                     {{"data", {m.tensor(Tensor::fromInts(std::vector<int64_t>(8, 1), {2, 4}, DType::Int4))}},
                                      {"scale", {m.floats(std::vector<float>(6, 1), {2, 3})}}}));
        mil::Value* x = m.input("x", {2, 3});
        m.output(m.op("add", {{"x", {x}}, {"y", {dense}}}, "y"));
        const auto out = m.load(dir).run({{"x", Tensor::zeros(DType::Float32, {2, 3})}});
        CHECK_FLOATS(out.at("y").toFloats(), {20, 0, 10, 0, 20, 0});
    }
};

QTEST_APPLESS_MAIN(TestConstexprDecls)
#include "test_constexpr_decls.moc"
