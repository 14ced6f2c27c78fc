#pragma once
// The model's interface as Core ML describes it: named input/output features and metadata.
#include <map>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "settings/conversion_settings.h"

namespace cms::package {

struct FeatureDescription {
    enum class Kind { MultiArray, Image };
    std::string name;
    std::string shortDescription;
    Kind kind = Kind::MultiArray;
    DType dtype = DType::Float32;  // MultiArray element type: fp32, fp16, fp64 or int32
    Shape shape;                   // MultiArray shape; for images [1, C, H, W]
    ColorLayout colorLayout = ColorLayout::RGB;  // images only
    bool operator==(const FeatureDescription& o) const {
        return name == o.name && shortDescription == o.shortDescription && kind == o.kind && dtype == o.dtype &&
               shape == o.shape && (kind != Kind::Image || colorLayout == o.colorLayout);
    }
};

struct ModelDescription {
    std::vector<FeatureDescription> inputs;
    std::vector<FeatureDescription> outputs;
    ModelMetadata metadata;
    bool operator==(const ModelDescription& o) const {
        return inputs == o.inputs && outputs == o.outputs && metadata == o.metadata;
    }
};

}  // namespace cms::package
