#include "package/weight_blob.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cancellation.h"
#include "common/error.h"
#include "package/durable_file.h"

namespace cms::package {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the weight file format is little-endian");

namespace {

struct CodeEntry {
    DType dtype;
    uint32_t code;
};
// Codes of Core ML's blob storage format (append-only on Apple's side).
constexpr CodeEntry kCodes[] = {
    {DType::Float16, 1}, {DType::Float32, 2}, {DType::UInt8, 3},  {DType::Int8, 4},    {DType::BFloat16, 5},
    {DType::Int16, 6},   {DType::UInt16, 7},  {DType::Int4, 8},   {DType::UInt1, 9},   {DType::UInt2, 10},
    {DType::UInt4, 11},  {DType::UInt3, 12},  {DType::UInt6, 13}, {DType::Int32, 14},  {DType::UInt32, 15},
};

bool isSubByte(DType t) { return dtypeBits(t) < 8; }

struct Header {
    uint32_t count;
    uint32_t version;
    uint64_t reserved[7];
};
struct Metadata {
    uint32_t sentinel;
    uint32_t dtype;
    uint64_t sizeInBytes;
    uint64_t offset;
    uint64_t paddingBits;
    uint64_t reserved[4];
};
static_assert(sizeof(Header) == kBlobHeaderSize, "header is 64 bytes");
static_assert(sizeof(Metadata) == kBlobMetadataSize, "metadata is 64 bytes");

uint64_t alignUp(uint64_t v) { return (v + kBlobAlignment - 1) / kBlobAlignment * kBlobAlignment; }

std::string hex(uint64_t v) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
    return buf;
}

}  // namespace

std::optional<uint32_t> blobDTypeCode(DType dtype) {
    for (const auto& e : kCodes)
        if (e.dtype == dtype) return e.code;
    return std::nullopt;
}

std::optional<DType> dtypeFromBlobCode(uint32_t code) {
    for (const auto& e : kCodes)
        if (e.code == code) return e.dtype;
    return std::nullopt;
}

int64_t BlobInfo::elementCount() const {
    const int bits = dtypeBits(dtype);
    if (bits == 0) return 0;
    return static_cast<int64_t>((sizeInBytes * 8 - paddingBits) / static_cast<uint64_t>(bits));
}

// ---- writer ----

WeightBlobWriter::WeightBlobWriter(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throwFileError("create", path_, errno);
    Header h{};
    h.version = kBlobStorageVersion;
    writeAll(fd_, &h, sizeof h, path_);
    end_ = sizeof h;
}

WeightBlobWriter::~WeightBlobWriter() {
    if (fd_ >= 0) ::close(fd_);
}

uint64_t WeightBlobWriter::append(const Tensor& tensor) {
    checkCancelled();  // a large model's weights take seconds to write
    if (fd_ < 0) throw Error(ErrorKind::Internal, "weight file " + path_ + " was already finished", {path_, {}});
    const auto code = blobDTypeCode(tensor.dtype());
    if (!code)
        throw Error(ErrorKind::Package, "a " + dtypeName(tensor.dtype()) + " tensor cannot be stored in a weight file",
                    {path_, {}}, "This is a converter bug: such constants must stay inline in the model.");
    const uint64_t metadataOffset = alignUp(end_);
    Metadata m{};
    m.sentinel = kBlobSentinel;
    m.dtype = *code;
    m.sizeInBytes = tensor.nbytes();
    m.offset = metadataOffset + sizeof(Metadata);
    if (isSubByte(tensor.dtype())) {
        const uint64_t usedBits = static_cast<uint64_t>(tensor.numel()) * dtypeBits(tensor.dtype());
        m.paddingBits = (8 - usedBits % 8) % 8;
    }
    // Zero padding up to the record's boundary, then metadata and data in one pass.
    static const uint8_t zeros[kBlobAlignment] = {};
    if (metadataOffset > end_) writeAll(fd_, zeros, metadataOffset - end_, path_);
    writeAll(fd_, &m, sizeof m, path_);
    if (tensor.nbytes() > 0) writeAll(fd_, tensor.bytes(), tensor.nbytes(), path_);
    end_ = m.offset + m.sizeInBytes;
    ++count_;
    return metadataOffset;
}

void WeightBlobWriter::finish() {
    if (fd_ < 0) return;
    Header h{};
    h.count = count_;
    h.version = kBlobStorageVersion;
    writeAllAt(fd_, &h, sizeof h, 0, path_);
    if (::fsync(fd_) != 0) throwFileError("flush", path_, errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throwFileError("close", path_, errno);
}

// ---- reader ----

WeightBlobReader::WeightBlobReader(std::string path) : path_(std::move(path)) {
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throwFileError("open", path_, errno);
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        throwFileError("read", path_, err);
    }
    size_ = static_cast<uint64_t>(st.st_size);
    if (size_ < kBlobHeaderSize) {
        ::close(fd);
        fail("file is " + std::to_string(size_) + " bytes, too short for the 64-byte header", 0,
             "The package is truncated: convert the model again.");
    }
    void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd);
    if (p == MAP_FAILED) throwFileError("map", path_, err);
    const uint64_t len = size_;
    map_ = std::shared_ptr<const uint8_t>(static_cast<const uint8_t*>(p),
                                          [len](const uint8_t* q) { ::munmap(const_cast<uint8_t*>(q), len); });
    Header h;
    std::memcpy(&h, map_.get(), sizeof h);
    if (h.version != kBlobStorageVersion)
        fail("storage format version " + std::to_string(h.version) + " (only version 2 is supported)", 4,
             "This is not a Core ML ML Program weight file, or it is damaged.");
    count_ = h.count;
}

void WeightBlobReader::fail(const std::string& what, uint64_t offset, const std::string& hint) const {
    throw Error(ErrorKind::Package, "invalid weight file " + path_ + " at offset " + std::to_string(offset) + ": " + what,
                {path_, {}}, hint.empty() ? "The package is damaged: convert the model again." : hint);
}

BlobInfo WeightBlobReader::info(uint64_t at) const {
    if (at < kBlobHeaderSize || at % kBlobAlignment != 0)
        fail("a blob record must start on a 64-byte boundary after the header", at);
    if (at > size_ || size_ - at < kBlobMetadataSize) fail("blob record lies past the end of the file", at);
    Metadata m;
    std::memcpy(&m, map_.get() + at, sizeof m);
    if (m.sentinel != kBlobSentinel)
        fail("blob record has sentinel " + hex(m.sentinel) + " instead of " + hex(kBlobSentinel), at);
    const auto dtype = dtypeFromBlobCode(m.dtype);
    if (!dtype) fail("unknown or unsupported blob dtype code " + std::to_string(m.dtype), at + 4);
    if (m.offset < at + kBlobMetadataSize || m.offset % kBlobAlignment != 0)
        fail("blob data offset " + std::to_string(m.offset) + " is not the 64-byte aligned position after its record",
             at + 16);
    if (m.offset > size_ || size_ - m.offset < m.sizeInBytes)
        fail("blob data (" + std::to_string(m.sizeInBytes) + " bytes at " + std::to_string(m.offset) +
                 ") runs past the end of the file (" + std::to_string(size_) + " bytes)",
             at + 8);
    if (isSubByte(*dtype)) {
        const int bits = dtypeBits(*dtype);
        if (m.paddingBits >= 8 || (m.sizeInBytes == 0 && m.paddingBits != 0) ||
            (m.sizeInBytes * 8 - m.paddingBits) % static_cast<uint64_t>(bits) != 0)
            fail("padding of " + std::to_string(m.paddingBits) + " bits does not fit " + dtypeName(*dtype) + " data",
                 at + 24);
    } else if (m.paddingBits != 0) {
        fail("padding bits set on byte-sized " + dtypeName(*dtype) + " data", at + 24);
    } else if (m.sizeInBytes % static_cast<uint64_t>(dtypeBits(*dtype) / 8) != 0) {
        fail(std::to_string(m.sizeInBytes) + " bytes is not a whole number of " + dtypeName(*dtype) + " elements", at + 8);
    }
    BlobInfo b;
    b.metadataOffset = at;
    b.dtype = *dtype;
    b.dataOffset = m.offset;
    b.sizeInBytes = m.sizeInBytes;
    b.paddingBits = m.paddingBits;
    return b;
}

std::vector<BlobInfo> WeightBlobReader::blobs() const {
    // Each record takes at least its 64-byte metadata: a count the file cannot hold is damage, and must not
    // size an allocation.
    if (count_ > (size_ - kBlobHeaderSize) / kBlobMetadataSize)
        fail("the header announces " + std::to_string(count_) + " blobs, more than a file of " +
                 std::to_string(size_) + " bytes can hold",
             0);
    std::vector<BlobInfo> out;
    out.reserve(count_);
    uint64_t at = kBlobHeaderSize;
    for (uint32_t i = 0; i < count_; ++i) {
        if (at >= size_)
            fail("the header announces " + std::to_string(count_) + " blobs but the file ends after " +
                     std::to_string(i),
                 at);
        out.push_back(info(at));
        at = alignUp(out.back().dataOffset + out.back().sizeInBytes);
    }
    return out;
}

Tensor WeightBlobReader::tensor(uint64_t metadataOffset, DType dtype, const Shape& shape) const {
    const BlobInfo b = info(metadataOffset);
    if (b.dtype != dtype)
        fail("blob holds " + dtypeName(b.dtype) + " data but the model declares " + dtypeName(dtype), metadataOffset + 4);
    for (int64_t d : shape)
        if (d < 0) fail("a weight must have a fixed shape, not " + shapeToString(shape), metadataOffset);
    const int64_t n = shapeNumel(shape);
    if (b.elementCount() != n || b.sizeInBytes != packedByteSize(dtype, n))
        fail("blob holds " + std::to_string(b.elementCount()) + " elements but the model declares " +
                 dtypeName(dtype) + " " + shapeToString(shape) + " (" + std::to_string(n) + ")",
             metadataOffset + 8);
    return Tensor(dtype, shape, map_, map_.get() + b.dataOffset, static_cast<size_t>(b.sizeInBytes));
}

}  // namespace cms::package
