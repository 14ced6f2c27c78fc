#include "analysis/decode_estimate.h"

#include <set>

namespace cms::analysis {

namespace {

bool isWeightValue(const mil::Value* v) {
    if (v->isConst()) return isFloat(v->type.dtype);
    return v->producer && v->producer->type.rfind("constexpr_", 0) == 0;
}

// Ops that read a few rows of their table input ("x") rather than all of it.
bool isRowLookup(const mil::Operation& op) { return op.type == "gather" || op.type == "gather_along_axis"; }

int64_t lookupAxis(const mil::Operation& op) {
    const mil::Value* a = op.input("axis");
    return a && a->isConst() ? a->constValue->scalarAsInt() : 0;
}

void collect(const mil::Block& block, std::set<const mil::Value*>& fullyRead, std::set<const mil::Value*>& rowRead,
             std::vector<std::pair<const mil::Value*, int64_t>>& lookups) {
    for (const auto& op : block.ops) {
        if (op->type == "const" || op->type.rfind("constexpr_", 0) == 0) continue;
        for (const mil::OpInput& in : op->inputs)
            for (const mil::Value* v : in.values) {
                if (!isWeightValue(v)) continue;
                if (isRowLookup(*op) && in.name == "x") {
                    if (rowRead.insert(v).second) lookups.emplace_back(v, lookupAxis(*op));
                } else {
                    fullyRead.insert(v);
                }
            }
        for (const auto& sub : op->blocks) collect(*sub, fullyRead, rowRead, lookups);
    }
}

}  // namespace

DecodeTraffic decodeTrafficOf(const mil::Program& program) {
    DecodeTraffic t;
    const mil::Function& main = program.main();
    std::set<const mil::Value*> fullyRead, rowRead;
    std::vector<std::pair<const mil::Value*, int64_t>> lookups;
    collect(main.body, fullyRead, rowRead, lookups);
    for (const mil::Value* w : fullyRead) t.weightBytes += storedWeightBytes(*w);
    // A table that is also read whole (an embedding tied to the output projection) is already counted.
    for (const auto& [w, axis] : lookups) {
        if (fullyRead.count(w)) continue;
        const mil::TensorType& type = w->type;
        int64_t a = axis < 0 ? axis + type.rank() : axis;
        const int64_t rows = a >= 0 && a < type.rank() && type.shape[static_cast<size_t>(a)] > 0
                                 ? type.shape[static_cast<size_t>(a)]
                                 : 1;
        t.weightBytes += storedWeightBytes(*w) / static_cast<double>(rows);
    }
    for (const mil::Value* in : main.inputs) {
        if (!in->type.state) continue;
        double elements = 1;
        for (int64_t d : in->type.shape) elements *= d > 0 ? static_cast<double>(d) : 1.0;
        t.stateBytes += elements * dtypeBits(in->type.dtype) / 8.0;
    }
    return t;
}

DecodeEstimate estimateDecode(const DecodeTraffic& traffic, const ChipProfile& chip) {
    DecodeEstimate e;
    e.chipId = chip.id;
    e.chipName = chip.name;
    e.bytesPerToken = traffic.bytesPerToken();
    e.bandwidth = chip.memoryBandwidth;
    e.bandwidthShare = chip.decodeBandwidthShare;
    e.source = chip.decodeSource;
    if (e.bytesPerToken > 0) {
        e.boundTokensPerSecond = e.bandwidth / e.bytesPerToken;
        e.tokensPerSecond = e.boundTokensPerSecond * e.bandwidthShare;
    }
    return e;
}

std::vector<DecodeEstimate> estimateDecodeOnEveryChip(const DecodeTraffic& traffic, const ChipLibrary& chips) {
    std::vector<DecodeEstimate> out;
    for (const ChipProfile& c : chips.chips()) out.push_back(estimateDecode(traffic, c));
    return out;
}

}  // namespace cms::analysis
