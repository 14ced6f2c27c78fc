// `coreml-cli plan PKG`: the estimated device of every op (Neural Engine, GPU, CPU) with the reasons it is
// kept off the Neural Engine, FLOPs, bytes and a roofline time; totals per compute-units setting; the top ops
// by time; `--compare B` shows which ops move between two packages and why. Everything printed is an estimate.
#include <algorithm>
#include <cstdio>
#include <map>

#include "analysis/decode_estimate.h"
#include "analysis/placement.h"
#include "analysis/placement_compare.h"
#include "analysis/placement_json.h"
#include "commands.h"
#include "common/error.h"
#include "package/durable_file.h"
#include "package/package.h"

namespace cms::cli {

namespace {

using namespace cms::analysis;

std::string fmt(const char* format, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

// "1.23 ms", "45.6 us": times as people read them.
std::string humanTime(double seconds) {
    if (seconds >= 1) return fmt("%.2f s", seconds);
    if (seconds >= 1e-3) return fmt("%.2f ms", seconds * 1e3);
    return fmt("%.1f us", seconds * 1e6);
}

std::string humanCount(double n) {
    if (n >= 1e12) return fmt("%.2f T", n / 1e12);
    if (n >= 1e9) return fmt("%.2f G", n / 1e9);
    if (n >= 1e6) return fmt("%.2f M", n / 1e6);
    if (n >= 1e3) return fmt("%.1f k", n / 1e3);
    return fmt("%.0f", n);
}

std::string percent(double fraction) { return fmt("%.1f%%", fraction * 100); }

std::string shortDevice(Device d) {
    switch (d) {
        case Device::NeuralEngine:
            return "NE";
        case Device::Gpu:
            return "GPU";
        case Device::Cpu:
            return "CPU";
    }
    return "?";
}

std::string reasonCodes(const std::vector<PlacementReason>& reasons) {
    std::string s;
    for (const PlacementReason& r : reasons) s += (s.empty() ? "" : ",") + reasonCodeName(r.code);
    return s.empty() ? "-" : s;
}

std::string clip(const std::string& s, size_t width) { return s.size() <= width ? s : s.substr(0, width - 3) + "..."; }

ComputeUnits parseUnits(const std::string& text) {
    const std::optional<ComputeUnits> u = computeUnitsFromName(text);
    if (!u) throw UsageError("--units must be ALL, CPU_AND_GPU, CPU_ONLY or CPU_AND_NE, got '" + text + "'");
    return *u;
}

struct LoadedPlan {
    package::PackageContents contents;
    std::vector<InputFlexibility> flexibility;
};

LoadedPlan loadPackage(const std::string& path, const std::vector<std::string>& inputOverrides) {
    LoadedPlan l{package::readPackage(path), {}};
    l.flexibility = inputFlexibility(l.contents);
    specializeToDefaultShapes(l.contents);  // cost figures at each flexible input's default shape
    std::vector<InputSpec> specs;
    const auto main = l.contents.program.functions.find("main");
    for (const std::string& text : inputOverrides) {
        specs.push_back(parseInputSpec(text));
        std::string names;
        bool found = false;
        if (main != l.contents.program.functions.end())
            for (const mil::Value* v : main->second.inputs) {
                found = found || v->name == specs.back().name;
                names += (names.empty() ? "" : ", ") + v->name;
            }
        if (!found)
            throw UsageError("--input " + text + ": " + path + " has no input named '" + specs.back().name +
                             "'; its inputs are: " + names);
    }
    for (const InputFlexibility& f : inputFlexibility(specs)) {
        l.flexibility.erase(std::remove_if(l.flexibility.begin(), l.flexibility.end(),
                                           [&](const InputFlexibility& g) { return g.input == f.input; }),
                            l.flexibility.end());
        l.flexibility.push_back(f);
    }
    return l;
}

void printSummaryLine(const PlacementPlan& plan) {
    std::printf("  %-11s %10s   ops NE %5s GPU %5s CPU %5s   FLOPs NE %6s GPU %6s CPU %6s   %zu switch(es)\n",
                computeUnitsName(plan.units).c_str(), humanTime(plan.totalSeconds).c_str(),
                percent(plan.opFraction(Device::NeuralEngine)).c_str(), percent(plan.opFraction(Device::Gpu)).c_str(),
                percent(plan.opFraction(Device::Cpu)).c_str(), percent(plan.flopFraction(Device::NeuralEngine)).c_str(),
                percent(plan.flopFraction(Device::Gpu)).c_str(), percent(plan.flopFraction(Device::Cpu)).c_str(),
                plan.switches);
}

void printPlan(const PlacementPlan& plan, const std::string& path, const std::vector<PlacementPlan>& perUnits,
               size_t top, const std::vector<InputFlexibility>& flexibility) {
    std::printf("Placement estimate for %s on %s, compute units %s\n", path.c_str(), plan.chipName.c_str(),
                computeUnitsName(plan.units).c_str());
    std::printf("%s\n", kPlacementEstimateNote);
    for (const InputFlexibility& f : flexibility) {
        if (f.rangeShaped)
            std::printf(
                "Input '%s' is range-shaped: the placement is for sizes other than its default shape (which may "
                "run on the Neural Engine); the figures are at the default shape.\n",
                f.input.c_str());
        else
            std::printf("Input '%s' has %zu enumerated shapes; the figures are at its default shape.\n",
                        f.input.c_str(), f.enumeratedShapes);
    }
    std::printf("\n%-36s %-22s %-6s %10s %10s %10s %10s  %s\n", "op", "type", "device", "FLOPs", "weights",
                "activations", "est. time", "reasons off the Neural Engine");
    size_t lowerBounds = 0;
    for (const OpPlacement& p : plan.ops) {
        lowerBounds += !p.cost.shapesKnown;
        std::printf("%-36s %-22s %-6s %10s %10s %10s %9s%s  %s\n", clip(p.opName, 36).c_str(),
                    clip(p.opType, 22).c_str(), shortDevice(p.device).c_str(), humanCount(p.cost.flops).c_str(),
                    humanBytes(static_cast<uint64_t>(p.cost.weightBytes)).c_str(),
                    humanBytes(static_cast<uint64_t>(p.cost.activationBytes)).c_str(), humanTime(p.seconds).c_str(),
                    p.cost.shapesKnown ? " " : "*", reasonCodes(p.reasons).c_str());
    }
    if (lowerBounds > 0)
        std::printf(
            "* %zu op(s) have dimensions only known at run time (flexible inputs); those count as 1, so their "
            "figures are lower bounds\n",
            lowerBounds);

    std::printf("\nTotals (estimate): %zu ops, %s FLOPs, %s of weights, %s including %zu device switch(es) (%s)\n",
                plan.ops.size(), humanCount(plan.totalFlops).c_str(),
                humanBytes(static_cast<uint64_t>(plan.weightBytes)).c_str(), humanTime(plan.totalSeconds).c_str(),
                plan.switches, humanTime(plan.switchSeconds).c_str());
    for (size_t d = 0; d < kDeviceCount; ++d) {
        const Device dev = static_cast<Device>(d);
        std::printf("  %-14s %5zu ops (%6s)  %10s FLOPs (%6s)  %10s\n", deviceName(dev).c_str(), plan.share(dev).ops,
                    percent(plan.opFraction(dev)).c_str(), humanCount(plan.share(dev).flops).c_str(),
                    percent(plan.flopFraction(dev)).c_str(), humanTime(plan.share(dev).seconds).c_str());
    }

    std::printf("\nWhole model per compute units on %s (estimate):\n", plan.chipId.c_str());
    for (const PlacementPlan& p : perUnits) printSummaryLine(p);

    std::printf("\nTop %zu ops by estimated time:\n", std::min(top, plan.ops.size()));
    for (const OpPlacement* p : plan.topByTime(top))
        std::printf("  %-36s %-22s %-4s %10s  %s FLOP/byte\n", clip(p->opName, 36).c_str(), clip(p->opType, 22).c_str(),
                    shortDevice(p->device).c_str(), humanTime(p->seconds).c_str(),
                    fmt("%.1f", p->cost.intensity()).c_str());

    // Each reason once, with how many ops it applies to, one op's text as the example, and its source.
    struct Group {
        size_t count = 0;
        std::string example;
        std::string source;
    };
    std::map<std::string, Group> groups;
    for (const OpPlacement& p : plan.ops)
        for (const PlacementReason& r : p.reasons) {
            Group& g = groups[reasonCodeName(r.code)];
            if (g.count++ == 0) {
                g.example = p.opName + ": " + r.text;
                g.source = r.source;
            }
        }
    if (groups.empty()) {
        std::printf("\nEvery op is estimated to run on the Neural Engine.\n");
        return;
    }
    std::printf("\nWhy ops are off the Neural Engine (estimate):\n");
    for (const auto& [code, g] : groups) {
        std::printf("  [%s] %zu op(s), e.g. %s\n", code.c_str(), g.count, g.example.c_str());
        std::printf("      source: %s\n", g.source.c_str());
    }
}

// Weight-bandwidth-bound decoding, one line per chip profile.
void printDecodeEstimates(const DecodeTraffic& traffic, const std::vector<DecodeEstimate>& estimates) {
    std::printf("\nDecoding, tokens per second (estimate; one token reads %s of weights%s):\n",
                humanBytes(static_cast<uint64_t>(traffic.weightBytes)).c_str(),
                traffic.stateBytes > 0
                    ? (" and " + humanBytes(static_cast<uint64_t>(traffic.stateBytes)) + " of states").c_str()
                    : "");
    for (const DecodeEstimate& e : estimates)
        std::printf("  %-10s %8.1f tokens/s   (%.0f%% of %.0f GB/s; at the full bandwidth %.1f)\n", e.chipId.c_str(),
                    e.tokensPerSecond, e.bandwidthShare * 100, e.bandwidth / 1e9, e.boundTokensPerSecond);
    if (!estimates.empty()) std::printf("  share of the bandwidth: %s\n", estimates.front().source.c_str());
}

void printComparison(const PlanComparison& c, const PlacementPlan& a, const PlacementPlan& b, const std::string& pathA,
                     const std::string& pathB) {
    std::printf("Placement comparison on %s, compute units %s\n", a.chipName.c_str(),
                computeUnitsName(a.units).c_str());
    std::printf("%s\n\n", kPlacementEstimateNote);
    std::printf("  before: %s\n  after:  %s\n", pathA.c_str(), pathB.c_str());
    std::printf("  estimated time: %s -> %s\n", humanTime(c.secondsBefore).c_str(), humanTime(c.secondsAfter).c_str());
    for (size_t d = 0; d < kDeviceCount; ++d)
        std::printf("  %-14s %5zu -> %zu ops\n", deviceName(static_cast<Device>(d)).c_str(), c.opsBefore[d],
                    c.opsAfter[d]);
    std::printf("  %zu ops matched by name, %zu only before, %zu only after\n\n", c.matched, c.onlyBefore.size(),
                c.onlyAfter.size());
    if (c.moved.empty()) {
        std::printf("No op changes device.\n");
        return;
    }
    std::printf("%zu op(s) change device:\n", c.moved.size());
    for (const OpMove& m : c.moved) {
        std::printf("  %-36s %-16s %s -> %s  (%s -> %s)\n", clip(m.opName, 36).c_str(), clip(m.opType, 16).c_str(),
                    shortDevice(m.before).c_str(), shortDevice(m.after).c_str(), humanTime(m.secondsBefore).c_str(),
                    humanTime(m.secondsAfter).c_str());
        for (const PlacementReason& r : m.reasonsBefore)
            std::printf("      before [%s] %s\n", reasonCodeName(r.code).c_str(), r.text.c_str());
        for (const PlacementReason& r : m.reasonsAfter)
            std::printf("      after  [%s] %s\n", reasonCodeName(r.code).c_str(), r.text.c_str());
    }
}

}  // namespace

CLI::App* addPlanCommand(CLI::App& app, PlanOptions& o) {
    CLI::App* c = app.add_subcommand(
        "plan",
        "Estimate where Core ML runs each op (Neural Engine, GPU, CPU) and why, with a roofline time per op "
        "(an estimate, not a measurement)");
    c->add_option("PACKAGE", o.package, "The .mlpackage to place");
    c->add_option("--chip", o.chip, "Chip profile (default M2-Ultra; --list-chips lists them)");
    c->add_option("--units", o.units, "Compute units: ALL (default), CPU_AND_GPU, CPU_ONLY or CPU_AND_NE");
    c->add_option("--json", o.jsonPath, "Also write the plan (or the comparison) as JSON to this file");
    c->add_option("--compare", o.compare,
                  "A second package: show which ops move device between PACKAGE and it, and why");
    c->add_option("--input", o.inputs,
                  "Treat an input as flexible, in convert's --input form (e.g. x:1x3x(64..512)x224 or "
                  "x:enum(1x3x224x224,1x3x256x256)); repeatable")
        ->allow_extra_args(false);
    c->add_option("--top", o.top, "How many of the longest ops to list (default 10)");
    c->add_flag("--list-chips", o.listChips, "List the chip profiles and their peak figures");
    return c;
}

int runPlan(const PlanOptions& o) {
    const ChipLibrary& chips = ChipLibrary::shipped();
    if (o.listChips) {
        std::printf(
            "Peak figures of the chip profiles (resources/placement/chips.yaml); plan's times are estimates built "
            "on them.\n");
        std::printf("%-10s %-44s %7s %8s %8s %10s %10s\n", "id", "name", "GB/s", "NE TOPS", "NE fp16", "GPU TFLOPS",
                    "CPU GFLOPS");
        for (const ChipProfile& c : chips.chips())
            std::printf("%-10s %-44s %7.1f %8.1f %8.1f %10.2f %10.0f\n", c.id.c_str(), c.name.c_str(),
                        c.memoryBandwidth / 1e9, c.neQuotedOps / 1e12,
                        c.peak(Device::NeuralEngine).flopsPerSecondFp16 / 1e12,
                        c.peak(Device::Gpu).flopsPerSecondFp32 / 1e12, c.peak(Device::Cpu).flopsPerSecondFp32 / 1e9);
        return 0;
    }
    if (o.package.empty()) throw UsageError("plan needs a PACKAGE (or --list-chips)");
    if (o.top == 0) throw UsageError("--top must be at least 1");
    const ChipProfile& chip = chips.find(o.chip);
    const ComputeUnits units = parseUnits(o.units);

    const LoadedPlan a = loadPackage(o.package, o.inputs);
    const PlacementPlan plan = planPlacement(a.contents.program, chip, {units, a.flexibility});
    if (!o.compare.empty()) {
        const LoadedPlan b = loadPackage(o.compare, o.inputs);
        const PlacementPlan other = planPlacement(b.contents.program, chip, {units, b.flexibility});
        const PlanComparison c = comparePlans(plan, other);
        printComparison(c, plan, other, o.package, o.compare);
        if (!o.jsonPath.empty())
            package::writeFileDurably(o.jsonPath, planComparisonToJson(c, plan, other, o.package, o.compare));
        return 0;
    }
    std::vector<PlacementPlan> perUnits;
    for (ComputeUnits u :
         {ComputeUnits::All, ComputeUnits::CpuAndNeuralEngine, ComputeUnits::CpuAndGpu, ComputeUnits::CpuOnly})
        perUnits.push_back(planPlacement(a.contents.program, chip, {u, a.flexibility}));
    printPlan(plan, o.package, perUnits, o.top, a.flexibility);
    const DecodeTraffic traffic = decodeTrafficOf(a.contents.program);
    const std::vector<DecodeEstimate> decode = estimateDecodeOnEveryChip(traffic, chips);
    printDecodeEstimates(traffic, decode);
    if (!o.jsonPath.empty()) package::writeFileDurably(o.jsonPath, placementPlanToJson(plan, o.package, decode));
    return 0;
}

}  // namespace cms::cli
