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
           compression == o.compression && states == o.states && noReference == o.noReference;
}

Shape symbolicShape(const InputSpec& in) {
    Shape shape = in.shape;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i < in.ranges.size() && in.ranges[i] && in.ranges[i]->lower != in.ranges[i]->upper) shape[i] = -1;
        for (const Shape& e : in.enumeratedShapes)
            if (i < e.size() && e[i] != in.shape[i]) shape[i] = -1;
    }
    return shape;
}

void rejectUnsupportedSettings(const ConversionSettings& s) {
    constexpr size_t kMaxEnumeratedShapes = 128;
    for (const InputSpec& in : s.inputs) {
        for (size_t i = 0; i < in.ranges.size(); ++i)
            if (in.ranges[i] && in.ranges[i]->upper < 0)
                throw Error(ErrorKind::Settings,
                            "input \"" + in.name + "\" dimension " + std::to_string(i) + " has no upper bound (" +
                                formatInputShape(in) + "); Core ML ML Programs accept bounded ranges only",
                            {s.modelPath, {}},
                            "give the range an upper bound, e.g. (" + std::to_string(in.ranges[i]->lower) + ".." +
                                std::to_string(std::max<int64_t>(in.ranges[i]->lower, in.shape[i]) * 4) + ")");
        if (in.enumeratedShapes.size() > kMaxEnumeratedShapes)
            throw Error(ErrorKind::Settings,
                        "input \"" + in.name + "\" enumerates " + std::to_string(in.enumeratedShapes.size()) +
                            " shapes; Core ML accepts at most " + std::to_string(kMaxEnumeratedShapes),
                        {s.modelPath, {}}, "keep the shapes you need most, or use dimension ranges instead");
    }
}

}  // namespace cms
