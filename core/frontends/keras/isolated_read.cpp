#include "frontends/keras/isolated_read.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>  // sigabbrev_np, sigdescr_np
#include <string>
#include <thread>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"

namespace cms::frontends::keras {

namespace {

const char* const kDamagedHint =
    "save the model again from Keras (model.save(...)) and convert the new file; if the file was copied or "
    "downloaded, check its integrity (size, checksum) against the original";

std::string signalName(int sig) {
    const char* abbrev = sigabbrev_np(sig);
    const char* description = sigdescr_np(sig);
    std::string out = abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
    if (description) out += std::string(", ") + description;
    return out;
}

// waitpid without blocking, retried on EINTR. Returns the child's pid when it has ended, 0 while it runs, -1 when it
// cannot be waited for (not our child any more, e.g. SIGCHLD ignored by the host application).
pid_t pollChild(pid_t pid, int& status) {
    for (;;) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r >= 0 || errno != EINTR) return r;
    }
}

void killAndReap(pid_t pid) {
    kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
}

}  // namespace

void readInChildFirst(const std::string& path, const std::function<void()>& read, int deadlineSeconds) {
    const pid_t pid = fork();
    // Out of processes or memory for the copy: a sound file still imports, only without the protection.
    if (pid < 0) return;
    if (pid == 0) {
        // The child: only this thread exists, and locks other threads held at fork() stay locked for good. Do the
        // read and nothing else, and leave with _exit (no atexit handlers, no flushing the parent's buffers).
        try {
            read();
        } catch (...) {
        }
        _exit(0);
    }

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(deadlineSeconds);
    auto pause = std::chrono::microseconds(200);
    int status = 0;
    for (;;) {
        const pid_t r = pollChild(pid, status);
        if (r == pid) break;
        if (r < 0) return;  // no way to learn how the child ended: the caller's own read goes ahead unprotected
        if (std::chrono::steady_clock::now() >= deadline) {
            killAndReap(pid);
            throw Error(ErrorKind::Input,
                        "reading the model did not finish within " + std::to_string(deadlineSeconds) +
                            " seconds; the file's HDF5 data may be damaged",
                        {path, {}}, kDamagedHint);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(20000));
    }

    if (WIFSIGNALED(status))
        throw Error(ErrorKind::Input,
                    "the file's HDF5 data is damaged: libhdf5 crashed reading it (" + signalName(WTERMSIG(status)) +
                        ")",
                    {path, {}}, kDamagedHint);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw Error(ErrorKind::Input,
                    "the file's HDF5 data is damaged: reading it ended the process abnormally (exit code " +
                        std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")",
                    {path, {}}, kDamagedHint);
}

}  // namespace cms::frontends::keras
