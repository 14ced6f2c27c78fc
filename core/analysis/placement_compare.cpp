#include "analysis/placement_compare.h"

#include <map>

namespace cms::analysis {

PlanComparison comparePlans(const PlacementPlan& before, const PlacementPlan& after) {
    PlanComparison c;
    std::map<std::string, const OpPlacement*> afterByName;
    for (const OpPlacement& p : after.ops) afterByName[p.opName] = &p;
    std::map<std::string, bool> seen;
    for (const OpPlacement& b : before.ops) {
        const auto it = afterByName.find(b.opName);
        if (it == afterByName.end()) {
            c.onlyBefore.push_back(b.opName);
            continue;
        }
        seen[b.opName] = true;
        ++c.matched;
        const OpPlacement& a = *it->second;
        if (a.device == b.device) continue;
        c.moved.push_back({b.opName, b.opType, b.provenance.empty() ? a.provenance : b.provenance, b.device, a.device,
                           b.reasons, a.reasons, b.seconds, a.seconds});
    }
    for (const OpPlacement& a : after.ops)
        if (!seen.count(a.opName)) c.onlyAfter.push_back(a.opName);
    c.secondsBefore = before.totalSeconds;
    c.secondsAfter = after.totalSeconds;
    for (size_t d = 0; d < kDeviceCount; ++d) {
        c.opsBefore[d] = before.perDevice[d].ops;
        c.opsAfter[d] = after.perDevice[d].ops;
    }
    return c;
}

}  // namespace cms::analysis
