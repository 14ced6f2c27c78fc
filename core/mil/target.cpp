#include "mil/target.h"

#include <algorithm>
#include <cctype>

namespace cms::mil {

std::string targetName(Target t) { return "iOS" + std::to_string(static_cast<int>(t) + 9); }

std::string opsetName(Target t) { return "CoreML" + std::to_string(static_cast<int>(t) - 1); }

std::optional<Target> targetFromSpecVersion(int v) {
    if (v >= 6 && v <= 9) return static_cast<Target>(v);
    return std::nullopt;
}

std::optional<Target> targetFromName(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    // The macOS releases that ship with each iOS opset.
    static const std::pair<const char*, Target> table[] = {
        {"ios15", Target::iOS15}, {"ios16", Target::iOS16}, {"ios17", Target::iOS17}, {"ios18", Target::iOS18},
        {"macos12", Target::iOS15}, {"macos13", Target::iOS16}, {"macos14", Target::iOS17}, {"macos15", Target::iOS18},
    };
    for (const auto& [key, t] : table)
        if (n == key) return t;
    return std::nullopt;
}

std::optional<Target> targetFromOpsetName(std::string_view name) {
    for (Target t : {Target::iOS15, Target::iOS16, Target::iOS17, Target::iOS18})
        if (opsetName(t) == name) return t;
    return std::nullopt;
}

}  // namespace cms::mil
