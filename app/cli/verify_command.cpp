#include "verify_command.h"

#include <cmath>
#include <cstdio>
#include <fstream>

#include "analysis/accuracy_report.h"
#include "commands.h"
#include "common/error.h"

namespace cms::cli {

analysis::Criteria CriteriaFlags::criteria() const {
    const auto given = [](double x) { return std::isnan(x) ? std::optional<double>() : std::optional<double>(x); };
    analysis::Criteria c;
    c.rtol = given(rtol);
    c.atol = given(atol);
    c.minSnrDb = given(minSnr);
    return c;
}

std::vector<CLI::Option*> addCriteriaOptions(CLI::App& cmd, CriteriaFlags& flags, const std::string& helpPrefix) {
    CLI::Option* rtol = cmd.add_option("--rtol", flags.rtol, helpPrefix + "relative tolerance (numpy assert_allclose)");
    CLI::Option* atol = cmd.add_option("--atol", flags.atol, helpPrefix + "absolute tolerance (numpy assert_allclose)");
    CLI::Option* snr = cmd.add_option("--min-snr", flags.minSnr,
                                      helpPrefix + "minimum SNR in dB per output (default 40 for fp16, 60 for fp32)");
    snr->excludes(rtol)->excludes(atol);
    return {rtol, atol, snr};
}

CLI::App* addVerifyCommand(CLI::App& app, VerifyCommandOptions& o) {
    CLI::App* cmd = app.add_subcommand(
        "verify", "Check a converted package against its source model: runs both on the same inputs and compares "
                  "the outputs (and, with --per-layer, every layer)");
    cmd->add_option("model", o.model, "The source model (TorchScript .pt, or Keras .h5/.keras)")->required()->check(CLI::ExistingFile);
    cmd->add_option("package", o.package, "The converted package (.mlpackage)")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--inputs", o.inputs,
                    "Input data, [NAME=]FILE each: .npz (arrays named after the inputs), .npy (one input), PNG/JPEG "
                    "images for image inputs (resized to the input's size; unnamed ones fill the image inputs in "
                    "order); default: seeded random inputs");
    cmd->add_option("--reference", o.references,
                    "Reference outputs, [NAME=]FILE each (.npy for one output, .npz with arrays named after the "
                    "outputs), compared instead of running the source model; a Keras model without them is compared "
                    "with its own fp32 conversion");
    addCriteriaOptions(*cmd, o.criteria, "");
    CLI::Option* perLayer =
        cmd->add_flag("--per-layer", o.perLayer, "Compare every layer, find where the error jumps and the first inf/NaN");
    CLI::Option* noReference = cmd->add_flag("--no-reference", o.noReference,
                  "Never run the source model's code (for untrusted models): compare with the model's own fp32 "
                  "conversion, run by the converter's interpreter, instead of running it with libtorch")
        ->excludes(perLayer);
    cmd->add_option("--decode-steps", o.decodeSteps,
                    "Sequence mode for stateful decoders: a prefill of --prompt-length seeded random tokens, then N "
                    "greedy decode steps on one state, each step compared with libtorch")
        ->check(CLI::NonNegativeNumber)
        ->excludes(noReference);  // each decode step is compared with libtorch running the model
    cmd->add_option("--prompt-length", o.promptLength, "Tokens in the prefill of sequence mode")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--json", o.json, "Also write the report as JSON to this file (- for standard output)");
    cmd->add_option("--seed", o.seed, "Seed of the random inputs")->capture_default_str();
    cmd->add_option("--time", o.timingRuns, "Also time N runs of the package and of the source model")
        ->check(CLI::NonNegativeNumber);
    return cmd;
}

int runVerify(const VerifyCommandOptions& o) {
    if (o.decodeSteps >= 0) return runVerifyDecode(o);
    analysis::VerifyOptions v;
    v.modelPath = o.model;
    v.packagePath = o.package;
    v.inputFiles = o.inputs;
    v.referenceFiles = o.references;
    v.criteria = o.criteria.criteria();
    v.perLayer = o.perLayer;
    v.noReference = o.noReference;
    v.seed = o.seed;
    v.timingRuns = o.timingRuns;
    const analysis::AccuracyReport report = analysis::verifyPackage(v);
    const std::string json = analysis::reportToJson(report) + "\n";
    if (o.json == "-") {
        std::fputs(json.c_str(), stdout);
    } else {
        std::fputs(analysis::reportToText(report).c_str(), stdout);
        if (!o.json.empty()) {
            std::ofstream out(o.json, std::ios::binary | std::ios::trunc);
            out << json;
            if (!out.flush())
                throw Error(ErrorKind::Input, "cannot write the JSON report", {o.json, ""}, "check the folder exists and is writable");
        }
    }
    return report.passed ? 0 : kAccuracyCheckFailed;
}

}  // namespace cms::cli
