#pragma once
// The arithmetic of weight compression on plain float arrays: linear quantization with block-wise
// scales, palettization (k-means, uniform, unique) with block-wise look-up tables, and pruning
// masks. No MIL here: compress_program.cpp encodes the results as Core ML's constexpr ops, and
// tests use the dequantize/expand functions as the reference the interpreter must reproduce.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"

namespace cms::compress {

// Blocks of a weight: per axis, how many consecutive elements share one parameter set
// (0 = the whole axis). The grid has shape[d] / block[d] (or 1) blocks along each axis.
using BlockSizes = std::vector<int64_t>;
Shape blockGrid(const Shape& shape, const BlockSizes& blocks);
// Row-major block number of every element.
std::vector<int64_t> blockOfElements(const Shape& shape, const BlockSizes& blocks);

struct LinearQuantized {
    std::vector<int64_t> data;              // one integer per weight element
    Shape grid;                             // blocks per axis (rank of the weight)
    std::vector<float> scale;               // one per block, as stored (already rounded to scaleDtype)
    std::vector<int64_t> zeroPoint;         // one per block; all zero for signed symmetric
    int64_t qmin = 0, qmax = 0;
};

// coremltools' linear quantization: "linear_symmetric" maps [-max|w|, max|w|] onto a range symmetric
// around zero (unsigned: centred on 2^(bits-1) - 1 ... as coremltools does), "linear" maps [min(w,0),
// max(w,0)] with a rounded zero point. Scales are rounded to `scaleDtype` before the data is
// quantized, so data and stored scale agree.
LinearQuantized quantizeLinear(const std::vector<float>& w, const Shape& shape, const BlockSizes& blocks, int bits,
                               bool isSigned, bool symmetric, DType scaleDtype);
std::vector<float> dequantize(const LinearQuantized& q, const Shape& shape);

struct Palettized {
    int bits = 0;
    std::vector<int64_t> indices;  // one per weight element, in [0, 2^bits)
    Shape grid;                    // tables per axis
    std::vector<float> lut;        // tables in row-major grid order, 2^bits entries each
};

// `mode`: "kmeans" (k-means++ seeded by `seed`, then Lloyd iterations on the sorted values),
// "uniform" (2^bits evenly spaced values from min to max) or "unique" (the distinct values; bits
// = 0 picks the fewest of `allowedBits` that hold them). Tables are computed per block.
// Table entries are rounded to `lutDtype` before the indices are chosen.
Palettized palettize(const std::vector<float>& w, const Shape& shape, const BlockSizes& blocks, int bits,
                     const std::string& mode, const std::vector<int>& allowedBits, DType lutDtype, uint32_t seed = 0);
std::vector<float> expandPalette(const Palettized& p, const Shape& shape);

// 1-D k-means of weighted points given sorted ascending (values with multiplicities); returns k
// sorted centroids. Deterministic for a seed.
std::vector<double> kmeans1d(const std::vector<double>& sortedValues, const std::vector<double>& weights, int k,
                             uint32_t seed);

// Pruning masks: true keeps the element.
std::vector<bool> thresholdMask(const std::vector<float>& w, double threshold);
// Zeroes the floor(size * sparsity) smallest magnitudes (ties broken by position).
std::vector<bool> magnitudeMask(const std::vector<float>& w, double sparsity);
// n of every m consecutive elements along `axis` zeroed (smallest magnitudes); a last, shorter
// group is treated as padded with zeros, as coremltools pads it.
std::vector<bool> nmMask(const std::vector<float>& w, const Shape& shape, int n, int m, int64_t axis);
double sparsityOf(const std::vector<bool>& keep);

}  // namespace cms::compress
