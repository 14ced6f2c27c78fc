#pragma once
// Deployment targets: each fixes the Core ML specification version and the MIL opset.
#include <optional>
#include <string>
#include <string_view>

namespace cms::mil {

enum class Target { iOS15 = 6, iOS16 = 7, iOS17 = 8, iOS18 = 9 };  // value = specificationVersion

inline int specificationVersion(Target t) { return static_cast<int>(t); }
std::string targetName(Target t);          // "iOS15"
std::string opsetName(Target t);           // "CoreML5" .. "CoreML8", as written in Function.opset
std::optional<Target> targetFromName(std::string_view name);     // "iOS15", "ios18", "macOS12" ...
std::optional<Target> targetFromOpsetName(std::string_view name);  // "CoreML5" ...
std::optional<Target> targetFromSpecVersion(int specVersion);

}  // namespace cms::mil
