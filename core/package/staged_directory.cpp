#include "package/staged_directory.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <random>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/error.h"
#include "common/log.h"
#include "package/durable_file.h"

namespace fs = std::filesystem;

namespace cms::package {

namespace {
std::string randomSuffix() {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
    return buf;
}

void syncTree(const fs::path& root) {
    // Files were synced as they were written; folders make their entries durable.
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_directory()) syncPath(e.path().string());
    syncPath(root.string());
}

void removeQuietly(const fs::path& p) {
    std::error_code ec;
    fs::remove_all(p, ec);
    if (ec) logger()->warn("could not remove {}: {}", p.string(), ec.message());
}

// Staging folders are named ".<package>.partial-<pid>-<random>". A writer that was killed leaves its folder
// behind; the next write to the same destination removes those whose process no longer exists.
std::string stagingPrefix(const fs::path& dest) { return "." + dest.filename().string() + ".partial-"; }

void removeAbandonedStaging(const fs::path& parent, const fs::path& dest) {
    const std::string prefix = stagingPrefix(dest);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(parent, ec)) {
        const std::string name = e.path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) removeQuietly(e.path());
    }
}
}  // namespace

StagedDirectory::StagedDirectory(std::string destination) {
    if (destination.empty())
        throw Error(ErrorKind::Package, "no output path was given", {}, "Choose where to save the .mlpackage.");
    fs::path dest = fs::absolute(fs::path(destination)).lexically_normal();
    if (!dest.has_filename()) dest = dest.parent_path();  // "out.mlpackage/"
    destination_ = dest.string();
    const std::string& d = destination_;

    std::error_code ec;
    const fs::file_status st = fs::symlink_status(dest, ec);
    if (fs::exists(st)) {
        if (!fs::is_directory(st))
            throw Error(ErrorKind::Package, "cannot write the package to " + d + ": a file with that name exists", {d, {}},
                        "Choose a different output path, or delete or rename the file.");
        if (!fs::exists(dest / "Manifest.json"))
            throw Error(ErrorKind::Package,
                        "cannot write the package to " + d + ": a folder with that name exists and is not an .mlpackage",
                        {d, {}}, "Choose a different output path; existing folders are only replaced when they are packages.");
    }
    const fs::path parent = dest.parent_path();
    parent_ = parent.string();
    fs::create_directories(parent, ec);
    if (ec) throwFileError("create folder", parent_, ec.value());
    if (!fs::is_directory(parent))
        throw Error(ErrorKind::Package, "cannot write the package to " + d + ": " + parent_ + " is not a folder", {d, {}},
                    "Choose an output path inside an existing folder.");
    removeAbandonedStaging(parent, dest);
    staging_ = (parent / (stagingPrefix(dest) + std::to_string(::getpid()) + "-" + randomSuffix())).string();
    if (::mkdir(staging_.c_str(), 0755) != 0) throwFileError("create a temporary folder in", parent_, errno);
}

StagedDirectory::~StagedDirectory() {
    if (!committed_) removeQuietly(staging_);
}

void StagedDirectory::commit() {
    try {
        syncTree(staging_);
    } catch (const fs::filesystem_error& e) {
        throwFileError("flush", staging_, e.code().value());
    }
    const std::string aside = (fs::path(parent_) / ("." + fs::path(destination_).filename().string() + ".old-" +
                                                    randomSuffix())).string();
    std::error_code ec;
    const bool replacing = fs::exists(fs::symlink_status(destination_, ec));
    // Swapping the two folders in one step leaves no moment without a package at the destination, even
    // if the process is killed; the old package ends up at the staging path and is removed from there.
    if (replacing && ::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, destination_.c_str(), RENAME_EXCHANGE) == 0) {
        committed_ = true;
        syncPath(parent_);
        removeQuietly(staging_);
        return;
    }
    // File systems without the exchange: move the old package aside first, and back if the rename fails.
    if (replacing && std::rename(destination_.c_str(), aside.c_str()) != 0)
        throwFileError("move the existing package aside at", destination_, errno);
    if (std::rename(staging_.c_str(), destination_.c_str()) != 0) {
        const int err = errno;
        if (replacing && std::rename(aside.c_str(), destination_.c_str()) != 0)
            logger()->error("could not restore {} from {}: move it back by hand", destination_, aside);
        throwFileError("move the new package into place at", destination_, err);
    }
    committed_ = true;
    syncPath(parent_);
    if (replacing) removeQuietly(aside);
}

}  // namespace cms::package
