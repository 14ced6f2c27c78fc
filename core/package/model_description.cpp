#include "package/model_description.h"

namespace cms::package {

bool FeatureDescription::allows(const Shape& s) const {
    if (!enumeratedShapes.empty()) {
        for (const Shape& e : enumeratedShapes)
            if (e == s) return true;
        return false;
    }
    if (!shapeRange.empty()) {
        if (s.size() != shapeRange.size()) return false;
        for (size_t i = 0; i < s.size(); ++i) {
            const auto [lower, upper] = shapeRange[i];
            if (s[i] < lower || (upper >= 0 && s[i] > upper)) return false;
        }
        return true;
    }
    return s == shape;
}

std::string FeatureDescription::allowedShapesText() const {
    const auto join = [](const Shape& s) {
        std::string out;
        for (size_t i = 0; i < s.size(); ++i) out += (i ? "x" : "") + std::to_string(s[i]);
        return out;
    };
    if (!enumeratedShapes.empty()) {
        std::string out = "enum(";
        for (size_t i = 0; i < enumeratedShapes.size(); ++i) out += (i ? "," : "") + join(enumeratedShapes[i]);
        return out + ")";
    }
    if (shapeRange.empty()) return join(shape);
    std::string out;
    for (size_t i = 0; i < shapeRange.size(); ++i) {
        const auto [lower, upper] = shapeRange[i];
        out += i ? "x" : "";
        if (lower == upper) out += std::to_string(lower);
        else out += "(" + std::to_string(lower) + ".." + (upper >= 0 ? std::to_string(upper) : std::string()) + ")";
    }
    return out;
}

}  // namespace cms::package
