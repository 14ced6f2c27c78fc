#include "settings/input_check.h"

#include <cmath>

namespace cms::settings_detail {

int imageChannels(ColorLayout layout) { return layout == ColorLayout::Grayscale ? 1 : 3; }

std::optional<InputProblem> checkFlexibleShape(const InputSpec& in) {
    if (in.hasRanges() && !in.enumeratedShapes.empty())
        return InputProblem{"shape", "give either dimension ranges or enumerated shapes, not both"};
    if (in.hasRanges()) {
        if (in.ranges.size() != in.shape.size())
            return InputProblem{"shape", "expected one range entry per dimension (" + std::to_string(in.shape.size()) +
                                             "), got " + std::to_string(in.ranges.size())};
        for (size_t i = 0; i < in.ranges.size(); ++i) {
            if (!in.ranges[i]) continue;
            const DimRange& r = *in.ranges[i];
            const std::string dim = "dimension " + std::to_string(i);
            if (r.lower < 1) return InputProblem{"shape", dim + ": the lower bound must be at least 1"};
            if (r.upper >= 0 && r.upper < r.lower)
                return InputProblem{"shape", dim + ": the upper bound " + std::to_string(r.upper) +
                                                 " is below the lower bound " + std::to_string(r.lower)};
            if (in.shape[i] < r.lower || (r.upper >= 0 && in.shape[i] > r.upper))
                return InputProblem{"shape", dim + ": the default size " + std::to_string(in.shape[i]) +
                                                 " is outside its range"};
            if (in.image && i < 2)
                return InputProblem{"shape", "an image input's batch and channel dimensions cannot be flexible"};
        }
    }
    if (!in.enumeratedShapes.empty()) {
        bool hasDefault = false;
        for (const Shape& s : in.enumeratedShapes) {
            if (s.size() != in.shape.size())
                return InputProblem{"enumeratedShapes", "every enumerated shape needs the same rank; " +
                                                            shapeToString(s) + " differs from " + shapeToString(in.shape)};
            for (int64_t d : s)
                if (d <= 0) return InputProblem{"enumeratedShapes", "expected positive dimensions"};
            if (in.image && (s[0] != in.shape[0] || s[1] != in.shape[1]))
                return InputProblem{"enumeratedShapes", "an image input's batch and channel sizes must stay fixed"};
            hasDefault |= s == in.shape;
        }
        if (!hasDefault)
            return InputProblem{"shape", "the default shape " + shapeToString(in.shape) +
                                             " must be one of the enumerated shapes"};
    }
    return std::nullopt;
}

std::optional<InputProblem> checkInputSpec(const InputSpec& in) {
    if (in.name.empty()) return InputProblem{"name", "an input needs a non-empty name"};
    if (in.shape.empty()) return InputProblem{"shape", "expected a list of positive integers"};
    for (int64_t d : in.shape)
        if (d <= 0) return InputProblem{"shape", "expected a list of positive integers"};
    // Past this, element and byte counts overflow 64 bits; no device holds a tensor anywhere near it.
    constexpr int64_t kMaxElements = int64_t(1) << 48;
    int64_t elements = 1;
    for (int64_t d : in.shape) {
        if (d > kMaxElements / elements)
            return InputProblem{"shape", "the shape " + shapeToString(in.shape) + " has more than 2^48 elements"};
        elements *= d;
    }
    if (in.dtype != DType::Float32 && in.dtype != DType::Float16 && in.dtype != DType::Int32)
        return InputProblem{"dtype", "expected fp32, fp16 or int32"};
    if (auto problem = checkFlexibleShape(in)) return problem;
    if (!in.image) return std::nullopt;

    const ImageSpec& img = *in.image;
    const int channels = imageChannels(img.layout);
    // A channels-last model (Keras) may name its own [1, H, W, C]; the image is still [1, C, H, W] and
    // lowering transposes it.
    const bool channelsLast = in.shape.size() == 4 && in.shape[1] != channels && in.shape[3] == channels;
    if (in.shape.size() != 4 || in.shape[0] != 1 || (in.shape[1] != channels && !channelsLast))
        return InputProblem{"shape", std::string(img.layout == ColorLayout::Grayscale ? "a " : "an ") + colorLayoutName(img.layout) + " image input needs the shape [1, " +
                                         std::to_string(channels) + ", H, W], got " + shapeToString(in.shape) +
                                         " (a channels-last model may use [1, H, W, " + std::to_string(channels) + "])"};
    if (channelsLast && in.isFlexible())
        return InputProblem{"shape", "a channels-last image input ([1, H, W, C]) cannot have a flexible shape"};
    if (in.dtype != DType::Float32)
        return InputProblem{"dtype", "image inputs are 8-bit images in Core ML; leave dtype at fp32"};
    if (!std::isfinite(img.scale)) return InputProblem{"image.scale", "expected a finite number"};
    if (!img.bias.empty() && static_cast<int>(img.bias.size()) != channels)
        return InputProblem{"image.bias", "expected " + std::to_string(channels) + " value" +
                                              (channels == 1 ? "" : "s") + " (one per channel), got " +
                                              std::to_string(img.bias.size())};
    for (double b : img.bias)
        if (!std::isfinite(b)) return InputProblem{"image.bias", "expected finite numbers"};
    return std::nullopt;
}

}  // namespace cms::settings_detail
