#pragma once
// Consistency rules for one input spec, shared by the JSON reader and the --input parser so both
// reject the same things with the same words.
#include <optional>
#include <string>

#include "settings/conversion_settings.h"

namespace cms::settings_detail {

struct InputProblem {
    std::string key;      // the offending field: "shape", "dtype", "image.bias" ...
    std::string message;  // what is wrong, in the user's terms
};

std::optional<InputProblem> checkInputSpec(const InputSpec& in);
// The flexible-shape part of it: ranges and enumerated shapes consistent with the default shape.
std::optional<InputProblem> checkFlexibleShape(const InputSpec& in);
// Channels an image of this layout has (3 for RGB/BGR, 1 for grayscale).
int imageChannels(ColorLayout layout);

}  // namespace cms::settings_detail
