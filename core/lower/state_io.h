#pragma once
// Buffers written in place (ir::Graph::states) as Core ML states: each declared one becomes a function input
// of state type read once at the start (read_state) and, when the model changed it, written back at the end
// (coreml_update_state). A buffer the model writes but the settings do not declare is an error naming the
// buffer, the node that writes it and the --state option that declares it.
#include <vector>

#include "lower/lower_context.h"
#include "settings/conversion_settings.h"

namespace cms::lower {

struct BoundState {
    const ir::Value* buffer = nullptr;  // the IR value standing for the buffer
    mil::Value* state = nullptr;        // the function input of state type
    mil::Value* read = nullptr;         // read_state's output, the buffer's value on entry
};

// The Core ML feature name of a buffer path: "layers.0.k_cache" -> "layers_0_k_cache".
std::string stateFeatureName(const std::string& bufferPath);

// Checks the settings' states against the graph's (names, shapes, iOS18 target) and binds each. Throws
// cms::Error (Settings) naming the buffer and what to do.
std::vector<BoundState> bindStateInputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings);
// After every node: writes each state's final value back when it differs from the value read.
void writeBackStates(LowerContext& ctx, const std::vector<BoundState>& states);

}  // namespace cms::lower
