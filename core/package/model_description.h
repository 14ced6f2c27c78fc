#pragma once
// The model's interface as Core ML describes it: named input/output features and metadata.
#include <map>
#include <utility>
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
    // Flexible inputs (Core ML's ShapeFlexibility / SizeFlexibility); `shape` is then the default
    // shape. At most one of the two is set. For images both cover all four dimensions [1, C, H, W].
    std::vector<std::pair<int64_t, int64_t>> shapeRange;  // [lower, upper] per dimension; empty = fixed
    std::vector<Shape> enumeratedShapes;                  // the shapes allowed; empty = fixed
    bool isFlexible() const { return !shapeRange.empty() || !enumeratedShapes.empty(); }
    // Whether a run-time shape is one the description allows.
    bool allows(const Shape& s) const;
    // The allowed shapes in the --input notation: "1x3x(64..512)x(64..512)" or "enum(1x3x8x8,1x3x16x16)".
    std::string allowedShapesText() const;
    bool operator==(const FeatureDescription& o) const {
        return name == o.name && shortDescription == o.shortDescription && kind == o.kind && dtype == o.dtype &&
               shape == o.shape && (kind != Kind::Image || colorLayout == o.colorLayout) &&
               shapeRange == o.shapeRange && enumeratedShapes == o.enumeratedShapes;
    }
};

struct ModelDescription {
    std::vector<FeatureDescription> inputs;
    std::vector<FeatureDescription> outputs;
    // States (iOS18): fp16 multi-arrays kept by Core ML between predictions (MLState), not passed in or out.
    std::vector<FeatureDescription> states;
    ModelMetadata metadata;
    bool operator==(const ModelDescription& o) const {
        return inputs == o.inputs && outputs == o.outputs && states == o.states && metadata == o.metadata;
    }
};

}  // namespace cms::package
