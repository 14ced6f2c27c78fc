#pragma once
// Tokens per second for autoregressive decoding, per chip profile. One decode step of a large language model
// multiplies a single token's activations by every weight matrix: it does about two FLOPs per weight byte, far
// below what any device computes per byte it reads, so the step takes as long as reading the weights (and the
// KV cache) from memory. The estimate is that read time, at the share of peak memory bandwidth that measured
// decoders reach (chips.yaml's decodeBandwidthShare, with its source). An ESTIMATE, not a measurement.
#include <string>
#include <vector>

#include "analysis/cost_model.h"
#include "mil/program.h"

namespace cms::analysis {

// What one decode step reads from memory.
struct DecodeTraffic {
    double weightBytes = 0;  // every weight as stored (compressed ones at their packed size), each once;
                             // a table only gathered from (an embedding) counts one row per token
    double stateBytes = 0;   // the program's states (KV caches), read in full: Core ML's states have a fixed size
    double bytesPerToken() const { return weightBytes + stateBytes; }
};

// The traffic of one decode step of the program's main function.
DecodeTraffic decodeTrafficOf(const mil::Program& program);

struct DecodeEstimate {
    std::string chipId;
    std::string chipName;
    double bytesPerToken = 0;
    double bandwidth = 0;               // the chip's peak memory bandwidth, bytes/s
    double bandwidthShare = 0;          // the share of it decoding reaches
    double boundTokensPerSecond = 0;    // at peak bandwidth: no decoder exceeds it
    double tokensPerSecond = 0;         // at the reached share: the estimate
    std::string source;                 // where the share comes from
};

DecodeEstimate estimateDecode(const DecodeTraffic& traffic, const ChipProfile& chip);
std::vector<DecodeEstimate> estimateDecodeOnEveryChip(const DecodeTraffic& traffic, const ChipLibrary& chips);

}  // namespace cms::analysis
