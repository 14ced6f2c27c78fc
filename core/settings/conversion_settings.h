#pragma once
// The conversion settings: one serializable document shared by the GUI, the CLI and the tests.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "mil/target.h"

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

struct InputSpec {
    std::string name;   // the model input's name (TorchScript argument name, or as renamed)
    Shape shape;        // fixed shape; flexible shapes come with their own issue
    DType dtype = DType::Float32;  // fp32, fp16 (iOS16+) or int32
    std::optional<ImageSpec> image;
    bool operator==(const InputSpec& o) const {
        return name == o.name && shape == o.shape && dtype == o.dtype && image == o.image;
    }
};

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
    Precision precision = Precision::Float16;
    mil::Target target = mil::Target::iOS15;
    ComputeUnits computeUnits = ComputeUnits::All;
    std::vector<std::string> fp32Ops;  // op types or module paths kept in fp32 when precision is fp16
    ModelMetadata metadata;

    bool operator==(const ConversionSettings& o) const;
    bool operator!=(const ConversionSettings& o) const { return !(*this == o); }
};

// The JSON form (see README "Settings file"). Errors name the file and the offending key.
std::string settingsToJson(const ConversionSettings& s);
ConversionSettings settingsFromJson(const std::string& json, const std::string& fileForErrors = {});
ConversionSettings loadSettings(const std::string& path);
void saveSettings(const ConversionSettings& s, const std::string& path);  // atomic replace

// The CLI's --input form: NAME:1x3x224x224[:image,scale=S,bias=R,G,B,layout=RGB][:dtype=fp16]
InputSpec parseInputSpec(const std::string& text);
std::string formatInputSpec(const InputSpec& in);

}  // namespace cms
