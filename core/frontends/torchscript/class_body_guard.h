#pragma once
#include <string>

namespace cms::frontends {

// libtorch 1.13's code importer reads a class body's assignments without checking that the parts it uses are there,
// and crashes (SIGSEGV) on one that lacks them: `name = value` without a type in a module (read as a Final
// constant; found by fuzz_torchscript_import), `__parameters__ : T` without a list, an annotation without its
// type, a NamedTuple field without a type, an Enum member without a value. Parses every code/*.py of the archive
// with libtorch's own parser (which compiles nothing) and throws cms::Error (Input) naming the file and the class
// for such a body; files that do not parse, and everything else, are left for libtorch to judge.
void refuseClassBodiesLibtorchMisreads(const std::string& path);

}  // namespace cms::frontends
