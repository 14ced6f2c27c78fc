#include "frontends/keras/zip_archive.h"

#include <zip.h>

#include <algorithm>

#include "common/error.h"

namespace cms::frontends {

namespace {
const char* const kZipHint = "save the model again with model.save(\"model.keras\")";
}

ZipArchive::ZipArchive(const std::string& path) : path_(path) {
    int code = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (!zip) {
        zip_error_t error;
        zip_error_init_with_code(&error, code);
        const std::string reason = zip_error_strerror(&error);
        zip_error_fini(&error);
        throw Error(ErrorKind::Input, "the file is not a readable zip archive (" + reason + ")", {path, {}}, kZipHint);
    }
    zip_ = zip;
    const zip_int64_t count = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < count; ++i)
        if (const char* name = zip_get_name(zip, static_cast<zip_uint64_t>(i), 0)) entries_.emplace_back(name);
}

ZipArchive::~ZipArchive() {
    if (zip_) zip_discard(static_cast<zip_t*>(zip_));
}

bool ZipArchive::contains(const std::string& entry) const {
    return std::find(entries_.begin(), entries_.end(), entry) != entries_.end();
}

std::vector<uint8_t> ZipArchive::read(const std::string& entry) const {
    auto* zip = static_cast<zip_t*>(zip_);
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(zip, entry.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
        throw Error(ErrorKind::Input, "the archive has no entry \"" + entry + "\"", {path_, {}}, kZipHint);
    zip_file_t* file = zip_fopen(zip, entry.c_str(), 0);
    if (!file)
        throw Error(ErrorKind::Input, "entry \"" + entry + "\" cannot be opened: " + zip_strerror(zip), {path_, {}},
                    kZipHint);
    std::vector<uint8_t> bytes(static_cast<size_t>(stat.size));
    const zip_int64_t got = bytes.empty() ? 0 : zip_fread(file, bytes.data(), bytes.size());
    std::string reason = got < 0 ? zip_file_strerror(file) : "";
    // libzip checks the entry's CRC-32 only when a read reaches the end of the entry: without this read a damaged
    // entry (a flipped bit in model.weights.h5) would be handed on, and libhdf5 misbehaves on damaged files.
    uint8_t past = 0;
    const zip_int64_t more = got < 0 ? 0 : zip_fread(file, &past, 1);
    if (more < 0) reason = zip_file_strerror(file);
    zip_fclose(file);
    if (got < 0 || static_cast<size_t>(got) != bytes.size())
        throw Error(ErrorKind::Input, "entry \"" + entry + "\" cannot be read" + (reason.empty() ? "" : ": " + reason),
                    {path_, {}}, kZipHint);
    if (more != 0)
        throw Error(ErrorKind::Input,
                    "entry \"" + entry + "\" does not match its checksum, so the archive is damaged" +
                        (reason.empty() ? "" : " (" + reason + ")"),
                    {path_, {}}, kZipHint);
    return bytes;
}

}  // namespace cms::frontends
