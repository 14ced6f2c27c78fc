#pragma once
// Core ML's weight file (weight.bin), blob storage format version 2:
//   [64-byte file header: uint32 count, uint32 version = 2, reserved zeros]
//   then per blob, each record starting on a 64-byte boundary:
//   [64-byte metadata: uint32 sentinel 0xDEADBEEF, uint32 dtype code, uint64 sizeInBytes, uint64 data offset,
//    uint64 padding bits (sub-byte types), 4 x uint64 reserved zeros] [data, immediately after its metadata]
// A program refers to a blob by the file offset of its metadata record. All integers are little-endian.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"

namespace cms::package {

constexpr uint64_t kBlobAlignment = 64;
constexpr uint32_t kBlobSentinel = 0xDEADBEEFu;
constexpr uint32_t kBlobStorageVersion = 2;
constexpr size_t kBlobHeaderSize = 64;
constexpr size_t kBlobMetadataSize = 64;

// The blob format's own dtype codes (not MIL's DataType codes). nullopt: the dtype cannot be stored.
std::optional<uint32_t> blobDTypeCode(DType dtype);
std::optional<DType> dtypeFromBlobCode(uint32_t code);

struct BlobInfo {
    uint64_t metadataOffset = 0;
    DType dtype = DType::Invalid;
    uint64_t dataOffset = 0;
    uint64_t sizeInBytes = 0;
    uint64_t paddingBits = 0;  // unused bits at the end of a sub-byte blob
    int64_t elementCount() const;
};

// Appends tensors to a new weight file, one write per blob straight from the tensor's storage, so the
// file is never assembled in memory. finish() writes the final count and fsyncs; a writer destroyed
// without finish() leaves an incomplete file that the caller is expected to delete.
class WeightBlobWriter {
public:
    explicit WeightBlobWriter(std::string path);
    ~WeightBlobWriter();
    WeightBlobWriter(const WeightBlobWriter&) = delete;
    WeightBlobWriter& operator=(const WeightBlobWriter&) = delete;

    // Returns the offset of the blob's metadata record (what a BlobFileValue stores).
    uint64_t append(const Tensor& tensor);
    void finish();

    uint32_t count() const { return count_; }
    uint64_t size() const { return end_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    int fd_ = -1;
    uint64_t end_ = 0;
    uint32_t count_ = 0;
};

// Maps a weight file read-only and hands out tensors that borrow the mapping, so weights are paged in
// only when used. Every record is validated before use; errors are cms::Error (Package) naming the file
// and the offset.
class WeightBlobReader {
public:
    explicit WeightBlobReader(std::string path);

    const std::string& path() const { return path_; }
    uint64_t fileSize() const { return size_; }
    uint32_t count() const { return count_; }

    BlobInfo info(uint64_t metadataOffset) const;
    // Every blob, walking the records from the header as Core ML does.
    std::vector<BlobInfo> blobs() const;
    // The blob at `metadataOffset` as a tensor of `dtype` and `shape`; both must match the record.
    Tensor tensor(uint64_t metadataOffset, DType dtype, const Shape& shape) const;

private:
    [[noreturn]] void fail(const std::string& what, uint64_t offset, const std::string& hint = {}) const;

    std::string path_;
    std::shared_ptr<const uint8_t> map_;
    uint64_t size_ = 0;
    uint32_t count_ = 0;
};

}  // namespace cms::package
