#pragma once
// Keras model (.h5 from Keras 2 / tf.keras, .keras from Keras 3) -> IR graph. Sequential and
// Functional models, nested models and shared layers; each layer's ops carry the layer's name as
// their module path (nested models as "outer.inner"). Lambda layers and layers of unknown classes are
// never executed: they become `keras::<Class>` nodes, which the unsupported-op report lists and which a
// composite for `keras::<Class>` can stand in for.
#include <string>

#include "ir/graph.h"

namespace cms::frontends {

// Reads the file in a child process first (isolated_read.h), so that a crash in libhdf5 on a damaged file becomes
// a cms::Error instead of ending this process, then imports it here.
ir::Graph importKeras(const std::string& path);

// The import in this process only, without the child: for the fuzz targets, which run it millions of times and
// want to see library crashes.
ir::Graph importKerasInProcess(const std::string& path);

}  // namespace cms::frontends
