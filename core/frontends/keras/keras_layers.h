#pragma once
// One function per Keras layer class, writing the layer into the IR (see keras_ir_emitter.h), and the
// registry that finds them by class name. Layer functions read the layer's config and weights through
// LayerCall and return the layer's output tensors.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "frontends/keras/keras_ir_emitter.h"
#include "frontends/keras/keras_model_file.h"

namespace cms::frontends::keras {

class LayerCall {
public:
    LayerCall(IrEmitter& ir, const KerasModelFile& file, KerasLayerLocation location, std::string modulePath,
              std::vector<KTensor> inputs, std::map<std::string, ir::Value*>& constantCache);

    IrEmitter& ir;
    const std::string& className() const { return location_.className; }
    const std::string& modulePath() const { return modulePath_; }
    const nlohmann::json& config() const { return *location_.config; }
    const std::vector<KTensor>& inputs() const { return inputs_; }
    const KTensor& input() const;  // the only input (fails when there are more)
    bool kerasThree() const;       // the file was written by Keras 3 (some defaults differ)
    // Tensors passed by keyword (value=, key=) and the call's other keyword arguments (use_causal_mask=...).
    void setKeywordArguments(std::map<std::string, KTensor> named, nlohmann::json kwargs);
    const KTensor* namedInput(const std::string& keyword) const;
    const nlohmann::json& callArguments() const { return kwargs_; }

    // Config values with Keras's defaults when absent or null.
    bool flag(const std::string& key, bool dflt) const;
    int64_t integer(const std::string& key, int64_t dflt) const;
    double number(const std::string& key, double dflt) const;
    std::string text(const std::string& key, const std::string& dflt) const;
    // An int or a list of ints, as `n` ints ("kernel_size": 3 or [3, 3]).
    std::vector<int64_t> ints(const std::string& key, size_t n, std::optional<int64_t> dflt = std::nullopt) const;
    bool has(const std::string& key) const;

    // A weight by role ("kernel", "bias", "forward/kernel"); fails naming the layer when it is missing.
    const Tensor& weight(const std::string& role);
    std::optional<Tensor> optionalWeight(const std::string& role);
    // A constant made once per layer and key, so a shared layer's weights are stored once.
    ir::Value* constant(const std::string& key, const std::function<Tensor()>& make);

    [[noreturn]] void fail(const std::string& message, const std::string& hint = {}) const;

    // The call of a layer a wrapper holds (TimeDistributed's "layer"), on `inputs`, reading the weights the
    // wrapper stores for it.
    LayerCall wrapped(const nlohmann::json& innerLayer, std::vector<KTensor> inputs) const;

private:
    void loadWeights();
    // An integer config value, refused beyond kMaxConfigInteger (keras_limits.h) so shape arithmetic cannot overflow.
    int64_t boundedInteger(const std::string& key, const nlohmann::json& v) const;

    const KerasModelFile& file_;
    KerasLayerLocation location_;
    std::string modulePath_;
    std::vector<KTensor> inputs_;
    std::map<std::string, ir::Value*>& constants_;
    std::optional<std::vector<KerasWeight>> weights_;
    std::map<std::string, KTensor> named_;
    nlohmann::json kwargs_ = nlohmann::json::object();
};

using LayerFn = std::function<std::vector<KTensor>(LayerCall&)>;
using LayerTable = std::map<std::string, LayerFn>;

// Every layer class the importer converts.
const LayerTable& layerTable();
void registerCoreLayers(LayerTable& t);
void registerConvLayers(LayerTable& t);
void registerRecurrentLayers(LayerTable& t);
void registerAttentionLayers(LayerTable& t);

// Shared by the layer files.
KTensor applyActivation(LayerCall& call, const KTensor& x, const std::string& activation);
// An fp32 tensor with its dimensions reordered: out.shape[i] = in.shape[perm[i]].
Tensor permuteTensor(const Tensor& t, const std::vector<int64_t>& perm);

}  // namespace cms::frontends::keras
