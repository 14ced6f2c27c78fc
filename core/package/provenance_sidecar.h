#pragma once
// Our provenance sidecar, Data/com.coreml-studio/provenance.json: MIL op name -> the source node it was
// lowered from. Core ML allows only a "name" attribute on ops, so this cannot live in the model itself;
// Core ML ignores manifest items of other authors.
#include <map>
#include <string>

#include "ir/provenance.h"

namespace cms::package {

constexpr const char* kStudioAuthor = "com.coreml-studio";
constexpr const char* kProvenanceItemName = "provenance.json";

std::string provenanceToJson(const std::map<std::string, ir::Provenance>& byOpName);
// Throws cms::Error (Package) naming `fileForErrors` when the document is malformed.
std::map<std::string, ir::Provenance> provenanceFromJson(const std::string& text, const std::string& fileForErrors);

}  // namespace cms::package
