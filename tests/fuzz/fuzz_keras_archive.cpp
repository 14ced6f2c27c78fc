// A Keras 3 .keras archive through importKeras: the zip (libzip), config.json and metadata.json, the embedded
// model.weights.h5 (libhdf5, in memory) and every layer the config names, to the IR graph. Whatever the bytes, a
// graph whose nodes read only values that exist, or a clean error naming the file.
//
// Byte mutations of a whole archive mostly break its CRCs, which the zip reader refuses at once, so the mutator
// below usually changes one entry and writes the archive again with correct checksums (seeds are stored zips:
// make_keras_seeds.sh). config.json gets structure-aware changes half the time (json_mutation.h).
//
// model.weights.h5 keeps a seed's bytes: libhdf5 1.10.8 crashes on some damaged files (a SEGV in H5F__accum_read,
// docs/reliability.md), which no check of ours can rule out beforehand, so damaging it would fail every run on the
// library instead of testing our code. CMS_FUZZ_DAMAGE_HDF5=1 mutates it too, to hunt for such library crashes.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <random>
#include <vector>

#include "json_mutation.h"
#include "keras_fuzz_support.h"
#include "stored_zip.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

namespace {
bool damageHdf5() {
    static const bool on = [] {
        const char* v = std::getenv("CMS_FUZZ_DAMAGE_HDF5");
        return v && std::strcmp(v, "1") == 0;
    }();
    return on;
}
}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize, unsigned int seed) {
    std::minstd_rand rng(seed);
    auto entries = cms::fuzz::readStoredZip(data, size);
    // One mutation in eight stays byte-level on the whole archive (damaged zips; CRCs then keep damaged entry bytes
    // from being read).
    if (!entries || rng() % 8 == 0) return LLVMFuzzerMutate(data, size, maxSize);
    std::vector<cms::fuzz::ZipEntry*> mutable_;
    for (auto& e : *entries)
        if (e.name != "model.weights.h5" || damageHdf5()) mutable_.push_back(&e);
    if (entries->size() > 1 && rng() % 32 == 0) {
        entries->erase(entries->begin() + static_cast<std::ptrdiff_t>(rng() % entries->size()));
    } else if (!mutable_.empty()) {
        cms::fuzz::ZipEntry* entry = mutable_[rng() % mutable_.size()];
        const auto config = std::find_if(mutable_.begin(), mutable_.end(),
                                         [](const auto* e) { return e->name == "config.json"; });
        if (config != mutable_.end() && rng() % 4 != 0) entry = *config;
        size_t others = cms::fuzz::storedZipOverhead(*entries);
        for (const auto& e : *entries) others += e.data.size();
        others -= entry->data.size();
        if (others >= maxSize) return LLVMFuzzerMutate(data, size, maxSize);
        const size_t room = maxSize - others;
        std::vector<uint8_t>& bytes = entry->data;
        const bool isJson = entry->name.size() > 5 && entry->name.compare(entry->name.size() - 5, 5, ".json") == 0;
        const std::string changed =
            isJson && rng() % 2 == 0 ? cms::fuzz::mutateJson(std::string(bytes.begin(), bytes.end()), rng) : "";
        if (!changed.empty() && changed.size() <= room) {
            bytes.assign(changed.begin(), changed.end());
        } else {
            if (bytes.size() > room) bytes.resize(room);
            const size_t used = bytes.size();
            bytes.resize(room);
            bytes.resize(LLVMFuzzerMutate(bytes.data(), used, room));
        }
    }
    const std::vector<uint8_t> zip = cms::fuzz::writeStoredZip(*entries);
    if (zip.size() > maxSize) return LLVMFuzzerMutate(data, size, maxSize);
    std::memcpy(data, zip.data(), zip.size());
    return zip.size();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    cms::fuzz::importKerasInput(data, size, ".keras");
    return 0;
}
