#pragma once
// The per-op cost model behind the placement estimate: FLOPs, bytes of weights and activations moved,
// arithmetic intensity, and a roofline time on each device of a chip profile (resources/placement/chips.yaml).
// Every time here is an ESTIMATE from peak figures; real kernels reach a fraction of them.
#include <array>
#include <string>
#include <vector>

#include "mil/program.h"

namespace cms::analysis {

enum class Device { NeuralEngine = 0, Gpu = 1, Cpu = 2 };
constexpr size_t kDeviceCount = 3;
std::string deviceName(Device d);  // "Neural Engine", "GPU", "CPU"
std::string deviceCode(Device d);  // "ne", "gpu", "cpu" (JSON)

// One device's peaks. flopsPerSecond is for the precision the device computes in (the Neural Engine: fp16).
struct DevicePeak {
    double flopsPerSecondFp16 = 0;
    double flopsPerSecondFp32 = 0;
    double bytesPerSecond = 0;
};

struct ChipProfile {
    std::string id;                              // "M2-Ultra"
    std::string name;                            // "Apple M2 Ultra (76-core GPU)"
    std::string source;                          // where the figures come from
    double memoryBandwidth = 0;                  // bytes/s
    double neQuotedOps = 0;                      // Apple's quoted NE operations/s
    double neFp16Scale = 1.0;                    // share of the quoted figure available to fp16
    std::array<DevicePeak, kDeviceCount> peaks;  // by Device
    // The share of memoryBandwidth that LLM decoding reaches (decode_estimate.h), and where it comes from.
    double decodeBandwidthShare = 1.0;
    std::string decodeSource;
    const DevicePeak& peak(Device d) const { return peaks[static_cast<size_t>(d)]; }
};

class ChipLibrary {
public:
    static const ChipLibrary& shipped();  // resources/placement/chips.yaml; throws cms::Error when missing
    static ChipLibrary load(const std::string& path);
    // Case-insensitive; "m2ultra", "M2-Ultra" and "m2_ultra" all match. Throws cms::Error(Settings) listing the ids.
    const ChipProfile& find(const std::string& id) const;
    const std::vector<ChipProfile>& chips() const { return chips_; }

private:
    std::vector<ChipProfile> chips_;
};

// What one op costs, independent of where it runs (bytes are at the op's own element types) plus the
// roofline time on each device of one chip.
struct OpCost {
    double flops = 0;
    double weightBytes = 0;      // float constant inputs as stored (compressed weights at their packed size);
                                 // integer, boolean and string constants are attributes and move nothing
    double activationBytes = 0;  // non-constant inputs read plus outputs written, at the program's types
    bool shapesKnown = true;     // false: some dimension is only known at run time (counted as 1)
    double intensity() const;    // FLOPs per byte moved (0 when nothing moves)
    // Roofline time: max(compute, memory) per device, in seconds. On the Neural Engine activations and
    // fp32 weights move as fp16.
    std::array<double, kDeviceCount> seconds{};
    double secondsOn(Device d) const { return seconds[static_cast<size_t>(d)]; }
};

// FLOPs and bytes of `op` (a non-const op of a program), then its roofline times on `chip`.
OpCost estimateOpCost(const mil::Operation& op, const ChipProfile& chip);

// The roofline alone, for tests and the report: max(flops / peak, bytes / bandwidth).
double rooflineSeconds(double flops, double bytes, double flopsPerSecond, double bytesPerSecond);

// Bytes a constant (or a load-time decompressed weight) takes as stored in the package.
double storedWeightBytes(const mil::Value& v);

}  // namespace cms::analysis
