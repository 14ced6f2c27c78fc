#pragma once
// Error metrics between a converted model's output and the reference output, and the pass/fail
// criteria users know from numpy (assert_allclose) and coremltools (SNR).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"

namespace cms::analysis {

struct Criteria {
    // numpy.testing.assert_allclose: |actual - desired| <= atol + rtol * |desired| everywhere
    // (NaN in both places counts as equal). Used when either is set.
    std::optional<double> rtol, atol;
    std::optional<double> minSnrDb;  // used when rtol/atol are not set
    bool usesAllclose() const { return rtol.has_value() || atol.has_value(); }
    std::string describe() const;  // "rtol=1e-05, atol=1e-08" or "SNR >= 40 dB"
};

struct TensorMetrics {
    int64_t count = 0;
    double maxAbsError = 0, meanAbsError = 0;
    // max |a - d| / max |d|: relative to the reference's magnitude, so near-zero elements of a
    // large output do not dominate.
    double maxRelError = 0;
    double snrDb = 0;   // 10 log10(sum d^2 / sum (a - d)^2); +inf when identical
    double psnrDb = 0;  // 10 log10(max d^2 / mean (a - d)^2)
    double cosine = 1;  // cosine similarity of the flattened tensors
    int64_t nonFiniteActual = 0, nonFiniteExpected = 0;
    int64_t allcloseViolations = 0;  // elements outside rtol/atol (when those are given)
    // For classifier-like outputs (one row of >= 5 scores).
    std::optional<bool> top1Agrees;
    std::optional<double> top5Overlap;  // fraction of the reference's top 5 also in the converted top 5
};

// Compares element by element (shapes must hold the same number of elements).
TensorMetrics compareValues(const std::vector<double>& actual, const std::vector<double>& expected, const Shape& shape,
                            const Criteria& criteria);
bool passes(const TensorMetrics& m, const Criteria& criteria);

// SNR of two equally long value lists (for per-layer comparisons).
double snrDb(const std::vector<double>& actual, const std::vector<double>& expected);

}  // namespace cms::analysis
