#pragma once
// A zip of stored (uncompressed) entries, read and written with correct CRCs: lets fuzz_keras_archive's mutator
// change one entry of a .keras archive (config.json, model.weights.h5) without the archive failing its checksum.
// Reads only what this writer and Python's zipfile (which Keras and our fixture generator use) write: local
// headers one after another from offset 0, stored, sizes in the header.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cms::fuzz {

struct ZipEntry {
    std::string name;
    std::vector<uint8_t> data;
};

inline uint32_t zipCrc32(const std::vector<uint8_t>& bytes) {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t crc = 0xFFFFFFFFu;
    for (uint8_t b : bytes) crc = table[(crc ^ b) & 0xFFu] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

namespace zip_detail {
inline uint32_t le(const uint8_t* p, int n) {
    uint32_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}
inline void put(std::vector<uint8_t>& out, uint32_t v, int n) {
    for (int i = 0; i < n; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
}  // namespace zip_detail

// The entries of a stored zip, or nothing when the bytes are not one (compressed entries, data descriptors,
// truncation, an entry that does not match its CRC).
inline std::optional<std::vector<ZipEntry>> readStoredZip(const uint8_t* data, size_t size) {
    using zip_detail::le;
    std::vector<ZipEntry> entries;
    size_t pos = 0;
    while (pos + 30 <= size && le(data + pos, 4) == 0x04034b50u) {
        const uint8_t* h = data + pos;
        const uint32_t flags = le(h + 6, 2), method = le(h + 8, 2), crc = le(h + 14, 4), csize = le(h + 18, 4),
                       usize = le(h + 22, 4);
        const size_t nameLen = le(h + 26, 2), extraLen = le(h + 28, 2);
        if (method != 0 || (flags & 8) || csize != usize) return std::nullopt;
        const size_t begin = pos + 30 + nameLen + extraLen;
        if (begin > size || size - begin < csize) return std::nullopt;
        entries.push_back({std::string(reinterpret_cast<const char*>(h + 30), nameLen),
                           std::vector<uint8_t>(data + begin, data + begin + csize)});
        // An entry damaged by a byte-level mutation stays damaged: rewriting it would give it a valid CRC.
        if (zipCrc32(entries.back().data) != crc) return std::nullopt;
        pos = begin + csize;
    }
    if (entries.empty()) return std::nullopt;
    return entries;
}

// Local headers, central directory and end record, every entry stored with its CRC-32.
inline std::vector<uint8_t> writeStoredZip(const std::vector<ZipEntry>& entries) {
    using zip_detail::put;
    std::vector<uint8_t> out, directory;
    for (const ZipEntry& e : entries) {
        const uint32_t offset = static_cast<uint32_t>(out.size()), crc = zipCrc32(e.data);
        const uint32_t size = static_cast<uint32_t>(e.data.size()), nameLen = static_cast<uint32_t>(e.name.size());
        put(out, 0x04034b50u, 4);
        put(out, 20, 2);  // version needed
        put(out, 0, 2);   // flags
        put(out, 0, 2);   // stored
        put(out, 0, 4);   // time, date
        put(out, crc, 4);
        put(out, size, 4);
        put(out, size, 4);
        put(out, nameLen, 2);
        put(out, 0, 2);  // extra
        out.insert(out.end(), e.name.begin(), e.name.end());
        out.insert(out.end(), e.data.begin(), e.data.end());

        put(directory, 0x02014b50u, 4);
        put(directory, 20, 2);  // made by
        put(directory, 20, 2);  // version needed
        put(directory, 0, 2);
        put(directory, 0, 2);
        put(directory, 0, 4);
        put(directory, crc, 4);
        put(directory, size, 4);
        put(directory, size, 4);
        put(directory, nameLen, 2);
        put(directory, 0, 2);  // extra
        put(directory, 0, 2);  // comment
        put(directory, 0, 2);  // disk
        put(directory, 0, 2);  // internal attributes
        put(directory, 0, 4);  // external attributes
        put(directory, offset, 4);
        directory.insert(directory.end(), e.name.begin(), e.name.end());
    }
    const uint32_t directoryOffset = static_cast<uint32_t>(out.size());
    out.insert(out.end(), directory.begin(), directory.end());
    put(out, 0x06054b50u, 4);
    put(out, 0, 2);
    put(out, 0, 2);
    put(out, static_cast<uint32_t>(entries.size()), 2);
    put(out, static_cast<uint32_t>(entries.size()), 2);
    put(out, static_cast<uint32_t>(directory.size()), 4);
    put(out, directoryOffset, 4);
    put(out, 0, 2);  // comment
    return out;
}

// What writeStoredZip adds around the entries' data.
inline size_t storedZipOverhead(const std::vector<ZipEntry>& entries) {
    size_t n = 22;
    for (const ZipEntry& e : entries) n += 30 + 46 + 2 * e.name.size();
    return n;
}

}  // namespace cms::fuzz
