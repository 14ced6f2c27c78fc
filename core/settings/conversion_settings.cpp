#include "settings/conversion_settings.h"

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace cms {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

}  // namespace

std::string colorLayoutName(ColorLayout c) {
    switch (c) {
        case ColorLayout::RGB: return "RGB";
        case ColorLayout::BGR: return "BGR";
        case ColorLayout::Grayscale: return "GRAYSCALE";
    }
    return "RGB";
}

std::optional<ColorLayout> colorLayoutFromName(const std::string& s) {
    const std::string n = lower(s);
    if (n == "rgb") return ColorLayout::RGB;
    if (n == "bgr") return ColorLayout::BGR;
    if (n == "grayscale" || n == "gray" || n == "grey" || n == "l") return ColorLayout::Grayscale;
    return std::nullopt;
}

std::string precisionName(Precision p) { return p == Precision::Float16 ? "fp16" : "fp32"; }

std::optional<Precision> precisionFromName(const std::string& s) {
    const std::string n = lower(s);
    if (n == "fp16" || n == "float16" || n == "half") return Precision::Float16;
    if (n == "fp32" || n == "float32" || n == "float") return Precision::Float32;
    return std::nullopt;
}

std::string computeUnitsName(ComputeUnits c) {
    switch (c) {
        case ComputeUnits::All: return "ALL";
        case ComputeUnits::CpuAndGpu: return "CPU_AND_GPU";
        case ComputeUnits::CpuOnly: return "CPU_ONLY";
        case ComputeUnits::CpuAndNeuralEngine: return "CPU_AND_NE";
    }
    return "ALL";
}

std::optional<ComputeUnits> computeUnitsFromName(const std::string& s) {
    std::string n = lower(s);
    std::replace(n.begin(), n.end(), '-', '_');
    if (n == "all") return ComputeUnits::All;
    if (n == "cpu_and_gpu") return ComputeUnits::CpuAndGpu;
    if (n == "cpu_only" || n == "cpu") return ComputeUnits::CpuOnly;
    if (n == "cpu_and_ne" || n == "cpu_and_neural_engine") return ComputeUnits::CpuAndNeuralEngine;
    return std::nullopt;
}

bool InputSpec::hasRanges() const {
    for (const auto& r : ranges)
        if (r) return true;
    return false;
}

bool ConversionSettings::operator==(const ConversionSettings& o) const {
    return modelPath == o.modelPath && outputPath == o.outputPath && inputs == o.inputs && outputs == o.outputs &&
           precision == o.precision && target == o.target && computeUnits == o.computeUnits &&
           fp32Ops == o.fp32Ops && composites == o.composites && metadata == o.metadata &&
           compression == o.compression;
}

void rejectUnsupportedSettings(const ConversionSettings& s) {
    for (const InputSpec& in : s.inputs) {
        if (!in.isFlexible()) continue;
        throw Error(ErrorKind::Settings,
                    "input \"" + in.name + "\" has a flexible shape (" + formatInputShape(in) +
                        "); this converter writes fixed input shapes only",
                    {s.modelPath, {}},
                    "give \"" + in.name + "\" a fixed shape (its default is " + shapeToString(in.shape) +
                        ") to convert now; flexible shapes are not supported yet");
    }
}

}  // namespace cms
