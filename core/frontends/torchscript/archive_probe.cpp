#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/torchscript_importer.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace cms::frontends {

namespace {

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndOfDirSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kZip64EndOfDirSig = 0x06064b50;
constexpr size_t kEndOfDirSize = 22;
constexpr size_t kZip64LocatorSize = 20;
constexpr size_t kMaxCommentSize = 0xFFFF;

uint64_t readLE(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

bool readAt(std::ifstream& in, uint64_t offset, size_t size, std::vector<uint8_t>& out) {
    out.resize(size);
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(out.data()), static_cast<std::streamsize>(size));
    return static_cast<size_t>(in.gcount()) == size;
}

// A tensor storage of a torch archive: "<archive>/data/<key>".
bool isStorageEntry(const std::string& name) {
    const auto slash = name.find('/');
    return slash != std::string::npos && name.compare(slash + 1, 5, "data/") == 0 && name.back() != '/';
}

// A central directory entry's sizes and local header offset. zip64 keeps each one whose 32-bit field is
// saturated in an extra field, in this order: uncompressed size, compressed size, offset.
struct EntryFigures {
    uint64_t uncompressed = 0, compressed = 0, offset = 0;
};
EntryFigures entryFigures(const uint8_t* entry, const uint8_t* extra, size_t extraLen) {
    EntryFigures f{readLE(entry + 24, 4), readLE(entry + 20, 4), readLE(entry + 42, 4)};
    for (size_t p = 0; p + 4 <= extraLen;) {
        const uint64_t id = readLE(extra + p, 2), len = readLE(extra + p + 2, 2);
        if (id == 0x0001 && p + 4 + len <= extraLen) {
            size_t at = p + 4;
            for (uint64_t* field : {&f.uncompressed, &f.compressed, &f.offset}) {
                if (*field != 0xFFFFFFFFu) continue;
                if (at + 8 > p + 4 + len) break;
                *field = readLE(extra + at, 8);
                at += 8;
            }
            break;
        }
        p += 4 + len;
    }
    return f;
}

// Reads the central directory's entry names; false when the directory is missing or cut off.
bool readZipDirectory(std::ifstream& in, uint64_t fileSize, std::vector<std::string>& names, uint64_t& storageBytes,
                      std::vector<ZipEntry>& zipEntries) {
    const size_t tailSize = static_cast<size_t>(std::min<uint64_t>(fileSize, kEndOfDirSize + kMaxCommentSize));
    std::vector<uint8_t> tail;
    if (!readAt(in, fileSize - tailSize, tailSize, tail)) return false;
    // The end-of-directory record sits before an optional comment: scan backwards for it.
    int64_t eocd = -1;
    for (int64_t i = static_cast<int64_t>(tailSize) - static_cast<int64_t>(kEndOfDirSize); i >= 0; --i) {
        if (readLE(&tail[i], 4) == kEndOfDirSig) { eocd = i; break; }
    }
    if (eocd < 0) return false;
    const uint64_t eocdOffset = fileSize - tailSize + static_cast<uint64_t>(eocd);
    uint64_t entryCount = readLE(&tail[eocd + 10], 2);
    uint64_t dirSize = readLE(&tail[eocd + 12], 4);
    uint64_t dirOffset = readLE(&tail[eocd + 16], 4);

    // Archives over 4 GiB (large models) keep the real figures in the zip64 record.
    if (eocdOffset >= kZip64LocatorSize) {
        std::vector<uint8_t> loc;
        if (readAt(in, eocdOffset - kZip64LocatorSize, kZip64LocatorSize, loc) &&
            readLE(loc.data(), 4) == kZip64LocatorSig) {
            const uint64_t z64Offset = readLE(&loc[8], 8);
            std::vector<uint8_t> z64;
            if (fileSize < 56 || z64Offset > fileSize - 56 || !readAt(in, z64Offset, 56, z64) ||
                readLE(z64.data(), 4) != kZip64EndOfDirSig)
                return false;
            entryCount = readLE(&z64[32], 8);
            dirSize = readLE(&z64[40], 8);
            dirOffset = readLE(&z64[48], 8);
        }
    }
    if (dirOffset > eocdOffset || dirSize > eocdOffset - dirOffset) return false;  // (no wrap-around: zip64 sizes are 64-bit)

    std::vector<uint8_t> dir;
    if (!readAt(in, dirOffset, static_cast<size_t>(dirSize), dir)) return false;
    size_t pos = 0;
    names.clear();
    storageBytes = 0;
    zipEntries.clear();
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (pos + 46 > dir.size() || readLE(&dir[pos], 4) != kCentralHeaderSig) return false;
        const size_t nameLen = readLE(&dir[pos + 28], 2);
        const size_t extraLen = readLE(&dir[pos + 30], 2);
        const size_t commentLen = readLE(&dir[pos + 32], 2);
        if (pos + 46 + nameLen + extraLen > dir.size()) return false;
        names.emplace_back(reinterpret_cast<const char*>(&dir[pos + 46]), nameLen);
        const EntryFigures f = entryFigures(&dir[pos], &dir[pos + 46 + nameLen], extraLen);
        if (isStorageEntry(names.back()))
            storageBytes = f.uncompressed > UINT64_MAX - storageBytes ? UINT64_MAX : storageBytes + f.uncompressed;
        zipEntries.push_back({names.back(), static_cast<uint32_t>(readLE(&dir[pos + 16], 4)),
                              static_cast<uint16_t>(readLE(&dir[pos + 10], 2)), f.compressed, f.offset,
                              f.uncompressed});
        pos += 46 + nameLen + extraLen + commentLen;
    }
    return true;
}

// torch writes every entry under one top-level folder named after the archive ("model/code/...").
bool hasEntry(const std::vector<std::string>& names, const std::string& inner, bool prefix) {
    return std::any_of(names.begin(), names.end(), [&](const std::string& n) {
        const auto slash = n.find('/');
        if (slash == std::string::npos) return false;
        const std::string rest = n.substr(slash + 1);
        return prefix ? rest.rfind(inner, 0) == 0 : rest == inner;
    });
}

}  // namespace

ArchiveProbe probeArchive(const std::string& path) {
    ArchiveProbe probe;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        probe.kind = ArchiveKind::Missing;
        return probe;
    }
    const uint64_t size = std::filesystem::file_size(path, ec);
    std::ifstream in(path, std::ios::binary);
    if (ec || !in) {
        probe.kind = ArchiveKind::Unreadable;
        return probe;
    }
    if (size == 0) {
        probe.kind = ArchiveKind::Empty;
        return probe;
    }
    std::vector<uint8_t> head;
    readAt(in, 0, static_cast<size_t>(std::min<uint64_t>(size, 8)), head);
    if (head.size() >= 4 && readLE(head.data(), 4) == kLocalHeaderSig) {
        if (!readZipDirectory(in, size, probe.entries, probe.storageBytes, probe.zipEntries)) {
            probe.kind = ArchiveKind::TruncatedZip;
            return probe;
        }
        if (hasEntry(probe.entries, "code/", true) || hasEntry(probe.entries, "constants.pkl", false))
            probe.kind = ArchiveKind::TorchScript;
        else if (hasEntry(probe.entries, "data.pkl", false))
            probe.kind = ArchiveKind::PickleZip;
        else
            probe.kind = ArchiveKind::OtherZip;
        return probe;
    }
    static const uint8_t hdf5Magic[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    if (head.size() == 8 && std::equal(head.begin(), head.end(), hdf5Magic)) {
        probe.kind = ArchiveKind::Hdf5;
        return probe;
    }
    // Pickle protocol 2+ streams open with PROTO (0x80) and a protocol number.
    if (head.size() >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) {
        probe.kind = ArchiveKind::LegacyPickle;
        return probe;
    }
    probe.kind = ArchiveKind::Unknown;
    return probe;
}

ArchiveDiagnosis diagnoseArchive(ArchiveKind kind) {
    const std::string exportHint =
        "export the model with torch.jit.trace(model.eval(), example_input).save(\"model.pt\") "
        "or torch.jit.script(model).save(\"model.pt\")";
    switch (kind) {
        case ArchiveKind::TorchScript: return {};
        case ArchiveKind::Missing: return {"the file does not exist", "check the path"};
        case ArchiveKind::Unreadable: return {"the file cannot be read", "check its permissions"};
        case ArchiveKind::Empty: return {"the file is empty", "export the model again; " + exportHint};
        case ArchiveKind::PickleZip:
        case ArchiveKind::LegacyPickle:
            return {"this is a state_dict/pickle, not TorchScript: torch.save stores weights but not the "
                    "model's code",
                    "load it into the model class in Python, then " + exportHint};
        case ArchiveKind::TruncatedZip:
            return {"the archive is truncated or corrupt (its zip directory is missing or cut off)",
                    "copy or download the file again, or re-export it; " + exportHint};
        case ArchiveKind::OtherZip:
            return {"this is a zip file, but not a TorchScript archive (no code/ or constants.pkl inside)",
                    exportHint};
        case ArchiveKind::Hdf5:
            return {"this is an HDF5 file (e.g. a Keras .h5 model), not TorchScript", exportHint};
        case ArchiveKind::Unknown:
            return {"this is not a TorchScript archive (not a zip file)", exportHint};
    }
    return {};
}

// Defined here, not beside importTorchScript, so callers never pay for libtorch to ask.
bool looksLikeTorchScript(const std::string& path) { return probeArchive(path).kind == ArchiveKind::TorchScript; }

}  // namespace cms::frontends
