// Tensor storage, dtype conversions and fp16 rounding.
#include "common/half.h"
#include "common/tensor.h"
#include "support/test_support.h"

#include <cmath>
#include <limits>

using namespace cms;

class TestTensor : public QObject {
    Q_OBJECT
private slots:
    void halfRoundTripsRepresentableValues() {
        for (float f : {0.0f, 1.0f, -2.5f, 65504.0f, 6.103515625e-05f, 5.960464477539063e-08f})
            QCOMPARE(halfToFloat(floatToHalf(f)), f);
    }
    void halfRoundsToNearestEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1.0).
        QCOMPARE(halfToFloat(floatToHalf(1.0f + std::ldexp(1.0f, -11))), 1.0f);
        QCOMPARE(halfToFloat(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11))), 1.0f + std::ldexp(1.0f, -9));
    }
    void halfOverflowsToInfinity() {
        QVERIFY(std::isinf(halfToFloat(floatToHalf(70000.0f))));
        QVERIFY(std::isinf(halfToFloat(floatToHalf(-65520.0f))));
        QCOMPARE(halfToFloat(floatToHalf(65519.0f)), 65504.0f);
        QVERIFY(std::isnan(halfToFloat(floatToHalf(std::numeric_limits<float>::quiet_NaN()))));
    }
    void castsBetweenDtypes() {
        Tensor t = Tensor::fromFloats({1.5f, -2.0f, 3.25f}, {3});
        QCOMPARE(t.castTo(DType::Float16).toFloats(), t.toFloats());
        QCOMPARE(t.castTo(DType::Int32).toInts(), (std::vector<int64_t>{1, -2, 3}));
    }
    void subBytePackingIsLeastSignificantFirst() {
        Tensor t = Tensor::fromInts({1, 2, 3, 0}, {4}, DType::UInt2);
        QCOMPARE(t.nbytes(), size_t(1));
        QCOMPARE(int(t.bytes()[0]), 0b00111001);
        QCOMPARE(t.toInts(), (std::vector<int64_t>{1, 2, 3, 0}));
        Tensor s = Tensor::fromInts({-8, 7, -1}, {3}, DType::Int4);
        QCOMPARE(s.toInts(), (std::vector<int64_t>{-8, 7, -1}));
    }
    void rejectsMismatchedStorage() {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, Tensor(DType::Float32, {2, 2}, std::vector<uint8_t>(15)));
    }
};

QTEST_APPLESS_MAIN(TestTensor)
#include "test_tensor.moc"
