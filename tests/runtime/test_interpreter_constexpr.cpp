// Compressed-weight ops: the iOS16 byte-stream forms and the iOS18 typed forms decode to the
// values Core ML's definitions give (hand-computed here, or taken from the definitions' examples).
#include "interpreter_test_util.h"

using namespace cms;
using cms::test::ProgramMaker;

namespace {

// y = x + decoded, so the decoded constant is consumed by a run-time op as in a real model.
std::vector<float> runPlusZero(ProgramMaker& m, mil::Value* decoded, const test::ScratchDir& dir) {
    mil::Value* x = m.input("x", decoded->type.shape, decoded->type.dtype);
    m.output(m.op("add", {{"x", {x}}, {"y", {decoded}}}, "y"));
    runtime::Interpreter interp = m.load(dir);
    const Tensor zeros = Tensor::zeros(decoded->type.dtype, decoded->type.shape);
    const auto out = interp.run({{"x", zeros}});
    if (out.at("y").shape() != decoded->type.shape) return {};
    return out.at("y").toFloats();
}

}  // namespace

class TestInterpreterConstexpr : public QObject {
    Q_OBJECT
private slots:
    void affineDequantizeIOS16() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS16);
        mil::Value* w = m.rawOp("constexpr_affine_dequantize",
                                {{"quantized_data", {m.tensor(Tensor::fromInts({0, 1, 2, 10, 20, 30}, {2, 3}, DType::UInt8))}},
                                 {"zero_point", {m.tensor(Tensor::fromInts({1, 10}, {2}, DType::UInt8))}},
                                 {"scale", {m.floats({0.5f, 2.0f}, {2})}},
                                 {"axis", {m.b().constInt(0, "axis")}}},
                                {{DType::Float32, {2, 3}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {-0.5f, 0, 0.5f, 0, 20, 40});
    }

    void lutToDenseIOS16() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS16);
        // 2-bit indices 3,0,2,1,3 packed from the least significant bit: 0b01100011, 0b00000011.
        mil::Value* w = m.rawOp("constexpr_lut_to_dense",
                                {{"indices", {m.tensor(Tensor::fromInts({99, 3}, {2}, DType::UInt8))}},
                                 {"lut", {m.floats({-1, 0, 0.5f, 2}, {4})}},
                                 {"shape", {m.tensor(Tensor::fromInts({5}, {1}, DType::UInt32))}}},
                                {{DType::Float32, {5}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {2, -1, 0.5f, 0, 2});
    }

    void sparseToDenseIOS16() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS16);
        // Bits 1, 4 and 9 set: bytes 0b00010010, 0b00000010.
        mil::Value* w = m.rawOp("constexpr_sparse_to_dense",
                                {{"nonzero_data", {m.floats({1.5f, -2, 4}, {3}, DType::Float16)}},
                                 {"mask", {m.tensor(Tensor::fromInts({18, 2}, {2}, DType::UInt8))}},
                                 {"shape", {m.tensor(Tensor::fromInts({2, 5}, {2}, DType::UInt32))}}},
                                {{DType::Float16, {2, 5}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {0, 1.5f, 0, 0, -2, 0, 0, 0, 0, 4});
    }

    void blockwiseShiftScaleIOS18() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        // Blocks of 1x2: row 0 uses (scale .5, offset 1) then (1, 0); row 1 (2, -1) then (4, 2).
        mil::Value* w = m.rawOp("constexpr_blockwise_shift_scale",
                                {{"data", {m.tensor(Tensor::fromInts({-8, 7, 1, 2, 3, -1, 0, 5}, {2, 4}, DType::Int4))}},
                                 {"scale", {m.floats({0.5f, 1, 2, 4}, {2, 2}, DType::Float16)}},
                                 {"offset", {m.tensor(Tensor::fromInts({1, 0, -1, 2}, {2, 2}, DType::Int4))}}},
                                {{DType::Float16, {2, 4}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {-4.5f, 3, 1, 2, 8, 0, -8, 12});
    }

    void lutToDensePerGroupIOS18() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        // Two tables over the first axis (rows 0-2 and 3-5), as in Core ML's definition.
        mil::Value* w = m.rawOp(
            "constexpr_lut_to_dense",
            {{"indices", {m.tensor(Tensor::fromInts({2, 3, 3, 0, 1, 0, 3, 0, 2, 1, 0, 3}, {6, 2}, DType::UInt2))}},
             {"lut", {m.floats({1, 5, 9, 13, 2, 10, 18, 26}, {2, 1, 4, 1}, DType::Float16)}}},
            {{DType::Float16, {6, 2}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {9, 13, 13, 1, 5, 1, 26, 2, 18, 10, 2, 26});
    }

    void lutToDenseVectorIOS18() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        // 1-bit indices choosing a = (1, 2, 3) or b = (4, 5, 6), spread along axis 1.
        mil::Value* w = m.rawOp("constexpr_lut_to_dense",
                                {{"indices", {m.tensor(Tensor::fromInts({0, 0, 1, 0, 1, 1, 0, 0}, {2, 2, 2}, DType::UInt1))}},
                                 {"lut", {m.floats({1, 2, 3, 4, 5, 6}, {1, 1, 1, 2, 3})}},
                                 {"vector_axis", {m.b().constInt(1, "axis")}}},
                                {{DType::Float32, {2, 6, 2}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir),
                     {1, 1, 2, 2, 3, 3, 4, 1, 5, 2, 6, 3, 4, 4, 5, 5, 6, 6, 1, 1, 2, 2, 3, 3});
    }

    void sparseOpsIOS18() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        // Sparse palettized indices -> sparse values -> dense.
        const std::vector<mil::Value*> sparse = m.rawOp(
            "constexpr_lut_to_sparse",
            {{"indices_mask", {m.tensor(Tensor::fromInts({1, 0, 1, 0, 1, 0}, {2, 3}, DType::UInt1))}},
             {"indices_nonzero_data", {m.tensor(Tensor::fromInts({1, 0, 1}, {3}, DType::UInt1))}},
             {"lut", {m.floats({10, 20}, {1, 1, 2, 1})}}},
            {{DType::UInt1, {2, 3}}, {DType::Float32, {3}}}, "s");
        mil::Value* w = m.rawOp("constexpr_sparse_to_dense", {{"nonzero_data", {sparse[1]}}, {"mask", {sparse[0]}}},
                                {{DType::Float32, {2, 3}}}, "w")[0];
        CHECK_FLOATS(runPlusZero(m, w, dir), {20, 0, 10, 0, 20, 0});
    }

    void inconsistentCompressedDataIsANamedError() {
        test::ScratchDir dir;
        ProgramMaker m(mil::Target::iOS18);
        // Two mask bits set but three values.
        mil::Value* w = m.rawOp("constexpr_sparse_to_dense",
                                {{"nonzero_data", {m.floats({1, 2, 3}, {3})}},
                                 {"mask", {m.tensor(Tensor::fromInts({1, 0, 0, 1}, {4}, DType::UInt1))}}},
                                {{DType::Float32, {4}}}, "bad_weight")[0];
        try {
            runPlusZero(m, w, dir);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QVERIFY2(e.message().find("bad_weight") != std::string::npos, e.what());
            QVERIFY2(e.message().find("constexpr_sparse_to_dense") != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestInterpreterConstexpr)
#include "test_interpreter_constexpr.moc"
