// Keras core, activation, reshaping, merging, normalization and preprocessing layers. Layers that
// work on the last axis (Dense, LayerNormalization, Flatten, ...) read their input channels-last;
// elementwise ones keep the layout they are given.
#include <cmath>
#include <numeric>

#include "common/error.h"
#include "frontends/keras/keras_layers.h"
#include "frontends/keras/keras_limits.h"

namespace cms::frontends::keras {

namespace {

using nlohmann::json;

KTensor channelsLastResult(ir::Value* v, Shape shape) { return {v, std::move(shape), false}; }

std::vector<KTensor> identity(LayerCall& call) { return {call.input()}; }

std::vector<KTensor> dense(LayerCall& call) {
    const KTensor& in = call.input();
    IrEmitter& ir = call.ir;
    ir::Value* x = ir.channelsLast(in);
    const Tensor& kernel = call.weight("kernel");  // [in, units]
    if (kernel.rank() != 2 || kernel.shape()[0] != in.channels())
        call.fail("the kernel " + shapeToString(kernel.shape()) + " does not fit an input of " +
                  std::to_string(in.channels()) + " features");
    ir::Value* w = call.constant("weight", [&] { return permuteTensor(kernel, {1, 0}); });
    ir::Value* b =
        call.flag("use_bias", true) ? call.constant("bias", [&] { return call.weight("bias"); }) : ir.constNone();
    Shape shape = in.shape;
    shape.back() = kernel.shape()[1];
    const KTensor y = channelsLastResult(ir.op("aten::linear", {x, w, b}), shape);
    return {applyActivation(call, y, call.text("activation", "linear"))};
}

std::vector<KTensor> activation(LayerCall& call) {
    return {applyActivation(call, call.input(), call.text("activation", "linear"))};
}

std::vector<KTensor> relu(LayerCall& call) {
    const KTensor& x = call.input();
    IrEmitter& ir = call.ir;
    const double slope = call.number("negative_slope", 0.0);
    const double threshold = call.number("threshold", 0.0);
    const bool capped = call.has("max_value");
    if (threshold != 0.0) call.fail("ReLU with a threshold is not supported", "use threshold=0");
    ir::Value* y = nullptr;
    if (slope == 0.0 && !capped)
        y = ir.op("aten::relu", {x.value});
    else if (slope == 0.0)
        y = ir.op("aten::hardtanh", {x.value, ir.constFloat(0.0), ir.constFloat(call.number("max_value", 0))});
    else if (!capped)
        y = ir.op("aten::leaky_relu", {x.value, ir.constFloat(slope)});
    else
        y = ir.op("aten::clamp", {ir.op("aten::leaky_relu", {x.value, ir.constFloat(slope)}), ir.constNone(),
                                  ir.constFloat(call.number("max_value", 0))});
    return {{y, x.shape, x.channelsFirst}};
}

std::vector<KTensor> leakyRelu(LayerCall& call) {
    const KTensor& x = call.input();
    // Keras 2 and TensorFlow.js call the slope alpha; Keras 3 calls it negative_slope. Both default to 0.3.
    const double slope = call.has("negative_slope") ? call.number("negative_slope", 0.3) : call.number("alpha", 0.3);
    return {{call.ir.op("aten::leaky_relu", {x.value, call.ir.constFloat(slope)}), x.shape, x.channelsFirst}};
}

std::vector<KTensor> elu(LayerCall& call) {
    const KTensor& x = call.input();
    IrEmitter& ir = call.ir;
    return {{ir.op("aten::elu",
                   {x.value, ir.constFloat(call.number("alpha", 1.0)), ir.constFloat(1.0), ir.constFloat(1.0)}),
             x.shape, x.channelsFirst}};
}

std::vector<KTensor> softmax(LayerCall& call) {
    const KTensor& x = call.input();
    IrEmitter& ir = call.ir;
    const int64_t axis = call.integer("axis", -1);
    return {{ir.op("aten::softmax", {x.value, ir.constInt(IrEmitter::storedAxis(x, axis)), ir.constNone()}), x.shape,
             x.channelsFirst}};
}

// max(x, 0) + alpha * min(x, 0), alpha broadcast over the shared axes.
std::vector<KTensor> prelu(LayerCall& call) {
    const KTensor& in = call.input();
    IrEmitter& ir = call.ir;
    ir::Value* x = ir.channelsLast(in);
    ir::Value* alpha = call.constant("alpha", [&] { return call.weight("alpha"); });
    ir::Value* positive = ir.op("aten::relu", {x});
    ir::Value* negative = ir.op("aten::neg", {ir.op("aten::relu", {ir.op("aten::neg", {x})})});
    ir::Value* y = ir.op("aten::add", {positive, ir.op("aten::mul", {negative, alpha}), ir.constInt(1)});
    return {channelsLastResult(y, in.shape)};
}

std::vector<KTensor> flatten(LayerCall& call) {
    const KTensor& in = call.input();
    if (in.rank() <= 2) return {in};
    int64_t features = 1;
    for (int64_t d = 1; d < in.rank(); ++d) features *= in.shape[static_cast<size_t>(d)];
    IrEmitter& ir = call.ir;
    ir::Value* y = ir.op("aten::flatten", {ir.channelsLast(in), ir.constInt(1), ir.constInt(-1)});
    return {channelsLastResult(y, {in.shape[0], features})};
}

std::vector<KTensor> reshape(LayerCall& call) {
    const KTensor& in = call.input();
    if (!call.has("target_shape") || !call.config()["target_shape"].is_array())
        call.fail("Reshape has no target_shape");
    Shape shape = {in.shape[0]};
    int64_t known = 1, unknownAt = -1;
    for (const json& d : call.config()["target_shape"]) {
        const int64_t v = d.is_number_integer() ? d.get<int64_t>() : -1;
        if (v < 0) {
            if (unknownAt >= 0) call.fail("the target shape has more than one unknown dimension");
            unknownAt = static_cast<int64_t>(shape.size());
        } else {
            if (v < 1 || v > kMaxDimension || known > kMaxElements / v)
                call.fail("the target shape " + call.config()["target_shape"].dump() + " is out of range");
            known *= v;
        }
        shape.push_back(v);
    }
    const int64_t total = shapeNumel(in.shape) / in.shape[0];
    if (unknownAt >= 0) shape[static_cast<size_t>(unknownAt)] = known ? total / known : 0;
    if (shapeNumel(shape) != shapeNumel(in.shape))
        call.fail("cannot reshape " + shapeToString(in.shape) + " to " + shapeToString(shape));
    IrEmitter& ir = call.ir;
    return {channelsLastResult(ir.op("aten::reshape", {ir.channelsLast(in), ir.constInts(shape)}), shape)};
}

std::vector<KTensor> permute(LayerCall& call) {
    const KTensor& in = call.input();
    const std::vector<int64_t> dims = call.ints("dims", static_cast<size_t>(in.rank() - 1));
    std::vector<int64_t> perm = {0};
    Shape shape = {in.shape[0]};
    for (int64_t d : dims) {
        if (d < 1 || d >= in.rank()) call.fail("Permute dims must be 1-based axes of the input");
        perm.push_back(d);
        shape.push_back(in.shape[static_cast<size_t>(d)]);
    }
    IrEmitter& ir = call.ir;
    return {channelsLastResult(ir.op("aten::permute", {ir.channelsLast(in), ir.constInts(perm)}), shape)};
}

std::vector<KTensor> repeatVector(LayerCall& call) {
    const KTensor& in = call.input();
    if (in.rank() != 2) call.fail("RepeatVector needs a 2-D input, got " + shapeToString(in.shape));
    const int64_t n = call.integer("n", 1);
    IrEmitter& ir = call.ir;
    ir::Value* x = ir.op("aten::unsqueeze", {in.value, ir.constInt(1)});
    ir::Value* y = ir.op("aten::repeat", {x, ir.constInts({1, n, 1})});
    return {channelsLastResult(y, {in.shape[0], n, in.shape[1]})};
}

// The merge layers' inputs in one layout: the one they share, or channels-last when they differ.
std::vector<KTensor> commonLayout(LayerCall& call) {
    const std::vector<KTensor>& in = call.inputs();
    if (in.size() < 2) call.fail(call.className() + " needs at least two inputs");
    bool allFirst = true;
    for (const KTensor& t : in) allFirst = allFirst && t.channelsFirst;
    std::vector<KTensor> out;
    for (const KTensor& t : in) out.push_back(allFirst ? t : call.ir.asChannelsLast(t));
    return out;
}

Shape broadcastShape(LayerCall& call, const std::vector<KTensor>& in) {
    Shape shape = in.front().shape;
    for (const KTensor& t : in) {
        if (t.rank() != static_cast<int64_t>(shape.size()))
            call.fail("merging tensors of different ranks (" + shapeToString(shape) + ", " + shapeToString(t.shape) +
                      ") is not supported");
        for (size_t d = 0; d < shape.size(); ++d) {
            if (shape[d] == 1)
                shape[d] = t.shape[d];
            else if (t.shape[d] != 1 && t.shape[d] != shape[d])
                call.fail("inputs " + shapeToString(shape) + " and " + shapeToString(t.shape) + " cannot be merged");
        }
    }
    return shape;
}

LayerFn mergeWith(const std::string& kind) {
    return [kind](LayerCall& call) -> std::vector<KTensor> {
        const std::vector<KTensor> in = commonLayout(call);
        IrEmitter& ir = call.ir;
        const Shape shape = broadcastShape(call, in);
        if (kind == "aten::sub" && in.size() != 2) call.fail("Subtract needs exactly two inputs");
        ir::Value* acc = in[0].value;
        for (size_t i = 1; i < in.size(); ++i) {
            if (kind == "aten::add" || kind == "aten::sub")
                acc = ir.op(kind, {acc, in[i].value, ir.constInt(1)});
            else
                acc = ir.op(kind, {acc, in[i].value});
        }
        return {{acc, shape, in[0].channelsFirst}};
    };
}

std::vector<KTensor> average(LayerCall& call) {
    const std::vector<KTensor> in = commonLayout(call);
    IrEmitter& ir = call.ir;
    const Shape shape = broadcastShape(call, in);
    ir::Value* acc = in[0].value;
    for (size_t i = 1; i < in.size(); ++i) acc = ir.op("aten::add", {acc, in[i].value, ir.constInt(1)});
    ir::Value* y = ir.op("aten::div", {acc, ir.constFloat(static_cast<double>(in.size()))});
    return {{y, shape, in[0].channelsFirst}};
}

std::vector<KTensor> concatenate(LayerCall& call) {
    const std::vector<KTensor> in = commonLayout(call);
    IrEmitter& ir = call.ir;
    int64_t axis = call.integer("axis", -1);
    const int64_t rank = in[0].rank();
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank)
        call.fail("axis " + std::to_string(axis) + " is out of range for rank-" + std::to_string(rank) + " inputs",
                  kDamagedFileHint);
    Shape shape = in[0].shape;
    shape[static_cast<size_t>(axis)] = 0;
    std::vector<ir::Value*> values;
    for (const KTensor& t : in) {
        if (t.rank() != rank) call.fail("Concatenate inputs must have the same rank");
        shape[static_cast<size_t>(axis)] += t.shape[static_cast<size_t>(axis)];
        values.push_back(t.value);
    }
    ir::Value* y = ir.op("aten::cat", {ir.list(values), ir.constInt(IrEmitter::storedAxis(in[0], axis))});
    return {{y, shape, in[0].channelsFirst}};
}

// Dot of two batched tensors along one axis each ([N, F] . [N, F] -> [N, 1]; [N, A, F] . [N, B, F] -> [N, A, B]).
std::vector<KTensor> dot(LayerCall& call) {
    std::vector<KTensor> in = call.inputs();
    if (in.size() != 2) call.fail("Dot needs exactly two inputs");
    IrEmitter& ir = call.ir;
    KTensor a = ir.asChannelsLast(in[0]), b = ir.asChannelsLast(in[1]);
    std::vector<int64_t> axes = call.ints("axes", 2);
    for (size_t i = 0; i < 2; ++i) {
        const int64_t rank = (i == 0 ? a : b).rank();
        if (axes[i] < 0) axes[i] += rank;
    }
    if (call.flag("normalize", false)) {
        for (size_t i = 0; i < 2; ++i) {
            KTensor& t = i == 0 ? a : b;
            // x / max(||x||, 1e-12) along the dot axis, as tf.math.l2_normalize.
            ir::Value* norm = ir.op("aten::linalg_vector_norm", {t.value, ir.constFloat(2.0), ir.constInts({axes[i]}),
                                                                 ir.constBool(true), ir.constNone()});
            ir::Value* safe = ir.op("aten::clamp", {norm, ir.constFloat(1e-12), ir.constNone()});
            t.value = ir.op("aten::div", {t.value, safe});
        }
    }
    if (a.rank() == 2 && b.rank() == 2) {
        ir::Value* prod = ir.op("aten::mul", {a.value, b.value});
        ir::Value* y = ir.op("aten::sum", {prod, ir.constInts({1}), ir.constBool(true), ir.constNone()});
        return {channelsLastResult(y, {a.shape[0], 1})};
    }
    if (a.rank() == 3 && b.rank() == 3) {
        // Move a's dot axis last and b's to the middle: batched matrix product.
        ir::Value* lhs = axes[0] == 2 ? a.value : ir.op("aten::transpose", {a.value, ir.constInt(1), ir.constInt(2)});
        ir::Value* rhs = axes[1] == 1 ? b.value : ir.op("aten::transpose", {b.value, ir.constInt(1), ir.constInt(2)});
        const int64_t rows = a.shape[axes[0] == 2 ? 1 : 2], cols = b.shape[axes[1] == 1 ? 2 : 1];
        return {channelsLastResult(ir.op("aten::bmm", {lhs, rhs}), {a.shape[0], rows, cols})};
    }
    call.fail("Dot is supported for 2-D and 3-D inputs, got " + shapeToString(a.shape) + " and " +
              shapeToString(b.shape));
}

std::vector<KTensor> rescaling(LayerCall& call) {
    const KTensor& x = call.input();
    IrEmitter& ir = call.ir;
    if (!call.config().contains("scale") || !call.config()["scale"].is_number())
        call.fail("Rescaling with a per-channel scale is not supported", "use one scale for all channels");
    const double scale = call.number("scale", 1.0);
    const double offset = call.has("offset") && call.config()["offset"].is_number() ? call.number("offset", 0.0) : 0.0;
    ir::Value* y = ir.op("aten::mul", {x.value, ir.constFloat(scale)});
    if (offset != 0.0) y = ir.op("aten::add", {y, ir.constFloat(offset), ir.constInt(1)});
    return {{y, x.shape, x.channelsFirst}};
}

// The per-channel affine y = x * scale + shift over Keras axis `axis` of x, in x's stored layout.
KTensor channelAffine(LayerCall& call, const KTensor& x, int64_t axis, const std::vector<float>& scale,
                      const std::vector<float>& shift) {
    IrEmitter& ir = call.ir;
    const int64_t stored = IrEmitter::storedAxis(x, axis);
    Shape shape = {static_cast<int64_t>(scale.size())};
    for (int64_t d = stored + 1; d < x.rank(); ++d) shape.push_back(1);
    ir::Value* s = call.constant("scale", [&] { return Tensor::fromFloats(scale, shape); });
    ir::Value* b = call.constant("shift", [&] { return Tensor::fromFloats(shift, shape); });
    ir::Value* y = ir.op("aten::add", {ir.op("aten::mul", {x.value, s}), b, ir.constInt(1)});
    return {y, x.shape, x.channelsFirst};
}

int64_t singleAxis(LayerCall& call, int64_t rank) {
    const json& axis = call.config().contains("axis") ? call.config()["axis"] : json(-1);
    int64_t a = -1;
    if (axis.is_number_integer())
        a = axis.get<int64_t>();
    else if (axis.is_array() && axis.size() == 1 && axis[0].is_number_integer())
        a = axis[0].get<int64_t>();
    else if (!axis.is_null())
        call.fail("normalizing over several axes " + axis.dump() + " is not supported");
    if (a < 0) a += rank;
    if (a < 0 || a >= rank)
        call.fail("axis " + axis.dump() + " is out of range for a rank-" + std::to_string(rank) + " input",
                  kDamagedFileHint);
    return a;
}

std::vector<KTensor> batchNormalization(LayerCall& call) {
    const KTensor& x = call.input();
    IrEmitter& ir = call.ir;
    const int64_t axis = singleAxis(call, x.rank());
    const int64_t channels = x.shape[static_cast<size_t>(axis)];
    const double eps = call.number("epsilon", 1e-3);
    const auto vec = [&](const std::optional<Tensor>& t, float dflt) {
        return t ? t->castTo(DType::Float32).toFloats() : std::vector<float>(static_cast<size_t>(channels), dflt);
    };
    const std::vector<float> gamma = vec(call.flag("scale", true) ? call.optionalWeight("gamma") : std::nullopt, 1.f);
    const std::vector<float> beta = vec(call.flag("center", true) ? call.optionalWeight("beta") : std::nullopt, 0.f);
    const std::vector<float> mean = call.weight("moving_mean").castTo(DType::Float32).toFloats();
    const std::vector<float> var = call.weight("moving_variance").castTo(DType::Float32).toFloats();
    for (const std::vector<float>* v : {&gamma, &beta, &mean, &var})
        if (static_cast<int64_t>(v->size()) != channels)
            call.fail("the statistics do not match the " + std::to_string(channels) + " channels of the input",
                      kDamagedFileHint);
    if (IrEmitter::storedAxis(x, axis) == 1) {
        // On the stored channel axis: a batch norm, which the passes can fold into a preceding conv.
        const auto c = [&](const char* key, const std::vector<float>& v) {
            return call.constant(key, [&] { return Tensor::fromFloats(v, {channels}); });
        };
        ir::Value* y = ir.op("aten::batch_norm", {x.value, c("gamma", gamma), c("beta", beta), c("moving_mean", mean),
                                                  c("moving_variance", var), ir.constBool(false), ir.constFloat(0.1),
                                                  ir.constFloat(eps), ir.constBool(false)});
        return {{y, x.shape, x.channelsFirst}};
    }
    std::vector<float> scale(gamma.size()), shift(gamma.size());
    for (size_t c = 0; c < gamma.size(); ++c) {
        scale[c] = static_cast<float>(gamma[c] / std::sqrt(static_cast<double>(var[c]) + eps));
        shift[c] = static_cast<float>(beta[c] - mean[c] * static_cast<double>(scale[c]));
    }
    return {channelAffine(call, x, axis, scale, shift)};
}

// (x - mean) / max(sqrt(variance), epsilon), Keras's Normalization with stored statistics.
std::vector<KTensor> normalization(LayerCall& call) {
    const KTensor& x = call.input();
    if (call.flag("invert", false)) call.fail("Normalization with invert=True is not supported");
    const int64_t axis = singleAxis(call, x.rank());
    // Statistics given to the constructor are in the config; adapted ones are weights.
    const auto statistic = [&](const char* key) {
        const json& v = call.config().contains(key) ? call.config()[key] : json();
        if (v.is_number())
            return std::vector<float>(static_cast<size_t>(x.shape[static_cast<size_t>(axis)]), v.get<float>());
        if (v.is_array()) {
            std::vector<float> out;
            for (const json& e : v) {
                if (!e.is_number()) call.fail(std::string("Normalization's ") + key + " is not a list of numbers");
                out.push_back(e.get<float>());
            }
            return out;
        }
        return call.weight(key).castTo(DType::Float32).toFloats();
    };
    const std::vector<float> mean = statistic("mean");
    const std::vector<float> var = statistic("variance");
    if (static_cast<int64_t>(mean.size()) != x.shape[static_cast<size_t>(axis)] || var.size() != mean.size())
        call.fail("the statistics (" + std::to_string(mean.size()) + " values) do not match axis " +
                  std::to_string(axis) + " of the input " + shapeToString(x.shape));
    std::vector<float> scale(mean.size()), shift(mean.size());
    for (size_t c = 0; c < mean.size(); ++c) {
        const double sd = std::max(std::sqrt(static_cast<double>(var[c])), 1e-7);
        scale[c] = static_cast<float>(1.0 / sd);
        shift[c] = static_cast<float>(-mean[c] / sd);
    }
    return {channelAffine(call, x, axis, scale, shift)};
}

std::vector<KTensor> layerNormalization(LayerCall& call) {
    const KTensor& in = call.input();
    IrEmitter& ir = call.ir;
    const int64_t axis = singleAxis(call, in.rank());
    if (axis != in.rank() - 1) call.fail("LayerNormalization is supported over the last axis only");
    const int64_t channels = in.channels();
    ir::Value* gamma =
        call.flag("scale", true) ? call.constant("gamma", [&] { return call.weight("gamma"); }) : ir.constNone();
    ir::Value* beta =
        call.flag("center", true) ? call.constant("beta", [&] { return call.weight("beta"); }) : ir.constNone();
    ir::Value* y = ir.op("aten::layer_norm", {ir.channelsLast(in), ir.constInts({channels}), gamma, beta,
                                              ir.constFloat(call.number("epsilon", 1e-3)), ir.constBool(false)});
    return {channelsLastResult(y, in.shape)};
}

std::vector<KTensor> embedding(LayerCall& call) {
    const KTensor& in = call.input();
    IrEmitter& ir = call.ir;
    const Tensor& table = call.weight("embeddings");
    ir::Value* indices = in.value;
    // Keras casts float indices to integers (TensorFlow.js models take float inputs by default).
    if (in.value->dtype != DType::Int32 && in.value->dtype != DType::Int64)
        indices =
            ir.op("aten::to", {indices, ir.constInt(3), ir.constBool(false), ir.constBool(false), ir.constNone()});
    ir::Value* w = call.constant("embeddings", [&] { return table; });
    ir::Value* y = ir.op("aten::embedding", {w, indices, ir.constInt(-1), ir.constBool(false), ir.constBool(false)});
    Shape shape = in.shape;
    shape.push_back(table.shape().at(1));
    return {channelsLastResult(y, shape)};
}

// The wrapped layer applied to every time step: time folded into the batch, then unfolded again.
std::vector<KTensor> timeDistributed(LayerCall& call) {
    IrEmitter& ir = call.ir;
    const KTensor in = ir.asChannelsLast(call.input());
    if (in.rank() < 3) call.fail("TimeDistributed needs a [batch, time, ...] input, got " + shapeToString(in.shape));
    if (!call.config().contains("layer") || !call.config()["layer"].is_object())
        call.fail("TimeDistributed has no wrapped layer in its config");
    const json& inner = call.config()["layer"];
    const std::string cls = inner.value("class_name", "");
    const auto it = layerTable().find(cls);
    if (it == layerTable().end() || cls == "TimeDistributed" || cls == "Bidirectional")
        call.fail("TimeDistributed around " + cls + " is not supported");
    Shape folded = {in.shape[0] * in.shape[1]};
    folded.insert(folded.end(), in.shape.begin() + 2, in.shape.end());
    ir::Value* x = ir.op("aten::reshape", {in.value, ir.constInts(folded)});
    LayerCall innerCall = call.wrapped(inner, {KTensor{x, folded, false}});
    const std::vector<KTensor> out = it->second(innerCall);
    if (out.size() != 1) call.fail("TimeDistributed around a layer with several outputs is not supported");
    const KTensor y = ir.asChannelsLast(out.front());
    Shape shape = {in.shape[0], in.shape[1]};
    shape.insert(shape.end(), y.shape.begin() + 1, y.shape.end());
    return {channelsLastResult(ir.op("aten::reshape", {y.value, ir.constInts(shape)}), shape)};
}

}  // namespace

void registerCoreLayers(LayerTable& t) {
    t["Dense"] = dense;
    t["Activation"] = activation;
    t["ReLU"] = relu;
    t["LeakyReLU"] = leakyRelu;
    t["ELU"] = elu;
    t["Softmax"] = softmax;
    t["PReLU"] = prelu;
    for (const char* name : {"Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "GaussianNoise",
                             "GaussianDropout", "AlphaDropout", "ActivityRegularization"})
        t[name] = identity;  // inference: these do nothing
    t["Flatten"] = flatten;
    t["Reshape"] = reshape;
    t["Permute"] = permute;
    t["RepeatVector"] = repeatVector;
    t["Add"] = mergeWith("aten::add");
    t["Subtract"] = mergeWith("aten::sub");
    t["Multiply"] = mergeWith("aten::mul");
    t["Maximum"] = mergeWith("aten::maximum");
    t["Minimum"] = mergeWith("aten::minimum");
    t["Average"] = average;
    t["Concatenate"] = concatenate;
    t["Dot"] = dot;
    t["Rescaling"] = rescaling;
    t["BatchNormalization"] = batchNormalization;
    t["Normalization"] = normalization;
    t["LayerNormalization"] = layerNormalization;
    t["Embedding"] = embedding;
    t["TimeDistributed"] = timeDistributed;
}

}  // namespace cms::frontends::keras
