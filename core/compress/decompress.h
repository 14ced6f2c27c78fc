#pragma once
// Decoding compressed weights back to dense values without the interpreter: every constexpr op
// (iOS16 and iOS18 forms, including the sparse-to-sparse ops of joint compression) evaluated from
// Core ML's definitions, chains included. decompressProgram turns a compressed program back into
// plain constants, like coremltools' decompress_weights.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "mil/program.h"

namespace cms::compress {

// The outputs of one constexpr op given its inputs (`input(name)` returns null for an absent
// optional input). nullopt for op forms not decoded here (vector look-up tables) or inputs that
// do not fit together.
using InputLookup = std::function<const Tensor*(const std::string&)>;
std::optional<std::vector<Tensor>> evaluateConstexpr(const mil::Operation& op, const InputLookup& input);

// One value decoded through the constexpr chain producing it (a constant is returned as it is);
// nullopt when a link cannot be decoded. Holds only that chain's values, so listing a large model
// decodes one weight at a time.
std::optional<Tensor> decodeValue(const mil::Value* value);

// Every constexpr op of the main function evaluated in program order (chains read the outputs of
// earlier constexpr ops). Values that cannot be decoded are missing from the map.
std::map<const mil::Value*, Tensor> decodeConstexprValues(const mil::Program& program);

struct DecompressSummary {
    size_t weights = 0;         // compressed weights turned back into constants
    size_t constexprOps = 0;    // constexpr ops removed
};

// Replaces every constexpr chain read by ordinary ops with a const of its decoded value (keeping
// the weight's name) and removes the chain. Throws cms::Error (Unsupported) naming an op it cannot
// decode.
DecompressSummary decompressProgram(mil::Program& program);

}  // namespace cms::compress
