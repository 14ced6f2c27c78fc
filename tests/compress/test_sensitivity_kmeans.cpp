// The palettization numerics behind sensitivity runs and the compression benchmark: results that do
// not depend on the thread count, indices that are each element's nearest table entry (fp16-exact
// weights take a histogram path, others a sorted one), k-means tables that are Lloyd fixed points,
// and block numbers that match a direct computation.
#include <cmath>
#include <cstdlib>
#include <random>

#include <QtTest>

#include "common/half.h"
#include "compress/weight_math.h"

using namespace cms;

namespace {

std::vector<float> bellShaped(size_t n, uint32_t seed, bool fp16) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> d(0.0f, 0.02f);
    std::vector<float> w(n);
    for (float& v : w) v = fp16 ? halfToFloat(floatToHalf(d(rng))) : d(rng);
    return w;
}

compress::Palettized palettizeWith(const char* threads, const std::vector<float>& w, const Shape& shape,
                                   const compress::BlockSizes& blocks, int bits) {
    setenv("CMS_THREADS", threads, 1);
    auto p = compress::palettize(w, shape, blocks, bits, "kmeans", {1, 2, 3, 4, 6, 8}, DType::Float32, 3);
    unsetenv("CMS_THREADS");
    return p;
}

// Every index names an entry at least as close as any other of its table.
bool nearestEverywhere(const compress::Palettized& p, const std::vector<float>& w, const Shape& shape) {
    compress::BlockSizes blocks(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) blocks[d] = shape[d] / p.grid[d];
    const std::vector<int64_t> blockOf = compress::blockOfElements(shape, blocks);
    const int64_t entries = int64_t(1) << p.bits;
    for (size_t i = 0; i < w.size(); ++i) {
        const float* table = p.lut.data() + blockOf[i] * entries;
        const float chosen = std::fabs(w[i] - table[p.indices[i]]);
        for (int64_t j = 0; j < entries; ++j)
            if (std::fabs(w[i] - table[j]) < chosen) return false;
    }
    return true;
}

}  // namespace

class TestSensitivityKmeans : public QObject {
    Q_OBJECT
private slots:
    void sameResultForAnyThreadCount() {
        // 3M elements: several parallel chunks; fp16-exact (histogram) and fp32 (sorted) values.
        for (bool fp16 : {true, false}) {
            const std::vector<float> w = bellShaped(3 << 20, 11, fp16);
            const auto one = palettizeWith("1", w, {3072, 1024}, {0, 0}, 4);
            const auto three = palettizeWith("3", w, {3072, 1024}, {0, 0}, 4);
            QVERIFY(one.lut == three.lut);
            QVERIFY(one.indices == three.indices);
        }
        const std::vector<float> w = bellShaped(256 * 512, 12, true);
        const auto one = palettizeWith("1", w, {256, 512}, {32, 0}, 6);  // 8 tables
        const auto four = palettizeWith("4", w, {256, 512}, {32, 0}, 6);
        QVERIFY(one.lut == four.lut && one.indices == four.indices);
    }

    void indicesAreNearestEntries() {
        std::vector<float> w = bellShaped(1 << 16, 13, true);
        // fp16 corner values: signed zeros, subnormals, the largest finite values.
        for (uint16_t h : {0x0000, 0x8000, 0x0001, 0x83FF, 0x03FF, 0x7BFF, 0xFBFF, 0x0400}) w.push_back(halfToFloat(h));
        const Shape shape{1, static_cast<int64_t>(w.size())};
        for (int bits : {2, 4, 8}) {
            const auto p = compress::palettize(w, shape, {0, 0}, bits, "kmeans", {1, 2, 4, 6, 8}, DType::Float32);
            QVERIFY2(nearestEverywhere(p, w, shape), qPrintable(QString::number(bits)));
        }
        std::vector<float> f32 = bellShaped(1 << 16, 14, false);
        f32.back() = 1e-30f;  // below fp16's range: the sorted path
        const Shape s32{1, static_cast<int64_t>(f32.size())};
        const auto p = compress::palettize(f32, s32, {0, 0}, 6, "kmeans", {1, 2, 4, 6, 8}, DType::Float32);
        QVERIFY(nearestEverywhere(p, f32, s32));
        const auto grouped = compress::palettize(f32, s32, {0, 4096}, 4, "kmeans", {1, 2, 4, 6, 8}, DType::Float32);
        QCOMPARE(grouped.grid, (Shape{1, 16}));
        QVERIFY(nearestEverywhere(grouped, f32, s32));
    }

    void tablesAreLloydFixedPoints() {
        const std::vector<float> w = bellShaped(1 << 18, 15, true);
        const auto p = compress::palettize(w, {512, 512}, {0, 0}, 4, "kmeans", {4}, DType::Float32);
        std::vector<double> sum(16, 0.0), count(16, 0.0);
        for (size_t i = 0; i < w.size(); ++i) {
            sum[size_t(p.indices[i])] += w[i];
            count[size_t(p.indices[i])] += 1;
        }
        for (size_t j = 0; j < 16; ++j) {
            QVERIFY(count[j] > 0);
            const double mean = sum[j] / count[j];
            QVERIFY2(std::fabs(mean - p.lut[j]) <= 1e-6 * std::max(1e-3, std::fabs(mean)),
                     qPrintable(QString("entry %1: %2 vs mean %3").arg(j).arg(p.lut[j]).arg(mean)));
        }
    }

    void blockNumbersMatchDirectComputation() {
        const Shape shape{6, 4, 10};
        for (const compress::BlockSizes& blocks :
             {compress::BlockSizes{0, 0, 0}, {2, 0, 5}, {1, 1, 1}, {3, 2, 0}, {0, 0, 2}}) {
            const Shape grid = compress::blockGrid(shape, blocks);
            const std::vector<int64_t> got = compress::blockOfElements(shape, blocks);
            size_t i = 0;
            for (int64_t a = 0; a < shape[0]; ++a)
                for (int64_t b = 0; b < shape[1]; ++b)
                    for (int64_t c = 0; c < shape[2]; ++c, ++i) {
                        const int64_t expect = ((a / (shape[0] / grid[0])) * grid[1] + b / (shape[1] / grid[1])) * grid[2] +
                                               c / (shape[2] / grid[2]);
                        QCOMPARE(got[i], expect);
                    }
        }
    }
};

QTEST_APPLESS_MAIN(TestSensitivityKmeans)
#include "test_sensitivity_kmeans.moc"
