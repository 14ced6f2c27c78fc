#pragma once
// The function's boundary: inputs from the settings (with Core ML's image preprocessing) and
// named outputs, each produced by an op.
#include <string>
#include <vector>

#include "lower/lower_context.h"
#include "settings/conversion_settings.h"

namespace cms::lower {

// Creates main's inputs for the graph's top-level inputs, by position, and binds them.
// Throws cms::Error (Settings) naming the input when the settings do not fit the model.
void bindFunctionInputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings);
// Flattens the graph's outputs (tuples/lists) into main's outputs and names them.
void bindFunctionOutputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings);
// True for names Core ML accepts as feature names: [A-Za-z_][A-Za-z0-9_]*.
bool isIdentifier(const std::string& name);

}  // namespace cms::lower
