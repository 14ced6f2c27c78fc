#pragma once
// Reads a composite file (YAML; JSON is YAML too) into checked composites. Every error names
// the file, line and column. See docs/composites.md for the format.
#include <string>
#include <vector>

#include "lower/composites/composite.h"

namespace cms::lower {

// Parses and checks every composite in the file (checkComposite); `origin` labels them in reports.
std::vector<Composite> loadCompositeFile(const std::string& path, const std::string& origin);
// The same from text (tests, the GUI's editor); `path` is only used in messages.
std::vector<Composite> parseComposites(const std::string& text, const std::string& path, const std::string& origin);

}  // namespace cms::lower
