#pragma once
// The conversion job: import -> lower -> passes -> write, with progress and cancellation.
// Used by the CLI and, on a worker thread, by the studio.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "mil/program.h"
#include "package/model_description.h"
#include "settings/conversion_settings.h"

namespace cms {

enum class Stage { Import, Lower, Passes, Compress, Write, Verify };
const char* stageName(Stage s);

using ProgressFn = std::function<void(Stage stage, double fraction, const std::string& message)>;

class CancelToken {
public:
    void cancel() { cancelled_ = true; }
    bool cancelled() const { return cancelled_; }
    void throwIfCancelled() const;  // throws cms::Error(Cancelled)

private:
    std::atomic<bool> cancelled_{false};
};

struct ConversionReport {
    std::string packagePath;
    uint64_t packageBytes = 0;
    size_t opCount = 0;                         // non-const ops in main
    std::map<std::string, size_t> opHistogram;  // MIL op type -> count (consts included)
    std::vector<std::string> warnings;
    std::map<std::string, double> stageSeconds;
    // Weight compression (zero when no config is set): weights replaced, and their bytes before/after.
    size_t compressedWeights = 0;
    uint64_t weightBytesBefore = 0;
    uint64_t weightBytesAfter = 0;
};

// Imports a model file, choosing the frontend by its content/extension. With `noModelCode` (settings'
// noReference) a TorchScript archive whose loading would run its own code is refused first.
ir::Graph importModel(const std::string& path, bool noModelCode = false);
// Fills in missing input/output specs from what the model declares, and checks the rest.
ConversionSettings completeSettings(const ir::Graph& graph, ConversionSettings settings);
// Deployment-target gating: a setting that needs a newer target than settings.target (e.g. fp16
// model inputs need iOS16) throws cms::Error(Settings) naming it and offering both ways out.
void checkDeploymentTarget(const ConversionSettings& settings);
// The converter's own version, as recorded in the packages it writes.
std::string converterVersion();
// Lowers and optimises: the program that would be written.
mil::Program buildProgram(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings = nullptr,
                          const ProgressFn& progress = {}, const CancelToken* cancel = nullptr);
// The Core ML model description for a program converted with these settings.
package::ModelDescription describeProgram(const mil::Program& program, const ConversionSettings& settings);
// The whole job. With `imported`, the imported graph is handed out as soon as it exists, also when
// the conversion then fails (the unsupported-op report reads it instead of importing the model again).
// When the settings compress weights, the graph's weight tensors (1024 elements or more) are dropped from it once
// lowering has succeeded, so each source weight is freed as its compressed form is written.
ConversionReport convertModel(const ConversionSettings& settings, const ProgressFn& progress = {},
                              const CancelToken* cancel = nullptr, std::shared_ptr<ir::Graph>* imported = nullptr);

}  // namespace cms
