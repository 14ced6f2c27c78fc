#include "compress/weight_math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>

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
    std::vector<int64_t> out(static_cast<size_t>(n));
    std::vector<int64_t> coord(rank, 0);
    for (int64_t i = 0; i < n; ++i) {
        int64_t b = 0;
        for (size_t d = 0; d < rank; ++d) b = b * grid[d] + coord[d] / (shape[d] / grid[d]);
        out[static_cast<size_t>(i)] = b;
        for (size_t d = rank; d-- > 0;) {
            if (++coord[d] < shape[d]) break;
            coord[d] = 0;
        }
    }
    return out;
}

namespace {

float storedAs(float v, DType dtype) { return Tensor::fromFloats({v}, {1}, dtype).toFloats()[0]; }

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
    for (size_t i = 0; i < w.size(); ++i) {
        const size_t b = static_cast<size_t>(blockOf[i]);
        const double v = std::nearbyint(double(w[i]) / double(q.scale[b])) + double(q.zeroPoint[b]);
        q.data[i] = static_cast<int64_t>(std::clamp(v, double(q.qmin), double(q.qmax)));
    }
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
    // Prefix sums make every cluster's weighted mean O(1) once its range of sorted points is known.
    std::vector<double> cw(n + 1, 0.0), cwx(n + 1, 0.0);
    for (size_t i = 0; i < n; ++i) {
        cw[i + 1] = cw[i] + ws[i];
        cwx[i + 1] = cwx[i] + ws[i] * xs[i];
    }
    if (n <= static_cast<size_t>(k)) {
        std::vector<double> c(xs);
        c.resize(static_cast<size_t>(k), xs.back());
        return c;
    }
    // k-means++: each next centre drawn with probability weight x squared distance to the nearest.
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Draws a point with probability proportional to p[i] (a linear scan: no per-draw allocation).
    const auto draw = [&](const std::vector<double>& p, double total) {
        double r = unit(rng) * total;
        for (size_t i = 0; i < n; ++i) {
            r -= p[i];
            if (r < 0) return i;
        }
        return n - 1;
    };
    std::vector<double> centres;
    centres.push_back(xs[draw(ws, cw[n])]);
    std::vector<double> d2(n, std::numeric_limits<double>::infinity()), p(n);
    while (centres.size() < static_cast<size_t>(k)) {
        double total = 0;
        for (size_t i = 0; i < n; ++i) {
            const double d = xs[i] - centres.back();
            d2[i] = std::min(d2[i], d * d);
            p[i] = ws[i] * d2[i];
            total += p[i];
        }
        if (total <= 0) break;  // fewer distinct points than centres
        centres.push_back(xs[draw(p, total)]);
    }
    std::sort(centres.begin(), centres.end());
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

}  // namespace

Palettized palettize(const std::vector<float>& w, const Shape& shape, const BlockSizes& blocks, int bits,
                     const std::string& mode, const std::vector<int>& allowedBits, DType lutDtype, uint32_t seed) {
    Palettized p;
    p.grid = blockGrid(shape, blocks);
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocks);
    const size_t blockCount = static_cast<size_t>(shapeNumel(p.grid));
    std::vector<std::vector<float>> members(blockCount);
    for (size_t i = 0; i < w.size(); ++i) members[static_cast<size_t>(blockOf[i])].push_back(w[i]);
    if (mode == "unique") {
        size_t most = 0;
        for (auto& m : members) {
            std::vector<float> s(m);
            std::sort(s.begin(), s.end());
            most = std::max(most, static_cast<size_t>(std::unique(s.begin(), s.end()) - s.begin()));
        }
        bits = fewestBits(most, allowedBits);
        if (bits == 0)
            throw std::invalid_argument("the weight has " + std::to_string(most) +
                                        " distinct values; \"unique\" palettization holds at most 256");
    }
    p.bits = bits;
    const int64_t entries = int64_t(1) << bits;
    p.lut.assign(blockCount * static_cast<size_t>(entries), 0.0f);
    for (size_t b = 0; b < blockCount; ++b) {
        std::vector<float> s(members[b]);
        std::sort(s.begin(), s.end());
        float* table = p.lut.data() + b * static_cast<size_t>(entries);
        if (mode == "uniform") {
            const double lo = s.front(), hi = s.back();
            for (int64_t j = 0; j < entries; ++j)
                table[j] = static_cast<float>(lo + (hi - lo) * double(j) / double(entries - 1));
        } else {
            std::vector<double> xs, ws;
            for (float v : s) {
                if (!xs.empty() && xs.back() == double(v)) ws.back() += 1.0;
                else {
                    xs.push_back(v);
                    ws.push_back(1.0);
                }
            }
            if (mode != "kmeans" && mode != "unique") throw std::invalid_argument("unknown palettization mode " + mode);
            const std::vector<double> c = kmeans1d(xs, ws, static_cast<int>(entries), seed);
            for (int64_t j = 0; j < entries; ++j) table[j] = static_cast<float>(c[static_cast<size_t>(j)]);
        }
        const std::vector<float> stored =
            Tensor::fromFloats(std::vector<float>(table, table + entries), {entries}, lutDtype).toFloats();
        std::copy(stored.begin(), stored.end(), table);
    }
    std::vector<NearestEntry> finders;
    for (size_t b = 0; b < blockCount; ++b) finders.emplace_back(p.lut.data() + b * static_cast<size_t>(entries), entries);
    p.indices.resize(w.size());
    for (size_t i = 0; i < w.size(); ++i) p.indices[i] = finders[static_cast<size_t>(blockOf[i])](w[i]);
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
