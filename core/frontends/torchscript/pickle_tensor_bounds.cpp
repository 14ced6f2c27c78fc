#include "frontends/torchscript/pickle_tensor_bounds.h"

#include <map>
#include <unordered_set>
#include <vector>

namespace cms::frontends {

namespace {
namespace pk = pickle;

std::optional<uint64_t> elementBytes(const std::string& storageType) {
    static const std::map<std::string, uint64_t> kBytes = {
        {"torch DoubleStorage", 8}, {"torch FloatStorage", 4},   {"torch HalfStorage", 2},
        {"torch BFloat16Storage", 2}, {"torch LongStorage", 8},  {"torch IntStorage", 4},
        {"torch ShortStorage", 2},  {"torch CharStorage", 1},    {"torch ByteStorage", 1},
        {"torch BoolStorage", 1},   {"torch ComplexFloatStorage", 8}, {"torch ComplexDoubleStorage", 16},
        {"torch QInt8Storage", 1},  {"torch QUInt8Storage", 1},  {"torch QInt32Storage", 4},
        {"torch QUInt4x2Storage", 1}, {"torch QUInt2x4Storage", 1}};
    const auto it = kBytes.find(storageType);
    if (it == kBytes.end()) return std::nullopt;
    return it->second;
}

// One _rebuild_* call over a persistent storage record; nullopt when it lies inside, else why not.
std::optional<std::string> checkRebuild(
    const pk::Value& call, const std::function<std::optional<uint64_t>(const std::string&)>& recordBytes) {
    if (call.items.size() < 2 || !call.items[1]->is(pk::Kind::Tuple)) return std::nullopt;
    const auto& args = call.items[1]->items;
    if (args.size() < 4 || !args[0]->is(pk::Kind::PersistentId) || args[0]->items.empty()) return std::nullopt;
    const pk::Value& id = *args[0]->items[0];
    if (!id.is(pk::Kind::Tuple) || id.items.size() < 3 || !id.items[2]->is(pk::Kind::String)) return std::nullopt;
    const auto bytesPerElement = elementBytes(id.items[1]->globalName());
    const std::string& key = id.items[2]->text;
    const auto available = recordBytes(key);
    if (!bytesPerElement || !available) return std::nullopt;
    const std::string what = "a tensor over storage " + key;
    if (!args[1]->is(pk::Kind::Int) || !args[2]->is(pk::Kind::Tuple) || !args[3]->is(pk::Kind::Tuple) ||
        args[2]->items.size() != args[3]->items.size())
        return what + " with an offset, sizes or strides of the wrong form";
    if (args[1]->integer < 0) return what + " at a negative offset";
    // The last element's index: offset + sum((size - 1) * stride), in 128 bits so no figure can wrap.
    unsigned __int128 last = static_cast<uint64_t>(args[1]->integer);
    for (size_t i = 0; i < args[2]->items.size(); ++i) {
        const pk::Value& size = *args[2]->items[i];
        const pk::Value& stride = *args[3]->items[i];
        if (!size.is(pk::Kind::Int) || !stride.is(pk::Kind::Int))
            return what + " with sizes or strides that are not integers";
        if (size.integer < 0 || stride.integer < 0) return what + " with a negative size or stride";
        if (size.integer == 0) return std::nullopt;  // no elements: nothing is read
        last += static_cast<unsigned __int128>(size.integer - 1) * static_cast<uint64_t>(stride.integer);
        if (last > (static_cast<unsigned __int128>(1) << 80)) return what + " of impossible extent";
    }
    if ((last + 1) * *bytesPerElement > *available)
        return what + " reaching past the " + std::to_string(*available) + " bytes of its record";
    return std::nullopt;
}
}  // namespace

std::optional<std::string> tensorOutsideItsStorage(
    const pk::Value& root, const std::function<std::optional<uint64_t>(const std::string& key)>& recordBytes) {
    // Values shared through the pickle's memo are checked once; depth is bounded by the reader.
    std::unordered_set<const pk::Value*> seen;
    std::vector<const pk::Value*> pending = {&root};
    while (!pending.empty()) {
        const pk::Value* v = pending.back();
        pending.pop_back();
        if (!seen.insert(v).second) continue;
        if (v->is(pk::Kind::Call) && v->globalName().rfind("torch._utils _rebuild_", 0) == 0)
            if (auto why = checkRebuild(*v, recordBytes)) return why;
        for (const auto& item : v->items) pending.push_back(item.get());
    }
    return std::nullopt;
}

}  // namespace cms::frontends
