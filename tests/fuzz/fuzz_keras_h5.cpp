// A Keras 2 / tf.keras .h5 model through importKeras: libhdf5 opens the file, the model_config attribute is the
// model's JSON, the weights are read per layer from model_weights/<layer>/ by their weight_names. Whatever the
// bytes, a graph whose nodes read only values that exist, or a clean error naming the file.
//
// The mutator changes only the text of the model_config attribute, in place and at its stored length (padded with
// spaces, which JSON ignores), so the HDF5 structure around it stays intact: libhdf5 1.10.8 crashes on some damaged
// files (docs/reliability.md), which no check of ours can rule out beforehand. CMS_FUZZ_DAMAGE_HDF5=1 mutates the
// whole file instead, to hunt for such library crashes.
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "json_mutation.h"
#include "keras_fuzz_support.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

namespace {

// h5py stores a string attribute in a global heap object: an 8-byte little-endian length right before the text.
// The model config is the first such text that starts like a Keras model.
bool configSpan(const uint8_t* data, size_t size, size_t& begin, size_t& length) {
    static const std::string start = "{\"class_name\"";
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const size_t at = bytes.find(start);
    if (at == std::string_view::npos || at < 8) return false;
    uint64_t stored = 0;
    for (int i = 7; i >= 0; --i) stored = (stored << 8) | data[at - 8 + static_cast<size_t>(i)];
    if (stored < start.size() || stored > size - at) return false;
    begin = at;
    length = static_cast<size_t>(stored);
    return true;
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize, unsigned int seed) {
    const char* damage = std::getenv("CMS_FUZZ_DAMAGE_HDF5");
    if (damage && std::strcmp(damage, "1") == 0) return LLVMFuzzerMutate(data, size, maxSize);
    size_t begin = 0, length = 0;
    if (!configSpan(data, size, begin, length)) return size;  // not a seed's descendant: left as it is
    std::minstd_rand rng(seed);
    uint8_t* text = data + begin;
    const std::string changed =
        rng() % 2 == 0 ? cms::fuzz::mutateJson(std::string(reinterpret_cast<char*>(text), length), rng) : "";
    if (!changed.empty() && changed.size() <= length) {
        std::memcpy(text, changed.data(), changed.size());
        std::memset(text + changed.size(), ' ', length - changed.size());
    } else {
        // Byte-level, after the opening that finds the span again next time.
        const size_t keep = 13;
        if (length <= keep) return size;
        const size_t used = LLVMFuzzerMutate(text + keep, length - keep, length - keep);
        std::memset(text + keep + used, ' ', length - keep - used);
    }
    return size;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    cms::fuzz::importKerasInput(data, size, ".h5");
    return 0;
}
