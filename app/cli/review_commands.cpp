#include "review_commands.h"

#include <cstdio>
#include <filesystem>
#include <optional>

#include <unistd.h>

#include "analysis/production_checklist.h"
#include "analysis/swift_snippet.h"
#include "commands.h"
#include "common/error.h"
#include "converter.h"
#include "ir/graph.h"
#include "package/package.h"

namespace cms::cli {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kUnits = {"ALL", "CPU_AND_GPU", "CPU_ONLY", "CPU_AND_NE"};

// A temporary package folder removed when the command ends (checklist without -o).
class ScratchPackage {
public:
    ScratchPackage() {
        dir_ = fs::temp_directory_path() / ("coreml-cli-checklist-" + std::to_string(::getpid()));
        fs::create_directories(dir_);
    }
    ~ScratchPackage() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    std::string path() const { return (dir_ / "model.mlpackage").string(); }

private:
    fs::path dir_;
};

}  // namespace

CLI::App* addSwiftCommand(CLI::App& app, SwiftOptions& o) {
    CLI::App* c = app.add_subcommand("swift", "Print Swift code that loads a package and runs a prediction with its "
                                              "real input and output names and types");
    c->add_option("PACKAGE", o.package, "The .mlpackage")->required();
    c->add_option("--units", o.units, "Compute units for MLModelConfiguration (default ALL)")
        ->check(CLI::IsMember(kUnits));
    return c;
}

int runSwift(const SwiftOptions& o) {
    const package::PackageContents contents = package::readPackage(o.package);
    const std::string name = fs::path(o.package).filename().replace_extension().string();
    std::fputs(analysis::swiftSnippet(contents.description, name, *computeUnitsFromName(o.units)).c_str(), stdout);
    return 0;
}

CLI::App* addChecklistCommand(CLI::App& app, ChecklistOptions& o) {
    CLI::App* c = app.add_subcommand("checklist", "Convert a model and evaluate the production checklist for it (eval "
                                                  "mode, preprocessing, format, accuracy, compression, Neural Engine, "
                                                  "memory, fallback)");
    c->add_option("MODEL", o.model, "TorchScript or Keras model");
    c->add_option("--config", o.config, "Settings file (JSON); command-line options override it");
    c->add_option("--input", o.inputs, "NAME:SHAPE[...] as for convert; once per model input")->allow_extra_args(false);
    c->add_option("-o,--output", o.output, "Keep the converted package here (default: a temporary one)");
    c->add_option("--units", o.units, "Compute units (default: the settings', else ALL)")->check(CLI::IsMember(kUnits));
    c->add_flag("--verify", o.verify, "Also run the accuracy check (libtorch against the package)");
    c->add_option("--inputs", o.inputFiles, "With --verify: input data files (.npz, .npy, images), as for verify")
        ->allow_extra_args(false);
    c->add_flag("--json", o.json, "Print JSON");
    return c;
}

int runChecklist(const ChecklistOptions& o) {
    ConversionSettings s;
    if (!o.config.empty()) {
        s = loadSettings(o.config);
        const fs::path base = fs::absolute(o.config).parent_path();
        if (!s.modelPath.empty() && fs::path(s.modelPath).is_relative()) s.modelPath = (base / s.modelPath).string();
    }
    if (!o.model.empty()) s.modelPath = o.model;
    if (s.modelPath.empty()) throw UsageError("checklist: no MODEL given (name it, or set \"model\" in --config)");
    for (const std::string& text : o.inputs) {
        InputSpec in;
        try {
            in = parseInputSpec(text);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        bool replaced = false;
        for (InputSpec& x : s.inputs)
            if (x.name == in.name) x = in, replaced = true;
        if (!replaced) s.inputs.push_back(in);
    }
    if (!o.units.empty()) s.computeUnits = *computeUnitsFromName(o.units);
    ScratchPackage scratch;
    s.outputPath = o.output.empty() ? scratch.path() : o.output;

    std::shared_ptr<ir::Graph> imported;
    const ConversionReport report = convertModel(s, {}, nullptr, &imported);
    const analysis::PackageFacts facts = analysis::packageFacts(s.outputPath, s.computeUnits);
    std::optional<analysis::AccuracyReport> accuracy;
    if (o.verify) {
        analysis::VerifyOptions v;
        v.modelPath = s.modelPath;
        v.packagePath = s.outputPath;
        v.inputFiles = o.inputFiles;
        v.noReference = s.noReference;
        accuracy = analysis::verifyPackage(v);
    }
    analysis::ChecklistData d;
    d.settings = s;
    d.imported = imported != nullptr;
    if (imported) d.importWarnings = imported->warnings;
    d.conversion = &report;
    d.package = &facts.contents;
    d.placement = &facts.placement;
    d.accuracy = accuracy ? &*accuracy : nullptr;
    const std::vector<analysis::ChecklistItem> items = analysis::evaluateChecklist(d);
    if (o.json) std::printf("%s\n", analysis::checklistToJson(items).c_str());
    else std::printf("Production checklist for %s\n%s", s.modelPath.c_str(), analysis::checklistToText(items).c_str());
    for (const analysis::ChecklistItem& it : items)
        if (it.status == analysis::CheckStatus::Fail) return 1;
    return 0;
}

}  // namespace cms::cli
