// weight.bin: the header, every blob record walked from the header, and records at offsets a model could name.
#include <cstring>
#include <string>

#include "common/error.h"
#include "fuzz_support.h"
#include "package/weight_blob.h"

using namespace cms;
using namespace cms::package;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string& path = fuzz::writeScratchFile(data, size, ".bin");
    fuzz::expectCleanResult([&] {
        const WeightBlobReader reader(path);
        uint64_t checksum = 0;
        auto touch = [&](const Tensor& t) {  // every byte a tensor claims must be readable
            for (size_t i = 0; i < t.nbytes(); ++i) checksum += t.bytes()[i];
        };
        for (const BlobInfo& b : reader.blobs()) touch(reader.tensor(b.metadataOffset, b.dtype, {b.elementCount()}));
        // Offsets a (hostile) model file could refer to: each 64-byte boundary, with the dtype found there.
        for (uint64_t at = 0; at < reader.fileSize() && at < 64 * 64; at += 64) {
            try {
                const BlobInfo b = reader.info(at);
                touch(reader.tensor(at, b.dtype, {b.elementCount()}));
                touch(reader.tensor(at, b.dtype, {b.elementCount(), 1}));
            } catch (const Error& e) {
                if (e.file() != path) __builtin_trap();
            }
        }
        (void)checksum;
    });
    return 0;
}
