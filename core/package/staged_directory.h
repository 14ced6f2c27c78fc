#pragma once
// A folder written in full next to its destination and then renamed into place, so readers see either
// the old folder or the complete new one. Dropping the object without commit() removes the staging folder.
#include <string>

namespace cms::package {

class StagedDirectory {
public:
    // Checks the destination (a file there, or a folder that is not an .mlpackage, is refused) and
    // creates the hidden staging folder in the same parent folder (created if missing).
    explicit StagedDirectory(std::string destination);
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    const std::string& path() const { return staging_; }
    const std::string& destination() const { return destination_; }

    // fsyncs the staged tree and moves it to the destination. An existing destination is swapped with it
    // in one rename (RENAME_EXCHANGE), so a kill at any point leaves the old or the new package there; where
    // the file system cannot swap, it is moved aside first and restored if the final rename fails. The old
    // package is deleted only after the new folder is in place.
    void commit();

private:
    std::string destination_;
    std::string parent_;
    std::string staging_;
    bool committed_ = false;
};

}  // namespace cms::package
