#pragma once
// Where composites come from and which translator table a conversion uses:
//   built-in translators  <  built-in composites (resources/composites/*.yaml, for ops without a translator)
//                         <  the user's composite files and "builtin:NAME" optional sets, in order.
#include <memory>
#include <string>
#include <vector>

#include "lower/composites/composite.h"
#include "lower/lower_context.h"

namespace cms::lower {

using CompositePtr = std::shared_ptr<const Composite>;

// resources/composites beside the executable (build tree or installation), else in the source
// tree; empty when none is found. CMS_RESOURCES_DIR overrides the search.
std::string compositesResourceDir();
// The optional sets in resources/composites/optional, by name ("builtin:NAME").
std::vector<std::string> optionalCompositeSets();
// The built-in default composites (loaded once). A broken built-in file is a converter bug and throws.
const std::vector<CompositePtr>& builtinComposites();
// Every composite of one optional set.
std::vector<CompositePtr> optionalComposites(const std::string& setName);
// The composites named by the settings' "composites" list (files or builtin:NAME), in order.
std::vector<CompositePtr> loadComposites(const std::vector<std::string>& entries);

// The table a conversion with these composite entries uses.
TranslatorTable translatorTableFor(const std::vector<std::string>& compositeEntries);
// The composite among `list` (last one wins) that handles `kind`, folding overloads and in-place
// forms as the TranslatorTable does; null when none.
CompositePtr findComposite(const std::vector<CompositePtr>& list, const std::string& kind);

}  // namespace cms::lower
