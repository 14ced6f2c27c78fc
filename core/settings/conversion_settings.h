#pragma once
// The conversion settings: one serializable document shared by the GUI, the CLI and the tests.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "mil/target.h"
#include "settings/compression_config.h"

namespace cms {

enum class ColorLayout { RGB, BGR, Grayscale };
std::string colorLayoutName(ColorLayout c);
std::optional<ColorLayout> colorLayoutFromName(const std::string& s);

// Core ML applies image preprocessing as y = scale * x + bias[channel], x in [0, 255].
struct ImageSpec {
    ColorLayout layout = ColorLayout::RGB;
    double scale = 1.0;
    std::vector<double> bias;  // one value per channel (3 for RGB/BGR, 1 for grayscale); empty = zeros
    bool operator==(const ImageSpec& o) const { return layout == o.layout && scale == o.scale && bias == o.bias; }
};

// One flexible dimension (Core ML's RangeDim): any size in [lower, upper]; upper < 0 is unbounded.
// The dimension's default size is the one in InputSpec::shape.
struct DimRange {
    int64_t lower = 1;
    int64_t upper = -1;
    bool operator==(const DimRange& o) const { return lower == o.lower && upper == o.upper; }
};

struct InputSpec {
    std::string name;   // the model input's name (TorchScript argument name, or as renamed)
    // The fixed shape; for a flexible input, its default shape (the one the graph is lowered with).
    Shape shape;
    DType dtype = DType::Float32;  // fp32, fp16 (iOS16+) or int32
    std::optional<ImageSpec> image;
    // Flexible shapes, at most one kind per input. ranges: empty, or one entry per dimension
    // (nullopt = fixed at shape[i]). enumeratedShapes: the shapes allowed, `shape` among them.
    std::vector<std::optional<DimRange>> ranges;
    std::vector<Shape> enumeratedShapes;

    bool hasRanges() const;
    bool isFlexible() const { return hasRanges() || !enumeratedShapes.empty(); }
    bool operator==(const InputSpec& o) const {
        return name == o.name && shape == o.shape && dtype == o.dtype && image == o.image &&
               hasRanges() == o.hasRanges() && (!hasRanges() || ranges == o.ranges) &&
               enumeratedShapes == o.enumeratedShapes;
    }
};

// A buffer the model writes in place, kept as a Core ML state (iOS18) across predictions.
struct StateSpec {
    std::string name;  // the buffer's attribute path ("k_cache", "layers.0.k_cache"); dots may be written as _
    Shape shape;       // must be the buffer's shape
    bool operator==(const StateSpec& o) const { return name == o.name && shape == o.shape; }
};
// The CLI's --state form NAME:SHAPE (e.g. k_cache:2x1x4x64x16); throws cms::Error(Settings).
StateSpec parseStateSpec(const std::string& text);
std::string formatStateSpec(const StateSpec& state);

struct OutputSpec {
    std::string name;  // the name the output gets in the package (by position)
    bool operator==(const OutputSpec& o) const { return name == o.name; }
};

enum class Precision { Float16, Float32 };
std::string precisionName(Precision p);
std::optional<Precision> precisionFromName(const std::string& s);

enum class ComputeUnits { All, CpuAndGpu, CpuOnly, CpuAndNeuralEngine };
std::string computeUnitsName(ComputeUnits c);  // "ALL", "CPU_AND_GPU", "CPU_ONLY", "CPU_AND_NE"
std::optional<ComputeUnits> computeUnitsFromName(const std::string& s);

struct ModelMetadata {
    std::string author;
    std::string license;
    std::string shortDescription;
    std::string version;
    std::map<std::string, std::string> userDefined;
    bool operator==(const ModelMetadata& o) const {
        return author == o.author && license == o.license && shortDescription == o.shortDescription &&
               version == o.version && userDefined == o.userDefined;
    }
};

struct ConversionSettings {
    std::string modelPath;   // source model file
    std::string outputPath;  // .mlpackage to write
    std::vector<InputSpec> inputs;
    std::vector<OutputSpec> outputs;
    std::vector<StateSpec> states;  // buffers kept as states; every buffer the model writes must be listed
    Precision precision = Precision::Float16;
    mil::Target target = mil::Target::iOS15;
    ComputeUnits computeUnits = ComputeUnits::All;
    std::vector<std::string> fp32Ops;  // op types or module paths kept in fp32 when precision is fp16
    // Composite files (docs/composites.md), later ones overriding earlier ones and the built-ins;
    // "builtin:NAME" names an optional set shipped in resources/composites/optional.
    std::vector<std::string> composites;
    ModelMetadata metadata;
    CompressionConfig compression;  // weight compression (coremltools OptimizationConfig form)
    // For untrusted models: checking the package never runs the model's own code (libtorch); it is compared
    // with the model's fp32 conversion run by our interpreter instead.
    bool noReference = false;

    bool operator==(const ConversionSettings& o) const;
    bool operator!=(const ConversionSettings& o) const { return !(*this == o); }
};

// The JSON form (see README "Settings file"). Errors name the file and the offending key.
std::string settingsToJson(const ConversionSettings& s);
ConversionSettings settingsFromJson(const std::string& json, const std::string& fileForErrors = {});
ConversionSettings loadSettings(const std::string& path);
void saveSettings(const ConversionSettings& s, const std::string& path);  // atomic replace

// The CLI's --input form: NAME:1x3x224x224[:image,scale=S,bias=R,G,B,layout=RGB][:dtype=fp16]
// Flexible shapes: a dimension (LOWER..UPPER) or (LOWER..UPPER=DEFAULT) (UPPER may be left out:
// unbounded; the default is LOWER unless given), or enum(1x3x224x224,1x3x256x256) (the first is the default).
InputSpec parseInputSpec(const std::string& text);
std::string formatInputSpec(const InputSpec& in);
// The shape part of the --input form alone: "1x3x(64..512=224)x224" or "enum(1x3x224x224,1x3x256x256)".
std::string formatInputShape(const InputSpec& in);
// Parses the shape part into `in` (shape, ranges, enumeratedShapes); throws cms::Error(Settings).
void parseInputShape(const std::string& text, InputSpec& in);

// The input's shape as the program sees it: the default shape with mil::kUnknownDim (-1) where a
// range lets the size vary or the enumerated shapes differ.
Shape symbolicShape(const InputSpec& in);

// Settings Core ML or this converter cannot apply (unbounded ranges, which ML Programs do not
// accept; more than 128 enumerated shapes): throws cms::Error(Settings) naming the input and what
// to do, so nothing is silently ignored.
void rejectUnsupportedSettings(const ConversionSettings& s);

}  // namespace cms
