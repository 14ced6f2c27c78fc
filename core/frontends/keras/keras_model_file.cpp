#include "frontends/keras/keras_model_file.h"

#include <filesystem>
#include <fstream>
#include <regex>

#include "common/error.h"
#include "frontends/keras/hdf5_file.h"
#include "frontends/keras/zip_archive.h"

namespace cms::frontends {

using nlohmann::json;

namespace {

const char* const kSaveHint = "save the model again with model.save(\"model.keras\") or model.save(\"model.h5\")";

json parseConfig(const std::string& text, const std::string& file, const std::string& what) {
    try {
        return json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorKind::Input, what + " is not valid JSON: " + e.what(), {file, {}}, kSaveHint);
    }
}

// The model's {"class_name", "config"} object; the HDF5 form may wrap nothing else, a Keras 3
// config.json also carries module/registered_name/build_config.
void checkModelConfig(const json& config, const std::string& file, const std::string& what) {
    if (!config.is_object() || !config.contains("class_name") || !config.contains("config") ||
        !config["class_name"].is_string() || !config["config"].is_object())
        throw Error(ErrorKind::Input, what + " does not describe a Keras model (no class_name/config)", {file, {}},
                    kSaveHint);
}

bool startsWith(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// "bidirectional/forward_lstm/lstm_cell/kernel:0" -> "forward/kernel"; "dense/kernel:0" -> "kernel".
std::string roleOfWeightName(const std::string& name) {
    std::vector<std::string> parts;
    size_t pos = 0;
    while (true) {
        const size_t slash = name.find('/', pos);
        parts.push_back(name.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
        if (slash == std::string::npos) break;
        pos = slash + 1;
    }
    std::string last = parts.back();
    const size_t colon = last.rfind(':');
    if (colon != std::string::npos) last = last.substr(0, colon);
    std::string prefix;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
        if (startsWith(parts[i], "forward")) prefix = "forward/";
        if (startsWith(parts[i], "backward")) prefix = "backward/";
        // MultiHeadAttention's projections, each an EinsumDense with its own kernel and bias.
        for (const char* projection : {"query", "key", "value", "attention_output"})
            if (parts[i] == projection) prefix = parts[i] + "/";
    }
    return prefix + last;
}

bool flag(const json* config, const char* key, bool dflt) {
    if (!config || !config->contains(key) || !(*config)[key].is_boolean()) return dflt;
    return (*config)[key].get<bool>();
}

// A Keras 3 layer's own variables in creation order (trainable first, then non-trainable), the
// order its vars/<i> datasets are written in.
std::vector<std::string> ownVariableRoles(const std::string& cls, const json* config) {
    const bool bias = flag(config, "use_bias", true);
    if (cls == "Dense" || cls == "Conv1D" || cls == "Conv2D" || cls == "Conv3D" || cls == "Conv1DTranspose" ||
        cls == "Conv2DTranspose" || cls == "Conv3DTranspose" || cls == "DepthwiseConv1D" || cls == "DepthwiseConv2D")
        return bias ? std::vector<std::string>{"kernel", "bias"} : std::vector<std::string>{"kernel"};
    if (cls == "SeparableConv1D" || cls == "SeparableConv2D") {
        std::vector<std::string> r = {"depthwise_kernel", "pointwise_kernel"};
        if (bias) r.push_back("bias");
        return r;
    }
    if (cls == "BatchNormalization" || cls == "LayerNormalization") {
        std::vector<std::string> r;
        if (flag(config, "scale", true)) r.push_back("gamma");
        if (flag(config, "center", true)) r.push_back("beta");
        if (cls == "BatchNormalization") {
            r.push_back("moving_mean");
            r.push_back("moving_variance");
        }
        return r;
    }
    if (cls == "Embedding") return {"embeddings"};
    if (cls == "PReLU") return {"alpha"};
    if (cls == "Normalization") return {"mean", "variance", "count"};
    // Recurrent cells (LSTMCell, GRUCell, SimpleRNNCell) hold the recurrent layers' weights.
    if (cls == "LSTM" || cls == "GRU" || cls == "SimpleRNN") {
        std::vector<std::string> r = {"kernel", "recurrent_kernel"};
        if (bias) r.push_back("bias");
        return r;
    }
    return {};
}

}  // namespace

std::string kerasSnakeCase(const std::string& className) {
    static const std::regex nonWord(R"(\W+)");
    static const std::regex capitalWord("(.)([A-Z][a-z]+)");
    static const std::regex lowerUpper("([a-z])([A-Z])");
    std::string s = std::regex_replace(className, nonWord, "");
    s = std::regex_replace(s, capitalWord, "$1_$2");
    s = std::regex_replace(s, lowerUpper, "$1_$2");
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

KerasModelFile::~KerasModelFile() = default;
KerasModelFile::KerasModelFile(KerasModelFile&&) noexcept = default;
KerasModelFile& KerasModelFile::operator=(KerasModelFile&&) noexcept = default;

KerasModelFile KerasModelFile::load(const std::string& path) {
    KerasModelFile f;
    f.path_ = path;
    std::ifstream probe(path, std::ios::binary);
    char magic[8] = {};
    probe.read(magic, sizeof magic);
    const bool zip = probe.gcount() >= 4 && magic[0] == 'P' && magic[1] == 'K';
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!zip && ext == ".keras")
        throw Error(ErrorKind::Input, "the file is not a zip archive, so it is not a Keras 3 .keras model", {path, {}},
                    kSaveHint);
    if (zip) {
        f.archive_ = true;
        const ZipArchive archive(path);
        if (!archive.contains("config.json"))
            throw Error(ErrorKind::Input, "the zip archive has no config.json, so it is not a Keras 3 .keras model",
                        {path, {}}, kSaveHint);
        const std::vector<uint8_t> configBytes = archive.read("config.json");
        f.config_ = parseConfig(std::string(configBytes.begin(), configBytes.end()), path, "config.json");
        checkModelConfig(f.config_, path, "config.json");
        if (archive.contains("metadata.json")) {
            const std::vector<uint8_t> meta = archive.read("metadata.json");
            const json metadata = parseConfig(std::string(meta.begin(), meta.end()), path, "metadata.json");
            if (metadata.is_object() && metadata.contains("keras_version") && metadata["keras_version"].is_string())
                f.kerasVersion_ = metadata["keras_version"].get<std::string>();
        }
        if (!archive.contains("model.weights.h5"))
            throw Error(
                ErrorKind::Input,
                "the archive has no model.weights.h5" +
                    std::string(archive.contains("model.weights.npz") ? " (only the NumPy form, which is not supported)"
                                                                      : ""),
                {path, {}}, kSaveHint);
        f.weightsFile_ = std::make_unique<Hdf5File>(
            Hdf5File::openImage(archive.read("model.weights.h5"), path + "!model.weights.h5"));
        return f;
    }

    f.weightsFile_ = std::make_unique<Hdf5File>(Hdf5File::open(path));
    const Hdf5File& h5 = *f.weightsFile_;
    const auto config = h5.stringAttribute("/", "model_config");
    if (!config) {
        const bool weightsOnly = h5.hasAttribute("/", "layer_names") || h5.hasGroup("/layers") || h5.hasGroup("/vars");
        throw Error(ErrorKind::Input,
                    weightsOnly ? "this HDF5 file holds only weights (model.save_weights), not the model's architecture"
                                : "this HDF5 file is not a Keras model (it has no model_config attribute)",
                    {path, {}}, "save the whole model with model.save(\"model.h5\") or model.save(\"model.keras\")");
    }
    f.config_ = parseConfig(*config, path, "the model_config attribute");
    checkModelConfig(f.config_, path, "the model_config attribute");
    f.kerasVersion_ = h5.stringAttribute("/", "keras_version").value_or("");
    f.weightsRoot_ = h5.hasGroup("/model_weights") ? "/model_weights" : "/";
    return f;
}

std::vector<KerasWeight> KerasModelFile::weights(const KerasLayerLocation& layer) const {
    return archive_ ? archiveWeights(layer) : hdf5Weights(layer);
}

std::vector<KerasWeight> KerasModelFile::hdf5Weights(const KerasLayerLocation& layer) const {
    const Hdf5File& h5 = *weightsFile_;
    if (layer.names.empty()) return {};
    // A nested model is one top-level layer group holding its layers' weights, named after the leaf layer.
    const std::string group = (weightsRoot_ == "/" ? std::string("/") : weightsRoot_ + "/") + layer.names.front();
    if (!h5.hasGroup(group)) return {};
    const std::vector<std::string> names = h5.stringListAttribute(group, "weight_names");
    const bool nested = layer.names.size() > 1;
    const std::string prefix = layer.names.back() + "/";
    std::vector<KerasWeight> out;
    for (const std::string& name : names) {
        if (nested && !startsWith(name, prefix)) continue;
        out.push_back({roleOfWeightName(nested || startsWith(name, prefix) ? name.substr(prefix.size()) : name),
                       h5.readFloats(group + "/" + name)});
    }
    return out;
}

std::vector<KerasWeight> KerasModelFile::archiveWeights(const KerasLayerLocation& layer) const {
    const Hdf5File& h5 = *weightsFile_;
    std::vector<KerasWeight> out;
    const auto readGroup = [&](const std::string& group, const std::vector<std::string>& roles,
                               const std::string& prefix) {
        const std::string vars = group + "/vars";
        if (!h5.hasGroup(vars)) return;
        const size_t count = h5.children(vars).size();
        if (count != roles.size())
            throw Error(ErrorKind::Input,
                        "layer \"" + (layer.names.empty() ? std::string() : layer.names.back()) + "\" (" +
                            layer.className + ") has " + std::to_string(count) +
                            " variables in the weights file, expected " + std::to_string(roles.size()),
                        {h5.name(), {}}, kSaveHint);
        for (size_t i = 0; i < count; ++i)
            out.push_back({prefix + roles[i], h5.readFloats(vars + "/" + std::to_string(i))});
    };
    const std::string base = "/" + layer.archivePath;
    if (layer.className == "Bidirectional") {
        const json* inner = layer.config && layer.config->contains("layer") ? &(*layer.config)["layer"] : nullptr;
        const std::string cls = inner ? inner->value("class_name", "") : "";
        const json* innerConfig = inner && inner->contains("config") ? &(*inner)["config"] : nullptr;
        readGroup(base + "/forward_layer/cell", ownVariableRoles(cls, innerConfig), "forward/");
        readGroup(base + "/backward_layer/cell", ownVariableRoles(cls, innerConfig), "backward/");
        return out;
    }
    if (layer.className == "MultiHeadAttention") {
        const std::vector<std::string> roles = flag(layer.config, "use_bias", true)
                                                   ? std::vector<std::string>{"kernel", "bias"}
                                                   : std::vector<std::string>{"kernel"};
        for (const auto& [attribute, role] : {std::pair<const char*, const char*>{"_query_dense", "query/"},
                                              {"_key_dense", "key/"},
                                              {"_value_dense", "value/"},
                                              {"_output_dense", "attention_output/"}})
            readGroup(base + "/" + attribute, roles, role);
        return out;
    }
    if (layer.className == "LSTM" || layer.className == "GRU" || layer.className == "SimpleRNN") {
        readGroup(base + "/cell", ownVariableRoles(layer.className, layer.config), "");
        return out;
    }
    readGroup(base, ownVariableRoles(layer.className, layer.config), "");
    return out;
}

}  // namespace cms::frontends
