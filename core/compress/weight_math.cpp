#include "compress/weight_math.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <random>
#include <stdexcept>

#include "common/half.h"
#include "compress/parallel_for.h"

namespace cms::compress {

Shape blockGrid(const Shape& shape, const BlockSizes& blocks) {
    if (blocks.size() != shape.size()) throw std::invalid_argument("one block size per axis is needed");
    Shape grid(shape.size(), 1);
    for (size_t d = 0; d < shape.size(); ++d) {
        if (blocks[d] <= 0 || blocks[d] >= shape[d]) continue;
        if (shape[d] % blocks[d] != 0)
            throw std::invalid_argument("block size " + std::to_string(blocks[d]) + " does not divide axis " +
                                        std::to_string(d) + " of " + std::to_string(shape[d]));
        grid[d] = shape[d] / blocks[d];
    }
    return grid;
}

std::vector<int64_t> blockOfElements(const Shape& shape, const BlockSizes& blocks) {
    const Shape grid = blockGrid(shape, blocks);
    const int64_t n = shapeNumel(shape);
    const size_t rank = shape.size();
    std::vector<int64_t> out(static_cast<size_t>(n), 0);
    if (n == 0 || shapeNumel(grid) == 1) return out;
    // Per axis, what each coordinate adds to the block number; rows of the last axis are then
    // filled from a base with no per-element division (weights run to tens of millions of elements).
    std::vector<std::vector<int64_t>> add(rank);
    int64_t gridStride = 1;
    for (size_t d = rank; d-- > 0;) {
        add[d].resize(static_cast<size_t>(shape[d]));
        const int64_t block = shape[d] / grid[d];
        for (int64_t c = 0; c < shape[d]; ++c) add[d][static_cast<size_t>(c)] = (c / block) * gridStride;
        gridStride *= grid[d];
    }
    const int64_t inner = rank ? shape[rank - 1] : 1;
    const int64_t rows = n / inner;
    parallelFor(static_cast<size_t>((rows + 4095) / 4096), [&](size_t chunk) {
        const int64_t first = static_cast<int64_t>(chunk) * 4096, last = std::min(rows, first + 4096);
        for (int64_t row = first; row < last; ++row) {
            int64_t base = 0, rest = row;
            for (size_t d = rank - 1; d-- > 0;) {
                base += add[d][static_cast<size_t>(rest % shape[d])];
                rest /= shape[d];
            }
            int64_t* dst = out.data() + row * inner;
            const int64_t* lastAxis = add[rank - 1].data();
            for (int64_t c = 0; c < inner; ++c) dst[c] = base + lastAxis[c];
        }
    });
    return out;
}

namespace {

// v as a tensor of `dtype` stores it (called once per block: millions of times for per-block int4).
float storedAs(float v, DType dtype) {
    if (dtype == DType::Float32) return v;
    if (dtype == DType::Float16) return halfToFloat(floatToHalf(v));
    return Tensor::fromFloats({v}, {1}, dtype).toFloats()[0];
}

}  // namespace

LinearQuantized quantizeLinear(const std::vector<float>& w, const Shape& shape, const BlockSizes& blocks, int bits,
                               bool isSigned, bool symmetric, DType scaleDtype) {
    LinearQuantized q;
    q.grid = blockGrid(shape, blocks);
    const int64_t levels = int64_t(1) << bits;
    // Core ML's ranges: signed [-2^(b-1), 2^(b-1)-1], unsigned [0, 2^b-1]; symmetric drops one end
    // so that zero sits exactly in the middle.
    q.qmin = isSigned ? -levels / 2 + (symmetric ? 1 : 0) : 0;
    q.qmax = isSigned ? levels / 2 - 1 : levels - 1 - (symmetric ? 1 : 0);
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocks);
    const size_t blockCount = static_cast<size_t>(shapeNumel(q.grid));
    std::vector<double> lo(blockCount, 0.0), hi(blockCount, 0.0);  // ranges always contain 0
    for (size_t i = 0; i < w.size(); ++i) {
        const size_t b = static_cast<size_t>(blockOf[i]);
        lo[b] = std::min(lo[b], double(w[i]));
        hi[b] = std::max(hi[b], double(w[i]));
    }
    q.scale.resize(blockCount);
    q.zeroPoint.assign(blockCount, 0);
    for (size_t b = 0; b < blockCount; ++b) {
        double vmin = lo[b], vmax = hi[b];
        if (symmetric) {
            vmax = std::max(-vmin, vmax);
            vmin = -vmax;
        }
        // An all-zero block has no range: any scale decodes it exactly.
        const double range = vmax - vmin;
        float scale = range > 0 ? storedAs(static_cast<float>(range / double(q.qmax - q.qmin)), scaleDtype) : 1.0f;
        if (scale == 0.0f) scale = storedAs(static_cast<float>(range), scaleDtype);  // underflowed in fp16
        if (scale == 0.0f) scale = 1.0f;
        q.scale[b] = scale;
        if (symmetric) q.zeroPoint[b] = isSigned ? 0 : q.qmax / 2;
        else if (range > 0)
            q.zeroPoint[b] = std::clamp<int64_t>(
                static_cast<int64_t>(std::nearbyint((double(q.qmin) * vmax - double(q.qmax) * vmin) / range)), q.qmin,
                q.qmax);
        else
            q.zeroPoint[b] = std::clamp<int64_t>(0, q.qmin, q.qmax);
    }
    q.data.resize(w.size());
    constexpr size_t kRun = size_t(1) << 20;
    parallelFor((w.size() + kRun - 1) / kRun, [&](size_t run) {
        for (size_t i = run * kRun; i < std::min(w.size(), (run + 1) * kRun); ++i) {
            const size_t b = static_cast<size_t>(blockOf[i]);
            const double v = std::nearbyint(double(w[i]) / double(q.scale[b])) + double(q.zeroPoint[b]);
            q.data[i] = static_cast<int64_t>(std::clamp(v, double(q.qmin), double(q.qmax)));
        }
    });
    return q;
}

std::vector<float> dequantize(const LinearQuantized& q, const Shape& shape) {
    BlockSizes blocks(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) blocks[d] = shape[d] / q.grid[d];
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocks);
    std::vector<float> out(q.data.size());
    for (size_t i = 0; i < out.size(); ++i) {
        const size_t b = static_cast<size_t>(blockOf[i]);
        out[i] = q.scale[b] * static_cast<float>(q.data[i] - q.zeroPoint[b]);
    }
    return out;
}

std::vector<double> kmeans1d(const std::vector<double>& xs, const std::vector<double>& ws, int k, uint32_t seed) {
    const size_t n = xs.size();
    if (n == 0) return std::vector<double>(static_cast<size_t>(k), 0.0);
    if (n <= static_cast<size_t>(k)) {
        std::vector<double> c(xs);
        c.resize(static_cast<size_t>(k), xs.back());
        return c;
    }
    // Prefix sums make every cluster's weighted mean O(1) once its range of sorted points is known.
    std::vector<double> cw(n + 1, 0.0), cwx(n + 1, 0.0);
    for (size_t i = 0; i < n; ++i) {
        cw[i + 1] = cw[i] + ws[i];
        cwx[i + 1] = cwx[i] + ws[i] * xs[i];
    }
    // k-means++: each next centre drawn with probability weight x squared distance to the nearest.
    // On sorted points a new centre only becomes the nearest for the points between the midpoints
    // to its neighbouring centres, so each draw updates that run and the sums of the blocks it
    // touches instead of all n points (O(n k) for 256 entries over millions of fp32 values).
    constexpr size_t kBlock = 256;
    const size_t blockCount = (n + kBlock - 1) / kBlock;
    std::vector<double> d2(n, std::numeric_limits<double>::infinity()), p(ws), blockSum(blockCount, 0.0);
    const auto resum = [&](size_t firstBlock, size_t lastBlock) {
        for (size_t b = firstBlock; b <= lastBlock; ++b) {
            double s = 0;
            for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) s += p[i];
            blockSum[b] = s;
        }
    };
    resum(0, blockCount - 1);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Draws a point with probability proportional to p[i].
    const auto draw = [&]() -> std::optional<size_t> {
        double total = 0;
        for (double s : blockSum) total += s;
        if (total <= 0) return std::nullopt;  // fewer distinct points than centres
        double r = unit(rng) * total;
        for (size_t b = 0; b < blockCount; ++b) {
            if (r >= blockSum[b]) {
                r -= blockSum[b];
                continue;
            }
            for (size_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
                r -= p[i];
                if (r < 0) return i;
            }
        }
        for (size_t i = n; i-- > 0;)  // rounding ran past the end: the last point that can be drawn
            if (p[i] > 0) return i;
        return std::nullopt;
    };
    std::vector<double> centres;  // sorted
    for (int drawn = 0; drawn < k; ++drawn) {
        const std::optional<size_t> pick = draw();
        if (!pick) break;
        const double c = xs[*pick];
        const auto at = std::lower_bound(centres.begin(), centres.end(), c);
        // The run of points that may now be nearest to c, between the midpoints to its neighbours.
        size_t lo = 0, hi = n;
        if (at != centres.begin())
            lo = static_cast<size_t>(std::lower_bound(xs.begin(), xs.end(), 0.5 * (*std::prev(at) + c)) - xs.begin());
        if (at != centres.end())
            hi = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), 0.5 * (c + *at)) - xs.begin());
        lo = lo > 0 ? lo - 1 : 0;  // one more each side: midpoints rounded either way
        hi = std::min(n, hi + 1);
        centres.insert(at, c);
        for (size_t i = lo; i < hi; ++i) {
            const double d = xs[i] - c;
            d2[i] = std::min(d2[i], d * d);
            p[i] = ws[i] * d2[i];
        }
        if (lo < hi) resum(lo / kBlock, (hi - 1) / kBlock);
    }
    centres.erase(std::unique(centres.begin(), centres.end()), centres.end());
    // Lloyd iterations: on sorted data each cluster is a contiguous run between midpoints.
    std::vector<size_t> bounds;
    for (int iter = 0; iter < 300; ++iter) {
        std::vector<size_t> b(centres.size() + 1, 0);
        b.back() = n;
        for (size_t c = 1; c < centres.size(); ++c) {
            const double mid = 0.5 * (centres[c - 1] + centres[c]);
            b[c] = static_cast<size_t>(std::upper_bound(xs.begin(), xs.end(), mid) - xs.begin());
        }
        if (b == bounds) break;
        bounds = b;
        for (size_t c = 0; c < centres.size(); ++c) {
            const double wsum = cw[b[c + 1]] - cw[b[c]];
            if (wsum > 0) centres[c] = (cwx[b[c + 1]] - cwx[b[c]]) / wsum;
        }
    }
    centres.resize(static_cast<size_t>(k), centres.back());
    return centres;
}

namespace {

// Nearest entry of one table by binary search over its entries sorted by value (ties: lowest index).
class NearestEntry {
public:
    NearestEntry(const float* table, int64_t size) {
        for (int64_t j = 0; j < size; ++j) sorted_.push_back({table[j], j});
        std::stable_sort(sorted_.begin(), sorted_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    int64_t operator()(float v) const {
        auto it = std::lower_bound(sorted_.begin(), sorted_.end(), v, [](const auto& e, float x) { return e.first < x; });
        if (it == sorted_.end()) return std::prev(it)->second;
        if (it == sorted_.begin()) return it->second;
        const auto below = std::prev(it);
        return std::fabs(v - below->first) <= std::fabs(it->first - v) ? below->second : it->second;
    }

private:
    std::vector<std::pair<float, int64_t>> sorted_;
};

int fewestBits(size_t distinct, const std::vector<int>& allowed) {
    for (int b : allowed)
        if ((size_t(1) << b) >= distinct) return b;
    return 0;
}

// The distinct values of a run of weights, ascending, with how often each occurs.
struct Distinct {
    std::vector<double> xs, ws;
    bool allHalf = false;  // every value is exactly an fp16 number (counted by bit pattern)
};

constexpr size_t kHalfPatterns = 65536;
constexpr size_t kChunk = size_t(1) << 20;  // elements per parallel work item

// fp16 bit patterns in ascending value order: -inf ... -min, 0 (+0 and -0 counted together), min ... +inf.
std::vector<uint16_t> halvesInOrder() {
    std::vector<uint16_t> order;
    for (uint32_t h = 0xFC00; h > 0x8000; --h) order.push_back(static_cast<uint16_t>(h));
    for (uint32_t h = 0x0000; h <= 0x7C00; ++h) order.push_back(static_cast<uint16_t>(h));
    return order;
}

// The fp16 bit pattern of v when v is exactly an fp16 number (no rounding), by bit arithmetic:
// this runs once per weight element.
inline bool isHalf(float v, uint16_t& bits) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    const uint32_t sign = (u >> 16) & 0x8000u;
    const int exponent = int((u >> 23) & 0xFFu) - 127;
    const uint32_t mantissa = u & 0x7FFFFFu;
    if ((u & 0x7FFFFFFFu) == 0) {
        bits = static_cast<uint16_t>(sign);
        return true;
    }
    if (exponent >= -14 && exponent <= 15) {  // normal fp16: the low 13 mantissa bits must be zero
        if (mantissa & 0x1FFFu) return false;
        bits = static_cast<uint16_t>(sign | uint32_t(exponent + 15) << 10 | mantissa >> 13);
        return true;
    }
    if (exponent >= -24 && exponent < -14) {  // subnormal fp16: a whole multiple of 2^-24
        const uint32_t full = mantissa | 0x800000u;
        const int shift = -1 - exponent;
        if (full & ((1u << shift) - 1u)) return false;
        bits = static_cast<uint16_t>(sign | full >> shift);
        return true;
    }
    return false;  // too large or small for fp16, infinite or NaN: counted by sorting
}

// Weights converted at fp16 hold at most 65,536 distinct values: a histogram per chunk replaces
// the sort. Other weights are sorted in parallel chunks and merged. Either way the result does
// not depend on how the work was split.
Distinct distinctValues(const float* w, size_t n) {
    Distinct d;
    const size_t chunks = std::max<size_t>(1, (n + kChunk - 1) / kChunk);
    std::vector<std::vector<uint32_t>> counts(chunks);
    std::atomic<bool> allHalf{true};
    parallelFor(chunks, [&](size_t c) {
        std::vector<uint32_t> h(kHalfPatterns, 0);
        uint16_t bits = 0;
        for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
            if (!isHalf(w[i], bits)) {
                allHalf = false;
                return;
            }
            ++h[bits == 0x8000 ? 0 : bits];
        }
        counts[c] = std::move(h);
    });
    if (allHalf) {
        d.allHalf = true;
        for (uint16_t h : halvesInOrder()) {
            uint64_t total = 0;
            for (const auto& c : counts) total += c.empty() ? 0 : c[h];
            if (total == 0) continue;
            d.xs.push_back(halfToFloat(h));
            d.ws.push_back(double(total));
        }
        return d;
    }
    std::vector<float> s(w, w + n);
    parallelFor(chunks, [&](size_t c) {
        std::sort(s.begin() + static_cast<std::ptrdiff_t>(c * kChunk),
                  s.begin() + static_cast<std::ptrdiff_t>(std::min(n, (c + 1) * kChunk)));
    });
    for (size_t width = kChunk; width < n; width *= 2) {
        const size_t pairs = (n + 2 * width - 1) / (2 * width);
        parallelFor(pairs, [&](size_t pr) {
            const size_t lo = pr * 2 * width, mid = std::min(n, lo + width), hi = std::min(n, lo + 2 * width);
            std::inplace_merge(s.begin() + static_cast<std::ptrdiff_t>(lo), s.begin() + static_cast<std::ptrdiff_t>(mid),
                               s.begin() + static_cast<std::ptrdiff_t>(hi));
        });
    }
    for (float v : s) {
        if (!d.xs.empty() && d.xs.back() == double(v)) d.ws.back() += 1.0;
        else {
            d.xs.push_back(v);
            d.ws.push_back(1.0);
        }
    }
    return d;
}

}  // namespace

Palettized palettize(const std::vector<float>& w, const Shape& shape, const BlockSizes& blocks, int bits,
                     const std::string& mode, const std::vector<int>& allowedBits, DType lutDtype, uint32_t seed) {
    if (mode != "kmeans" && mode != "unique" && mode != "uniform")
        throw std::invalid_argument("unknown palettization mode " + mode);
    Palettized p;
    p.grid = blockGrid(shape, blocks);
    const size_t blockCount = static_cast<size_t>(shapeNumel(p.grid));
    // One table for the whole tensor (the common case) reads the weights in place.
    std::vector<int64_t> blockOf;
    std::vector<std::vector<float>> members;
    if (blockCount > 1) {
        blockOf = blockOfElements(shape, blocks);
        members.resize(blockCount);
        for (size_t i = 0; i < w.size(); ++i) members[static_cast<size_t>(blockOf[i])].push_back(w[i]);
    }
    const auto block = [&](size_t b) -> std::pair<const float*, size_t> {
        if (blockCount == 1) return {w.data(), w.size()};
        return {members[b].data(), members[b].size()};
    };
    std::vector<Distinct> distinct(blockCount);
    parallelFor(blockCount, [&](size_t b) { distinct[b] = distinctValues(block(b).first, block(b).second); });
    if (mode == "unique") {
        size_t most = 0;
        for (const Distinct& d : distinct) most = std::max(most, d.xs.size());
        bits = fewestBits(most, allowedBits);
        if (bits == 0)
            throw std::invalid_argument("the weight has " + std::to_string(most) +
                                        " distinct values; \"unique\" palettization holds at most 256");
    }
    p.bits = bits;
    const int64_t entries = int64_t(1) << bits;
    p.lut.assign(blockCount * static_cast<size_t>(entries), 0.0f);
    parallelFor(blockCount, [&](size_t b) {
        const Distinct& d = distinct[b];
        float* table = p.lut.data() + b * static_cast<size_t>(entries);
        if (d.xs.empty()) return;
        if (mode == "uniform") {
            const double lo = d.xs.front(), hi = d.xs.back();
            for (int64_t j = 0; j < entries; ++j)
                table[j] = static_cast<float>(lo + (hi - lo) * double(j) / double(entries - 1));
        } else {
            const std::vector<double> c = kmeans1d(d.xs, d.ws, static_cast<int>(entries), seed);
            for (int64_t j = 0; j < entries; ++j) table[j] = static_cast<float>(c[static_cast<size_t>(j)]);
        }
        const std::vector<float> stored =
            Tensor::fromFloats(std::vector<float>(table, table + entries), {entries}, lutDtype).toFloats();
        std::copy(stored.begin(), stored.end(), table);
    });
    std::vector<NearestEntry> finders;
    for (size_t b = 0; b < blockCount; ++b) finders.emplace_back(p.lut.data() + b * static_cast<size_t>(entries), entries);
    p.indices.resize(w.size());
    const size_t chunks = (w.size() + kChunk - 1) / kChunk;
    if (blockCount == 1 && distinct[0].allHalf) {
        // Every fp16 pattern present gets its entry once; elements then only look it up.
        std::vector<uint8_t> entryOf(kHalfPatterns, 0);
        for (double x : distinct[0].xs) {
            const float v = static_cast<float>(x);
            const auto e = static_cast<uint8_t>(finders[0](v));
            uint16_t h = 0;
            isHalf(v, h);
            entryOf[h] = e;
            if (v == 0.0f) entryOf[0x8000] = e;
        }
        parallelFor(chunks, [&](size_t c) {
            uint16_t h = 0;
            for (size_t i = c * kChunk; i < std::min(w.size(), (c + 1) * kChunk); ++i) {
                isHalf(w[i], h);
                p.indices[i] = entryOf[h];
            }
        });
        return p;
    }
    parallelFor(chunks, [&](size_t c) {
        for (size_t i = c * kChunk; i < std::min(w.size(), (c + 1) * kChunk); ++i)
            p.indices[i] = finders[blockCount == 1 ? 0 : static_cast<size_t>(blockOf[i])](w[i]);
    });
    return p;
}

std::vector<float> expandPalette(const Palettized& p, const Shape& shape) {
    BlockSizes blocks(shape.size());
    for (size_t d = 0; d < shape.size(); ++d) blocks[d] = shape[d] / p.grid[d];
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocks);
    const int64_t entries = int64_t(1) << p.bits;
    std::vector<float> out(p.indices.size());
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = p.lut[static_cast<size_t>(blockOf[i] * entries + p.indices[i])];
    return out;
}

std::vector<bool> thresholdMask(const std::vector<float>& w, double threshold) {
    std::vector<bool> keep(w.size());
    for (size_t i = 0; i < w.size(); ++i) keep[i] = std::fabs(double(w[i])) > threshold;
    return keep;
}

std::vector<bool> magnitudeMask(const std::vector<float>& w, double sparsity) {
    const size_t drop = static_cast<size_t>(std::floor(double(w.size()) * sparsity));
    std::vector<size_t> order(w.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return std::fabs(w[a]) < std::fabs(w[b]); });
    std::vector<bool> keep(w.size(), true);
    for (size_t i = 0; i < drop && i < order.size(); ++i) keep[order[i]] = false;
    return keep;
}

std::vector<bool> nmMask(const std::vector<float>& w, const Shape& shape, int n, int m, int64_t axis) {
    std::vector<bool> keep(w.size(), true);
    const int64_t len = shape[static_cast<size_t>(axis)];
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= shape[d];
    const int64_t outer = shapeNumel(shape) / (len * inner);
    std::vector<int64_t> group;
    for (int64_t o = 0; o < outer; ++o)
        for (int64_t in = 0; in < inner; ++in)
            for (int64_t start = 0; start < len; start += m) {
                const int64_t size = std::min<int64_t>(m, len - start);
                // The padding of a short group counts as the smallest values.
                const int64_t drop = std::max<int64_t>(0, n - (m - size));
                group.clear();
                for (int64_t j = 0; j < size; ++j) group.push_back((o * len + start + j) * inner + in);
                std::stable_sort(group.begin(), group.end(), [&](int64_t a, int64_t b) {
                    return std::fabs(w[static_cast<size_t>(a)]) < std::fabs(w[static_cast<size_t>(b)]);
                });
                for (int64_t j = 0; j < drop; ++j) keep[static_cast<size_t>(group[static_cast<size_t>(j)])] = false;
            }
    return keep;
}

double sparsityOf(const std::vector<bool>& keep) {
    if (keep.empty()) return 0.0;
    return double(std::count(keep.begin(), keep.end(), false)) / double(keep.size());
}

}  // namespace cms::compress
