// `coreml-cli compress IN -o OUT --config CFG.yaml`: compresses an existing package's weights per a
// coremltools OptimizationConfig (several configs in order; --joint-compression lets a later one
// compress weights an earlier one already compressed) and prints the size report.
// `coreml-cli decompress IN -o OUT`: every compressed weight back to a dense constant.
// Both write atomically: an existing OUT is replaced only when the new package is complete.
#include "compress_command.h"

#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "common/error.h"
#include "compress/compress_program.h"
#include "compress/decompress.h"
#include "compress/size_report.h"
#include "compress/weights_listing.h"
#include "package/package.h"
#include "settings/compression_config.h"

namespace cms::cli {

namespace {

void checkOutput(const std::string& command, const std::string& output) {
    if (output.empty()) throw UsageError(command + ": no output given (use -o Model.mlpackage)");
    const std::string suffix = ".mlpackage";
    std::string trimmed = output;
    while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
    if (trimmed.size() < suffix.size() || trimmed.compare(trimmed.size() - suffix.size(), suffix.size(), suffix) != 0)
        throw Error(ErrorKind::Settings, "the output must be a folder ending in .mlpackage", {output, {}},
                    "name the output like Model.mlpackage");
}

void writeJson(const std::string& path, const nlohmann::json& j) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << j.dump(2) << "\n";
    out.flush();
    if (!out) throw Error(ErrorKind::Input, "cannot write the size report", {path, {}}, "check that the folder exists and is writable");
}

}  // namespace

CLI::App* addCompressCommand(CLI::App& app, CompressOptions& o) {
    CLI::App* c = app.add_subcommand("compress", "Compress an existing package's weights (quantization, palettization, "
                                                 "pruning) and print the size report");
    c->add_option("PACKAGE", o.package, "The .mlpackage to compress")->required();
    c->add_option("-o,--output", o.output, "Package to write, e.g. Model-int8.mlpackage (replaced only on success)")
        ->required();
    c->add_option("--config", o.configs,
                  "Compression config (coremltools OptimizationConfig YAML); repeatable: applied in order, e.g. a "
                  "pruner config then a palettizer config with --joint-compression")
        ->required()
        ->allow_extra_args(false);
    c->add_flag("--joint-compression", o.jointCompression,
                "Compress weights that are already compressed further (coremltools' joint_compression): pruned "
                "weights palettized or quantized, palettized or quantized weights pruned, palettes quantized per "
                "tensor; needs an iOS18 package");
    c->add_option("--size-report", o.sizeReportPath, "Write the size report as JSON to this file");
    c->add_flag("-q,--quiet", o.quiet, "Print only the summary line, not the per-weight size report");
    return c;
}

int runCompress(const CompressOptions& o) {
    checkOutput("compress", o.output);
    std::vector<CompressionConfig> configs;
    for (const std::string& path : o.configs) configs.push_back(loadCompressionYaml(path));

    package::PackageContents contents = package::readPackage(o.package);
    const uint64_t inputBytes = compress::diskBytes(o.package);
    // Every config checked against the package's target before any work.
    for (size_t i = 0; i < configs.size(); ++i)
        compress::checkCompressionTarget(configs[i], contents.program.target, o.configs[i], o.jointCompression);
    const std::vector<compress::WeightInfo> before = compress::listWeights(contents.program, 10);
    for (size_t i = 0; i < configs.size(); ++i) {
        compress::CompressOptions options;
        options.jointCompression = o.jointCompression;
        options.configFile = o.configs[i];
        const compress::CompressionSummary s = compress::compressProgram(contents.program, configs[i], options);
        std::printf("%s: compressed %zu weights", o.configs[i].c_str(), s.weights.size());
        if (s.leftCompressed)
            std::printf("; %zu already compressed left as they were%s", s.leftCompressed,
                        o.jointCompression ? "" : " (--joint-compression compresses them further)");
        std::printf("\n");
    }
    package::writePackage(contents.program, contents.description, o.output);
    const compress::SizeReport report = compress::buildSizeReport(&before, contents.program, o.output, inputBytes);
    if (!o.sizeReportPath.empty()) writeJson(o.sizeReportPath, compress::sizeReportToJson(report));
    if (!o.quiet) std::fputs(compress::sizeReportText(report).c_str(), stdout);
    std::printf("Wrote %s: %s (was %s)\n", o.output.c_str(), humanBytes(report.package.compressedBytes).c_str(),
                humanBytes(inputBytes).c_str());
    return 0;
}

CLI::App* addDecompressCommand(CLI::App& app, DecompressOptions& o) {
    CLI::App* c = app.add_subcommand("decompress", "Turn a package's compressed weights back into dense constants "
                                                   "(like coremltools' decompress_weights)");
    c->add_option("PACKAGE", o.package, "The compressed .mlpackage")->required();
    c->add_option("-o,--output", o.output, "Package to write (replaced only on success)")->required();
    return c;
}

int runDecompress(const DecompressOptions& o) {
    checkOutput("decompress", o.output);
    package::PackageContents contents = package::readPackage(o.package);
    const uint64_t inputBytes = compress::diskBytes(o.package);
    const compress::DecompressSummary s = compress::decompressProgram(contents.program);
    package::writePackage(contents.program, contents.description, o.output);
    std::printf("Decompressed %zu weights (%zu constexpr ops removed)\n", s.weights, s.constexprOps);
    std::printf("Wrote %s: %s (was %s)\n", o.output.c_str(), humanBytes(compress::diskBytes(o.output)).c_str(),
                humanBytes(inputBytes).c_str());
    return 0;
}

}  // namespace cms::cli
