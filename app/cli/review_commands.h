#pragma once
// `coreml-cli swift PACKAGE`: the Swift integration snippet of a package (its real feature names and
// types, the compute units, the memory-efficient loading pattern).
// `coreml-cli checklist`: converts the model and evaluates the production checklist for it.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cms::cli {

struct SwiftOptions {
    std::string package;
    std::string units = "ALL";
};
CLI::App* addSwiftCommand(CLI::App& app, SwiftOptions& options);
int runSwift(const SwiftOptions& options);

struct ChecklistOptions {
    std::string model;
    std::string config;               // settings JSON; the command line overrides it
    std::vector<std::string> inputs;  // --input NAME:SHAPE[...]
    std::string output;               // -o PKG (default: a temporary package, removed afterwards)
    std::string units;                // --units: compute units (default: the settings')
    bool verify = false;              // run the accuracy check too
    std::vector<std::string> inputFiles;  // --inputs: data files for the accuracy check
    bool json = false;
};
CLI::App* addChecklistCommand(CLI::App& app, ChecklistOptions& options);
// Exit code 0 when no item fails, 1 otherwise.
int runChecklist(const ChecklistOptions& options);

}  // namespace cms::cli
