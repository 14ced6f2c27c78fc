#pragma once
// The one piece of a model's own code that libtorch runs while loading an archive: a scripted class's
// `__setstate__`, called to rebuild each object saved with `__getstate__`. Converting without running the
// model's code (--no-reference) has to refuse such archives before libtorch opens them.
#include <string>

namespace cms::frontends {

// Throws cms::Error (Unsupported) naming the file and the class when the archive's serialized code defines
// `__setstate__`; returns otherwise. Reads the code entries without libtorch (their checksums checked).
void refuseCodeRunAtLoad(const std::string& path);

}  // namespace cms::frontends
