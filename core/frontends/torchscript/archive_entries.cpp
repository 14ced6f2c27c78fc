#include "frontends/torchscript/archive_entries.h"

#include <fstream>

#include <zlib.h>

#include "common/error.h"

namespace cms::frontends {

ArchiveEntries::ArchiveEntries(std::string path, const ArchiveProbe& probe) : path_(std::move(path)) {
    // torch writes every entry under one folder named after the archive; data.pkl names it.
    std::string prefix;
    for (const ZipEntry& e : probe.zipEntries) {
        const auto slash = e.name.find('/');
        if (slash != std::string::npos && e.name.compare(slash + 1, std::string::npos, "data.pkl") == 0) {
            prefix = e.name.substr(0, slash + 1);
            break;
        }
    }
    for (const ZipEntry& e : probe.zipEntries)
        if (!prefix.empty() && e.name.compare(0, prefix.size(), prefix) == 0)
            entries_.emplace(e.name.substr(prefix.size()), e);
}

std::optional<std::string> ArchiveEntries::read(const std::string& inner, size_t limit) const {
    const auto it = entries_.find(inner);
    if (it == entries_.end()) return std::nullopt;
    return readArchiveEntry(path_, it->second, inner, limit);
}

std::string readArchiveEntry(const std::string& path, const ZipEntry& e, const std::string& label, size_t limit) {
    const auto damaged = [&](const std::string& why) {
        return Error(ErrorKind::Input, "the archive's entry " + label + " " + why, {path, ""},
                     "copy or download the file again, or export the model again");
    };
    std::ifstream in(path, std::ios::binary);
    in.seekg(0, std::ios::end);
    const uint64_t fileSize = static_cast<uint64_t>(in.tellg());
    unsigned char local[30];
    if (!in || e.localHeaderOffset > fileSize || fileSize - e.localHeaderOffset < sizeof local)
        throw damaged("lies outside the file");
    in.seekg(static_cast<std::streamoff>(e.localHeaderOffset));
    if (!in.read(reinterpret_cast<char*>(local), sizeof local)) throw damaged("lies outside the file");
    const uint64_t start =
        e.localHeaderOffset + sizeof local + (local[26] | local[27] << 8) + (local[28] | local[29] << 8);
    if (start > fileSize || fileSize - start < e.compressedSize) throw damaged("lies outside the file");
    if (e.method != 0 && e.method != 8) throw damaged("is compressed in a way torch never writes");
    if (e.method == 0 && e.compressedSize > limit) throw damaged("is larger than expected");
    std::string packed(static_cast<size_t>(e.compressedSize), '\0');
    in.seekg(static_cast<std::streamoff>(start));
    if (!in.read(packed.data(), static_cast<std::streamsize>(packed.size()))) throw damaged("lies outside the file");
    std::string bytes;
    if (e.method == 0) {
        bytes = std::move(packed);
    } else {
        z_stream zs{};
        if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw damaged("cannot be inflated");
        zs.next_in = reinterpret_cast<Bytef*>(packed.data());
        zs.avail_in = static_cast<uInt>(packed.size());
        char out[1 << 16];
        int status = Z_OK;
        while (status == Z_OK) {
            zs.next_out = reinterpret_cast<Bytef*>(out);
            zs.avail_out = sizeof out;
            status = inflate(&zs, Z_NO_FLUSH);
            if (status != Z_OK && status != Z_STREAM_END) break;
            bytes.append(out, sizeof out - zs.avail_out);
            if (bytes.size() > limit) status = Z_MEM_ERROR;
            if (status == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) status = Z_DATA_ERROR;  // cut off
        }
        inflateEnd(&zs);
        if (status == Z_MEM_ERROR) throw damaged("is larger than expected");
        if (status != Z_STREAM_END) throw damaged("does not inflate");
    }
    const uLong crc = crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data()),
                            bytes.size());
    if (static_cast<uint32_t>(crc) != e.crc32) throw damaged("does not match its checksum");
    return bytes;
}

}  // namespace cms::frontends
