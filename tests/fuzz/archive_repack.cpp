#include "archive_repack.h"

#include <zlib.h>

namespace cms::fuzz {

namespace {
uint64_t readLE(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

void putLE(std::string& out, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::optional<std::string> inflateRaw(const uint8_t* data, size_t size, size_t limit) {
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) return std::nullopt;
    zs.next_in = const_cast<Bytef*>(data);
    zs.avail_in = static_cast<uInt>(size);
    std::string out;
    char chunk[1 << 14];
    int status = Z_OK;
    while (status == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk);
        zs.avail_out = sizeof chunk;
        status = inflate(&zs, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) break;
        out.append(chunk, sizeof chunk - zs.avail_out);
        if (out.size() > limit) status = Z_MEM_ERROR;
        if (status == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) status = Z_DATA_ERROR;
    }
    inflateEnd(&zs);
    if (status != Z_STREAM_END) return std::nullopt;
    return out;
}
}  // namespace

std::optional<std::vector<ArchiveMember>> readArchiveMembers(const uint8_t* data, size_t size, size_t limit) {
    constexpr size_t kEndSize = 22;
    if (size < kEndSize) return std::nullopt;
    size_t end = size - kEndSize + 1;
    do {
        --end;
        if (readLE(data + end, 4) == 0x06054b50) break;
    } while (end > 0 && size - end < kEndSize + 0xFFFF);
    if (readLE(data + end, 4) != 0x06054b50) return std::nullopt;
    const uint64_t count = readLE(data + end + 10, 2), dirSize = readLE(data + end + 12, 4),
                   dirOffset = readLE(data + end + 16, 4);
    if (dirOffset > end || dirSize > end - dirOffset) return std::nullopt;
    std::vector<ArchiveMember> members;
    size_t total = 0;
    for (uint64_t i = 0, at = dirOffset; i < count; ++i) {
        if (dirOffset + dirSize - at < 46 || readLE(data + at, 4) != 0x02014b50) return std::nullopt;
        const uint8_t* cd = data + at;
        const uint64_t method = readLE(cd + 10, 2), packedSize = readLE(cd + 20, 4), plainSize = readLE(cd + 24, 4);
        const uint64_t nameLen = readLE(cd + 28, 2), extraLen = readLE(cd + 30, 2), commentLen = readLE(cd + 32, 2);
        const uint64_t local = readLE(cd + 42, 4);
        if (dirOffset + dirSize - at < 46 + nameLen + extraLen + commentLen) return std::nullopt;
        ArchiveMember m{std::string(reinterpret_cast<const char*>(cd + 46), nameLen), {}};
        at += 46 + nameLen + extraLen + commentLen;
        if (local > size || size - local < 30 || readLE(data + local, 4) != 0x04034b50) return std::nullopt;
        const uint64_t start = local + 30 + readLE(data + local + 26, 2) + readLE(data + local + 28, 2);
        if (start > size || size - start < packedSize) return std::nullopt;
        if (method == 0) {
            if (packedSize > limit) return std::nullopt;
            m.bytes.assign(reinterpret_cast<const char*>(data + start), packedSize);
        } else if (method == 8) {
            auto plain = inflateRaw(data + start, packedSize, std::min<uint64_t>(limit, plainSize));
            if (!plain) return std::nullopt;
            m.bytes = std::move(*plain);
        } else {
            return std::nullopt;
        }
        total += m.bytes.size();
        if (total > limit) return std::nullopt;
        members.push_back(std::move(m));
    }
    return members;
}

std::string writeStoredArchive(const std::vector<ArchiveMember>& members) {
    std::string out, directory;
    for (const ArchiveMember& m : members) {
        const uint32_t crc = static_cast<uint32_t>(
            crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(m.bytes.data()), m.bytes.size()));
        const uint64_t offset = out.size();
        const size_t name = std::min<size_t>(m.name.size(), 0xFFFF);
        // Padding in an extra field (id "FB", as torch names it) puts the data on a 64-byte boundary.
        size_t pad = (64 - (offset + 30 + name + 4) % 64) % 64;
        const auto header = [&](std::string& to, bool central) {
            putLE(to, central ? 0x02014b50 : 0x04034b50, 4);
            if (central) putLE(to, 0, 2);  // version made by
            putLE(to, 0, 2);               // version needed
            putLE(to, 0, 2);               // flags
            putLE(to, 0, 2);               // method: stored
            putLE(to, 0, 4);               // time, date
            putLE(to, crc, 4);
            putLE(to, m.bytes.size(), 4);
            putLE(to, m.bytes.size(), 4);
            putLE(to, name, 2);
            putLE(to, central ? 0 : 4 + pad, 2);
            if (central) {
                putLE(to, 0, 2);  // comment length
                putLE(to, 0, 2);  // disk
                putLE(to, 0, 2);  // internal attributes
                putLE(to, 0, 4);  // external attributes
                putLE(to, offset, 4);
            }
            to.append(m.name, 0, name);
            if (!central) {
                putLE(to, 0x4246, 2);
                putLE(to, pad, 2);
                to.append(pad, 'Z');
            }
        };
        header(out, false);
        out += m.bytes;
        header(directory, true);
    }
    const uint64_t dirOffset = out.size();
    out += directory;
    putLE(out, 0x06054b50, 4);
    putLE(out, 0, 4);  // disk numbers
    putLE(out, members.size(), 2);
    putLE(out, members.size(), 2);
    putLE(out, directory.size(), 4);
    putLE(out, dirOffset, 4);
    putLE(out, 0, 2);  // comment length
    return out;
}

}  // namespace cms::fuzz
