#pragma once
// A Swift integration snippet for a converted package: loads it with an MLModelConfiguration using the
// chosen compute units, runs one prediction with the package's real input and output feature names and
// types, and caches loaded models with a bounded, memory-pressure-aware cache (the guide's
// memory-efficient loading pattern). Shown in the studio and printed by `coreml-cli swift`.
#include <string>

#include "package/model_description.h"
#include "settings/conversion_settings.h"

namespace cms::analysis {

// The Swift case of MLComputeUnits: ".all", ".cpuAndGPU", ".cpuOnly", ".cpuAndNeuralEngine".
std::string swiftComputeUnits(ComputeUnits units);
// The MLMultiArrayDataType case for a feature's element type: ".float32", ".float16", ".double", ".int32".
std::string swiftMultiArrayType(DType dtype);
// A Swift identifier made from a feature name ("input.1" -> "input_1", "1x" -> "_1x").
std::string swiftIdentifier(const std::string& name, bool upperFirst = false);

// `modelName` is the package's file name without ".mlpackage" (Xcode compiles it to modelName.mlmodelc).
std::string swiftSnippet(const package::ModelDescription& description, const std::string& modelName,
                         ComputeUnits units);

}  // namespace cms::analysis
