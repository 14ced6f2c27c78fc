#pragma once
// Writing and reading .mlpackage folders: Manifest.json, the model protobuf, weight.bin, and
// our provenance sidecar (op name -> source node).
#include <map>
#include <string>

#include "ir/provenance.h"
#include "mil/program.h"
#include "package/model_description.h"

namespace cms::package {

struct WriteOptions {
    // Constants with more elements than this go to weight.bin; smaller ones stay inline.
    int64_t inlineElementLimit = 10;
};

// Writes atomically: everything goes to a temporary sibling folder that is renamed over `path`
// only when complete, so an error or a kill never leaves a half-written package and an existing
// package is replaced only on success. Throws cms::Error (Package) naming the path.
void writePackage(const mil::Program& program, const ModelDescription& description, const std::string& path,
                  const WriteOptions& options = {});

struct PackageContents {
    int specificationVersion = 0;
    ModelDescription description;
    mil::Program program;
    std::map<std::string, ir::Provenance> provenance;  // by MIL op name
    std::string modelPath;    // Data/com.apple.CoreML/model.mlmodel inside the package
    std::string weightsPath;  // .../weights/weight.bin, empty when the model has none
};

// Reads a package we (or coremltools) wrote. Weights are loaded lazily where possible.
// Throws cms::Error (Package) naming the file and what is wrong.
PackageContents readPackage(const std::string& path);

}  // namespace cms::package
