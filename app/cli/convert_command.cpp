// `coreml-cli convert`: settings from a file and/or the command line, then the whole conversion.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "analysis/accuracy_report.h"
#include "analysis/unsupported_report.h"
#include "commands.h"
#include "common/error.h"
#include "compress/size_report.h"
#include "converter.h"
#include "package/package.h"
#include "progress_printer.h"

namespace cms::cli {

namespace fs = std::filesystem;

namespace {

// Paths inside a settings file are relative to the file's folder, so a project folder can move.
std::string resolveFrom(const std::string& baseFile, const std::string& path) {
    if (path.empty() || fs::path(path).is_absolute()) return path;
    return (fs::absolute(baseFile).parent_path() / path).lexically_normal().string();
}

std::string relativeTo(const std::string& baseFile, const std::string& path) {
    if (path.empty()) return path;
    std::error_code ec;
    const fs::path rel = fs::relative(fs::absolute(path), fs::absolute(baseFile).parent_path(), ec);
    return ec || rel.empty() ? fs::absolute(path).string() : rel.string();
}

ConversionSettings mergeSettings(const ConvertOptions& o) {
    ConversionSettings s;
    if (!o.config.empty()) {
        s = loadSettings(o.config);
        s.modelPath = resolveFrom(o.config, s.modelPath);
        s.outputPath = resolveFrom(o.config, s.outputPath);
        for (std::string& c : s.composites)
            if (c.rfind("builtin:", 0) != 0) c = resolveFrom(o.config, c);
    }
    // The command line overrides the file, key by key.
    if (!o.model.empty()) s.modelPath = o.model;
    if (!o.output.empty()) s.outputPath = o.output;
    for (const std::string& text : o.inputs) {
        InputSpec in;
        try {
            in = parseInputSpec(text);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        auto it = std::find_if(s.inputs.begin(), s.inputs.end(), [&](const InputSpec& x) { return x.name == in.name; });
        if (it != s.inputs.end()) *it = in;
        else s.inputs.push_back(in);
    }
    for (const std::string& text : o.states) {
        StateSpec st;
        try {
            st = parseStateSpec(text);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        auto it = std::find_if(s.states.begin(), s.states.end(), [&](const StateSpec& x) { return x.name == st.name; });
        if (it != s.states.end()) *it = st;
        else s.states.push_back(st);
    }
    if (!o.outputNames.empty()) {
        s.outputs.clear();
        for (const std::string& name : o.outputNames) s.outputs.push_back({name});
    }
    if (!o.precision.empty()) s.precision = *precisionFromName(o.precision);
    if (!o.target.empty()) s.target = *mil::targetFromName(o.target);
    // Command-line composites come after the file's, so they override them.
    s.composites.insert(s.composites.end(), o.composites.begin(), o.composites.end());
    if (!o.compress.empty()) s.compression = loadCompressionYaml(o.compress);
    for (const std::string& k : o.keepFp32)
        if (std::find(s.fp32Ops.begin(), s.fp32Ops.end(), k) == s.fp32Ops.end()) s.fp32Ops.push_back(k);
    if (o.noReference) s.noReference = true;
    return s;
}

void printReport(const ConversionReport& r, const ConversionSettings& s, double seconds, int verbosity) {
    std::printf("Wrote %s: %s, %zu ops (%s, %s) in %.2f s\n", r.packagePath.c_str(), humanBytes(r.packageBytes).c_str(),
                r.opCount, precisionName(s.precision).c_str(), mil::targetName(s.target).c_str(), seconds);
    if (r.compressedWeights)
        std::printf("Compressed %zu weights: %s -> %s (%.2fx)\n", r.compressedWeights,
                    humanBytes(r.weightBytesBefore).c_str(), humanBytes(r.weightBytesAfter).c_str(),
                    r.weightBytesAfter ? double(r.weightBytesBefore) / double(r.weightBytesAfter) : 0.0);
    for (const std::string& w : r.warnings) std::printf("warning: %s\n", w.c_str());
    if (verbosity < 1) return;
    std::printf("Stage times:\n");
    for (Stage stage : {Stage::Import, Stage::Lower, Stage::Passes, Stage::Compress, Stage::Write, Stage::Verify}) {
        const auto it = r.stageSeconds.find(stageName(stage));
        if (it != r.stageSeconds.end()) std::printf("  %-8s %7.3f s\n", it->first.c_str(), it->second);
    }
    std::printf("Ops:\n");
    for (const auto& [type, n] : r.opHistogram) std::printf("  %-24s %6zu\n", type.c_str(), n);
}

void writeText(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.good())
        throw Error(ErrorKind::Input, "cannot write the report", ErrorLocation{path, {}}, "check that the folder exists and is writable");
}

// The model uses ops that cannot be converted: the report (from the graph the conversion imported),
// then the summary as the error.
int reportUnsupported(ir::Graph& graph, const ConversionSettings& settings, const std::string& reportPath,
                      const Error& original) {
    const ConversionSettings complete = completeSettings(graph, settings);
    const analysis::UnsupportedReport report = analysis::buildUnsupportedReport(graph, complete);
    if (report.empty()) throw original;  // not an op problem after all (e.g. a composite file)
    if (!reportPath.empty()) writeText(reportPath, analysis::reportToJson(report));
    std::fprintf(stderr, "coreml-cli: unsupported: %s: %s", settings.modelPath.c_str(), analysis::reportSummary(report).c_str());
    const std::string json = reportPath.empty() ? std::string(" (--report FILE.json writes it as JSON)")
                                                : ", and " + reportPath + " has it as JSON";
    std::fprintf(stderr, "What to do: follow the next step of each op; `coreml-cli ops %s` shows the full report%s.\n",
                 settings.modelPath.c_str(), json.c_str());
    return 1;
}

// After a compressed conversion: the size report of the package written (every weight was a dense
// constant of the conversion precision before), as text and, with --size-report, as JSON.
void printSizeReport(const ConvertOptions& o, const ConversionSettings& s) {
    if (s.compression.empty()) return;
    const package::PackageContents written = package::readPackage(s.outputPath);
    const compress::SizeReport report = compress::buildSizeReport(nullptr, written.program, s.outputPath);
    if (!o.sizeReportPath.empty()) writeText(o.sizeReportPath, compress::sizeReportToJson(report).dump(2) + "\n");
    std::fputs(compress::sizeReportText(report).c_str(), stdout);
}

analysis::VerifyOptions verifyOptions(const ConvertOptions& o, const ConversionSettings& s) {
    analysis::VerifyOptions v;
    v.modelPath = s.modelPath;
    v.packagePath = s.outputPath;
    v.criteria = o.criteria.criteria();
    v.noReference = s.noReference;
    return v;
}

}  // namespace

CLI::App* addConvertCommand(CLI::App& app, ConvertOptions& o) {
    CLI::App* c =
        app.add_subcommand("convert", "Convert a TorchScript (.pt) or Keras (.h5, .keras) model to a Core ML package");
    c->add_option("MODEL", o.model,
                  "TorchScript file (torch.jit.trace / torch.jit.script output) or Keras model (.h5, .keras)");
    c->add_option("-o,--output", o.output, "Package to write, e.g. Model.mlpackage (replaced only on success)");
    c->add_option("--input", o.inputs,
                  "NAME:1x3x224x224[:image,scale=S,bias=R,G,B,layout=RGB|BGR|GRAYSCALE][:dtype=fp32|fp16|int32]; "
                  "once per model input")
        ->allow_extra_args(false);
    c->add_option("--state", o.states,
                  "NAME:SHAPE, e.g. k_cache:1x4x64x16: a buffer the model writes in place (a KV cache), kept as a "
                  "Core ML state between predictions (iOS18); once per such buffer")
        ->allow_extra_args(false);
    c->add_option("--output-name", o.outputNames, "Name for the model's outputs, in order; repeat per output")
        ->allow_extra_args(false);
    c->add_option("--precision", o.precision, "Compute precision (default fp16, with fp32 inputs/outputs)")
        ->check(CLI::IsMember({"fp16", "fp32"}));
    c->add_option("--target", o.target, "Deployment target (default iOS15)")
        ->check(CLI::IsMember({"iOS15", "iOS16", "iOS17", "iOS18"}));
    c->add_option("--config", o.config, "Settings file (JSON); command-line options override it");
    c->add_option("--save-config", o.saveConfig, "Write the merged settings to this file (converts too when an "
                                                 "output is known)");
    CLI::Option* verify = c->add_flag("--verify", o.verify,
                                      "Then check the package against the model on seeded random inputs (as "
                                      "`coreml-cli verify`); exit code 3 when the check fails");
    for (CLI::Option* criterion : addCriteriaOptions(*c, o.criteria, "With --verify: ")) criterion->needs(verify);
    c->add_flag("--no-reference", o.noReference,
                "With --verify: never run the model's code (for untrusted models); compare with its own fp32 "
                "conversion instead of libtorch's run (settings key noReference)");
    c->add_option("--composites", o.composites,
                  "Composite operator file (docs/composites.md), or builtin:NAME for a built-in optional set; "
                  "repeatable, later files override earlier ones and the built-ins")
        ->allow_extra_args(false);
    c->add_option("--compress", o.compress,
                  "Weight compression config (coremltools OptimizationConfig YAML: quantization, palettization, "
                  "pruning); overrides the settings file's \"compression\"");
    c->add_option("--size-report", o.sizeReportPath,
                  "With --compress (or a settings file's compression): write the size report as JSON to this file");
    c->add_option("--report", o.reportPath,
                  "Write the unsupported-op report as JSON to this file (an empty list when every op converts)");
    c->add_option("--keep-fp32", o.keepFp32,
                  "With fp16 precision, keep these ops in fp32: a MIL op type (e.g. softmax) or a module path "
                  "(e.g. encoder.layer.3, globs allowed), as `verify --per-layer` suggests; repeatable")
        ->allow_extra_args(false);
    return c;
}

int runConvert(const ConvertOptions& o, int verbosity) {
    ConversionSettings settings = mergeSettings(o);
    if (!o.saveConfig.empty()) {
        ConversionSettings toSave = settings;
        toSave.modelPath = relativeTo(o.saveConfig, settings.modelPath);
        toSave.outputPath = relativeTo(o.saveConfig, settings.outputPath);
        saveSettings(toSave, o.saveConfig);
        std::printf("Saved settings to %s\n", o.saveConfig.c_str());
        if (settings.outputPath.empty()) return 0;
    }
    if (settings.modelPath.empty()) throw UsageError("convert: no MODEL given (name it, or set \"model\" in --config)");
    if (settings.outputPath.empty())
        throw UsageError("convert: no output given (use -o Model.mlpackage, or set \"output\" in --config)");
    if (!o.sizeReportPath.empty() && settings.compression.empty())
        throw UsageError("convert: --size-report needs a compression config (--compress CONFIG.yaml)");

    ProgressPrinter printer;
    const auto start = std::chrono::steady_clock::now();
    ConversionReport report;
    std::shared_ptr<ir::Graph> imported;
    try {
        report = convertModel(settings, [&](Stage stage, double fraction, const std::string& message) {
            printer.update(stage, fraction, message);
        }, nullptr, &imported);
    } catch (const Error& e) {
        printer.interrupt();
        if (e.kind() == ErrorKind::Unsupported && imported) return reportUnsupported(*imported, settings, o.reportPath, e);
        throw;
    } catch (...) {
        printer.interrupt();
        throw;
    }
    if (!o.reportPath.empty()) {
        analysis::UnsupportedReport none;
        none.model = settings.modelPath;
        writeText(o.reportPath, analysis::reportToJson(none));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.verify) {
        printReport(report, settings, seconds, verbosity);
        printSizeReport(o, settings);
        return 0;
    }
    printer.update(Stage::Verify, 0.0, "running the package and the model on the same inputs");
    analysis::AccuracyReport accuracy;
    try {
        accuracy = analysis::verifyPackage(verifyOptions(o, settings));
    } catch (...) {
        printer.interrupt();
        throw;
    }
    printer.update(Stage::Verify, 1.0, std::string("accuracy ") + (accuracy.passed ? "PASS" : "FAIL"));
    printReport(report, settings, seconds, verbosity);
    printSizeReport(o, settings);
    std::fputs(analysis::reportToText(accuracy).c_str(), stdout);
    return accuracy.passed ? 0 : kAccuracyCheckFailed;
}

std::string humanBytes(uint64_t bytes) { return compress::readableBytes(bytes); }

}  // namespace cms::cli
