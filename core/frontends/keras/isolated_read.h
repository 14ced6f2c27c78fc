#pragma once
// Runs a read of a model file once in a forked child process first, so that a crash inside a C library the read
// calls (libhdf5 1.10.8 segfaults on some damaged files, docs/reliability.md) ends the child, not this process, and
// becomes a clean error. The child's result is thrown away: the caller reads the file again itself afterwards.
#include <functional>
#include <string>

namespace cms::frontends::keras {

// Calls `read` in a child process. Returns when the child finished, whether `read` returned or threw (a clean error
// repeats when the caller reads the file itself). Throws cms::Error (Input) naming `path` when the child was killed
// by a signal or exited abnormally, and when it has not finished within `deadlineSeconds` (the child is killed).
// When no child can be started (fork fails) or waited for (SIGCHLD ignored), returns at once: no protection.
// `read` must not log, take locks other threads may hold, or use Qt: only the forking thread exists in the child.
void readInChildFirst(const std::string& path, const std::function<void()>& read, int deadlineSeconds = 600);

}  // namespace cms::frontends::keras
