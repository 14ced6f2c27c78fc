#include "analysis/placement_json.h"

#include <nlohmann/json.hpp>

namespace cms::analysis {

namespace {

using nlohmann::json;

json reasonsJson(const std::vector<PlacementReason>& reasons) {
    json out = json::array();
    for (const PlacementReason& r : reasons)
        out.push_back({{"code", reasonCodeName(r.code)}, {"text", r.text}, {"source", r.source}});
    return out;
}

json provenanceJson(const ir::Provenance& p) {
    json out = json::object();
    if (!p.modulePath.empty()) out["module"] = p.modulePath;
    if (!p.sourceOp.empty()) out["sourceOp"] = p.sourceOp;
    if (!p.file.empty()) out["file"] = p.file;
    if (p.line > 0) out["line"] = p.line;
    if (p.sourceNode >= 0) out["sourceNode"] = p.sourceNode;
    return out;
}

json summaryJson(const PlacementPlan& plan) {
    json devices = json::object();
    for (size_t d = 0; d < kDeviceCount; ++d) {
        const Device dev = static_cast<Device>(d);
        devices[deviceCode(dev)] = {{"ops", plan.share(dev).ops},
                                    {"opFraction", plan.opFraction(dev)},
                                    {"flops", plan.share(dev).flops},
                                    {"flopFraction", plan.flopFraction(dev)},
                                    {"seconds", plan.share(dev).seconds}};
    }
    return {{"chip", plan.chipId},
            {"chipName", plan.chipName},
            {"computeUnits", computeUnitsName(plan.units)},
            {"ops", plan.ops.size()},
            {"totalFlops", plan.totalFlops},
            {"weightBytes", plan.weightBytes},
            {"estimatedSeconds", plan.totalSeconds},
            {"switches", plan.switches},
            {"switchSeconds", plan.switchSeconds},
            {"devices", devices}};
}

}  // namespace

std::string placementPlanToJson(const PlacementPlan& plan, const std::string& packagePath,
                                const std::vector<DecodeEstimate>& decode) {
    json ops = json::array();
    for (const OpPlacement& p : plan.ops) {
        json seconds = json::object();
        for (size_t d = 0; d < kDeviceCount; ++d) seconds[deviceCode(static_cast<Device>(d))] = p.cost.seconds[d];
        ops.push_back({{"name", p.opName},
                       {"type", p.opType},
                       {"device", deviceCode(p.device)},
                       {"neCapable", p.neCapable},
                       {"reasons", reasonsJson(p.reasons)},
                       {"flops", p.cost.flops},
                       {"weightBytes", p.cost.weightBytes},
                       {"activationBytes", p.cost.activationBytes},
                       {"intensity", p.cost.intensity()},
                       {"shapesKnown", p.cost.shapesKnown},
                       {"estimatedSeconds", p.seconds},
                       {"secondsByDevice", seconds},
                       {"provenance", provenanceJson(p.provenance)}});
    }
    json doc = {
        {"estimate", kPlacementEstimateNote}, {"package", packagePath}, {"summary", summaryJson(plan)}, {"ops", ops}};
    if (!decode.empty()) {
        json chips = json::array();
        for (const DecodeEstimate& e : decode)
            chips.push_back({{"chip", e.chipId},
                             {"chipName", e.chipName},
                             {"bytesPerToken", e.bytesPerToken},
                             {"bandwidthBytesPerSecond", e.bandwidth},
                             {"bandwidthShare", e.bandwidthShare},
                             {"boundTokensPerSecond", e.boundTokensPerSecond},
                             {"tokensPerSecond", e.tokensPerSecond},
                             {"source", e.source}});
        doc["decode"] = chips;
    }
    return doc.dump(2) + "\n";
}

std::string planComparisonToJson(const PlanComparison& c, const PlacementPlan& before, const PlacementPlan& after,
                                 const std::string& beforePath, const std::string& afterPath) {
    json moved = json::array();
    for (const OpMove& m : c.moved)
        moved.push_back({{"name", m.opName},
                         {"type", m.opType},
                         {"before", deviceCode(m.before)},
                         {"after", deviceCode(m.after)},
                         {"reasonsBefore", reasonsJson(m.reasonsBefore)},
                         {"reasonsAfter", reasonsJson(m.reasonsAfter)},
                         {"secondsBefore", m.secondsBefore},
                         {"secondsAfter", m.secondsAfter},
                         {"provenance", provenanceJson(m.provenance)}});
    json doc = {{"estimate", kPlacementEstimateNote},
                {"before", {{"package", beforePath}, {"summary", summaryJson(before)}}},
                {"after", {{"package", afterPath}, {"summary", summaryJson(after)}}},
                {"matchedOps", c.matched},
                {"moved", moved},
                {"onlyBefore", c.onlyBefore},
                {"onlyAfter", c.onlyAfter}};
    return doc.dump(2) + "\n";
}

}  // namespace cms::analysis
