#include "analysis/placement.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>

#include "common/error.h"
#include "common/resource_path.h"
#include "mil/op_registry.h"
#include "package/package.h"

namespace cms::analysis {

const char* const kPlacementEstimateNote =
    "ESTIMATE: where Core ML is likely to run each op, from public notes on the Neural Engine "
    "(resources/placement/ne-rules.yaml) and a roofline over peak figures (resources/placement/chips.yaml). "
    "On a Mac, Xcode's performance report or MLComputePlan shows the real placement.";

namespace {

struct ReasonName {
    ReasonCode code;
    const char* name;
};
constexpr ReasonName kReasonNames[] = {
    {ReasonCode::UnitsExcludeNe, "units_exclude_ne"},
    {ReasonCode::UnitsExcludeGpu, "units_exclude_gpu"},
    {ReasonCode::Fp32Precision, "fp32_precision"},
    {ReasonCode::NonFloatData, "non_float_data"},
    {ReasonCode::RangeShape, "range_shape"},
    {ReasonCode::UnknownDimension, "unknown_dimension"},
    {ReasonCode::EnumeratedShapesOverLimit, "enumerated_shapes_over_limit"},
    {ReasonCode::DilatedConv, "dilated_conv"},
    {ReasonCode::OpNotOnNe, "op_not_on_ne"},
    {ReasonCode::AttributeNotOnNe, "attribute_not_on_ne"},
    {ReasonCode::RankAboveLimit, "rank_above_limit"},
    {ReasonCode::DimensionAboveLimit, "dimension_above_limit"},
    {ReasonCode::CompositePartOffNe, "composite_part_off_ne"},
    {ReasonCode::CustomOp, "custom_op"},
    {ReasonCode::IsolatedRun, "isolated_run"},
    {ReasonCode::GpuNotSupported, "gpu_not_supported"},
    {ReasonCode::CheaperOnCpu, "cheaper_on_cpu"},
};

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values) {
        const std::string token = "{" + key + "}";
        for (size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
            text.replace(at, token.size(), value);
    }
    return text;
}

std::string microseconds(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f us", seconds * 1e6);
    return buf;
}

std::string intList(const std::vector<int64_t>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
    return s + "]";
}

bool contains(const std::vector<std::string>& list, const std::string& s) {
    return std::find(list.begin(), list.end(), s) != list.end();
}

bool isWeight(const mil::Value* v) {
    return v->isConst() || (v->producer && v->producer->type.rfind("constexpr_", 0) == 0);
}

bool allowsNe(ComputeUnits u) { return u == ComputeUnits::All || u == ComputeUnits::CpuAndNeuralEngine; }
bool allowsGpu(ComputeUnits u) { return u == ComputeUnits::All || u == ComputeUnits::CpuAndGpu; }

// Reasons that describe the op itself: when one of them keeps a part of a source op off the NE, the
// other parts of that source op follow (composite_part_off_ne).
bool isIntrinsicOpReason(ReasonCode c) {
    return c == ReasonCode::OpNotOnNe || c == ReasonCode::DilatedConv || c == ReasonCode::AttributeNotOnNe ||
           c == ReasonCode::CustomOp || c == ReasonCode::RankAboveLimit || c == ReasonCode::DimensionAboveLimit;
}

// Which flexible inputs each value depends on (bit i = options.inputs[i]).
using InputMask = uint64_t;

struct Walker {
    const PlacementRules& rules;
    const ChipProfile& chip;
    const PlacementOptions& options;
    const mil::Function* main = nullptr;
    std::map<const mil::Value*, InputMask> depends;
    std::vector<OpPlacement> placed;
    std::vector<bool> gpuCapable;                // by placed index
    std::vector<std::vector<size_t>> producers;  // by placed index: the placed ops whose outputs it reads
    std::vector<std::vector<size_t>> consumers;  // the reverse of producers
    std::map<const mil::Value*, size_t> producerOf;
    std::vector<std::string> groupKey;

    void reason(OpPlacement& p, ReasonCode c, const std::map<std::string, std::string>& values) const {
        const PlacementRules::Reason& r = rules.reason(c);
        p.reasons.push_back({c, fill(r.text, values), r.source});
    }

    InputMask maskOf(const mil::Operation& op) const {
        InputMask m = 0;
        for (const mil::OpInput& in : op.inputs)
            for (const mil::Value* v : in.values)
                if (auto it = depends.find(v); it != depends.end()) m |= it->second;
        return m;
    }

    void neReasons(const mil::Operation& op, InputMask mask, OpPlacement& p) const {
        if (op.type == "custom")
            reason(p, ReasonCode::CustomOp, {});
        else if (!contains(rules.neOps, op.type)) {
            const auto note = rules.neNotes.find(op.type);
            reason(p, ReasonCode::OpNotOnNe,
                   {{"op", op.type}, {"note", note == rules.neNotes.end() ? "" : note->second}});
        }
        for (const PlacementRules::AttributeRule& rule : rules.attributeRules) {
            if (!contains(rule.ops, op.type)) continue;
            const mil::Value* v = op.input(rule.input);
            if (!v || !v->isConst()) continue;
            const std::vector<int64_t> values = v->constValue->toInts();
            if (std::none_of(values.begin(), values.end(), [&](int64_t x) { return x > rule.anyAbove; })) continue;
            if (rule.reason == ReasonCode::DilatedConv)
                reason(p, ReasonCode::DilatedConv, {{"dilations", intList(values)}});
            else
                reason(p, rule.reason,
                       {{"detail", "has " + rule.input + " " + intList(values) +
                                       ", a value the Neural Engine does not support"}});
        }

        // Types and shapes of the tensors the op computes on (weights are converted when the model loads).
        std::vector<const mil::Value*> tensors(op.outputs.begin(), op.outputs.end());
        for (const mil::OpInput& in : op.inputs)
            for (const mil::Value* v : in.values)
                if (!isWeight(v)) tensors.push_back(v);
        for (const mil::Value* v : op.outputs)
            if (v->type.dtype == DType::Float32) {
                reason(p, ReasonCode::Fp32Precision, {{"dtype", v->type.toString()}});
                break;
            }
        for (const mil::Value* v : op.outputs)
            if (!isFloat(v->type.dtype) && v->type.dtype != DType::String) {
                reason(p, ReasonCode::NonFloatData, {{"dtype", dtypeName(v->type.dtype)}});
                break;
            }
        const mil::Value* widest = nullptr;
        const mil::Value* largest = nullptr;
        int64_t largestDim = 0;
        const mil::Value* unknown = nullptr;
        for (const mil::Value* v : tensors) {
            if (v->type.rank() > rules.maxRank && (!widest || v->type.rank() > widest->type.rank())) widest = v;
            for (int64_t d : v->type.shape) {
                if (d == mil::kUnknownDim && !unknown) unknown = v;
                if (d > rules.maxDimension && d > largestDim) {
                    largestDim = d;
                    largest = v;
                }
            }
        }
        if (widest)
            reason(p, ReasonCode::RankAboveLimit,
                   {{"rank", std::to_string(widest->type.rank())}, {"limit", std::to_string(rules.maxRank)}});
        if (largest)
            reason(p, ReasonCode::DimensionAboveLimit,
                   {{"size", std::to_string(largestDim)},
                    {"type", largest->type.toString()},
                    {"limit", std::to_string(rules.maxDimension)}});
        bool enumerated = false;  // unknown dimensions from enumerated inputs are fixed per compiled shape
        for (size_t i = 0; i < options.inputs.size() && i < 64; ++i) {
            if (!(mask & (InputMask(1) << i))) continue;
            const InputFlexibility& in = options.inputs[i];
            if (in.rangeShaped) reason(p, ReasonCode::RangeShape, {{"input", in.input}});
            enumerated = enumerated || in.enumeratedShapes > 0;
            if (in.enumeratedShapes > rules.maxEnumeratedShapes)
                reason(p, ReasonCode::EnumeratedShapesOverLimit,
                       {{"input", in.input},
                        {"count", std::to_string(in.enumeratedShapes)},
                        {"limit", std::to_string(rules.maxEnumeratedShapes)}});
        }
        if (unknown && !enumerated && !p.hasReason(ReasonCode::RangeShape))
            reason(p, ReasonCode::UnknownDimension, {{"type", unknown->type.toString()}});
    }

    bool gpuRuns(const mil::Operation& op) const {
        if (contains(rules.gpuUnsupported, op.type)) return false;
        if (rules.nonFloatOnCpu)
            for (const mil::Value* v : op.outputs)
                if (!isFloat(v->type.dtype)) return false;
        return true;
    }

    static std::string sourceKey(const ir::Provenance& prov) {
        if (prov.sourceNode >= 0) return "#" + std::to_string(prov.sourceNode);
        if (prov.empty()) return {};
        return prov.modulePath + "|" + prov.sourceOp + "|" + prov.file + ":" + std::to_string(prov.line);
    }

    // A cast of a model input or into a model output: the copy in or out of the model (ioConversionOps).
    bool isIoConversion(const mil::Operation& op, const mil::Block& block) const {
        if (!contains(rules.ioConversionOps, op.type) || !main) return false;
        const mil::Value* x = op.input("x");
        const bool ofInput = x && std::find(main->inputs.begin(), main->inputs.end(), x) != main->inputs.end();
        const bool toOutput = &block == &main->body && op.output() && mil::isBlockOutput(block, op.output());
        return ofInput || toOutput;
    }

    void visit(const mil::Block& block) {
        for (const auto& opPtr : block.ops) {
            const mil::Operation& op = *opPtr;
            if (rules.isLoadTime(op.type)) continue;
            const InputMask mask = maskOf(op);
            for (const mil::Value* v : op.outputs) depends[v] = mask;
            OpPlacement p;
            p.opName = op.name;
            p.opType = op.type;
            p.provenance = op.prov;
            p.cost = estimateOpCost(op, chip);
            neReasons(op, mask, p);
            if (isIoConversion(op, block))
                p.reasons.erase(
                    std::remove_if(p.reasons.begin(), p.reasons.end(),
                                   [](const PlacementReason& r) { return r.code == ReasonCode::Fp32Precision; }),
                    p.reasons.end());
            p.neCapable = p.reasons.empty();
            std::set<size_t> from;
            for (const mil::OpInput& in : op.inputs)
                for (const mil::Value* v : in.values)
                    if (auto it = producerOf.find(v); it != producerOf.end()) from.insert(it->second);
            producers.emplace_back(from.begin(), from.end());
            for (const mil::Value* v : op.outputs) producerOf[v] = placed.size();
            placed.push_back(std::move(p));
            gpuCapable.push_back(gpuRuns(op));
            groupKey.push_back(sourceKey(op.prov));
            for (const auto& body : op.blocks) {
                for (const mil::Value* v : body->inputs) depends[v] = mask;
                visit(*body);
            }
        }
    }

    // A source op lowered to several MIL ops stays on one device: parts that could run on the NE follow a
    // part that cannot (for a reason of its own, not one every op of the model shares).
    void keepSourceOpsTogether() {
        std::map<std::string, std::vector<size_t>> groups;
        for (size_t i = 0; i < placed.size(); ++i)
            if (!groupKey[i].empty()) groups[groupKey[i]].push_back(i);
        for (const auto& [key, members] : groups) {
            if (members.size() < 2) continue;
            const OpPlacement* blocker = nullptr;
            // Shape and index arithmetic (integer tensors) runs on the CPU anyway and holds nothing back.
            for (size_t i : members)
                for (const PlacementReason& r : placed[i].reasons)
                    if (!blocker && isIntrinsicOpReason(r.code) && !placed[i].hasReason(ReasonCode::NonFloatData))
                        blocker = &placed[i];
            if (!blocker) continue;
            const std::string partName = blocker->opName, partOp = blocker->opType;
            const std::string source = blocker->provenance.describe();
            for (size_t i : members) {
                if (!placed[i].neCapable) continue;
                reason(placed[i], ReasonCode::CompositePartOffNe,
                       {{"source", source}, {"part", partName}, {"partOp", partOp}});
                placed[i].neCapable = false;
            }
        }
    }

    void assignDevices() {
        const ComputeUnits units = options.units;
        for (size_t i = 0; i < placed.size(); ++i) {
            OpPlacement& p = placed[i];
            if (!allowsNe(units))
                p.reasons.insert(p.reasons.begin(), {ReasonCode::UnitsExcludeNe,
                                                     fill(rules.reason(ReasonCode::UnitsExcludeNe).text,
                                                          {{"units", computeUnitsName(units)}}),
                                                     rules.reason(ReasonCode::UnitsExcludeNe).source});
            if (p.neCapable && allowsNe(units)) {
                p.device = Device::NeuralEngine;
            } else if (allowsGpu(units) && gpuCapable[i]) {
                p.device = Device::Gpu;
            } else {
                p.device = Device::Cpu;
                if (!allowsGpu(units)) {
                    reason(p, ReasonCode::UnitsExcludeGpu, {{"units", computeUnitsName(units)}});
                } else if (contains(rules.gpuUnsupported, p.opType)) {
                    reason(p, ReasonCode::GpuNotSupported, {{"op", p.opType}, {"note", rules.gpuUnsupportedNote}});
                }
            }
        }
    }

    // Ops connected by data on one device: a segment moves as a whole.
    std::vector<std::vector<size_t>> segments() const {
        std::vector<size_t> parent(placed.size());
        for (size_t i = 0; i < parent.size(); ++i) parent[i] = i;
        std::function<size_t(size_t)> root = [&](size_t i) { return parent[i] == i ? i : parent[i] = root(parent[i]); };
        for (size_t v = 0; v < placed.size(); ++v)
            for (size_t u : producers[v])
                if (placed[u].device == placed[v].device) parent[root(u)] = root(v);
        std::map<size_t, std::vector<size_t>> byRoot;
        for (size_t i = 0; i < placed.size(); ++i) byRoot[root(i)].push_back(i);
        std::vector<std::vector<size_t>> out;
        for (auto& [r, members] : byRoot) out.push_back(std::move(members));
        return out;
    }

    // A segment's time on `d` plus its hand-overs to and from neighbouring ops on other devices: one per
    // producer and receiving device (a tensor is handed over once, however many ops read it there).
    double segmentCost(const std::vector<size_t>& seg, const std::vector<bool>& inSeg, Device d) const {
        double s = 0;
        std::set<std::pair<size_t, Device>> transfers;
        for (size_t v : seg) {
            s += placed[v].cost.secondsOn(d);
            for (size_t u : producers[v])
                if (!inSeg[u]) transfers.insert({u, d});
        }
        for (size_t u : seg)
            for (size_t v : consumers[u])
                if (!inSeg[v]) transfers.insert({u, placed[v].device});
        for (const auto& [u, to] : transfers) s += rules.switchSeconds(inSeg[u] ? d : placed[u].device, to);
        return s;
    }

    bool segmentCanUse(const std::vector<size_t>& seg, Device d) const {
        if (d == Device::NeuralEngine) return false;
        if (d == Device::Gpu) {
            if (!allowsGpu(options.units)) return false;
            for (size_t i : seg)
                if (!gpuCapable[i]) return false;
        }
        return true;
    }

    // Moves every segment of device `from` for which another device is cheaper, each judged with the moves
    // before it in the pass; true when any moved.
    bool movePass(Device from) {
        bool movedAny = false;
        for (const std::vector<size_t>& seg : segments()) {
            if (placed[seg.front()].device != from) continue;
            std::vector<bool> inSeg(placed.size(), false);
            for (size_t i : seg) inSeg[i] = true;
            std::set<Device> candidates;
            if (from == Device::NeuralEngine) {
                for (size_t i : seg) {
                    for (size_t u : producers[i])
                        if (!inSeg[u]) candidates.insert(placed[u].device);
                    for (size_t v : consumers[i])
                        if (!inSeg[v]) candidates.insert(placed[v].device);
                }
            } else {
                candidates.insert(Device::Cpu);
            }
            const double stay = segmentCost(seg, inSeg, from);
            double best = stay;
            std::optional<Device> to;
            for (Device d : candidates) {
                if (d == from || !segmentCanUse(seg, d)) continue;
                const double cost = segmentCost(seg, inSeg, d);
                if (cost < best) {
                    best = cost;
                    to = d;
                }
            }
            if (!to) continue;
            double timeFrom = 0, timeTo = 0;
            for (size_t i : seg) {
                timeFrom += placed[i].cost.secondsOn(from);
                timeTo += placed[i].cost.secondsOn(*to);
            }
            for (size_t i : seg) {
                OpPlacement& p = placed[i];
                if (from == Device::NeuralEngine)
                    reason(p, ReasonCode::IsolatedRun,
                           {{"device", deviceName(*to)},
                            {"count", std::to_string(seg.size())},
                            {"saved", microseconds(timeTo - timeFrom)},
                            {"switch", microseconds((stay - timeFrom) - (best - timeTo))}});
                else
                    reason(p, ReasonCode::CheaperOnCpu,
                           {{"count", std::to_string(seg.size())},
                            {"cpu", microseconds(best)},
                            {"gpu", microseconds(stay)}});
                p.device = *to;
            }
            movedAny = true;
        }
        return movedAny;
    }

    // Switching devices costs time. First an off-NE group goes to the CPU when that is cheaper with its
    // hand-overs (handing work to the CPU and back is cheaper than to the GPU); then a group of NE ops whose
    // neighbours run elsewhere falls back with them when the hand-overs cost more than the NE saves.
    // Moves only go NE -> GPU -> CPU, so this ends.
    void smoothSwitches(bool offNeToCpu) {
        consumers.assign(placed.size(), {});
        for (size_t v = 0; v < placed.size(); ++v)
            for (size_t u : producers[v]) consumers[u].push_back(v);
        while ((offNeToCpu && movePass(Device::Gpu)) || movePass(Device::NeuralEngine)) {
        }
    }

    // Hand-overs: one per tensor and receiving device.
    std::set<std::pair<size_t, Device>> transfers() const {
        std::set<std::pair<size_t, Device>> out;
        for (size_t v = 0; v < placed.size(); ++v)
            for (size_t u : producers[v])
                if (placed[u].device != placed[v].device) out.insert({u, placed[v].device});
        return out;
    }

    double totalSeconds() const {
        double s = 0;
        for (const OpPlacement& p : placed) s += p.cost.secondsOn(p.device);
        for (const auto& [u, to] : transfers()) s += rules.switchSeconds(placed[u].device, to);
        return s;
    }

    // Handing off-NE groups to the CPU first can leave a model split across NE and CPU when keeping that work
    // on the GPU is faster overall (a transformer with many ops the NE cannot take). Core ML weighs the whole
    // partition, so the estimate keeps the cheaper of the two orders of moves.
    void choosePartition() {
        const std::vector<OpPlacement> initial = placed;
        smoothSwitches(true);
        std::vector<OpPlacement> best = placed;
        double bestSeconds = totalSeconds();

        placed = initial;
        smoothSwitches(false);
        if (const double s = totalSeconds(); s < bestSeconds) {
            best = placed;
            bestSeconds = s;
        }

        placed = std::move(best);
    }
};

ReasonCode reasonFromName(const std::string& name, const std::string& path) {
    for (const ReasonName& r : kReasonNames)
        if (name == r.name) return r.code;
    throw Error(ErrorKind::Internal, "the placement rules name an unknown reason '" + name + "'",
                ErrorLocation{path, {}}, "use one of the reason keys the file's `reasons:` section lists");
}

}  // namespace

std::string reasonCodeName(ReasonCode c) {
    for (const ReasonName& r : kReasonNames)
        if (r.code == c) return r.name;
    return "unknown";
}

bool OpPlacement::hasReason(ReasonCode c) const {
    return std::any_of(reasons.begin(), reasons.end(), [c](const PlacementReason& r) { return r.code == c; });
}

const OpPlacement* PlacementPlan::find(const std::string& opName) const {
    const auto it = indexByName.find(opName);
    return it == indexByName.end() ? nullptr : &ops[it->second];
}

double PlacementPlan::flopFraction(Device d) const { return totalFlops > 0 ? share(d).flops / totalFlops : 0; }

double PlacementPlan::opFraction(Device d) const {
    return ops.empty() ? 0 : static_cast<double>(share(d).ops) / static_cast<double>(ops.size());
}

std::vector<const OpPlacement*> PlacementPlan::topByTime(size_t n) const {
    std::vector<const OpPlacement*> out;
    for (const OpPlacement& p : ops) out.push_back(&p);
    std::stable_sort(out.begin(), out.end(),
                     [](const OpPlacement* a, const OpPlacement* b) { return a->seconds > b->seconds; });
    if (out.size() > n) out.resize(n);
    return out;
}

double PlacementRules::switchSeconds(Device a, Device b) const {
    if (a == b) return 0;
    auto is = [&](Device x, Device y) { return (a == x && b == y) || (a == y && b == x); };
    if (is(Device::NeuralEngine, Device::Gpu)) return switchCost[0];
    if (is(Device::NeuralEngine, Device::Cpu)) return switchCost[1];
    return switchCost[2];
}

bool PlacementRules::isLoadTime(const std::string& opType) const {
    if (contains(loadTimeOps, opType)) return true;
    for (const std::string& prefix : loadTimePrefixes)
        if (opType.rfind(prefix, 0) == 0) return true;
    return false;
}

const PlacementRules::Reason& PlacementRules::reason(ReasonCode c) const {
    const auto it = reasons.find(c);
    if (it == reasons.end())
        throw Error(ErrorKind::Internal, "the placement rules have no entry for reason '" + reasonCodeName(c) + "'", {},
                    "add it to resources/placement/ne-rules.yaml (reasons:)");
    return it->second;
}

PlacementRules PlacementRules::load(const std::string& path) {
    PlacementRules r;
    try {
        const YAML::Node root = YAML::LoadFile(path);
        const YAML::Node limits = root["limits"];
        r.maxRank = limits["maxRank"].as<int64_t>();
        r.maxDimension = limits["maxDimension"].as<int64_t>();
        r.maxEnumeratedShapes = limits["maxEnumeratedShapes"].as<size_t>();
        const YAML::Node sw = root["switchCostMicroseconds"];
        r.switchCost = {sw["ne_gpu"].as<double>() * 1e-6, sw["ne_cpu"].as<double>() * 1e-6,
                        sw["gpu_cpu"].as<double>() * 1e-6};
        r.switchSource = root["switchCostSource"].as<std::string>();
        for (const auto& entry : root["reasons"])
            r.reasons[reasonFromName(entry.first.as<std::string>(), path)] = {entry.second["text"].as<std::string>(),
                                                                              entry.second["source"].as<std::string>()};
        for (const ReasonName& name : kReasonNames)
            if (!r.reasons.count(name.code))
                throw YAML::Exception(root["reasons"].Mark(), std::string("reasons: no entry for '") + name.name + "'");
        r.neOps = root["neOps"].as<std::vector<std::string>>();
        if (const YAML::Node notes = root["neNotes"])
            for (const auto& n : notes) r.neNotes[n.first.as<std::string>()] = n.second.as<std::string>();
        for (const YAML::Node& a : root["attributeRules"]) {
            AttributeRule rule;
            rule.ops = a["ops"].as<std::vector<std::string>>();
            rule.input = a["input"].as<std::string>();
            rule.anyAbove = a["anyAbove"].as<double>();
            rule.reason = reasonFromName(a["reason"].as<std::string>(), path);
            r.attributeRules.push_back(rule);
        }
        const YAML::Node gpu = root["gpuUnsupported"];
        r.gpuUnsupported = gpu["ops"].as<std::vector<std::string>>();
        r.gpuUnsupportedNote = gpu["note"].as<std::string>();
        r.gpuUnsupportedSource = gpu["source"].as<std::string>();
        r.nonFloatOnCpu = gpu["nonFloatOnCpu"].as<bool>();
        r.ioConversionOps = root["ioConversionOps"].as<std::vector<std::string>>();
        r.loadTimeOps = root["loadTimeOps"].as<std::vector<std::string>>();
        r.loadTimePrefixes = root["loadTimePrefixes"].as<std::vector<std::string>>();
        r.reasons[ReasonCode::GpuNotSupported].source = r.gpuUnsupportedSource;
        for (ReasonCode c : {ReasonCode::IsolatedRun, ReasonCode::CheaperOnCpu})
            r.reasons[c].source += " Switch costs: " + r.switchSource;
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::Internal, std::string("the placement rules file is malformed: ") + e.what(),
                    ErrorLocation{path, {}}, "fix the file (resources/placement/ne-rules.yaml) or reinstall the app");
    }
    return r;
}

const PlacementRules& PlacementRules::shipped() {
    static const PlacementRules rules = [] {
        const std::string dir = findResourceDir("placement");
        if (dir.empty())
            throw Error(ErrorKind::Internal, "the placement rules (resources/placement/ne-rules.yaml) were not found",
                        {}, "reinstall the app, or set CMS_RESOURCES_DIR to its resources folder");
        return load(dir + "/ne-rules.yaml");
    }();
    return rules;
}

std::vector<InputFlexibility> inputFlexibility(const package::PackageContents& package) {
    // The model description says how each input may vary (ranges or enumerated shapes; the program has those
    // dimensions unknown). A program input with unknown dimensions the description does not explain (a
    // package from another tool) counts as range-shaped.
    std::vector<InputFlexibility> out;
    for (const package::FeatureDescription& f : package.description.inputs) {
        InputFlexibility flex{f.name, false, f.enumeratedShapes.size()};
        for (const auto& [lower, upper] : f.shapeRange) flex.rangeShaped = flex.rangeShaped || lower != upper;
        if (flex.rangeShaped || flex.enumeratedShapes > 0) out.push_back(flex);
    }
    const auto main = package.program.functions.find("main");
    if (main == package.program.functions.end()) return out;
    for (const mil::Value* v : main->second.inputs) {
        const bool described =
            std::any_of(out.begin(), out.end(), [&](const InputFlexibility& f) { return f.input == v->name; });
        const bool unknown =
            std::any_of(v->type.shape.begin(), v->type.shape.end(), [](int64_t d) { return d == mil::kUnknownDim; });
        if (unknown && !described) out.push_back({v->name, true, 0});
    }
    return out;
}

size_t specializeToDefaultShapes(package::PackageContents& package) {
    const auto main = package.program.functions.find("main");
    if (main == package.program.functions.end()) return 0;
    mil::Function& fn = main->second;
    bool changed = false;
    for (mil::Value* v : fn.inputs)
        for (const package::FeatureDescription& f : package.description.inputs)
            if (f.name == v->name && f.isFlexible() && f.shape.size() == v->type.shape.size() &&
                v->type.shape != f.shape) {
                v->type.shape = f.shape;
                changed = true;
            }
    size_t open = 0;
    for (const auto& op : fn.body.ops) {
        if (changed && op->blocks.empty()) {
            try {
                const std::vector<mil::TensorType> types = mil::inferTypes(*op, fn.opset);
                for (size_t i = 0; i < types.size() && i < op->outputs.size(); ++i)
                    if (types[i].dtype == op->outputs[i]->type.dtype) op->outputs[i]->type = types[i];
            } catch (const Error&) {
                // Some ops only type-check with their run-time dimensions open; they keep them.
            }
        }
        open += std::any_of(op->outputs.begin(), op->outputs.end(),
                            [](const mil::Value* v) { return !v->type.isStatic(); });
    }
    return open;
}

std::vector<InputFlexibility> inputFlexibility(const std::vector<InputSpec>& inputs) {
    std::vector<InputFlexibility> out;
    for (const InputSpec& in : inputs)
        if (in.isFlexible()) out.push_back({in.name, in.hasRanges(), in.enumeratedShapes.size()});
    return out;
}

PlacementPlan planPlacement(const mil::Program& program, const ChipProfile& chip, const PlacementOptions& options,
                            const PlacementRules& rules) {
    const auto main = program.functions.find("main");
    if (main == program.functions.end())
        throw Error(ErrorKind::Input, "the program has no 'main' function to place", {},
                    "give an ML Program package (.mlpackage) written by coreml-cli or coremltools");
    Walker w{rules, chip, options, &main->second, {}, {}, {}, {}, {}, {}, {}};
    for (size_t i = 0; i < options.inputs.size() && i < 64; ++i)
        for (const mil::Value* v : main->second.inputs)
            if (v->name == options.inputs[i].input) w.depends[v] |= InputMask(1) << i;
    w.visit(main->second.body);
    w.keepSourceOpsTogether();
    w.assignDevices();
    w.choosePartition();

    PlacementPlan plan;
    plan.chipId = chip.id;
    plan.chipName = chip.name;
    plan.units = options.units;
    plan.ops = w.placed;
    for (size_t i = 0; i < plan.ops.size(); ++i) {
        OpPlacement& p = plan.ops[i];
        plan.indexByName[p.opName] = i;
        p.seconds = p.cost.secondsOn(p.device);
        DeviceShare& s = plan.perDevice[static_cast<size_t>(p.device)];
        ++s.ops;
        s.flops += p.cost.flops;
        s.seconds += p.seconds;
        plan.totalFlops += p.cost.flops;
        plan.weightBytes += p.cost.weightBytes;
        plan.totalSeconds += p.seconds;
    }
    for (const auto& [u, to] : w.transfers()) {
        ++plan.switches;
        plan.switchSeconds += rules.switchSeconds(w.placed[u].device, to);
    }
    plan.totalSeconds += plan.switchSeconds;
    return plan;
}

}  // namespace cms::analysis
