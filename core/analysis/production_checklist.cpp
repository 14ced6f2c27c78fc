#include "analysis/production_checklist.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cms::analysis {

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
// Memory thresholds for the memory item: a model under 512 MiB loads comfortably on current iPhones; iOS
// ends apps that go much past 2 GiB on most of them (Apple documents no fixed limit; these are cautious).
constexpr double kMemoryComfortable = 512 * kMiB;
constexpr double kMemoryTooLarge = 2048 * kMiB;

std::string mib(double bytes) {
    std::ostringstream s;
    s.precision(bytes < 10 * kMiB ? 2 : 0);
    s << std::fixed << bytes / kMiB << " MiB";
    return s.str();
}

std::string percent(double fraction) { return std::to_string(int(std::lround(fraction * 100))) + " %"; }

std::string dbText(double db) {
    if (std::isinf(db)) return "inf dB";
    std::ostringstream s;
    s.precision(1);
    s << std::fixed << db << " dB";
    return s.str();
}

bool looksLikeImage(const InputSpec& in) {
    return in.shape.size() == 4 && (in.shape[1] == 1 || in.shape[1] == 3) && in.dtype != DType::Int32;
}

// Sets the item's English detail from `format` (%1..%9 replaced by `args`) and keeps its message id and
// arguments for a translated interface.
void setDetail(ChecklistItem& it, const char* id, const std::string& format, std::vector<std::string> args = {}) {
    std::string text;
    for (size_t i = 0; i < format.size(); ++i) {
        const size_t n = i + 1 < format.size() ? size_t(format[i + 1] - '0') : 0;
        if (format[i] == '%' && n >= 1 && n <= args.size()) {
            text += args[n - 1];
            ++i;
        } else {
            text += format[i];
        }
    }
    it.detail = std::move(text);
    it.detailId = id;
    it.detailArgs = std::move(args);
}

ChecklistItem item(const char* id, const char* title, FixPlace fix, std::string fixField = {}) {
    ChecklistItem it;
    it.id = id;
    it.title = title;
    it.fix = fix;
    it.fixField = std::move(fixField);
    return it;
}

ChecklistItem evalMode(const ChecklistData& d) {
    ChecklistItem it = item("eval-mode", "Model in eval() mode before tracing", FixPlace::ModelExport);
    it.fixHint = "call model.eval() before torch.jit.trace, save the model again and reopen it";
    if (!d.imported) {
        setDetail(it, "not-imported", "the model has not been imported yet");
        return it;
    }
    std::vector<std::string> notes;
    for (const std::string& w : d.importWarnings)
        if (w.find("training mode") != std::string::npos) notes.push_back(w);
    if (d.conversion)
        for (const std::string& w : d.conversion->warnings)
            if (w.find("training mode") != std::string::npos) notes.push_back(w);
    if (notes.empty()) {
        it.status = CheckStatus::Pass;
        setDetail(it, "no-training-mode", "no module of the model was saved in training mode");
    } else {
        it.status = CheckStatus::Warn;
        setDetail(it, "training-mode-notice", "%1", {notes.front()});  // the importer's notice
    }
    return it;
}

ChecklistItem preprocessing(const ChecklistData& d) {
    ChecklistItem it = item("preprocessing", "Preprocessing (scale/bias) baked into the model", FixPlace::Inputs);
    if (d.settings.inputs.empty()) {
        setDetail(it, "no-input-shapes", "no input has a shape yet");
        return it;
    }
    std::vector<std::string> images, plainImages, unscaled;
    for (const InputSpec& in : d.settings.inputs) {
        if (in.image) {
            images.push_back(in.name);
            const bool noBias = std::all_of(in.image->bias.begin(), in.image->bias.end(), [](double b) { return b == 0; });
            if (in.image->scale == 1.0 && noBias) unscaled.push_back(in.name);
        } else if (looksLikeImage(in)) {
            plainImages.push_back(in.name);
        }
    }
    if (!plainImages.empty()) {
        it.status = CheckStatus::Warn;
        it.fixField = plainImages.front();
        for (const InputSpec& in : d.settings.inputs)
            if (in.name == plainImages.front())
                setDetail(it, "image-as-plain-array",
                          "input \"%1\" (%2) looks like an image but is a plain array: the app has to normalise "
                          "pixels itself",
                          {in.name, shapeToString(in.shape)});
        it.fixHint = "make it an image input with the scale and bias the model was trained with";
    } else if (!unscaled.empty()) {
        it.status = CheckStatus::Warn;
        it.fixField = unscaled.front();
        setDetail(it, "image-unscaled",
                  "image input \"%1\" has scale 1 and no bias: the model receives pixels of 0-255 (right only if it "
                  "normalises them itself)",
                  {unscaled.front()});
        it.fixHint = "set the scale and bias the model was trained with, e.g. 1/255 for inputs in [0, 1]";
    } else {
        it.status = CheckStatus::Pass;
        if (images.empty())
            setDetail(it, "no-image-inputs", "no input looks like an image: nothing to bake in");
        else
            setDetail(it, "image-inputs-preprocessed", "%1 image input(s) with scale and bias set",
                      {std::to_string(images.size())});
    }
    return it;
}

ChecklistItem mlProgram(const ChecklistData& d) {
    ChecklistItem it = item("ml-program", "ML Program (mlprogram) format", FixPlace::Conversion, "target");
    it.fixHint = "convert again (this converter writes ML Programs only)";
    if (!d.package) {
        setDetail(it, "not-converted", "not converted yet");
        return it;
    }
    const bool program = d.package->specificationVersion >= 6 && !d.package->program.functions.empty();
    it.status = program ? CheckStatus::Pass : CheckStatus::Fail;
    const std::vector<std::string> version{std::to_string(d.package->specificationVersion),
                                           mil::targetName(d.settings.target)};
    if (program)
        setDetail(it, "ml-program", "ML Program, specification version %1 (%2)", version);
    else
        setDetail(it, "not-ml-program", "not an ML Program, specification version %1 (%2)", version);
    return it;
}

ChecklistItem accuracy(const ChecklistData& d) {
    ChecklistItem it = item("accuracy", "Accuracy tested against the source model", FixPlace::Accuracy);
    it.fixHint = "run the accuracy check (coreml-cli verify MODEL PACKAGE)";
    if (!d.accuracy) {
        setDetail(it, "no-accuracy-check", "no accuracy check has run on the converted package");
        return it;
    }
    const OutputReport* worst = nullptr;
    for (const OutputReport& o : d.accuracy->outputs)
        if (!worst || o.metrics.snrDb < worst->metrics.snrDb) worst = &o;
    it.status = d.accuracy->passed ? CheckStatus::Pass : CheckStatus::Fail;
    const bool passed = d.accuracy->passed;
    const std::vector<std::string> args{d.accuracy->criteria.describe(), d.accuracy->reference};
    if (worst)
        setDetail(it, passed ? "accuracy-passed-lowest-snr" : "accuracy-failed-lowest-snr",
                  std::string(passed ? "passed" : "failed") + " (%1, compared with %2); lowest SNR %3 on output \"%4\"",
                  {args[0], args[1], dbText(worst->metrics.snrDb), worst->name});
    else
        setDetail(it, passed ? "accuracy-passed" : "accuracy-failed",
                  std::string(passed ? "passed" : "failed") + " (%1, compared with %2)", args);
    if (!d.accuracy->passed) {
        it.fix = FixPlace::Conversion;
        it.fixField = "fp32Ops";
        it.fixHint = "keep the suggested ops in fp32, or convert with fp32 precision";
    }
    return it;
}

ChecklistItem compression(const ChecklistData& d) {
    ChecklistItem it = item("compression", "Weights compressed (start with int8)", FixPlace::Quantization);
    it.fixHint = "add a compression setting, e.g. int8 linear quantization for all weights";
    if (d.settings.compression.empty()) {
        it.status = CheckStatus::Warn;
        setDetail(it, "no-compression", "no compression is set: weights are stored in %1",
                  {d.settings.precision == Precision::Float16 ? "fp16" : "fp32"});
        return it;
    }
    if (!d.conversion) {
        setDetail(it, "compression-not-converted", "compression is set; the model has not been converted with it yet");
        return it;
    }
    if (d.conversion->compressedWeights == 0) {
        it.status = CheckStatus::Warn;
        setDetail(it, "compression-matched-nothing",
                  "compression is set but no weight was compressed (no weight matched the settings)");
        return it;
    }
    it.status = CheckStatus::Pass;
    const std::vector<std::string> sizes{std::to_string(d.conversion->compressedWeights),
                                         mib(double(d.conversion->weightBytesBefore)),
                                         mib(double(d.conversion->weightBytesAfter))};
    if (d.conversion->weightBytesAfter > 0) {
        std::ostringstream ratio;
        ratio.precision(2);
        ratio << std::fixed << double(d.conversion->weightBytesBefore) / double(d.conversion->weightBytesAfter);
        setDetail(it, "weights-compressed-ratio", "%1 weights compressed: %2 -> %3 (%4x smaller)",
                  {sizes[0], sizes[1], sizes[2], ratio.str()});
    } else {
        setDetail(it, "weights-compressed", "%1 weights compressed: %2 -> %3", sizes);
    }
    return it;
}

ChecklistItem neuralEngine(const ChecklistData& d) {
    ChecklistItem it = item("neural-engine", "Estimated Neural Engine use", FixPlace::Conversion, "computeUnits");
    if (!d.placement) {
        setDetail(it, "not-placed", "not converted yet (the estimate reads the package)");
        return it;
    }
    const PlacementPlan& p = *d.placement;
    const double flops = p.flopFraction(Device::NeuralEngine);
    std::map<ReasonCode, size_t> reasons;
    for (const OpPlacement& op : p.ops)
        if (op.device != Device::NeuralEngine && !op.reasons.empty()) ++reasons[op.reasons.front().code];
    const auto top = std::max_element(reasons.begin(), reasons.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
    const std::string share = "%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4)";
    std::vector<std::string> args{percent(flops), percent(p.opFraction(Device::NeuralEngine)), p.chipName,
                                  computeUnitsName(p.units)};
    if (top != reasons.end()) {
        args.push_back(reasonCodeName(top->first));
        args.push_back(std::to_string(top->second));
        setDetail(it, "neural-engine-share-reason", share + "; most ops off it: %5 (%6 ops)", std::move(args));
    } else {
        setDetail(it, "neural-engine-share", share, std::move(args));
    }
    it.status = flops >= 0.9 ? CheckStatus::Pass : flops >= 0.5 ? CheckStatus::Warn : CheckStatus::Fail;
    if (top != reasons.end() && top->first == ReasonCode::Fp32Precision) {
        it.fixField = "precision";
        it.fixHint = "convert with fp16 precision: the Neural Engine computes in fp16 only";
    } else if (top != reasons.end() &&
               (top->first == ReasonCode::UnitsExcludeNe || top->first == ReasonCode::UnitsExcludeGpu)) {
        it.fixHint = "allow the Neural Engine in the compute units (ALL or CPU_AND_NE)";
    } else {
        it.fixHint = "see the placement report for the reasons per op";
    }
    return it;
}

ChecklistItem representativeInputs(const ChecklistData& d) {
    ChecklistItem it = item("representative-inputs", "Tested with representative inputs", FixPlace::Accuracy);
    it.fixHint = "verify with real data: coreml-cli verify --inputs data.npz or image files";
    if (!d.accuracy) {
        setDetail(it, "no-accuracy-check", "no accuracy check has run on the converted package");
        return it;
    }
    // Arguments: each real input's name and source, in pairs.
    std::vector<std::string> real;
    std::string list;
    for (const InputInfo& in : d.accuracy->inputs)
        if (in.source.rfind("random", 0) != 0) {
            list += (real.empty() ? "" : ", ") + in.name + " from " + in.source;
            real.push_back(in.name);
            real.push_back(in.source);
        }
    if (real.empty()) {
        it.status = CheckStatus::Warn;
        setDetail(it, "random-inputs-only", "checked with random inputs only");
    } else {
        it.status = CheckStatus::Pass;
        setDetail(it, "checked-with-inputs", "checked with ", std::move(real));
        it.detail += list;  // a list of any length: the format cannot hold it
    }
    return it;
}

ChecklistItem memory(const ChecklistData& d) {
    ChecklistItem it = item("memory", "Memory estimate", FixPlace::Quantization);
    it.fixHint = "compress the weights (palettization or int8/int4 quantization) to load less";
    if (!d.placement) {
        setDetail(it, "not-placed", "not converted yet (the estimate reads the package)");
        return it;
    }
    const double bytes = estimatedMemoryBytes(*d.placement);
    setDetail(it, "memory-estimate",
              "about %1 (weights %2 plus the largest op's activations); measure on a device under load to confirm",
              {mib(bytes), mib(d.placement->weightBytes)});
    it.status = bytes <= kMemoryComfortable ? CheckStatus::Pass
                : bytes <= kMemoryTooLarge  ? CheckStatus::Warn
                                            : CheckStatus::Fail;
    return it;
}

ChecklistItem fallback(const ChecklistData& d) {
    ChecklistItem it = item("fallback", "Fallback settings", FixPlace::Conversion, "computeUnits");
    const std::string units = computeUnitsName(d.settings.computeUnits);
    if (d.settings.computeUnits == ComputeUnits::CpuOnly) {
        it.status = CheckStatus::Warn;
        setDetail(it, "cpu-only",
                  "compute units CPU_ONLY: no acceleration (the right setting for isolating a problem, not for "
                  "shipping)");
        it.fixHint = "choose ALL: Core ML then runs each op where it can and falls back to the CPU";
        return it;
    }
    if (d.accuracy && d.settings.precision == Precision::Float16) {
        std::vector<std::string> missing;
        for (const std::string& op : d.accuracy->suggestedFp32Ops)
            if (std::find(d.settings.fp32Ops.begin(), d.settings.fp32Ops.end(), op) == d.settings.fp32Ops.end())
                missing.push_back(op);
        if (!missing.empty()) {
            it.status = CheckStatus::Warn;
            it.fixField = "fp32Ops";
            setDetail(it, "fp32-ops-suggested",
                      "the accuracy check suggests keeping %1 op(s) in fp32 that are not, e.g. %2",
                      {std::to_string(missing.size()), missing.front()});
            it.fixHint = "add them to the ops kept in fp32";
            return it;
        }
    }
    it.status = CheckStatus::Pass;
    const bool cpu = d.settings.computeUnits == ComputeUnits::CpuAndNeuralEngine;
    const std::string fallsBack = std::string("compute units %1: Core ML runs what the preferred device ") +
                                  (cpu ? "cannot on the CPU" : "cannot on the GPU or CPU");
    if (d.settings.fp32Ops.empty())
        setDetail(it, cpu ? "falls-back-to-cpu" : "falls-back-to-gpu-or-cpu", fallsBack, {units});
    else
        setDetail(it, cpu ? "falls-back-to-cpu-fp32-ops" : "falls-back-to-gpu-or-cpu-fp32-ops",
                  fallsBack + "; %2 op(s) kept in fp32", {units, std::to_string(d.settings.fp32Ops.size())});
    return it;
}

}  // namespace

const char* checkStatusName(CheckStatus s) {
    switch (s) {
        case CheckStatus::Pass: return "pass";
        case CheckStatus::Warn: return "warn";
        case CheckStatus::Fail: return "fail";
        case CheckStatus::NotChecked: break;
    }
    return "not-checked";
}

const char* fixPlaceName(FixPlace p) {
    switch (p) {
        case FixPlace::ModelExport: return "model-export";
        case FixPlace::Inputs: return "inputs";
        case FixPlace::Conversion: return "conversion";
        case FixPlace::Quantization: return "quantization";
        case FixPlace::Accuracy: break;
    }
    return "accuracy";
}

double estimatedMemoryBytes(const PlacementPlan& plan) {
    double activations = 0;
    for (const OpPlacement& op : plan.ops) activations = std::max(activations, op.cost.activationBytes);
    return plan.weightBytes + activations;
}

std::vector<ChecklistItem> evaluateChecklist(const ChecklistData& d) {
    return {evalMode(d),    preprocessing(d),        mlProgram(d), accuracy(d), compression(d),
            neuralEngine(d), representativeInputs(d), memory(d),    fallback(d)};
}

PackageFacts packageFacts(const std::string& packagePath, ComputeUnits units, const std::string& chipId) {
    PackageFacts facts{package::readPackage(packagePath), {}};
    const std::vector<InputFlexibility> flexibility = inputFlexibility(facts.contents);
    // A second read (weights load lazily) keeps `contents` as written while the plan sees default shapes.
    package::PackageContents specialized = package::readPackage(packagePath);
    specializeToDefaultShapes(specialized);  // cost figures at each flexible input's default shape
    const ChipProfile& chip = ChipLibrary::shipped().find(chipId.empty() ? "M2-Ultra" : chipId);
    facts.placement = planPlacement(specialized.program, chip, {units, flexibility});
    return facts;
}

std::string checklistToJson(const std::vector<ChecklistItem>& items) {
    nlohmann::json j = nlohmann::json::array();
    for (const ChecklistItem& it : items)
        j.push_back({{"id", it.id},
                     {"title", it.title},
                     {"status", checkStatusName(it.status)},
                     {"detail", it.detail},
                     {"fix", {{"place", fixPlaceName(it.fix)}, {"field", it.fixField}, {"hint", it.fixHint}}}});
    return nlohmann::json({{"checklist", j}}).dump(2);
}

std::string checklistToText(const std::vector<ChecklistItem>& items) {
    std::ostringstream s;
    for (const ChecklistItem& it : items) {
        std::string status = checkStatusName(it.status);
        status.resize(11, ' ');
        s << "[" << status << "] " << it.title << "\n              " << it.detail << "\n";
        if (it.status != CheckStatus::Pass)
            s << "              fix (" << fixPlaceName(it.fix) << (it.fixField.empty() ? "" : ": " + it.fixField)
              << "): " << it.fixHint << "\n";
    }
    return s.str();
}

}  // namespace cms::analysis
