#pragma once
// Read-only access to a zip archive through libzip: the entry names and an entry's bytes.
// Errors are cms::Error(Input) naming the archive and the entry.
#include <cstdint>
#include <string>
#include <vector>

namespace cms::frontends {

class ZipArchive {
public:
    explicit ZipArchive(const std::string& path);
    ~ZipArchive();
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    const std::vector<std::string>& entries() const { return entries_; }
    bool contains(const std::string& entry) const;
    std::vector<uint8_t> read(const std::string& entry) const;

private:
    std::string path_;
    void* zip_ = nullptr;  // zip_t*
    std::vector<std::string> entries_;
};

}  // namespace cms::frontends
