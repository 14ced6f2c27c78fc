#pragma once
// Finds the app's data folders (resources/composites, resources/ops) at run time: beside the
// executable in a build tree or an installation, else in the source tree.
#include <string>

namespace cms {

// The folder resources/<name>; empty when none is found. CMS_RESOURCES_DIR overrides the search.
std::string findResourceDir(const std::string& name);

}  // namespace cms
