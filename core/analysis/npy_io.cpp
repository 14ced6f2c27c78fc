#include "analysis/npy_io.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "common/error.h"

namespace cms::analysis {

namespace {

[[noreturn]] void fail(const std::string& file, const std::string& message, const std::string& hint = {}) {
    throw Error(ErrorKind::Input, message, {file, ""},
                hint.empty() ? "save the data with numpy.save (one array) or numpy.savez (several, by input name)"
                             : hint);
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open the file", "check the path");
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

uint64_t le(const std::string& b, size_t at, int bytes) {
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<uint8_t>(b.at(at + static_cast<size_t>(i)));
    return v;
}

struct DtypeCode {
    const char* descr;
    DType dtype;
};
// Element types numpy writes without a byte order ('|') or little-endian ('<').
constexpr DtypeCode kCodes[] = {
    {"f2", DType::Float16}, {"f4", DType::Float32}, {"f8", DType::Float64}, {"i1", DType::Int8},
    {"i2", DType::Int16},   {"i4", DType::Int32},   {"i8", DType::Int64},   {"u1", DType::UInt8},
    {"u2", DType::UInt16},  {"u4", DType::UInt32},  {"b1", DType::Bool},
};

}  // namespace

Tensor parseNpy(const std::string& b, const std::string& what) {
    if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0) fail(what, "not a .npy array (no NUMPY magic)");
    const int major = static_cast<uint8_t>(b[6]);
    const size_t lenBytes = major == 1 ? 2 : 4;
    const size_t headerLen = static_cast<size_t>(le(b, 8, static_cast<int>(lenBytes)));
    const size_t dataStart = 8 + lenBytes + headerLen;
    if (dataStart > b.size()) fail(what, "the .npy header is truncated");
    const std::string header = b.substr(8 + lenBytes, headerLen);

    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([<>|=])([a-z][0-9]+)'")))
        fail(what, "the .npy header has no simple dtype (structured arrays are not supported)");
    const std::string order = m[1], code = m[2];
    if (order == ">") fail(what, "big-endian arrays are not supported", "save the array as little-endian (astype('<f4'))");
    DType dtype = DType::Invalid;
    for (const DtypeCode& c : kCodes)
        if (code == c.descr) dtype = c.dtype;
    if (dtype == DType::Invalid) fail(what, "unsupported array dtype '" + code + "'");
    if (std::regex_search(header, std::regex("'fortran_order'\\s*:\\s*True")))
        fail(what, "Fortran-ordered arrays are not supported", "save numpy.ascontiguousarray(a)");
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)"))) fail(what, "the .npy header has no shape");
    Shape shape;
    const std::string dims = m[1];
    const std::regex number("[0-9]+");
    for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
        shape.push_back(std::stoll(it->str()));
    const size_t bytes = packedByteSize(dtype, shapeNumel(shape));
    if (b.size() - dataStart < bytes) fail(what, "the array data is truncated");
    std::vector<uint8_t> data(bytes);
    if (bytes) std::memcpy(data.data(), b.data() + dataStart, bytes);
    return Tensor(dtype, shape, std::move(data));
}

Tensor readNpy(const std::string& path) { return parseNpy(readFile(path), path); }

std::map<std::string, Tensor> readNpz(const std::string& path) {
    const std::string z = readFile(path);
    // End of central directory: the last "PK\5\6" record.
    size_t eocd = std::string::npos;
    for (size_t i = z.size() >= 22 ? z.size() - 22 : 0; i != std::string::npos && i + 4 <= z.size(); --i) {
        if (le(z, i, 4) == 0x06054b50) {
            eocd = i;
            break;
        }
        if (i == 0) break;
    }
    if (eocd == std::string::npos) fail(path, "not a .npz (zip) archive");
    const size_t entries = static_cast<size_t>(le(z, eocd + 10, 2));
    size_t at = static_cast<size_t>(le(z, eocd + 16, 4));
    std::map<std::string, Tensor> out;
    try {
        for (size_t e = 0; e < entries; ++e) {
            if (le(z, at, 4) != 0x02014b50) fail(path, "the zip central directory is damaged");
            const int method = static_cast<int>(le(z, at + 10, 2));
            uint64_t compressed = le(z, at + 20, 4), size = le(z, at + 24, 4);
            const size_t nameLen = static_cast<size_t>(le(z, at + 28, 2));
            const size_t extraLen = static_cast<size_t>(le(z, at + 30, 2));
            const size_t commentLen = static_cast<size_t>(le(z, at + 32, 2));
            uint64_t offset = le(z, at + 42, 4);
            const std::string name = z.substr(at + 46, nameLen);
            // zip64: sizes and offset that overflow 32 bits live in extra field 0x0001, in this order.
            for (size_t x = at + 46 + nameLen; x + 4 <= at + 46 + nameLen + extraLen;) {
                const uint64_t id = le(z, x, 2), len = le(z, x + 2, 2);
                if (id == 1) {
                    size_t p = x + 4;
                    if (size == 0xFFFFFFFF) { size = le(z, p, 8); p += 8; }
                    if (compressed == 0xFFFFFFFF) { compressed = le(z, p, 8); p += 8; }
                    if (offset == 0xFFFFFFFF) offset = le(z, p, 8);
                }
                x += 4 + static_cast<size_t>(len);
            }
            at += 46 + nameLen + extraLen + commentLen;
            if (method != 0)
                fail(path, "member " + name + " is compressed", "save the inputs with numpy.savez, not numpy.savez_compressed");
            const size_t local = static_cast<size_t>(offset);
            if (le(z, local, 4) != 0x04034b50) fail(path, "the zip entry " + name + " is damaged");
            const size_t data = local + 30 + static_cast<size_t>(le(z, local + 26, 2)) + static_cast<size_t>(le(z, local + 28, 2));
            std::string key = name;
            if (key.size() > 4 && key.compare(key.size() - 4, 4, ".npy") == 0) key.resize(key.size() - 4);
            out[key] = parseNpy(z.substr(data, static_cast<size_t>(size)), path + ":" + name);
        }
    } catch (const std::out_of_range&) {
        fail(path, "the archive is truncated");
    }
    return out;
}

}  // namespace cms::analysis
