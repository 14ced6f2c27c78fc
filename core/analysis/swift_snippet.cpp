#include "analysis/swift_snippet.h"

#include <cctype>
#include <sstream>

namespace cms::analysis {

namespace {

using package::FeatureDescription;

std::string shapeList(const Shape& shape) {
    std::string s = "[";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + "]";
}

std::string swiftElementName(DType dtype) {
    switch (dtype) {
        case DType::Float16: return "Float16";
        case DType::Float64: return "Double";
        case DType::Int32: return "Int32";
        default: return "Float32";
    }
}

std::string colorLayoutText(ColorLayout c) {
    switch (c) {
        case ColorLayout::BGR: return "BGR";
        case ColorLayout::Grayscale: return "grayscale";
        default: return "RGB";
    }
}

// The one-line description in the snippet's header comment, as the package declares the feature.
std::string featureComment(const FeatureDescription& f) {
    std::string text = f.name + ": ";
    if (f.kind == FeatureDescription::Kind::Image) {
        const int64_t h = f.shape.size() == 4 ? f.shape[2] : 0, w = f.shape.size() == 4 ? f.shape[3] : 0;
        text += "image (CVPixelBuffer), " + colorLayoutText(f.colorLayout) + ", " + std::to_string(w) + "x" +
                std::to_string(h);
    } else {
        text += "MLMultiArray, " + swiftElementName(f.dtype) + ", shape " + shapeList(f.shape);
    }
    if (f.isFlexible()) text += " (allowed shapes: " + f.allowedShapesText() + ")";
    return text;
}

bool isImage(const FeatureDescription& f) { return f.kind == FeatureDescription::Kind::Image; }

}  // namespace

std::string swiftComputeUnits(ComputeUnits units) {
    switch (units) {
        case ComputeUnits::CpuAndGpu: return ".cpuAndGPU";
        case ComputeUnits::CpuOnly: return ".cpuOnly";
        case ComputeUnits::CpuAndNeuralEngine: return ".cpuAndNeuralEngine";
        case ComputeUnits::All: break;
    }
    return ".all";
}

std::string swiftMultiArrayType(DType dtype) {
    switch (dtype) {
        case DType::Float16: return ".float16";
        case DType::Float64: return ".double";
        case DType::Int32: return ".int32";
        default: return ".float32";
    }
}

std::string swiftIdentifier(const std::string& name, bool upperFirst) {
    std::string out;
    bool upperNext = upperFirst;
    for (char c : name) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u)) {
            out += upperNext ? char(std::toupper(u)) : c;
            upperNext = false;
        } else if (upperFirst) {
            upperNext = true;  // type names: "demo_cnn" -> "DemoCnn"
        } else {
            out += '_';
        }
    }
    if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(out.begin(), '_');
    return out;
}

std::string swiftSnippet(const package::ModelDescription& d, const std::string& modelName, ComputeUnits units) {
    const std::string type = swiftIdentifier(modelName, true);
    std::ostringstream s;
    s << "import CoreML\n#if canImport(UIKit)\nimport UIKit\n#endif\n\n";
    s << "// " << modelName << ".mlpackage, written by Core ML Conversion Studio.\n";
    s << "// Add the package to your Xcode target: Xcode compiles it to " << modelName
      << ".mlmodelc in the app bundle.\n// A package downloaded at run time is compiled with MLModel.compileModel(at:).\n";
    s << "//\n// Inputs:\n";
    for (const FeatureDescription& f : d.inputs) s << "//   " << featureComment(f) << "\n";
    s << "// Outputs:\n";
    for (const FeatureDescription& f : d.outputs) s << "//   " << featureComment(f) << "\n";

    s << "\n/// The outputs of one " << modelName << " prediction.\nstruct " << type << "Output {\n";
    for (const FeatureDescription& f : d.outputs)
        s << "    let " << swiftIdentifier(f.name) << ": " << (isImage(f) ? "CVPixelBuffer" : "MLMultiArray") << "\n";
    s << "}\n\n";

    s << "final class " << type << " {\n    let model: MLModel\n\n";
    s << "    /// Loads the compiled model from the app bundle.\n    convenience init() throws {\n";
    s << "        guard let url = Bundle.main.url(forResource: \"" << modelName
      << "\", withExtension: \"mlmodelc\") else {\n            throw CocoaError(.fileNoSuchFile)\n        }\n";
    s << "        try self.init(contentsOf: url)\n    }\n\n";
    s << "    init(contentsOf url: URL) throws {\n        let configuration = MLModelConfiguration()\n";
    s << "        configuration.computeUnits = " << swiftComputeUnits(units) << "\n";
    s << "        model = try MLModel(contentsOf: url, configuration: configuration)\n    }\n\n";

    s << "    func predict(";
    for (size_t i = 0; i < d.inputs.size(); ++i)
        s << (i ? ", " : "") << swiftIdentifier(d.inputs[i].name) << ": "
          << (isImage(d.inputs[i]) ? "CVPixelBuffer" : "MLMultiArray");
    s << ") throws -> " << type << "Output {\n";
    s << "        let inputs = try MLDictionaryFeatureProvider(dictionary: [\n";
    for (const FeatureDescription& f : d.inputs)
        s << "            \"" << f.name << "\": MLFeatureValue(" << (isImage(f) ? "pixelBuffer: " : "multiArray: ")
          << swiftIdentifier(f.name) << "),\n";
    s << "        ])\n        let result = try model.prediction(from: inputs)\n";
    for (const FeatureDescription& f : d.outputs)
        s << "        guard let " << swiftIdentifier(f.name) << " = result.featureValue(for: \"" << f.name << "\")?."
          << (isImage(f) ? "imageBufferValue" : "multiArrayValue")
          << " else {\n            throw CocoaError(.coderValueNotFound)\n        }\n";
    s << "        return " << type << "Output(";
    for (size_t i = 0; i < d.outputs.size(); ++i)
        s << (i ? ", " : "") << swiftIdentifier(d.outputs[i].name) << ": " << swiftIdentifier(d.outputs[i].name);
    s << ")\n    }\n";
    for (const FeatureDescription& f : d.inputs) {
        if (isImage(f)) continue;
        s << "\n    /// An array of the shape and type the model expects for \"" << f.name
          << "\" (its contents are not initialised: fill it before predicting).\n";
        s << "    static func make" << swiftIdentifier(f.name, true) << "() throws -> MLMultiArray {\n";
        s << "        try MLMultiArray(shape: " << shapeList(f.shape) << ", dataType: " << swiftMultiArrayType(f.dtype)
          << ")\n    }\n";
    }
    s << "}\n\n";

    // The guide's memory-efficient loading pattern, with the cache actually keeping what it loads and
    // evicting the least recently used model instead of dropping every model at once.
    s << R"(/// Memory-efficient loading: keeps at most `capacity` models loaded, releases the least recently
/// used one first, and releases all of them when the system reports memory pressure.
final class ModelCache {
    private var models: [URL: MLModel] = [:]
    private var recentlyUsed: [URL] = []
    private let capacity: Int
    private let configuration = MLModelConfiguration()
    private let lock = NSLock()

    init(capacity: Int = 3, computeUnits: MLComputeUnits = )" << swiftComputeUnits(units) << R"() {
        self.capacity = capacity
        configuration.computeUnits = computeUnits
        #if canImport(UIKit)
        NotificationCenter.default.addObserver(forName: UIApplication.didReceiveMemoryWarningNotification,
                                               object: nil, queue: nil) { [weak self] _ in self?.removeAll() }
        #endif
    }

    func model(at url: URL) throws -> MLModel {
        lock.lock()
        defer { lock.unlock() }
        if let cached = models[url] {
            recentlyUsed.removeAll { $0 == url }
            recentlyUsed.append(url)
            return cached
        }
        if models.count >= capacity, let oldest = recentlyUsed.first {
            models[oldest] = nil
            recentlyUsed.removeFirst()
        }
        let loaded = try MLModel(contentsOf: url, configuration: configuration)
        models[url] = loaded
        recentlyUsed.append(url)
        return loaded
    }

    func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        models.removeAll()
        recentlyUsed.removeAll()
    }
}
)";
    return s.str();
}

}  // namespace cms::analysis
