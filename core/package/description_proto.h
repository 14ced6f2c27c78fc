#pragma once
// package::ModelDescription <-> Core ML's ModelDescription message. Internal to core/package (protobuf types).
#include <string>

#include "package/model_description.h"
#include "package/proto/model.pb.h"

namespace cms::package {

// Throws cms::Error (Package) for what Core ML cannot describe (e.g. an int64 model input).
void descriptionToProto(const ModelDescription& description, cms::coreml::ModelDescription& out);
// Throws cms::Error (Package) naming `fileForErrors` for feature types this version does not handle.
ModelDescription descriptionFromProto(const cms::coreml::ModelDescription& proto, const std::string& fileForErrors);

}  // namespace cms::package
