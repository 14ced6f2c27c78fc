#include "frontends/keras/keras_layers.h"

#include "common/error.h"
#include "frontends/keras/keras_limits.h"

namespace cms::frontends::keras {

using nlohmann::json;

LayerCall::LayerCall(IrEmitter& emitter, const KerasModelFile& file, KerasLayerLocation location,
                     std::string modulePath, std::vector<KTensor> inputs, std::map<std::string, ir::Value*>& cache)
    : ir(emitter),
      file_(file),
      location_(std::move(location)),
      modulePath_(std::move(modulePath)),
      inputs_(std::move(inputs)),
      constants_(cache) {}

const KTensor& LayerCall::input() const {
    if (inputs_.size() != 1)
        fail("the layer is called with " + std::to_string(inputs_.size()) + " inputs, expected one");
    return inputs_.front();
}

void LayerCall::setKeywordArguments(std::map<std::string, KTensor> named, json kwargs) {
    named_ = std::move(named);
    kwargs_ = std::move(kwargs);
}

const KTensor* LayerCall::namedInput(const std::string& keyword) const {
    const auto it = named_.find(keyword);
    return it == named_.end() ? nullptr : &it->second;
}

bool LayerCall::kerasThree() const { return file_.kerasVersion().rfind("3", 0) == 0; }

bool LayerCall::has(const std::string& key) const { return config().contains(key) && !config()[key].is_null(); }

bool LayerCall::flag(const std::string& key, bool dflt) const {
    if (!has(key)) return dflt;
    if (!config()[key].is_boolean()) fail("config value \"" + key + "\" is not true/false");
    return config()[key].get<bool>();
}

int64_t LayerCall::integer(const std::string& key, int64_t dflt) const {
    if (!has(key)) return dflt;
    const json& v = config()[key];
    if (v.is_number_integer()) return boundedInteger(key, v);
    if (v.is_array() && v.size() == 1 && v[0].is_number_integer()) return boundedInteger(key, v[0]);
    fail("config value \"" + key + "\" is not an integer");
}

int64_t LayerCall::boundedInteger(const std::string& key, const json& v) const {
    // Unsigned JSON numbers past INT64_MAX compare as what they are, not as a wrapped int64.
    if (v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t(kMaxConfigInteger)
                               : v.get<int64_t>() > kMaxConfigInteger || v.get<int64_t>() < -kMaxConfigInteger)
        throw Error(ErrorKind::Input,
                    "config value \"" + key + "\" is " + v.dump() + ", beyond any size a layer can have (2^24)",
                    {file_.path(), modulePath_ + " (" + className() + ")"},
                    "check the model file: it may be damaged or not written by Keras");
    return v.get<int64_t>();
}

double LayerCall::number(const std::string& key, double dflt) const {
    if (!has(key)) return dflt;
    if (!config()[key].is_number()) fail("config value \"" + key + "\" is not a number");
    return config()[key].get<double>();
}

std::string LayerCall::text(const std::string& key, const std::string& dflt) const {
    if (!has(key)) return dflt;
    const json& v = config()[key];
    if (v.is_string()) return v.get<std::string>();
    // Keras 3 may serialize an activation as {"class_name": "function", "config": "relu", ...}.
    if (v.is_object() && v.contains("config") && v["config"].is_string()) return v["config"].get<std::string>();
    fail("config value \"" + key + "\" is not a string");
}

std::vector<int64_t> LayerCall::ints(const std::string& key, size_t n, std::optional<int64_t> dflt) const {
    if (!has(key)) {
        if (!dflt) fail("config value \"" + key + "\" is missing");
        return std::vector<int64_t>(n, *dflt);
    }
    const json& v = config()[key];
    if (v.is_number_integer()) return std::vector<int64_t>(n, boundedInteger(key, v));
    if (v.is_array() && v.size() == n) {
        std::vector<int64_t> out;
        for (const json& e : v) {
            if (!e.is_number_integer()) fail("config value \"" + key + "\" is not a list of integers");
            out.push_back(boundedInteger(key, e));
        }
        return out;
    }
    fail("config value \"" + key + "\" should be an integer or " + std::to_string(n) + " integers, got " + v.dump());
}

void LayerCall::loadWeights() {
    if (!weights_) weights_ = file_.weights(location_);
}

std::optional<Tensor> LayerCall::optionalWeight(const std::string& role) {
    loadWeights();
    for (const KerasWeight& w : *weights_)
        if (w.role == role) return w.value;
    return std::nullopt;
}

const Tensor& LayerCall::weight(const std::string& role) {
    loadWeights();
    for (const KerasWeight& w : *weights_)
        if (w.role == role) return w.value;
    std::string found;
    for (const KerasWeight& w : *weights_) found += (found.empty() ? "" : ", ") + w.role;
    throw Error(ErrorKind::Input,
                "the weights file has no \"" + role +
                    "\" weight for this layer (found: " + (found.empty() ? std::string("none") : found) + ")",
                {file_.path(), modulePath_ + " (" + className() + ")"},
                "save the model again after building it (model.save(...) on a model that has been called or built)");
}

ir::Value* LayerCall::constant(const std::string& key, const std::function<Tensor()>& make) {
    const std::string full = location_.archivePath + "|" + modulePath_ + "|" + key;
    auto it = constants_.find(full);
    if (it != constants_.end()) return it->second;
    ir::Value* v = ir.constTensor(make(), key);
    constants_[full] = v;
    return v;
}

void LayerCall::fail(const std::string& message, const std::string& hint) const {
    throw Error(ErrorKind::Unsupported, message, {file_.path(), modulePath_ + " (" + className() + ")"}, hint);
}

LayerCall LayerCall::wrapped(const json& innerLayer, std::vector<KTensor> inputs) const {
    static const json empty = json::object();
    KerasLayerLocation inner = location_;
    inner.archivePath = location_.archivePath + "/layer";
    inner.className = innerLayer.value("class_name", "");
    inner.config = innerLayer.contains("config") && innerLayer["config"].is_object() ? &innerLayer["config"] : &empty;
    return LayerCall(ir, file_, std::move(inner), modulePath_, std::move(inputs), constants_);
}

Tensor permuteTensor(const Tensor& t, const std::vector<int64_t>& perm) {
    const std::vector<float> src = t.castTo(DType::Float32).toFloats();
    const Shape& in = t.shape();
    const size_t rank = in.size();
    Shape out(rank);
    for (size_t i = 0; i < rank; ++i) out[i] = in[static_cast<size_t>(perm[i])];
    std::vector<int64_t> inStrides(rank, 1);
    for (size_t i = rank; i-- > 1;) inStrides[i - 1] = inStrides[i] * in[i];
    std::vector<float> dst(src.size());
    std::vector<int64_t> index(rank, 0);
    for (size_t flat = 0; flat < dst.size(); ++flat) {
        int64_t offset = 0;
        for (size_t i = 0; i < rank; ++i) offset += index[i] * inStrides[static_cast<size_t>(perm[i])];
        dst[flat] = src[static_cast<size_t>(offset)];
        for (size_t i = rank; i-- > 0;) {
            if (++index[i] < out[i]) break;
            index[i] = 0;
        }
    }
    return Tensor::fromFloats(dst, out);
}

KTensor applyActivation(LayerCall& call, const KTensor& x, const std::string& activation) {
    IrEmitter& ir = call.ir;
    const auto same = [&](ir::Value* v) { return KTensor{v, x.shape, x.channelsFirst}; };
    if (activation == "linear" || activation.empty()) return x;
    if (activation == "relu") return same(ir.op("aten::relu", {x.value}));
    if (activation == "relu6") return same(ir.op("aten::hardtanh", {x.value, ir.constFloat(0.0), ir.constFloat(6.0)}));
    if (activation == "sigmoid") return same(ir.op("aten::sigmoid", {x.value}));
    if (activation == "tanh") return same(ir.op("aten::tanh", {x.value}));
    if (activation == "softmax")
        return same(ir.op("aten::softmax", {x.value, ir.constInt(IrEmitter::storedAxis(x, -1)), ir.constNone()}));
    if (activation == "log_softmax")
        return same(ir.op("aten::log_softmax", {x.value, ir.constInt(IrEmitter::storedAxis(x, -1)), ir.constNone()}));
    if (activation == "elu")
        return same(ir.op("aten::elu", {x.value, ir.constFloat(1.0), ir.constFloat(1.0), ir.constFloat(1.0)}));
    if (activation == "selu") return same(ir.op("aten::selu", {x.value}));
    if (activation == "softplus")
        return same(ir.op("aten::softplus", {x.value, ir.constFloat(1.0), ir.constFloat(20.0)}));
    if (activation == "softsign") return same(ir.op("aten::softsign", {x.value}));
    if (activation == "swish" || activation == "silu") return same(ir.op("aten::silu", {x.value}));
    if (activation == "mish") return same(ir.op("aten::mish", {x.value}));
    if (activation == "exponential") return same(ir.op("aten::exp", {x.value}));
    if (activation == "gelu") return same(ir.op("aten::gelu", {x.value, ir.constString("none")}));
    if (activation == "hard_sigmoid") {
        // Keras 3: relu6(x + 3) / 6; Keras 2 and TensorFlow.js: clip(0.2 x + 0.5, 0, 1).
        if (call.kerasThree()) return same(ir.op("aten::hardsigmoid", {x.value}));
        ir::Value* scaled = ir.op("aten::mul", {x.value, ir.constFloat(0.2)});
        ir::Value* shifted = ir.op("aten::add", {scaled, ir.constFloat(0.5), ir.constInt(1)});
        return same(ir.op("aten::hardtanh", {shifted, ir.constFloat(0.0), ir.constFloat(1.0)}));
    }
    call.fail("activation \"" + activation + "\" is not supported",
              "use one of linear, relu, relu6, sigmoid, hard_sigmoid, tanh, softmax, log_softmax, elu, selu, softplus, "
              "softsign, swish, mish, gelu or exponential");
}

const LayerTable& layerTable() {
    static const LayerTable table = [] {
        LayerTable t;
        registerCoreLayers(t);
        registerConvLayers(t);
        registerRecurrentLayers(t);
        registerAttentionLayers(t);
        return t;
    }();
    return table;
}

}  // namespace cms::frontends::keras
