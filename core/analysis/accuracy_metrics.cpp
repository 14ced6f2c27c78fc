#include "analysis/accuracy_metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace cms::analysis {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Indices of the k largest finite values, largest first.
std::vector<size_t> topK(const std::vector<double>& v, size_t k) {
    std::vector<size_t> idx(v.size());
    std::iota(idx.begin(), idx.end(), 0);
    const auto key = [&](size_t i) { return std::isnan(v[i]) ? -kInf : v[i]; };
    k = std::min(k, idx.size());
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                      [&](size_t a, size_t b) { return key(a) > key(b); });
    idx.resize(k);
    return idx;
}

bool classifierLike(const Shape& shape) {
    if (shape.empty()) return false;
    for (size_t i = 0; i + 1 < shape.size(); ++i)
        if (shape[i] != 1) return false;
    return shape.back() >= 5;
}
}  // namespace

std::string Criteria::describe() const {
    std::ostringstream s;
    if (usesAllclose()) s << "rtol=" << rtol.value_or(0.0) << ", atol=" << atol.value_or(0.0);
    else if (minSnrDb) s << "SNR >= " << *minSnrDb << " dB";
    else s << "none";
    return s.str();
}

double snrDb(const std::vector<double>& actual, const std::vector<double>& expected) {
    double signal = 0, noise = 0;
    for (size_t i = 0; i < actual.size() && i < expected.size(); ++i) {
        const double d = actual[i] - expected[i];
        if (!std::isfinite(d)) return -kInf;
        signal += expected[i] * expected[i];
        noise += d * d;
    }
    if (noise == 0) return kInf;
    if (signal == 0) return -kInf;
    return 10.0 * std::log10(signal / noise);
}

TensorMetrics compareValues(const std::vector<double>& actual, const std::vector<double>& expected, const Shape& shape,
                            const Criteria& criteria) {
    TensorMetrics m;
    const size_t n = std::min(actual.size(), expected.size());
    m.count = static_cast<int64_t>(n);
    double sumAbs = 0, sumSq = 0, refMax = 0, dot = 0, na = 0, nd = 0;
    const double rtol = criteria.rtol.value_or(0.0), atol = criteria.atol.value_or(0.0);
    for (size_t i = 0; i < n; ++i) {
        const double a = actual[i], d = expected[i];
        if (!std::isfinite(a)) ++m.nonFiniteActual;
        if (!std::isfinite(d)) ++m.nonFiniteExpected;
        const double err = std::fabs(a - d);
        if (criteria.usesAllclose()) {
            const bool bothNan = std::isnan(a) && std::isnan(d);
            const bool sameInf = std::isinf(a) && a == d;
            if (!bothNan && !sameInf && !(err <= atol + rtol * std::fabs(d))) ++m.allcloseViolations;
        }
        m.maxAbsError = std::isnan(err) ? kInf : std::max(m.maxAbsError, err);
        sumAbs += err;
        sumSq += err * err;
        refMax = std::max(refMax, std::fabs(d));
        dot += a * d;
        na += a * a;
        nd += d * d;
    }
    if (n == 0) return m;
    m.meanAbsError = sumAbs / static_cast<double>(n);
    m.maxRelError = refMax > 0 ? m.maxAbsError / refMax : (m.maxAbsError > 0 ? kInf : 0.0);
    m.snrDb = snrDb(actual, expected);
    const double mse = sumSq / static_cast<double>(n);
    m.psnrDb = !std::isfinite(mse) ? -kInf : mse == 0 ? kInf : 10.0 * std::log10(refMax * refMax / mse);
    m.cosine = (na > 0 && nd > 0) ? dot / std::sqrt(na * nd) : (na == nd ? 1.0 : 0.0);
    if (!std::isfinite(m.cosine)) m.cosine = 0.0;
    if (classifierLike(shape)) {
        const std::vector<size_t> ta = topK(actual, 5), te = topK(expected, 5);
        m.top1Agrees = !ta.empty() && !te.empty() && ta.front() == te.front();
        size_t common = 0;
        for (size_t i : te) common += std::count(ta.begin(), ta.end(), i);
        m.top5Overlap = te.empty() ? 1.0 : static_cast<double>(common) / static_cast<double>(te.size());
    }
    return m;
}

bool passes(const TensorMetrics& m, const Criteria& criteria) {
    if (criteria.usesAllclose()) return m.allcloseViolations == 0;
    if (criteria.minSnrDb) return m.snrDb >= *criteria.minSnrDb;
    return true;
}

}  // namespace cms::analysis
