// `coreml-cli inspect`: what a package contains, as text or JSON.
#include <cstdio>
#include <map>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "mil/program.h"
#include "package/package.h"

namespace cms::cli {

namespace {

struct WeightTotals {
    uint64_t bytes = 0;
    size_t tensors = 0;
};

struct ProgramSummary {
    std::map<std::string, size_t> histogram;       // op type -> count, nested blocks included
    std::map<std::string, WeightTotals> weights;   // dtype name -> constant data
    size_t ops = 0;
    size_t consts = 0;
};

void summarise(const mil::Block& block, ProgramSummary& s) {
    for (const auto& op : block.ops) {
        ++s.histogram[op->type];
        if (op->type == "const") {
            ++s.consts;
            for (const mil::Value* v : op->outputs) {
                if (!v->constValue || !v->constValue->defined()) continue;
                const Tensor& t = *v->constValue;
                if (t.dtype() == DType::String) continue;
                WeightTotals& w = s.weights[dtypeName(t.dtype())];
                w.bytes += packedByteSize(t.dtype(), t.numel());
                ++w.tensors;
            }
        } else {
            ++s.ops;
        }
        for (const auto& nested : op->blocks) summarise(*nested, s);
    }
}

std::string featureType(const package::FeatureDescription& f) {
    if (f.kind == package::FeatureDescription::Kind::Image) return "Image " + colorLayoutName(f.colorLayout);
    return "MultiArray " + dtypeName(f.dtype);
}

nlohmann::json featureJson(const package::FeatureDescription& f) {
    nlohmann::json j = {{"name", f.name}, {"shape", f.shape}};
    if (f.kind == package::FeatureDescription::Kind::Image) {
        j["type"] = "image";
        j["colorLayout"] = colorLayoutName(f.colorLayout);
    } else {
        j["type"] = "multiArray";
        j["dtype"] = dtypeName(f.dtype);
    }
    if (!f.shortDescription.empty()) j["description"] = f.shortDescription;
    if (!f.shapeRange.empty()) {
        nlohmann::json ranges = nlohmann::json::array();
        for (const auto& [lower, upper] : f.shapeRange) ranges.push_back({lower, upper});
        j["shapeRange"] = ranges;
    }
    if (!f.enumeratedShapes.empty()) j["enumeratedShapes"] = f.enumeratedShapes;
    return j;
}

void printFeatures(const char* title, const std::vector<package::FeatureDescription>& features) {
    std::printf("%s:\n", title);
    for (const auto& f : features)
        std::printf("  %-20s %-18s %s%s\n", f.name.c_str(), featureType(f).c_str(),
                    f.shape.empty() ? "flexible" : shapeToString(f.shape).c_str(),
                    f.isFlexible() ? (" (default; allows " + f.allowedShapesText() + ")").c_str() : "");
}

}  // namespace

CLI::App* addInspectCommand(CLI::App& app, InspectOptions& o) {
    CLI::App* c = app.add_subcommand("inspect", "Describe a Core ML package: interface, versions, ops, weights");
    c->add_option("PACKAGE", o.package, "The .mlpackage folder")->required();
    c->add_flag("--json", o.json, "Print JSON instead of text");
    return c;
}

int runInspect(const InspectOptions& o) {
    const package::PackageContents p = package::readPackage(o.package);
    ProgramSummary s;
    std::map<std::string, std::string> opsets;
    for (const auto& [name, fn] : p.program.functions) {
        summarise(fn.body, s);
        opsets[name] = mil::opsetName(fn.opset);
    }
    const auto target = mil::targetFromSpecVersion(p.specificationVersion);
    const std::string targetText = target ? mil::targetName(*target) : "unknown";
    const ModelMetadata& m = p.description.metadata;

    if (o.json) {
        nlohmann::json j;
        j["package"] = o.package;
        j["specificationVersion"] = p.specificationVersion;
        j["deploymentTarget"] = targetText;
        j["opsets"] = opsets;
        j["metadata"] = {{"author", m.author}, {"license", m.license}, {"shortDescription", m.shortDescription},
                         {"version", m.version}, {"userDefined", m.userDefined}};
        j["inputs"] = nlohmann::json::array();
        for (const auto& f : p.description.inputs) j["inputs"].push_back(featureJson(f));
        j["outputs"] = nlohmann::json::array();
        for (const auto& f : p.description.outputs) j["outputs"].push_back(featureJson(f));
        if (!p.description.states.empty()) {
            j["states"] = nlohmann::json::array();
            for (const auto& f : p.description.states) j["states"].push_back(featureJson(f));
        }
        j["opCount"] = s.ops;
        j["constCount"] = s.consts;
        j["opHistogram"] = s.histogram;
        j["weights"] = nlohmann::json::object();
        for (const auto& [dt, w] : s.weights) j["weights"][dt] = {{"bytes", w.bytes}, {"tensors", w.tensors}};
        std::printf("%s\n", j.dump(2).c_str());
        return 0;
    }

    std::printf("Package:        %s\n", o.package.c_str());
    std::printf("Specification:  %d (%s)\n", p.specificationVersion, targetText.c_str());
    for (const auto& [fn, opset] : opsets) std::printf("Opset:          %s (function %s)\n", opset.c_str(), fn.c_str());
    if (!m.shortDescription.empty()) std::printf("Description:    %s\n", m.shortDescription.c_str());
    if (!m.author.empty()) std::printf("Author:         %s\n", m.author.c_str());
    if (!m.license.empty()) std::printf("License:        %s\n", m.license.c_str());
    if (!m.version.empty()) std::printf("Version:        %s\n", m.version.c_str());
    printFeatures("Inputs", p.description.inputs);
    printFeatures("Outputs", p.description.outputs);
    if (!p.description.states.empty()) printFeatures("States", p.description.states);
    if (!m.userDefined.empty()) {
        std::printf("Metadata:\n");
        for (const auto& [k, v] : m.userDefined) std::printf("  %s = %s\n", k.c_str(), v.c_str());
    }
    std::printf("Ops: %zu (plus %zu const)\n", s.ops, s.consts);
    for (const auto& [type, n] : s.histogram) std::printf("  %-24s %6zu\n", type.c_str(), n);
    std::printf("Weights:\n");
    if (s.weights.empty()) std::printf("  (none)\n");
    for (const auto& [dt, w] : s.weights)
        std::printf("  %-6s %12s in %zu tensor%s\n", dt.c_str(), humanBytes(w.bytes).c_str(), w.tensors,
                    w.tensors == 1 ? "" : "s");
    return 0;
}

}  // namespace cms::cli
