#pragma once
// The conversion guide's production checklist, evaluated for one model and its settings from what is
// known so far: the import's notices, the settings, the written package, its placement estimate and an
// accuracy check. An item whose data does not exist yet is "not checked yet", never guessed. Each item
// names where it is fixed (a settings tab and field) so the studio can jump there.
#include <optional>
#include <string>
#include <vector>

#include "analysis/accuracy_report.h"
#include "analysis/placement.h"
#include "converter.h"
#include "package/package.h"

namespace cms::analysis {

enum class CheckStatus { Pass, Warn, Fail, NotChecked };
const char* checkStatusName(CheckStatus s);  // "pass", "warn", "fail", "not-checked"

// Where an item is fixed.
enum class FixPlace {
    ModelExport,   // outside the converter: re-export the model
    Inputs,        // the Inputs tab (fixField: the input's name)
    Conversion,    // the Conversion tab (fixField: "precision", "target", "computeUnits", "fp32Ops")
    Quantization,  // the Quantization tab
    Accuracy,      // the accuracy check (`coreml-cli verify`, the studio's accuracy report)
};
const char* fixPlaceName(FixPlace p);  // "model-export", "inputs", "conversion", "quantization", "accuracy"

struct ChecklistItem {
    std::string id;  // "eval-mode", "preprocessing", "ml-program", "accuracy", "compression", "neural-engine",
                     // "representative-inputs", "memory", "fallback"
    std::string title;
    CheckStatus status = CheckStatus::NotChecked;
    std::string detail;  // why this status, with the figures it is based on (English)
    // The detail as a stable message id and its arguments (figures formatted as in `detail`), so a user
    // interface can show it in its own language; `detail` is the English text of the same message.
    std::string detailId;
    std::vector<std::string> detailArgs;
    FixPlace fix = FixPlace::Conversion;
    std::string fixField;
    std::string fixHint;  // what to do there
};

struct ChecklistData {
    ConversionSettings settings;
    bool imported = false;                    // importWarnings below are the import's
    std::vector<std::string> importWarnings;  // ir::Graph::warnings
    const ConversionReport* conversion = nullptr;
    const package::PackageContents* package = nullptr;
    const PlacementPlan* placement = nullptr;  // for the settings' compute units
    const AccuracyReport* accuracy = nullptr;
};

std::vector<ChecklistItem> evaluateChecklist(const ChecklistData& data);

// Memory the loaded model needs, estimated: its weights as stored plus the largest single op's
// activations (inputs read and outputs written), from the placement plan's cost figures.
double estimatedMemoryBytes(const PlacementPlan& plan);

// Reads a written package and places it for the settings' compute units on `chipId` (empty: the CLI's
// default chip), for the checklist's package, Neural Engine and memory items.
struct PackageFacts {
    package::PackageContents contents;
    PlacementPlan placement;
};
PackageFacts packageFacts(const std::string& packagePath, ComputeUnits units, const std::string& chipId = {});

std::string checklistToJson(const std::vector<ChecklistItem>& items);
std::string checklistToText(const std::vector<ChecklistItem>& items);

}  // namespace cms::analysis
