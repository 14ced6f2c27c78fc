// coreml-cli: converts TorchScript models to Core ML packages without Python or a Mac.
// Exit codes: 0 success, 1 the model or an input file could not be converted, 2 usage error,
// 3 `verify` ran and the package is not accurate enough.
#include <cstdio>
#include <exception>
#include <new>

#include "commands.h"
#include "compress_command.h"
#include "review_commands.h"
#include "common/error.h"
#include "common/log.h"
#include "sensitivity_command.h"
#include "verify_command.h"

namespace {

// Exceptions from libraries (libtorch's among them) can carry multi-line backtraces; users get
// the first line only.
std::string firstLine(const char* what) {
    std::string s = what ? what : "";
    return s.substr(0, s.find('\n'));
}

}  // namespace

int main(int argc, char** argv) {
    using namespace cms::cli;
    CLI::App app{"coreml-cli: convert TorchScript and Keras models to Core ML ML Program packages (.mlpackage)"};
    app.set_version_flag("--version", std::string("coreml-cli ") + CMS_VERSION);
    int verbosity = 0;
    app.add_flag("-v,--verbose", verbosity, "More log output (repeat for more: -v info, -vv debug, -vvv trace)");
    app.fallthrough();  // so -v also works after the subcommand
    app.require_subcommand(1);

    ConvertOptions convertOptions;
    InspectOptions inspectOptions;
    OpsOptions opsOptions;
    VerifyCommandOptions verifyOptions;
    WeightsOptions weightsOptions;
    PlanOptions planOptions;
    CLI::App* convert = addConvertCommand(app, convertOptions);
    CLI::App* inspect = addInspectCommand(app, inspectOptions);
    CLI::App* ops = addOpsCommand(app, opsOptions);
    CLI::App* verify = addVerifyCommand(app, verifyOptions);
    CLI::App* weights = addWeightsCommand(app, weightsOptions);
    SensitivityCommandOptions sensitivityOptions;
    CLI::App* sensitivity = addSensitivityCommand(app, sensitivityOptions);
    CompressOptions compressOptions;
    DecompressOptions decompressOptions;
    CLI::App* compress = addCompressCommand(app, compressOptions);
    CLI::App* decompress = addDecompressCommand(app, decompressOptions);
    CLI::App* plan = addPlanCommand(app, planOptions);
    SwiftOptions swiftOptions;
    CLI::App* swift = addSwiftCommand(app, swiftOptions);
    ChecklistOptions checklistOptions;
    CLI::App* checklist = addChecklistCommand(app, checklistOptions);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints help, the version, or the usage error
        return code == 0 ? 0 : 2;
    }
    cms::setLogVerbosity(verbosity);

    try {
        if (convert->parsed()) return runConvert(convertOptions, verbosity);
        if (inspect->parsed()) return runInspect(inspectOptions);
        if (ops->parsed()) return runOps(opsOptions);
        if (verify->parsed()) return runVerify(verifyOptions);
        if (weights->parsed()) return runWeights(weightsOptions);
        if (sensitivity->parsed()) return runSensitivity(sensitivityOptions);
        if (compress->parsed()) return runCompress(compressOptions);
        if (decompress->parsed()) return runDecompress(decompressOptions);
        if (plan->parsed()) return runPlan(planOptions);
        if (swift->parsed()) return runSwift(swiftOptions);
        if (checklist->parsed()) return runChecklist(checklistOptions);
        return 2;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "coreml-cli: %s\nRun with --help for more information.\n", e.what());
        return 2;
    } catch (const cms::Error& e) {
        std::fprintf(stderr, "coreml-cli: %s: %s\n", cms::errorKindName(e.kind()), e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "coreml-cli: out of memory\nWhat to do: close other programs or use a machine with "
                             "more memory.\n");
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "coreml-cli: internal error: %s\nWhat to do: this is a converter bug; please report "
                             "it with the command line and the model.\n", firstLine(e.what()).c_str());
        return 1;
    } catch (...) {
        std::fprintf(stderr, "coreml-cli: internal error: unknown exception\n");
        return 1;
    }
}
