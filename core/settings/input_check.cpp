#include "settings/input_check.h"

#include <cmath>

namespace cms::settings_detail {

int imageChannels(ColorLayout layout) { return layout == ColorLayout::Grayscale ? 1 : 3; }

std::optional<InputProblem> checkInputSpec(const InputSpec& in) {
    if (in.name.empty()) return InputProblem{"name", "an input needs a non-empty name"};
    if (in.shape.empty()) return InputProblem{"shape", "expected a list of positive integers"};
    for (int64_t d : in.shape)
        if (d <= 0) return InputProblem{"shape", "expected a list of positive integers"};
    if (in.dtype != DType::Float32 && in.dtype != DType::Float16 && in.dtype != DType::Int32)
        return InputProblem{"dtype", "expected fp32, fp16 or int32"};
    if (!in.image) return std::nullopt;

    const ImageSpec& img = *in.image;
    const int channels = imageChannels(img.layout);
    if (in.shape.size() != 4 || in.shape[0] != 1 || in.shape[1] != channels)
        return InputProblem{"shape", std::string(img.layout == ColorLayout::Grayscale ? "a " : "an ") + colorLayoutName(img.layout) + " image input needs the shape [1, " +
                                         std::to_string(channels) + ", H, W], got " + shapeToString(in.shape)};
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
