#pragma once
// Before/after comparison of two placement plans (fp32 vs fp16, flexible vs enumerated shapes, compressed
// vs not): which ops moved device and why. Ops are matched by MIL op name. An ESTIMATE, like the plans.
#include <optional>
#include <string>
#include <vector>

#include "analysis/placement.h"

namespace cms::analysis {

struct OpMove {
    std::string opName;
    std::string opType;
    ir::Provenance provenance;
    Device before = Device::Cpu;
    Device after = Device::Cpu;
    std::vector<PlacementReason> reasonsBefore;  // why it was off the NE before (empty: it was on the NE)
    std::vector<PlacementReason> reasonsAfter;
    double secondsBefore = 0;
    double secondsAfter = 0;
};

struct PlanComparison {
    std::vector<OpMove> moved;            // program order of the first plan
    std::vector<std::string> onlyBefore;  // op names only the first plan has
    std::vector<std::string> onlyAfter;
    size_t matched = 0;
    double secondsBefore = 0;
    double secondsAfter = 0;
    std::array<size_t, kDeviceCount> opsBefore{};
    std::array<size_t, kDeviceCount> opsAfter{};
};

PlanComparison comparePlans(const PlacementPlan& before, const PlacementPlan& after);

}  // namespace cms::analysis
