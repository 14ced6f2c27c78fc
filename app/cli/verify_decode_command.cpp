// `coreml-cli verify --decode-steps N`: the sequence check of a stateful decoder, as text and JSON.
#include <cstdio>
#include <fstream>

#include "analysis/decode_steps.h"
#include "commands.h"
#include "common/error.h"
#include "verify_command.h"

namespace cms::cli {

int runVerifyDecode(const VerifyCommandOptions& o) {
    if (!o.inputs.empty() || !o.references.empty() || o.perLayer || o.noReference || o.timingRuns > 0)
        throw UsageError("--decode-steps makes its own prompt and compares with libtorch step by step: it does not "
                         "take --inputs, --reference, --per-layer, --no-reference or --time");
    analysis::DecodeStepOptions d;
    d.modelPath = o.model;
    d.packagePath = o.package;
    d.decodeSteps = o.decodeSteps;
    d.promptLength = o.promptLength;
    d.seed = o.seed;
    d.criteria = o.criteria.criteria();
    const analysis::DecodeReport report = analysis::runDecodeSteps(d);
    const std::string json = analysis::decodeReportToJson(report);
    if (o.json == "-") {
        std::fputs(json.c_str(), stdout);
    } else {
        std::fputs(analysis::decodeReportToText(report).c_str(), stdout);
        if (!o.json.empty()) {
            std::ofstream out(o.json, std::ios::binary | std::ios::trunc);
            out << json;
            if (!out.flush())
                throw Error(ErrorKind::Input, "cannot write the JSON report", {o.json, ""},
                            "check the folder exists and is writable");
        }
    }
    return report.passed ? 0 : kAccuracyCheckFailed;
}

}  // namespace cms::cli
