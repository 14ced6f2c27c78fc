#pragma once
// Where Core ML is likely to run each MIL op of a package: a rule engine over the ML Program, driven by
// resources/placement/ne-rules.yaml, with the roofline cost model of cost_model.h. It answers, per op, the
// device (Neural Engine, GPU, CPU) for a compute-units setting and a chip, and EVERY reason the op is kept
// off the Neural Engine. This is an ESTIMATE: on a Mac, Xcode's performance report and MLComputePlan give
// the real placement; Apple publishes neither the Neural Engine's op support nor Core ML's policy.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "analysis/cost_model.h"
#include "ir/provenance.h"
#include "mil/program.h"
#include "settings/conversion_settings.h"

namespace cms::package {
struct PackageContents;
}

namespace cms::analysis {

// Shown wherever a plan is shown (CLI table, JSON, GUI).
extern const char* const kPlacementEstimateNote;

enum class ReasonCode {
    UnitsExcludeNe,             // the compute units leave the Neural Engine out
    UnitsExcludeGpu,            // ... and the GPU, so the fallback is the CPU
    Fp32Precision,              // the op computes in fp32
    NonFloatData,               // integer or boolean tensors
    RangeShape,                 // depends on an input with a range-shaped dimension
    UnknownDimension,           // has a dimension only known at run time
    EnumeratedShapesOverLimit,  // depends on an input with more enumerated shapes than the NE limit
    DilatedConv,                // a convolution with dilation > 1
    OpNotOnNe,                  // the op type is not known to run on the NE
    AttributeNotOnNe,           // an attribute value the NE does not support (attributeRules)
    RankAboveLimit,             // a tensor of rank above the NE limit
    DimensionAboveLimit,        // a dimension past the NE limit
    CompositePartOffNe,         // another MIL op from the same source op cannot run on the NE
    CustomOp,                   // a custom layer
    IsolatedRun,                // a short NE run between other devices: the switch costs more than it saves
    GpuNotSupported,            // Core ML runs this op type on the CPU even when the GPU is allowed
    CheaperOnCpu,               // between NE ops, handing to the CPU is cheaper than to the GPU
};
std::string reasonCodeName(ReasonCode c);  // "fp32_precision" (the data file's key, also in JSON)

struct PlacementReason {
    ReasonCode code;
    std::string text;    // filled in for this op: "is a dilated convolution (dilations [2, 2]) ..."
    std::string source;  // where the rule comes from (the data file's note)
};

// One placed op: a plain struct for the CLI, JSON and the GUI's heatmaps, keyed by MIL op name.
struct OpPlacement {
    std::string opName;                    // the MIL op's name (package and graph view key)
    std::string opType;                    // "conv"
    ir::Provenance provenance;             // the source node, where the package records it
    Device device = Device::Cpu;           // the estimated device
    bool neCapable = false;                // the op itself could run on the NE (before units and switching)
    std::vector<PlacementReason> reasons;  // every reason it is off the NE (and off the GPU); empty on the NE
    OpCost cost;
    double seconds = 0;  // estimated time on `device`
    bool hasReason(ReasonCode c) const;
};

struct DeviceShare {
    size_t ops = 0;
    double flops = 0;
    double seconds = 0;
};

struct PlacementPlan {
    std::string chipId;
    std::string chipName;
    ComputeUnits units = ComputeUnits::All;
    std::vector<OpPlacement> ops;  // program order (nested blocks after their op); constants and load-time ops left out
    std::array<DeviceShare, kDeviceCount> perDevice{};
    size_t switches = 0;  // hand-overs of a tensor from one device to another
    double switchSeconds = 0;
    double totalSeconds = 0;  // ops plus switches
    double totalFlops = 0;
    double weightBytes = 0;

    std::map<std::string, size_t> indexByName;  // MIL op name -> position in `ops`

    const OpPlacement* find(const std::string& opName) const;
    const DeviceShare& share(Device d) const { return perDevice[static_cast<size_t>(d)]; }
    double flopFraction(Device d) const;
    double opFraction(Device d) const;
    // The ops by estimated time, longest first.
    std::vector<const OpPlacement*> topByTime(size_t n) const;
};

// How flexible each model input is: read from the package (the model description's shapeRange and
// enumeratedShapes; unexplained unknown dimensions in the program count as a range) or from conversion
// settings, so range-shaped inputs keep their ops off the NE.
struct InputFlexibility {
    std::string input;
    bool rangeShaped = false;
    size_t enumeratedShapes = 0;
};
std::vector<InputFlexibility> inputFlexibility(const package::PackageContents& package);
std::vector<InputFlexibility> inputFlexibility(const std::vector<InputSpec>& inputs);

// A flexible package's program has run-time dimensions, which the cost model can only count as 1. For the cost
// figures, this sets each flexible input to its default shape (the description's) and infers the op types again;
// ops whose inference fails or still leaves a dimension open keep their types. Returns how many ops of the main
// function still have run-time dimensions.
size_t specializeToDefaultShapes(package::PackageContents& package);

// The rules data file.
class PlacementRules {
public:
    static const PlacementRules& shipped();  // resources/placement/ne-rules.yaml; throws cms::Error when missing
    static PlacementRules load(const std::string& path);

    struct Reason {
        std::string text;
        std::string source;
    };
    struct AttributeRule {
        std::vector<std::string> ops;
        std::string input;
        double anyAbove = 0;
        ReasonCode reason = ReasonCode::AttributeNotOnNe;
    };

    int64_t maxRank = 4;
    int64_t maxDimension = 16384;
    size_t maxEnumeratedShapes = 128;
    std::map<ReasonCode, Reason> reasons;
    std::vector<std::string> neOps;
    std::map<std::string, std::string> neNotes;
    std::vector<AttributeRule> attributeRules;
    std::vector<std::string> gpuUnsupported;
    std::string gpuUnsupportedNote;
    std::string gpuUnsupportedSource;
    bool nonFloatOnCpu = true;
    std::vector<std::string> ioConversionOps;  // casts of model inputs/outputs: placed with their neighbours
    std::vector<std::string> loadTimeOps;
    std::vector<std::string> loadTimePrefixes;
    // Seconds to hand tensors between two devices (symmetric; 0 for the same device).
    double switchSeconds(Device a, Device b) const;
    std::array<double, 3> switchCost{};  // ne_gpu, ne_cpu, gpu_cpu
    std::string switchSource;

    bool isLoadTime(const std::string& opType) const;
    const Reason& reason(ReasonCode c) const;
};

struct PlacementOptions {
    ComputeUnits units = ComputeUnits::All;
    std::vector<InputFlexibility> inputs;  // flexible inputs; fixed ones may be left out
};

// Places every op of the program's main function.
PlacementPlan planPlacement(const mil::Program& program, const ChipProfile& chip, const PlacementOptions& options,
                            const PlacementRules& rules = PlacementRules::shipped());

}  // namespace cms::analysis
