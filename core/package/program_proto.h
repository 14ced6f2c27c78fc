#pragma once
// mil::Program <-> the MIL protobuf, as Core ML reads and coremltools writes it. Internal to core/package
// (and its tests): it exposes protobuf types, which must not reach ui/.
#include <functional>
#include <string>

#include "mil/program.h"
#include "package/proto/mil.pb.h"
#include "package/weight_blob.h"

namespace cms::package {

namespace pb = cms::coreml::mil;

// How the model refers to its weight file, relative to the model's folder.
constexpr const char* kWeightFileReference = "@model_path/weights/weight.bin";

// Constants with more than `inlineElementLimit` elements go to `weights` when the target's weight file
// accepts their dtype; all others are written inline in the encoding Core ML reads for their dtype.
void programToProto(const mil::Program& program, int64_t inlineElementLimit, WeightBlobWriter& weights,
                    pb::Program& out);

// Returns the reader for a BlobFileValue's file name ("@model_path/weights/weight.bin"); throws when absent.
using WeightFileResolver = std::function<const WeightBlobReader&(const std::string& fileName)>;

// Rebuilds a program: values resolved by name, output types as declared, const values decoded (weight-file
// constants borrow the reader's mapping). Needs no op declarations, so ops unknown to us load too.
// Literal values bound to op inputs or attributes become const ops in front of their op.
// The program's target is its newest function opset. Errors name `fileForErrors`.
mil::Program programFromProto(const pb::Program& proto, const WeightFileResolver& weights,
                              const std::string& fileForErrors);

// Tensor values, shared with the description code and tests.
void setValueType(const mil::TensorType& type, pb::ValueType& out);
void setImmediateTensor(const Tensor& value, pb::Value& out);  // type and immediate value
Tensor immediateTensor(const pb::TensorValue& value, DType dtype, const Shape& shape, const std::string& what,
                       const std::string& fileForErrors);

}  // namespace cms::package
