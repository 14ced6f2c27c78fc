// `coreml-cli sensitivity MODEL [PKG]`: converts the model (unless it is already a package), measures
// how much each compressible layer hurts the output under each candidate setting, recommends a
// mixed config that meets an SNR target, and optionally writes that config and the compressed package.
#include "sensitivity_command.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/error.h"
#include "compress/compress_program.h"
#include "compress/sensitivity.h"
#include "converter.h"
#include "package/package.h"

namespace cms::cli {

namespace fs = std::filesystem;

namespace {

bool isPackage(const std::string& path) { return fs::path(path).extension() == ".mlpackage" || fs::is_directory(path); }

// A scratch folder for the uncompressed package when the user does not want it kept.
class ScratchFolder {
public:
    ScratchFolder() {
        path_ = fs::temp_directory_path() / ("coreml-cli-sensitivity-" + std::to_string(::getpid()));
        fs::create_directories(path_);
    }
    ~ScratchFolder() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    fs::path path_;
};

ConversionSettings conversionSettings(const SensitivityCommandOptions& o, const std::string& output) {
    ConversionSettings s;
    s.modelPath = o.model;
    s.outputPath = output;
    for (const std::string& text : o.inputs) {
        try {
            s.inputs.push_back(parseInputSpec(text));
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
    }
    s.precision = *precisionFromName(o.precision);
    s.target = *mil::targetFromName(o.target);
    return s;
}

void writeFile(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    if (!out.good())
        throw Error(ErrorKind::Input, "cannot write the file", ErrorLocation{path, {}},
                    "check that the folder exists and is writable");
}

uint64_t folderBytes(const std::string& path) {
    uint64_t total = 0;
    for (const auto& e : fs::recursive_directory_iterator(path))
        if (e.is_regular_file()) total += e.file_size();
    return total;
}

}  // namespace

CLI::App* addSensitivityCommand(CLI::App& app, SensitivityCommandOptions& o) {
    CLI::App* c = app.add_subcommand(
        "sensitivity", "Per-layer compression sensitivity (output SNR with one layer compressed at a time) and the "
                       "smallest mixed config that keeps the whole model above --target-snr");
    c->add_option("MODEL", o.model, "TorchScript model (.pt), converted first; or an existing .mlpackage (iOS16+)")
        ->required();
    c->add_option("PKG", o.package, "Where to write the uncompressed package converted from MODEL (default: not kept)");
    c->add_option("--input", o.inputs, "NAME:1x3x224x224[...]: input shapes for converting MODEL, as convert takes them")
        ->allow_extra_args(false);
    c->add_option("--precision", o.precision, "Compute precision of the conversion")
        ->check(CLI::IsMember({"fp16", "fp32"}))
        ->capture_default_str();
    c->add_option("--target", o.target, "Deployment target of the conversion (compression needs iOS16+; iOS18 adds "
                                         "int4-b32 and pal3 to the default candidates)")
        ->check(CLI::IsMember({"iOS16", "iOS17", "iOS18"}))
        ->capture_default_str();
    c->add_option("--target-snr", o.targetSnrDb, "Whole-model output SNR (dB) the recommendation must keep")
        ->capture_default_str();
    c->add_option("--candidates", o.candidates,
                  "Settings to try, comma-separated: int8 (per channel), int4-bN (per block of N), palN (N-bit k-means "
                  "table per tensor), palN-gG (per group of G channels). Default: int8,pal6,pal4,pal2 (+int4-b32,pal3 "
                  "on iOS18)")
        ->delimiter(',');
    c->add_option("--inputs", o.inputData, "Input data: .npy/.npz arrays or images, as `verify --inputs` (default: "
                                           "seeded random inputs)")
        ->allow_extra_args(false);
    c->add_option("--samples", o.samples, "Random input sets to average over")->check(CLI::Range(1, 64))->capture_default_str();
    c->add_option("--seed", o.seed, "Seed of the random inputs")->capture_default_str();
    c->add_option("--min-elements", o.minElements, "Weights with this many elements or fewer stay uncompressed")
        ->capture_default_str();
    c->add_option("--json", o.jsonPath, "Write the full analysis as JSON to this file");
    c->add_option("--config-out", o.configOut, "Write the recommended config (OptimizationConfig YAML) for convert --compress");
    c->add_option("--compressed-out", o.compressedOut,
                  "Write the package compressed with the recommendation here and measure its SNR end to end");
    return c;
}

int runSensitivity(const SensitivityCommandOptions& o) {
    std::optional<ScratchFolder> scratch;
    std::string packagePath = o.model;
    if (!isPackage(o.model)) {
        if (o.package.empty()) scratch.emplace();
        packagePath = o.package.empty() ? scratch->file("uncompressed.mlpackage") : o.package;
        const ConversionReport c = convertModel(conversionSettings(o, packagePath));
        std::printf("Converted %s to %s (%s, %s)\n", o.model.c_str(), o.package.empty() ? "a scratch package" : packagePath.c_str(),
                    humanBytes(c.packageBytes).c_str(), o.target.c_str());
    } else if (!o.package.empty()) {
        throw UsageError("PKG is where a converted .pt goes; MODEL is already a package");
    }

    compress::SensitivityOptions options;
    options.candidates = o.candidates;
    options.inputFiles = o.inputData;
    options.samples = o.samples;
    options.seed = o.seed;
    options.targetSnrDb = o.targetSnrDb;
    options.minElements = o.minElements;
    const compress::SensitivityReport report = compress::analyseSensitivity(packagePath, options);
    std::printf("%s", compress::sensitivityToText(report).c_str());

    nlohmann::json json = compress::sensitivityToJson(report);
    if (!o.configOut.empty()) {
        saveCompressionYaml(report.recommendation.config, o.configOut);
        std::printf("Wrote the recommended config to %s\n", o.configOut.c_str());
    }
    if (!o.compressedOut.empty()) {
        package::PackageContents contents = package::readPackage(packagePath);
        compress::compressProgram(contents.program, report.recommendation.config);
        package::writePackage(contents.program, contents.description, o.compressedOut);
        const double snr = compress::comparePackages(packagePath, o.compressedOut, options);
        const uint64_t before = folderBytes(packagePath), after = folderBytes(o.compressedOut);
        std::printf("Wrote %s: %s (uncompressed %s, %.2fx smaller), SNR %.1f dB against the uncompressed package\n",
                    o.compressedOut.c_str(), humanBytes(after).c_str(), humanBytes(before).c_str(),
                    after ? double(before) / double(after) : 0.0, snr);
        json["compressed_package"] = {{"path", o.compressedOut}, {"bytes", after}, {"uncompressed_bytes", before},
                                      {"snr_db", std::isfinite(snr) ? nlohmann::json(snr) : nlohmann::json(nullptr)}};
    }
    if (!o.jsonPath.empty()) writeFile(o.jsonPath, json.dump(2) + "\n");
    return 0;
}

}  // namespace cms::cli
