#include "passes/cast_rules.h"

#include <algorithm>
#include <cmath>

namespace cms::passes {

namespace {
struct Span {
    double low, high, resolution;
    bool operator==(const Span& o) const { return low == o.low && high == o.high && resolution == o.resolution; }
};

Span spanOf(DType t) {
    switch (t) {
        case DType::Bool: return {0, 1, 1};
        case DType::Float16: return {-65504.0, 65504.0, 1e-3};
        case DType::BFloat16: return {-3.38953139e38, 3.38953139e38, 1e-2};
        case DType::Float32: return {-3.4028234663852886e38, 3.4028234663852886e38, 1e-6};
        case DType::Float64: return {-1.7976931348623157e308, 1.7976931348623157e308, 1e-15};
        default: break;
    }
    const int bits = dtypeBits(t);
    if (isSigned(t)) return {-std::ldexp(1.0, bits - 1), std::ldexp(1.0, bits - 1) - 1, 1};
    return {0, std::ldexp(1.0, bits) - 1, 1};
}

Span through(Span s, DType t) {
    const Span n = spanOf(t);
    return {std::max(s.low, n.low), std::min(s.high, n.high), std::max(s.resolution, n.resolution)};
}
}  // namespace

bool castChainFoldable(DType from, DType via, DType to) {
    return through(through(spanOf(from), via), to) == through(spanOf(from), to);
}

}  // namespace cms::passes
