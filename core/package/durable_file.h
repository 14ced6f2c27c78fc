#pragma once
// Small POSIX file helpers for the package writer: every write checks for short writes, files and
// folders are fsynced before the package is renamed into place, and errno becomes a message with a hint.
#include <cstddef>
#include <cstdint>
#include <string>

namespace cms::package {

// Throws cms::Error (Package) for a failed system call on `path`; `action` says what was attempted
// ("write", "create folder" ...). The hint is chosen from errno (disk full, permissions, read-only ...).
[[noreturn]] void throwFileError(const std::string& action, const std::string& path, int err);

// Writes all `size` bytes at the current position of `fd`, retrying short writes.
void writeAll(int fd, const void* data, size_t size, const std::string& pathForErrors);
// Writes all bytes at `offset` without moving the file position.
void writeAllAt(int fd, const void* data, size_t size, uint64_t offset, const std::string& pathForErrors);
// Creates or truncates `path`, writes `bytes`, fsyncs and closes it.
void writeFileDurably(const std::string& path, const std::string& bytes);
// fsyncs a file or folder by path (folders so that renames and new entries in them are durable).
void syncPath(const std::string& path);
// Reads a whole (small) file; throws cms::Error (Package) naming it.
std::string readWholeFile(const std::string& path);

}  // namespace cms::package
