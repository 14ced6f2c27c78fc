#include "frontends/torchscript/archive_checksums.h"

#include <fstream>
#include <vector>

#include <zlib.h>

#include "common/cancellation.h"

namespace cms::frontends {

namespace {
// CRC-32 of what a raw deflate stream of `size` bytes at the current position of `in` inflates to; nullopt when
// the stream is damaged.
std::optional<uLong> inflatedCrc(std::ifstream& in, uint64_t size, std::vector<char>& buf) {
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return std::nullopt;
    std::vector<char> out(1 << 16);
    uLong crc = crc32(0L, Z_NULL, 0);
    int status = Z_OK;
    for (uint64_t left = size; status != Z_STREAM_END;) {
        if (zs.avail_in == 0) {
            if (left == 0) break;
            const size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
            if (!in.read(buf.data(), static_cast<std::streamsize>(n))) break;
            zs.next_in = reinterpret_cast<Bytef*>(buf.data());
            zs.avail_in = static_cast<uInt>(n);
            left -= n;
        }
        zs.next_out = reinterpret_cast<Bytef*>(out.data());
        zs.avail_out = static_cast<uInt>(out.size());
        status = inflate(&zs, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) break;
        crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data()), static_cast<uInt>(out.size() - zs.avail_out));
    }
    inflateEnd(&zs);
    if (status != Z_STREAM_END) return std::nullopt;
    return crc;
}
}  // namespace

std::optional<std::string> firstCorruptEntry(const std::string& path, const ArchiveProbe& probe) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(0, std::ios::end);
    const uint64_t fileSize = static_cast<uint64_t>(in.tellg());
    std::vector<char> buf(1 << 20);
    for (const ZipEntry& e : probe.zipEntries) {
        if (e.method != 0 && e.method != 8) continue;  // other methods: libtorch cannot read them either
        // The data follows the local header (30 bytes, then its own name and extra field lengths).
        unsigned char local[30];
        if (e.localHeaderOffset > fileSize || fileSize - e.localHeaderOffset < sizeof local) return e.name;
        in.seekg(static_cast<std::streamoff>(e.localHeaderOffset));
        if (!in.read(reinterpret_cast<char*>(local), sizeof local)) return e.name;
        const uint64_t start = e.localHeaderOffset + sizeof local + (local[26] | local[27] << 8) + (local[28] | local[29] << 8);
        if (start > fileSize || fileSize - start < e.compressedSize) return e.name;
        in.seekg(static_cast<std::streamoff>(start));
        if (e.method == 8) {
            const auto crc = inflatedCrc(in, e.compressedSize, buf);
            if (!crc || static_cast<uint32_t>(*crc) != e.crc32) return e.name;
            continue;
        }
        uLong crc = crc32(0L, Z_NULL, 0);
        for (uint64_t left = e.compressedSize; left > 0;) {
            const size_t n = static_cast<size_t>(std::min<uint64_t>(left, buf.size()));
            if (!in.read(buf.data(), static_cast<std::streamsize>(n))) return e.name;
            crc = crc32(crc, reinterpret_cast<const Bytef*>(buf.data()), static_cast<uInt>(n));
            left -= n;
        }
        if (static_cast<uint32_t>(crc) != e.crc32) return e.name;
        checkCancelled();  // a large model's weights take a second or more to read
    }
    return std::nullopt;
}

}  // namespace cms::frontends
