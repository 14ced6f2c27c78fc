#include "package/durable_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"

namespace cms::package {

namespace {
std::string hintFor(int err) {
    switch (err) {
        case ENOSPC:
        case EDQUOT: return "The disk is full: free some space or choose an output folder on another disk.";
        case EFBIG: return "The file is larger than this system or file system allows (ulimit -f, or a FAT disk's "
                           "4 GB limit): raise the limit or choose an output folder on another disk.";
        case EACCES:
        case EPERM: return "The folder is not writable for you: choose another output folder or fix its permissions.";
        case EROFS: return "The file system is read-only: choose an output folder on a writable disk.";
        case ENOENT: return "Check that the path exists and is spelled correctly.";
        case ENOTDIR: return "A part of the path is a file, not a folder: choose another output path.";
        case EISDIR: return "The path is a folder where a file was expected.";
        case ENAMETOOLONG: return "Choose a shorter output path.";
        case EMFILE:
        case ENFILE: return "Too many files are open: close other programs and try again.";
        default: return {};
    }
}

class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    int release() {
        int f = fd_;
        fd_ = -1;
        return f;
    }

private:
    int fd_;
};
}  // namespace

void throwFileError(const std::string& action, const std::string& path, int err) {
    throw Error(ErrorKind::Package, "cannot " + action + " " + path + ": " + std::strerror(err), {path, {}},
                hintFor(err));
}

void writeAll(int fd, const void* data, size_t size, const std::string& pathForErrors) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throwFileError("write", pathForErrors, errno);
        }
        p += n;
        size -= static_cast<size_t>(n);
    }
}

void writeAllAt(int fd, const void* data, size_t size, uint64_t offset, const std::string& pathForErrors) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, p, size, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            throwFileError("write", pathForErrors, errno);
        }
        p += n;
        offset += static_cast<uint64_t>(n);
        size -= static_cast<size_t>(n);
    }
}

void writeFileDurably(const std::string& path, const std::string& bytes) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) throwFileError("create", path, errno);
    writeAll(fd.get(), bytes.data(), bytes.size(), path);
    if (::fsync(fd.get()) != 0) throwFileError("flush", path, errno);
    if (::close(fd.release()) != 0) throwFileError("close", path, errno);
}

void syncPath(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throwFileError("open", path, errno);
    // Some file systems refuse fsync on folders; the data itself was already synced file by file.
    if (::fsync(fd.get()) != 0 && errno != EINVAL && errno != EBADF) throwFileError("flush", path, errno);
}

std::string readWholeFile(const std::string& path) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) throwFileError("open", path, errno);
    std::string out;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            throwFileError("read", path, errno);
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    return out;
}

}  // namespace cms::package
