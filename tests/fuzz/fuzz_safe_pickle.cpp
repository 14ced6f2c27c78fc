// The pickle reader of the archive outline (data.pkl, constants.pkl, *.debug_pkl): whatever the bytes, a value
// tree that can be walked, or a clean error; never a global resolved or anything run.
#include <unordered_set>

#include "frontends/torchscript/safe_pickle.h"
#include "fuzz_support.h"

namespace {
// Visits every value once as the outline does (attribute look-ups, class names); values shared through the memo
// are visited once, and the depth bound keeps the recursion finite.
size_t walk(const cms::frontends::pickle::Value& v, int depth, std::unordered_set<const void*>& seen) {
    if (depth > cms::frontends::pickle::kMaxDepth + 1) __builtin_trap();
    if (!seen.insert(&v).second) return 0;
    size_t n = v.globalName().size() + (v.find("training") != nullptr);
    for (const auto& item : v.items) n += walk(*item, depth + 1, seen);
    return n;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    cms::fuzz::expectCleanResult([&] {
        std::unordered_set<const void*> seen;
        walk(*cms::frontends::pickle::parse(bytes, "data.pkl"), 1, seen);
    });
    return 0;
}
