#pragma once
#include <string>

namespace cms::frontends {

// libtorch 1.13's archive reader refuses an archive whose first entry is in no folder, or whose version record
// is missing, unreadable as a number or outside the versions it reads, by throwing from its constructor, which
// then never frees its zip reader's state (a leak per attempt, found by fuzz_torchscript_import). Throws
// cms::Error (Input) naming the file for exactly those archives, checked by the same rules, before libtorch opens
// them; anything else is left for libtorch to judge.
void refuseArchivesLibtorchCannotOpen(const std::string& path);

}  // namespace cms::frontends
