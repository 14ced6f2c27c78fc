#pragma once
// Shared by the hostile-input tests: what a clean failure looks like, package snapshots, byte-level file edits,
// and running a step in a child process (for resource limits, a different user, or to survive a crash).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "common/error.h"

namespace cms::test {

namespace fs_ = std::filesystem;

struct ChildResult {
    bool exited = false;  // false: killed by a signal (a crash)
    int status = 0;       // exit status, or the signal number
    std::string message;  // what() of the cms::Error the child threw, if any
};

// snapshot(): every file under `root` with its contents, for before/after comparisons. entries(): the names in
// a folder, hidden ones too, sorted.
// cleanFailureProblem(): empty when `e` is a clean failure (a cms::Error that is not an internal error, names a
// file containing `fileName`, says what to do and contains `expected`), else what is wrong with it.
// runInChild(): runs `step` in a forked child: exit 0 when it returns, 1 with the message when it throws
// cms::Error, 2 for any other exception, a signal when it crashes. Only for steps that need no other thread.


inline std::string readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::map<std::string, std::string> snapshot(const std::string& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs_::recursive_directory_iterator(root))
        if (e.is_regular_file()) out[fs_::relative(e.path(), root).string()] = readBytes(e.path().string());
    return out;
}

inline std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs_::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string cleanFailureProblem(const Error& e, const std::string& fileName, const std::string& expected) {
    const std::string what = e.what();
    if (e.kind() == ErrorKind::Internal) return "an internal error: " + what;
    if (e.file().find(fileName) == std::string::npos) return "the error does not name " + fileName + ": " + what;
    if (e.hint().empty()) return "the error says nothing about what to do: " + what;
    if (what.find(expected) == std::string::npos) return "expected \"" + expected + "\" in: " + what;
    return {};
}

inline ChildResult runInChild(const std::function<void()>& step) {
    int fds[2];
    if (::pipe(fds) != 0) return {true, -1, "pipe failed"};
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        int code = 0;
        std::string message;
        try {
            step();
        } catch (const Error& e) {
            code = 1;
            message = e.what();
        } catch (const std::exception& e) {
            code = 2;
            message = e.what();
        }
        if (!message.empty() && ::write(fds[1], message.data(), message.size()) < 0) code = 3;
        ::_exit(code);  // no atexit handlers or static destructors of the parent's state
    }
    ::close(fds[1]);
    ChildResult r;
    char buf[4096];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) r.message.append(buf, static_cast<size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    r.exited = WIFEXITED(status);
    r.status = r.exited ? WEXITSTATUS(status) : WTERMSIG(status);
    return r;
}

}  // namespace cms::test
