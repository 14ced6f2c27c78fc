#pragma once
// A structure-aware mutation of a JSON document for the fuzz_keras_* mutators: one value replaced by an awkward one
// (huge, negative, fractional, the wrong type) or by a copy of another part of the document, or one element
// dropped, so Keras configs with odd sizes, types and references get through JSON parsing to the layer code.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cms::fuzz {

namespace json_mutation_detail {
using nlohmann::json;

// Every value in the document, parents before children, down to a depth the walk stays safe at.
inline void collect(json& v, std::vector<json*>& out, int depth) {
    out.push_back(&v);
    if (depth >= 64 || !v.is_structured()) return;
    for (auto& item : v) collect(item, out, depth + 1);
}

inline json awkwardValue(std::minstd_rand& rng) {
    static const json values[] = {0, 1, 2, -1, 3, 7, 65536, 2147483648LL, INT64_MAX, INT64_MIN, 1e300, -0.5, 2.5,
                                  nullptr, true, false, "", "relu", "same", "valid", "channels_first", "float16",
                                  "int32", json::array(), json::object(), json::array({1, 1}), json::array({0, -1}),
                                  json::array({nullptr, 4, 4, 3}), json::array({1, 100000, 100000, 100000})};
    return values[rng() % (sizeof values / sizeof values[0])];
}
}  // namespace json_mutation_detail

// The document with one change, written compactly; empty when `text` is not JSON.
inline std::string mutateJson(const std::string& text, std::minstd_rand& rng) {
    using namespace json_mutation_detail;
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return {};
    std::vector<json*> nodes;
    collect(doc, nodes, 0);
    json& target = *nodes[rng() % nodes.size()];
    switch (rng() % 4) {
        case 0:
        case 1: target = awkwardValue(rng); break;
        case 2: target = json(*nodes[rng() % nodes.size()]); break;  // a copy: the source may be the target's parent
        default:
            if (target.is_array() && !target.empty())
                target.erase(target.begin() + static_cast<std::ptrdiff_t>(rng() % target.size()));
            else if (target.is_object() && !target.empty())
                target.erase(std::next(target.begin(), static_cast<std::ptrdiff_t>(rng() % target.size())));
            else
                target = awkwardValue(rng);
    }
    return doc.dump();
}

}  // namespace cms::fuzz
