#pragma once
// A saved Keras model as stored: the model config (the JSON topology) and the weights of each
// layer, from either form Keras writes:
//  - HDF5 (.h5, Keras 2 / tf.keras): root attribute `model_config`; weights under
//    model_weights/<layer>/ with each layer group's `weight_names` attribute ("dense/kernel:0").
//  - Keras 3 archive (.keras): a zip with config.json, metadata.json and model.weights.h5, whose
//    weights are layers/<snake_case class>[_N]/vars/<index> in each layer's variable order.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/tensor.h"

namespace cms::frontends {

class Hdf5File;

// One weight of a layer, named by its role: "kernel", "bias", "gamma", "moving_mean", ... and, for the
// two halves of a Bidirectional wrapper, "forward/kernel", "backward/kernel".
struct KerasWeight {
    std::string role;
    Tensor value;
};

// Where a layer's weights are: its names from the outermost model inwards (HDF5 form) and its path in
// the Keras 3 weights file.
struct KerasLayerLocation {
    std::vector<std::string> names;
    std::string archivePath;
    std::string className;
    const nlohmann::json* config = nullptr;  // the layer's "config" object
};

class KerasModelFile {
public:
    // Reads an .h5 or .keras file (by content, not extension). Throws cms::Error(Input) with the file.
    static KerasModelFile load(const std::string& path);
    ~KerasModelFile();
    KerasModelFile(KerasModelFile&&) noexcept;
    KerasModelFile& operator=(KerasModelFile&&) noexcept;

    const std::string& path() const { return path_; }
    bool kerasArchive() const { return archive_; }  // Keras 3 .keras (else HDF5)
    const std::string& kerasVersion() const { return kerasVersion_; }
    const nlohmann::json& modelConfig() const { return config_; }  // {"class_name": ..., "config": ...}
    std::vector<KerasWeight> weights(const KerasLayerLocation& layer) const;

private:
    KerasModelFile() = default;
    std::vector<KerasWeight> hdf5Weights(const KerasLayerLocation& layer) const;
    std::vector<KerasWeight> archiveWeights(const KerasLayerLocation& layer) const;

    std::string path_;
    bool archive_ = false;
    std::string kerasVersion_;
    nlohmann::json config_;
    std::unique_ptr<Hdf5File> weightsFile_;
    std::string weightsRoot_;  // HDF5 form: "model_weights" or "/" (a weights-only layout)
};

// Keras 3's name for an object in a container path: "DepthwiseConv2D" -> "depthwise_conv2d".
std::string kerasSnakeCase(const std::string& className);

}  // namespace cms::frontends
