#include "image_presets.h"

#include <cmath>

namespace cms::ui {

namespace {

// ImageNet's per-channel statistics in RGB order, on pixels scaled to [0, 1].
constexpr double kMean[3] = {0.485, 0.456, 0.406};
constexpr double kStd[3] = {0.229, 0.224, 0.225};

}  // namespace

std::string imagePresetLabel(ImagePreset p) {
    switch (p) {
        case ImagePreset::ImageNet: return "ImageNet mean/std";
        case ImagePreset::MinusOneToOne: return "[-1, 1]";
        case ImagePreset::ZeroToOne: return "[0, 1]";
    }
    return {};
}

std::optional<ImageSpec> imagePreset(ImagePreset p, ColorLayout layout) {
    const size_t channels = layout == ColorLayout::Grayscale ? 1 : 3;
    ImageSpec spec;
    spec.layout = layout;
    switch (p) {
        case ImagePreset::ImageNet: {
            if (layout == ColorLayout::Grayscale) return std::nullopt;
            spec.scale = 1.0 / (kStd[0] * 255.0);
            for (int c = 0; c < 3; ++c) {
                const int rgb = layout == ColorLayout::BGR ? 2 - c : c;  // bias follows the package's channel order
                spec.bias.push_back(-kMean[rgb] / kStd[rgb]);
            }
            return spec;
        }
        case ImagePreset::MinusOneToOne:
            spec.scale = 2.0 / 255.0;
            spec.bias.assign(channels, -1.0);
            return spec;
        case ImagePreset::ZeroToOne:
            spec.scale = 1.0 / 255.0;
            spec.bias.assign(channels, 0.0);
            return spec;
    }
    return std::nullopt;
}

std::optional<ImagePreset> matchingPreset(const ImageSpec& spec) {
    for (ImagePreset p : {ImagePreset::ImageNet, ImagePreset::MinusOneToOne, ImagePreset::ZeroToOne}) {
        const auto preset = imagePreset(p, spec.layout);
        if (!preset) continue;
        const auto close = [](double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); };
        std::vector<double> bias = spec.bias.empty() ? std::vector<double>(preset->bias.size(), 0.0) : spec.bias;
        bool same = close(spec.scale, preset->scale) && bias.size() == preset->bias.size();
        for (size_t i = 0; same && i < bias.size(); ++i) same = close(bias[i], preset->bias[i]);
        if (same) return p;
    }
    return std::nullopt;
}

}  // namespace cms::ui
