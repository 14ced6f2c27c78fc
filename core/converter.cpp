#include "converter.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <set>

#include "common/cancellation.h"
#include "common/error.h"
#include "common/log.h"
#include "compress/compress_program.h"
#include "frontends/keras/keras_importer.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/load_time_code.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "lower/lowering.h"
#include "package/package.h"
#include "passes/pass.h"

#ifndef CMS_VERSION
#define CMS_VERSION "unknown"
#endif

namespace cms {

namespace fs = std::filesystem;

namespace {

const char* const kExportHint =
    "export the model from PyTorch with torch.jit.trace(model.eval(), example_input).save(\"model.pt\") "
    "and convert that file";

// SavedModel folders and frozen graphs hold TensorFlow graphs, not Keras layers.
const char* const kTensorFlowHint =
    "load the model in TensorFlow and save its Keras model with model.save(\"model.keras\") (or \"model.h5\"), "
    "then convert that file";

std::string lowerExtension(const std::string& path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

void report(const ProgressFn& progress, Stage stage, double fraction, const std::string& message) {
    if (progress) progress(stage, fraction, message);
}

void checkCancel(const CancelToken* cancel) {
    if (cancel) cancel->throwIfCancelled();
}

// The token's check for the cancellation points inside import, lowering and writing.
std::function<void()> cancelCheck(const CancelToken* cancel) {
    if (!cancel) return {};
    return [cancel] { cancel->throwIfCancelled(); };
}

// Counts ops by type in a block and everything nested in it.
void countOps(const mil::Block& block, std::map<std::string, size_t>& histogram) {
    for (const auto& op : block.ops) {
        ++histogram[op->type];
        for (const auto& nested : op->blocks) countOps(*nested, histogram);
    }
}

uint64_t folderBytes(const std::string& path) {
    uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    return total;
}

mil::Program lowerStage(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings,
                        const ProgressFn& progress) {
    report(progress, Stage::Lower, 0.0, "lowering " + std::to_string(graph.nodeCount()) + " source ops");
    mil::Program program = lower::lowerGraph(graph, settings, warnings);
    report(progress, Stage::Lower, 1.0, std::to_string(mil::countOps(program)) + " MIL ops");
    return program;
}

void passStage(mil::Program& program, const ConversionSettings& settings, const ProgressFn& progress,
               const CancelToken* cancel) {
    std::vector<std::string> passLog;
    passes::PassContext ctx;
    ctx.precision = settings.precision;
    ctx.fp32Ops = settings.fp32Ops;
    ctx.log = &passLog;
    const passes::PassPipeline pipeline = passes::PassPipeline::defaultPipeline(ctx);
    const size_t total = pipeline.names().size();
    size_t done = 0;
    report(progress, Stage::Passes, 0.0, std::to_string(total) + " passes");
    // Cancellation is checked after each pass: the callback's exception ends the pipeline.
    pipeline.run(program, ctx, [&](const std::string& name, bool changed) {
        ++done;
        if (done < total)  // the stage's last report is the summary below
            report(progress, Stage::Passes, double(done) / double(total), name + (changed ? "" : " (no change)"));
        checkCancel(cancel);
    });
    report(progress, Stage::Passes, 1.0,
           std::to_string(total) + " passes, " + std::to_string(mil::countOps(program)) + " MIL ops left");
    for (const std::string& line : passLog) logger()->info("{}", line);
}

package::FeatureDescription::Kind featureKind(const InputSpec* spec) {
    return spec && spec->image ? package::FeatureDescription::Kind::Image
                               : package::FeatureDescription::Kind::MultiArray;
}

// The shape and dtype a model file declares for an input (Keras models do; TorchScript archives do not).
std::optional<InputSpec> declaredInput(const ir::Graph& graph, const std::string& name) {
    const auto it = std::find(graph.inputNames.begin(), graph.inputNames.end(), name);
    const size_t index = static_cast<size_t>(it - graph.inputNames.begin());
    if (it == graph.inputNames.end() || index >= graph.top().inputs.size()) return std::nullopt;
    const ir::Value* v = graph.top().inputs[index];
    if (!v->shapeKnown) return std::nullopt;
    InputSpec spec;
    spec.name = name;
    spec.shape = v->shape;
    spec.dtype = v->dtype == DType::Int32 ? DType::Int32 : DType::Float32;
    return spec;
}

}  // namespace

const char* stageName(Stage s) {
    switch (s) {
        case Stage::Import: return "import";
        case Stage::Lower: return "lower";
        case Stage::Passes: return "passes";
        case Stage::Compress: return "compress";
        case Stage::Write: return "write";
        case Stage::Verify: return "verify";
    }
    return "stage";
}

void CancelToken::throwIfCancelled() const {
    if (cancelled_) throw Error(ErrorKind::Cancelled, "the conversion was cancelled");
}

std::string converterVersion() { return CMS_VERSION; }

ir::Graph importModel(const std::string& path, bool noModelCode) {
    const frontends::ArchiveProbe probe = frontends::probeArchive(path);
    const std::string ext = lowerExtension(path);
    if (probe.kind == frontends::ArchiveKind::TorchScript) {
        try {
            if (noModelCode) frontends::refuseCodeRunAtLoad(path);
            return frontends::importTorchScript(path);
        } catch (const Error& e) {
            throw e.withFile(path);
        }
    }
    std::error_code ec;
    if (!fs::exists(path, ec)) {
        const auto d = frontends::diagnoseArchive(frontends::ArchiveKind::Missing);
        throw Error(ErrorKind::Input, d.message, {path, {}}, d.hint);
    }
    if (ext == ".mlpackage" || ext == ".mlmodel")
        throw Error(ErrorKind::Input, "this is already a Core ML model", {path, {}},
                    "inspect it with `coreml-cli inspect`; convert the original PyTorch model instead");
    if (fs::is_directory(path, ec) && fs::exists(fs::path(path) / "saved_model.pb", ec))
        throw Error(ErrorKind::Unsupported, "TensorFlow SavedModel folders are not supported", {path, {}},
                    kTensorFlowHint);
    if (fs::is_directory(path, ec))
        throw Error(ErrorKind::Input, "this is a folder, not a model file", {path, {}},
                    "name the model file itself (TorchScript .pt, Keras .h5 or .keras)");
    // Formats people reasonably try, each with its own way forward.
    if (ext == ".onnx")
        throw Error(ErrorKind::Unsupported, "ONNX models are not supported: convert from PyTorch directly", {path, {}},
                    kExportHint);
    const bool kerasZip = probe.kind == frontends::ArchiveKind::OtherZip &&
                          std::find(probe.entries.begin(), probe.entries.end(), "config.json") != probe.entries.end();
    // A damaged .h5/.keras file goes to the Keras reader too, which says what is wrong with it.
    if (probe.kind == frontends::ArchiveKind::Hdf5 || kerasZip || ext == ".h5" || ext == ".hdf5" || ext == ".keras") {
        try {
            return frontends::importKeras(path);
        } catch (const Error& e) {
            throw e.withFile(path);
        }
    }
    if (ext == ".pb")
        throw Error(ErrorKind::Unsupported, "TensorFlow frozen graphs (.pb) are not supported", {path, {}},
                    kTensorFlowHint);
    if (ext == ".tflite")
        throw Error(ErrorKind::Unsupported, "TensorFlow Lite models are not supported", {path, {}}, kTensorFlowHint);
    const auto d = frontends::diagnoseArchive(probe.kind);
    throw Error(ErrorKind::Input, d.message, {path, {}}, d.hint);
}

void checkDeploymentTarget(const ConversionSettings& settings) {
    const mil::Target target = settings.target;
    std::vector<const InputSpec*> enumerated;
    for (const InputSpec& in : settings.inputs)
        if (!in.enumeratedShapes.empty()) enumerated.push_back(&in);
    if (enumerated.size() > 1) {
        std::string names;
        for (const InputSpec* in : enumerated) names += (names.empty() ? "\"" : ", \"") + in->name + "\"";
        if (target < mil::Target::iOS18)
            throw Error(ErrorKind::Settings,
                        "inputs " + names + " all have enumerated shapes, and Core ML accepts enumerated shapes on "
                        "more than one input only from iOS18 on (the deployment target is " + mil::targetName(target) + ")",
                        {}, "either raise the target (--target iOS18), or keep enumerated shapes on one input and give "
                            "the others a fixed shape or dimension ranges");
        const auto defaultIndex = [](const InputSpec* in) {
            return std::find(in->enumeratedShapes.begin(), in->enumeratedShapes.end(), in->shape) - in->enumeratedShapes.begin();
        };
        for (const InputSpec* in : enumerated)
            if (in->enumeratedShapes.size() == enumerated.front()->enumeratedShapes.size() &&
                defaultIndex(in) != defaultIndex(enumerated.front()))
                throw Error(ErrorKind::Settings,
                            "the default shapes of inputs " + names + " are at different positions of their enumerated "
                            "shapes; Core ML accepts only the n-th shapes of all enumerated inputs together",
                            {}, "give \"" + in->name + "\" the default at position " +
                                    std::to_string(defaultIndex(enumerated.front()) + 1) + " (as \"" +
                                    enumerated.front()->name + "\" has), or reorder the shapes");
        for (const InputSpec* in : enumerated)
            if (in->enumeratedShapes.size() != enumerated.front()->enumeratedShapes.size())
                throw Error(ErrorKind::Settings,
                            "inputs " + names + " have enumerated shapes in different numbers (\"" +
                                enumerated.front()->name + "\" " + std::to_string(enumerated.front()->enumeratedShapes.size()) +
                                ", \"" + in->name + "\" " + std::to_string(in->enumeratedShapes.size()) +
                                "); Core ML accepts only the n-th shapes of all enumerated inputs together, so each needs "
                            "the same count",
                            {}, "list the same number of shapes for each enumerated input (the n-th shapes go together)");
    }
    if (!settings.states.empty() && target < mil::Target::iOS18)
        throw Error(ErrorKind::Settings,
                    "the model keeps " + std::to_string(settings.states.size()) + " state(s) (" +
                        formatStateSpec(settings.states.front()) + (settings.states.size() > 1 ? ", ..." : "") +
                        "), and Core ML has states only from iOS18 on (the deployment target is " +
                        mil::targetName(target) + ")",
                    {}, "either raise the target (--target iOS18), or drop the --state options (a model that writes "
                        "its buffers in place then cannot be converted)");
    for (const InputSpec& in : settings.inputs) {
        if (in.dtype == DType::Float16 && target < mil::Target::iOS16)
            throw Error(ErrorKind::Settings,
                        "input \"" + in.name + "\" is fp16, and Core ML accepts fp16 model inputs only from iOS16 on "
                        "(the deployment target is " + mil::targetName(target) + ")",
                        {}, "either raise the target (--target iOS16 or later), or keep the input fp32 (drop "
                            "dtype=fp16; with --precision fp16 the model still computes in fp16)");
    }
}

ConversionSettings completeSettings(const ir::Graph& graph, ConversionSettings settings) {
    const std::string& file = graph.sourcePath.empty() ? settings.modelPath : graph.sourcePath;
    const std::vector<std::string>& modelInputs = graph.inputNames;

    for (const InputSpec& in : settings.inputs)
        if (std::find(modelInputs.begin(), modelInputs.end(), in.name) == modelInputs.end())
            throw Error(ErrorKind::Settings,
                        "the model has no input named \"" + in.name + "\"; its inputs are: " +
                            (modelInputs.empty() ? std::string("(none)") : joinNames(modelInputs)),
                        {file, {}}, "use the model's input names in --input NAME:SHAPE (see `coreml-cli ops MODEL`)");

    // TorchScript archives do not record input shapes, so every input needs one from the user.
    std::vector<InputSpec> ordered;
    std::vector<std::string> missing;
    for (const std::string& name : modelInputs) {
        const auto it = std::find_if(settings.inputs.begin(), settings.inputs.end(),
                                     [&](const InputSpec& in) { return in.name == name; });
        if (it != settings.inputs.end()) ordered.push_back(*it);
        else if (const auto declared = declaredInput(graph, name)) ordered.push_back(*declared);
        else missing.push_back(name);
    }
    if (!missing.empty()) {
        std::string examples;
        for (const auto& name : missing) examples += (examples.empty() ? "" : " ") + ("--input " + name + ":SHAPE");
        throw Error(ErrorKind::Settings,
                    "no shape is given for model input" + std::string(missing.size() > 1 ? "s " : " ") +
                        joinNames(missing) + " (TorchScript files do not record input shapes)",
                    {file, {}}, "pass " + examples + " (for example --input " + missing.front() +
                                     ":1x3x224x224), or list the input under \"inputs\" in the settings file");
    }
    settings.inputs = std::move(ordered);
    // An image for a channels-last model may be given in the model's layout ([1, H, W, C], as coremltools'
    // ImageType for TensorFlow): the image itself is always [1, C, H, W]; lowering transposes it.
    for (InputSpec& in : settings.inputs)
        if (const auto declared = declaredInput(graph, in.name); in.image && declared && in.shape == declared->shape &&
                                                                 in.shape.size() == 4 && in.shape[3] <= 3 && in.shape[1] > 3)
            in.shape = {in.shape[0], in.shape[3], in.shape[1], in.shape[2]};

    // Output names are checked by lowering, which knows how many tensors a returned tuple flattens to.

    std::set<std::string> seen;
    for (const InputSpec& in : settings.inputs) seen.insert(in.name);
    for (const OutputSpec& out : settings.outputs)
        if (!seen.insert(out.name).second)
            throw Error(ErrorKind::Settings, "the name \"" + out.name + "\" is used twice among inputs and outputs",
                        {file, {}}, "rename the output with --output-name");

    try {
        checkDeploymentTarget(settings);
    } catch (const Error& e) {
        throw e.withFile(file);
    }
    return settings;
}

mil::Program buildProgram(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings,
                          const ProgressFn& progress, const CancelToken* cancel) {
    const CancelCheckScope cancelPoints(cancelCheck(cancel));
    checkCancel(cancel);
    mil::Program program = lowerStage(graph, settings, warnings, progress);
    checkCancel(cancel);
    passStage(program, settings, progress, cancel);
    return program;
}

package::ModelDescription describeProgram(const mil::Program& program, const ConversionSettings& settings) {
    using package::FeatureDescription;
    package::ModelDescription d;
    const mil::Function& main = program.main();

    for (size_t i = 0; i < main.inputs.size(); ++i) {
        const mil::Value* v = main.inputs[i];
        if (v->type.state) {  // states follow the inputs; Core ML lists them apart
            FeatureDescription f;
            f.name = v->name;
            f.dtype = v->type.dtype;
            f.shape = v->type.shape;
            d.states.push_back(f);
            continue;
        }
        const InputSpec* spec = i < settings.inputs.size() ? &settings.inputs[i] : nullptr;
        FeatureDescription f;
        f.name = v->name;
        f.kind = featureKind(spec);
        // With fp16 precision the program computes in fp16 behind casts; the interface keeps the
        // dtype the program's inputs declare (fp32 unless the user asked for fp16 inputs).
        f.dtype = v->type.dtype;
        f.shape = v->type.shape;
        if (f.kind == FeatureDescription::Kind::Image) f.colorLayout = spec->image->layout;
        if (spec && (f.kind == FeatureDescription::Kind::Image || spec->isFlexible())) {
            // The program's input has unknown dimensions where the shape may vary; the description
            // carries the default shape and what may vary, as Core ML expects.
            f.shape = spec->shape;
            if (spec->hasRanges())
                for (size_t k = 0; k < spec->shape.size(); ++k) {
                    const auto& r = k < spec->ranges.size() ? spec->ranges[k] : std::nullopt;
                    f.shapeRange.emplace_back(r ? r->lower : spec->shape[k], r ? r->upper : spec->shape[k]);
                }
            // One enumerated input lists its default first, as coremltools writes it; several keep the
            // given order, as Core ML accepts the n-th shapes of all of them together.
            const size_t enumeratedInputs = static_cast<size_t>(std::count_if(
                settings.inputs.begin(), settings.inputs.end(), [](const InputSpec& s) { return !s.enumeratedShapes.empty(); }));
            if (enumeratedInputs > 1) {
                f.enumeratedShapes = spec->enumeratedShapes;
            } else {
                if (!spec->enumeratedShapes.empty()) f.enumeratedShapes.push_back(spec->shape);
                for (const Shape& e : spec->enumeratedShapes)
                    if (e != spec->shape) f.enumeratedShapes.push_back(e);
            }
        }
        d.inputs.push_back(f);
    }

    for (const mil::Value* v : main.body.outputs) {
        const DType dt = v->type.dtype;
        if (dt != DType::Float32 && dt != DType::Float16 && dt != DType::Float64 && dt != DType::Int32)
            throw Error(ErrorKind::Conversion,
                        "output \"" + v->name + "\" is " + dtypeName(dt) +
                            ", which a Core ML model cannot return (outputs are fp32, fp16, fp64 or int32)",
                        {settings.modelPath, v->producer ? v->producer->prov.describe() : std::string()},
                        "cast the output in the model (e.g. `.float()` or `.int()`) before exporting it");
        if (dt == DType::Float16 && program.target < mil::Target::iOS16)
            throw Error(ErrorKind::Conversion,
                        "output \"" + v->name + "\" is fp16, which Core ML returns only from iOS16 on",
                        {settings.modelPath, v->producer ? v->producer->prov.describe() : std::string()},
                        "either raise the target (--target iOS16 or later), or make the output fp32 in the model");
        FeatureDescription f;
        f.name = v->name;
        f.kind = FeatureDescription::Kind::MultiArray;
        f.dtype = dt;
        // An output whose size depends on a flexible input has no fixed shape to declare.
        if (v->type.isStatic()) f.shape = v->type.shape;
        d.outputs.push_back(f);
    }

    // What the user set, plus a truthful record of how the package was made.
    d.metadata = settings.metadata;
    d.metadata.userDefined["cms.converter"] = "Core ML Conversion Studio";
    d.metadata.userDefined["cms.converter.version"] = converterVersion();
    if (!settings.modelPath.empty())
        d.metadata.userDefined["cms.source"] = fs::path(settings.modelPath).filename().string();
    d.metadata.userDefined["cms.precision"] = precisionName(settings.precision);
    return d;
}

namespace {

// Element counts past 2^48 overflow the 64-bit size and stride arithmetic of lowering (and fit no device). The
// settings readers refuse them already; settings built in code (the studio, tests) are checked here.
void checkShapeSizes(const ConversionSettings& settings) {
    constexpr int64_t kMaxElements = int64_t(1) << 48;
    for (const InputSpec& in : settings.inputs) {
        int64_t elements = 1;
        for (const int64_t d : in.shape) {
            if (d <= 0) continue;  // unknown or flexible: checked against its range elsewhere
            if (__builtin_mul_overflow(elements, d, &elements) || elements > kMaxElements)
                throw Error(ErrorKind::Settings,
                            "the input " + in.name + " has the shape " + shapeToString(in.shape) +
                                ", more than 2^48 elements",
                            {}, "give the input a shape the device can hold (e.g. 1x3x224x224)");
        }
    }
}

// Drops the data of the graph's weight tensors (constants of 1024 elements or more); the values stay constant-free
// placeholders that only the graph's structure, names and warnings are read from afterwards.
void releaseWeightData(ir::Graph& graph) {
    for (const ir::Node* n : graph.allNodes())
        for (ir::Value* v : n->inputs)
            if (v->constant)
                if (const Tensor* t = std::get_if<Tensor>(&*v->constant); t && t->numel() >= 1024) v->constant.reset();
}

}  // namespace

ConversionReport convertModel(const ConversionSettings& requested, const ProgressFn& progress,
                              const CancelToken* cancel, std::shared_ptr<ir::Graph>* imported) {
    using Clock = std::chrono::steady_clock;
    const auto seconds = [](Clock::time_point since) {
        return std::chrono::duration<double>(Clock::now() - since).count();
    };
    if (requested.modelPath.empty())
        throw Error(ErrorKind::Settings, "no model file is given", {}, "name the TorchScript file to convert");
    if (requested.outputPath.empty())
        throw Error(ErrorKind::Settings, "no output package is given", {requested.modelPath, {}},
                    "name the package to write, e.g. -o Model.mlpackage");
    if (lowerExtension(requested.outputPath) != ".mlpackage")
        throw Error(ErrorKind::Settings, "the output must be a folder ending in .mlpackage", {requested.outputPath, {}},
                    "name the output like Model.mlpackage (Xcode and Core ML recognise packages by that suffix)");

    try {
        checkShapeSizes(requested);
        checkDeploymentTarget(requested);  // before the import: it needs only the settings
        rejectUnsupportedSettings(requested);
        compress::checkCompressionTarget(requested.compression, requested.target);
    } catch (const Error& e) {
        throw e.withFile(requested.modelPath);
    }
    ConversionReport result;
    const CancelCheckScope cancelPoints(cancelCheck(cancel));
    checkCancel(cancel);

    auto t = Clock::now();
    report(progress, Stage::Import, 0.0, "reading " + requested.modelPath);
    const auto importedGraph = std::make_shared<ir::Graph>(importModel(requested.modelPath, requested.noReference));
    if (imported) *imported = importedGraph;
    ir::Graph& graph = *importedGraph;
    result.warnings = graph.warnings;
    report(progress, Stage::Import, 1.0, std::to_string(graph.nodeCount()) + " source ops");
    result.stageSeconds[stageName(Stage::Import)] = seconds(t);
    checkCancel(cancel);

    const ConversionSettings settings = completeSettings(graph, requested);
    mil::Program program;
    try {
        t = Clock::now();
        program = lowerStage(graph, settings, &result.warnings, progress);
        result.stageSeconds[stageName(Stage::Lower)] = seconds(t);
        checkCancel(cancel);

        t = Clock::now();
        passStage(program, settings, progress, cancel);
        result.stageSeconds[stageName(Stage::Passes)] = seconds(t);
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Conversion) throw e.withFile(settings.modelPath);
        // Most conversion errors on models that run in PyTorch come from input shapes that are not
        // the ones the model was built for: show what was given.
        std::string given;
        for (const InputSpec& in : settings.inputs) given += (given.empty() ? "" : ", ") + in.name + ":" + formatInputShape(in);
        throw Error(e.kind(), e.message(), {e.file().empty() ? settings.modelPath : e.file(), e.node()},
                    (e.hint().empty() ? std::string() : e.hint() + "; ") + "the input shapes given were " + given +
                        ": check them against what the model expects (--input NAME:SHAPE)");
    }
    checkCancel(cancel);

    if (!settings.compression.empty()) {
        // The program now holds every weight it needs: the imported graph's references would keep each source
        // tensor alive while its compressed form is made.
        releaseWeightData(graph);
        t = Clock::now();
        report(progress, Stage::Compress, 0.0, "compressing weights");
        try {
            const compress::CompressionSummary summary = compress::compressProgram(program, settings.compression);
            result.compressedWeights = summary.weights.size();
            result.weightBytesBefore = summary.bytesBefore();
            result.weightBytesAfter = summary.bytesAfter();
        } catch (const Error& e) {
            throw e.withFile(settings.modelPath);
        }
        report(progress, Stage::Compress, 1.0,
               std::to_string(result.compressedWeights) + " weights compressed, " +
                   std::to_string(result.weightBytesBefore) + " -> " + std::to_string(result.weightBytesAfter) + " bytes");
        result.stageSeconds[stageName(Stage::Compress)] = seconds(t);
        checkCancel(cancel);
    }

    const package::ModelDescription description = describeProgram(program, settings);
    t = Clock::now();
    report(progress, Stage::Write, 0.0, "writing " + settings.outputPath);
    package::writePackage(program, description, settings.outputPath);
    result.packageBytes = folderBytes(settings.outputPath);
    report(progress, Stage::Write, 1.0, std::to_string(result.packageBytes) + " bytes");
    result.stageSeconds[stageName(Stage::Write)] = seconds(t);

    // Read the package back: what Core ML will see must be what we meant to write.
    t = Clock::now();
    report(progress, Stage::Verify, 0.0, "reading the package back");
    const package::PackageContents back = package::readPackage(settings.outputPath);
    if (!(back.description == description) || mil::countOps(back.program) != mil::countOps(program))
        throw Error(ErrorKind::Internal,
                    "the package reads back differently from what was written (description or op count differs)",
                    {settings.outputPath, {}}, "this is a converter bug: please report it with the model");
    report(progress, Stage::Verify, 1.0, "ok");
    result.stageSeconds[stageName(Stage::Verify)] = seconds(t);

    result.packagePath = settings.outputPath;
    for (const auto& [name, fn] : program.functions) countOps(fn.body, result.opHistogram);
    std::map<std::string, size_t> mainOps;
    countOps(program.main().body, mainOps);
    for (const auto& [type, n] : mainOps)
        if (type != "const") result.opCount += n;
    return result;
}

}  // namespace cms
