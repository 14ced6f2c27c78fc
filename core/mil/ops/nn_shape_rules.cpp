#include "mil/ops/nn_shape_rules.h"

#include <cmath>

namespace cms::mil {

namespace {
std::string listToString(const std::vector<int64_t>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + std::to_string(v[i]);
    return s + "]";
}
}  // namespace

std::vector<int64_t> spatialOutputShape(const InferContext& ctx, const std::string& padType, const Shape& inputSpatial,
                                        const std::vector<int64_t>& kernel, const std::vector<int64_t>& strides,
                                        const std::vector<int64_t>& dilations, const std::vector<int64_t>& customPad,
                                        bool ceilMode) {
    const size_t n = kernel.size();
    const std::vector<int64_t> pads = customPad.empty() ? std::vector<int64_t>(2 * n, 0) : customPad;
    const std::vector<int64_t> dil = dilations.empty() ? std::vector<int64_t>(n, 1) : dilations;
    if (inputSpatial.size() != n || strides.size() != n || dil.size() != n || pads.size() != 2 * n)
        ctx.fail("spatial input " + shapeToString(inputSpatial) + ", kernel " + listToString(kernel) + ", strides " +
                 listToString(strides) + ", dilations " + listToString(dil) + " and pad " + listToString(pads) +
                 " do not describe the same number of spatial dimensions");
    for (size_t i = 0; i < n; ++i) {
        if (strides[i] <= 0) ctx.fail("strides must be positive, got " + listToString(strides));
        if (dil[i] <= 0) ctx.fail("dilations must be positive, got " + listToString(dil));
    }

    std::vector<int64_t> out(n);
    for (size_t i = 0; i < n; ++i) {
        const int64_t in = inputSpatial[i];
        const int64_t k = (kernel[i] - 1) * dil[i] + 1;  // effective (dilated) kernel
        const int64_t s = strides[i];
        if (in == kUnknownDim) {
            out[i] = kUnknownDim;
            continue;
        }
        int64_t pad = 0;  // total padding of this dimension
        if (padType == "same" || padType == "same_lower") {
            const int64_t covered = s * static_cast<int64_t>(std::ceil(static_cast<double>(in) / s));
            pad = std::max<int64_t>(0, covered - in + k - s);
        } else if (padType == "custom") {
            pad = pads[2 * i] + pads[2 * i + 1];
        } else if (padType != "valid") {
            ctx.fail("unknown pad_type '" + padType + "' (valid, same, same_lower or custom)");
        }
        int64_t size;
        if (!ceilMode) {
            size = static_cast<int64_t>(std::floor(static_cast<double>(in + pad - k) / s + 1));
        } else {
            size = static_cast<int64_t>(std::floor(static_cast<double>(in + pad - k + s - 1) / s + 1));
            // Core ML drops a last window that would start in the padding.
            if (pad > 0 && static_cast<double>((size - 1) * s) >= in + pad / 2.0) size -= 1;
        }
        if (size <= 0)
            ctx.fail("spatial dimension " + std::to_string(i) + " has invalid output size " + std::to_string(size) +
                     " (input " + std::to_string(in) + ", effective kernel " + std::to_string(k) + ", padding " +
                     std::to_string(pad) + ")");
        out[i] = size;
    }
    return out;
}

void requireSameDtype(const InferContext& ctx, std::initializer_list<const char*> names) {
    const char* first = nullptr;
    DType dtype = DType::Invalid;
    for (const char* name : names) {
        if (!ctx.has(name)) continue;
        const DType d = ctx.type(name).dtype;
        if (!first) {
            first = name;
            dtype = d;
        } else if (d != dtype) {
            ctx.fail(std::string("inputs ") + first + " (" + dtypeName(dtype) + ") and " + name + " (" + dtypeName(d) +
                     ") must have the same dtype for " + targetName(ctx.target()));
        }
    }
}

bool isDescendantOfConst(const Value& v) {
    if (v.isConst()) return true;
    if (!v.producer) return false;  // a function input
    if (v.producer->type.rfind("constexpr_", 0) == 0) return true;
    for (const auto& in : v.producer->inputs)
        for (const Value* x : in.values)
            if (!isDescendantOfConst(*x)) return false;
    return true;
}

}  // namespace cms::mil
