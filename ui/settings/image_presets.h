#pragma once
// Pixel normalisation presets for image inputs, as Core ML applies them: y = scale * x + bias[c]
// with x in [0, 255]. Core ML has one scale for all channels, so per-channel std dividing (ImageNet)
// uses the first channel's std for the scale and folds each channel's mean/std into its bias, the
// way coremltools' conversion guide does.
#include <optional>
#include <string>
#include <vector>

#include "settings/conversion_settings.h"

namespace cms::ui {

enum class ImagePreset { ImageNet, MinusOneToOne, ZeroToOne };
std::string imagePresetLabel(ImagePreset p);  // "ImageNet mean/std", "[-1, 1]", "[0, 1]"
// The preset's scale and bias for a layout; nullopt when the preset does not fit it (ImageNet's
// statistics are for colour images).
std::optional<ImageSpec> imagePreset(ImagePreset p, ColorLayout layout);
// The preset an image spec matches (within rounding), if any.
std::optional<ImagePreset> matchingPreset(const ImageSpec& spec);

}  // namespace cms::ui
