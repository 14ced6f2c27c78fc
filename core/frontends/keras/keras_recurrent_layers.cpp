// Keras LSTM, GRU and SimpleRNN (return_sequences, return_state, go_backwards) and the Bidirectional
// wrapper, as aten::lstm / aten::gru / aten::rnn_tanh|rnn_relu with the weights rearranged here:
// Keras keeps [input, units * gates] kernels, torch [units * gates, input] matrices; Keras's GRU gate
// order is (update, reset, candidate), torch's (reset, update, new). Keras's GRU with reset_after=True
// (its default since TensorFlow 2) is exactly torch's GRU; with reset_after=False (Keras 1, TensorFlow.js)
// the reset gate scales the state before the recurrent weights, which no recurrent op computes: that GRU
// is written out step by step.
#include <algorithm>

#include "common/error.h"
#include "frontends/keras/keras_layers.h"
#include "frontends/keras/keras_limits.h"

namespace cms::frontends::keras {

namespace {

using nlohmann::json;

enum class Cell { Lstm, Gru, Rnn };

Cell cellOf(LayerCall& call, const std::string& cls) {
    if (cls == "LSTM") return Cell::Lstm;
    if (cls == "GRU") return Cell::Gru;
    if (cls == "SimpleRNN") return Cell::Rnn;
    call.fail("Bidirectional around " + cls + " is not supported", "wrap an LSTM, GRU or SimpleRNN layer");
}

// The recurrent layer's settings, read from its config (the wrapped layer's for Bidirectional).
struct RecurrentConfig {
    Cell cell = Cell::Lstm;
    int64_t units = 0;
    bool returnSequences = false;
    bool returnState = false;
    bool goBackwards = false;
    bool useBias = true;
    bool resetAfter = true;  // GRU only
    std::string activation = "tanh";
};

std::string textOf(const json& config, const char* key, const std::string& dflt) {
    if (!config.contains(key) || config[key].is_null()) return dflt;
    if (config[key].is_string()) return config[key].get<std::string>();
    if (config[key].is_object() && config[key].contains("config") && config[key]["config"].is_string())
        return config[key]["config"].get<std::string>();
    return dflt;
}

bool flagOf(const json& config, const char* key, bool dflt) {
    return config.contains(key) && config[key].is_boolean() ? config[key].get<bool>() : dflt;
}

RecurrentConfig readConfig(LayerCall& call, const std::string& cls, const json& config) {
    RecurrentConfig r;
    r.cell = cellOf(call, cls);
    if (!config.contains("units") || !config["units"].is_number_integer()) call.fail(cls + " has no units");
    const json& units = config["units"];
    if (units.is_number_unsigned() ? units.get<uint64_t>() > uint64_t(kMaxConfigInteger) || units.get<uint64_t>() < 1
                                   : units.get<int64_t>() < 1)
        call.fail(cls + " has " + units.dump() + " units");
    r.units = units.get<int64_t>();
    r.returnSequences = flagOf(config, "return_sequences", false);
    r.returnState = flagOf(config, "return_state", false);
    r.goBackwards = flagOf(config, "go_backwards", false);
    r.useBias = flagOf(config, "use_bias", true);
    if (flagOf(config, "time_major", false)) call.fail(cls + " with time_major=True is not supported");
    if (flagOf(config, "stateful", false))
        call.fail("stateful " + cls + " layers carry state between calls, which a converted model cannot",
                  "rebuild the layer with stateful=False and pass the state as an input");
    r.activation = textOf(config, "activation", "tanh");
    if (r.cell == Cell::Rnn) {
        if (r.activation != "tanh" && r.activation != "relu")
            call.fail("SimpleRNN with activation \"" + r.activation + "\" is not supported", "use tanh or relu");
    } else {
        if (r.activation != "tanh")
            call.fail(cls + " with activation \"" + r.activation + "\" is not supported", "use activation=\"tanh\"");
        const std::string recurrent = textOf(config, "recurrent_activation", "sigmoid");
        if (recurrent != "sigmoid")
            call.fail(cls + " with recurrent_activation \"" + recurrent + "\" is not supported",
                      "use recurrent_activation=\"sigmoid\" (the Keras default)");
    }
    r.resetAfter = flagOf(config, "reset_after", true);
    return r;
}

std::vector<float> floatsOf(const Tensor& t) { return t.castTo(DType::Float32).toFloats(); }

// Rows of [G * H, ...] regrouped so that source block order[k] becomes block k.
Tensor regroup(const Tensor& t, const std::vector<int>& order) {
    const std::vector<float> src = floatsOf(t);
    const size_t block = src.size() / order.size();
    std::vector<float> out;
    for (int k : order) out.insert(out.end(), src.begin() + k * block, src.begin() + (k + 1) * block);
    return Tensor::fromFloats(out, t.shape());
}

// torch's parameters for one direction: w_ih, w_hh, b_ih, b_hh.
std::vector<Tensor> torchParams(LayerCall& call, const RecurrentConfig& r, const std::string& prefix,
                                int64_t inputSize) {
    const Tensor& kernel = call.weight(prefix + "kernel");
    const Tensor& recurrent = call.weight(prefix + "recurrent_kernel");
    const int64_t gates = r.cell == Cell::Lstm ? 4 : r.cell == Cell::Gru ? 3 : 1;
    if (kernel.shape() != Shape{inputSize, gates * r.units} || recurrent.shape() != Shape{r.units, gates * r.units})
        call.fail("the weights " + shapeToString(kernel.shape()) + " and " + shapeToString(recurrent.shape()) +
                  " do not fit " + std::to_string(r.units) + " units over " + std::to_string(inputSize) + " features");
    const auto gateOrder = [&](const Tensor& t) {
        if (r.cell != Cell::Gru) return t;
        return regroup(t, {1, 0, 2});
    };
    std::vector<Tensor> out = {gateOrder(permuteTensor(kernel, {1, 0})), gateOrder(permuteTensor(recurrent, {1, 0}))};
    const Shape biasShape = {gates * r.units};
    Tensor inputBias = Tensor::zeros(DType::Float32, biasShape), hiddenBias = Tensor::zeros(DType::Float32, biasShape);
    if (r.useBias) {
        const Tensor& bias = call.weight(prefix + "bias");
        if (r.cell == Cell::Gru && bias.shape() == Shape{2, gates * r.units}) {
            const std::vector<float> v = floatsOf(bias);
            const size_t half = v.size() / 2;
            inputBias = Tensor::fromFloats({v.begin(), v.begin() + static_cast<long>(half)}, biasShape);
            hiddenBias = Tensor::fromFloats({v.begin() + static_cast<long>(half), v.end()}, biasShape);
        } else if (bias.shape() == biasShape) {
            inputBias = bias.castTo(DType::Float32);
        } else {
            call.fail("the bias " + shapeToString(bias.shape()) + " does not fit " + std::to_string(r.units) +
                      " units");
        }
    }
    out.push_back(gateOrder(inputBias));
    out.push_back(gateOrder(hiddenBias));
    return out;
}

struct RecurrentResult {
    ir::Value* sequence = nullptr;  // [N, T, D * H]
    ir::Value* hidden = nullptr;    // [D, N, H]
    ir::Value* cell = nullptr;      // [D, N, H] (LSTM)
};

// One direction of a reset_after=False GRU, step by step: z = s(x Wz + h Uz + bz), r = s(x Wr + h Ur + br),
// c = tanh(x Wh + (r * h) Uh + bh), h = z * h + (1 - z) * c. Returns the outputs in processing order and the
// last state; `reverse` processes the sequence from its end.
std::pair<std::vector<ir::Value*>, ir::Value*> unrolledGru(LayerCall& call, const RecurrentConfig& r, ir::Value* x,
                                                           const KTensor& in, const std::string& prefix, bool reverse) {
    IrEmitter& ir = call.ir;
    const int64_t batch = in.shape[0], steps = in.shape[1], features = in.shape[2], units = r.units;
    const Tensor& kernel = call.weight(prefix + "kernel");
    const Tensor& recurrent = call.weight(prefix + "recurrent_kernel");
    if (kernel.shape() != Shape{features, 3 * units} || recurrent.shape() != Shape{units, 3 * units})
        call.fail("the weights " + shapeToString(kernel.shape()) + " and " + shapeToString(recurrent.shape()) +
                  " do not fit a GRU of " + std::to_string(units) + " units");
    const std::optional<Tensor> bias = r.useBias ? std::optional<Tensor>(call.weight(prefix + "bias")) : std::nullopt;
    // Gate g's rows of a [3 * units, n] matrix: a linear weight [units, n].
    const Tensor wAll = permuteTensor(kernel, {1, 0}), uAll = permuteTensor(recurrent, {1, 0});
    const auto block = [&](const Tensor& t, int g) {
        const std::vector<float> v = t.castTo(DType::Float32).toFloats();
        const int64_t size = t.numel() / 3;
        return Tensor::fromFloats({v.begin() + g * size, v.begin() + (g + 1) * size}, {units, size / units});
    };
    const char* names[] = {"update", "reset", "candidate"};
    std::vector<ir::Value*> w, u, b;
    for (int g = 0; g < 3; ++g) {
        w.push_back(call.constant(prefix + names[g] + ".w", [&] { return block(wAll, g); }));
        u.push_back(call.constant(prefix + names[g] + ".u", [&] { return block(uAll, g); }));
        b.push_back(
            bias ? call.constant(
                       prefix + names[g] + ".b",
                       [&] {
                           const std::vector<float> v = bias->castTo(DType::Float32).toFloats();
                           return Tensor::fromFloats({v.begin() + g * units, v.begin() + (g + 1) * units}, {units});
                       })
                 : ir.constNone());
    }
    ir::Value* h = call.constant(prefix + "initial_state", [&] {
        return Tensor::zeros(DType::Float32, {batch, units});
    });
    std::vector<ir::Value*> outputs;
    for (int64_t i = 0; i < steps; ++i) {
        const int64_t t = reverse ? steps - 1 - i : i;
        ir::Value* xt = ir.op("aten::select", {x, ir.constInt(1), ir.constInt(t)});
        const auto input = [&](int g) { return ir.op("aten::linear", {xt, w[g], b[g]}); };
        const auto state = [&](int g, ir::Value* s) { return ir.op("aten::linear", {s, u[g], ir.constNone()}); };
        ir::Value* z = ir.op("aten::sigmoid", {ir.op("aten::add", {input(0), state(0, h), ir.constInt(1)})});
        ir::Value* reset = ir.op("aten::sigmoid", {ir.op("aten::add", {input(1), state(1, h), ir.constInt(1)})});
        ir::Value* c = ir.op(
            "aten::tanh", {ir.op("aten::add", {input(2), state(2, ir.op("aten::mul", {reset, h})), ir.constInt(1)})});
        // h = c + z * (h - c)
        ir::Value* diff = ir.op("aten::sub", {h, c, ir.constInt(1)});
        h = ir.op("aten::add", {c, ir.op("aten::mul", {z, diff}), ir.constInt(1)});
        outputs.push_back(h);
    }
    return {outputs, h};
}

RecurrentResult runRecurrent(LayerCall& call, const RecurrentConfig& r, ir::Value* x, const KTensor& in,
                             bool bidirectional) {
    IrEmitter& ir = call.ir;
    if (r.cell == Cell::Gru && !r.resetAfter) {
        // Shaped like the recurrent ops' results: sequence [N, T, D * H] aligned by time step, states [D, N, H].
        const auto forward = unrolledGru(call, r, x, in, bidirectional ? "forward/" : "", false);
        ir::Value* sequence = ir.op("aten::stack", {ir.list(forward.first), ir.constInt(1)});
        std::vector<ir::Value*> states = {forward.second};
        if (bidirectional) {
            auto backward = unrolledGru(call, r, x, in, "backward/", true);
            std::reverse(backward.first.begin(), backward.first.end());
            ir::Value* aligned = ir.op("aten::stack", {ir.list(backward.first), ir.constInt(1)});
            sequence = ir.op("aten::cat", {ir.list({sequence, aligned}), ir.constInt(-1)});
            states.push_back(backward.second);
        }
        RecurrentResult out;
        out.sequence = sequence;
        out.hidden = ir.op("aten::stack", {ir.list(states), ir.constInt(0)});
        return out;
    }
    const int64_t batch = in.shape[0], features = in.shape[2];
    const int64_t dirs = bidirectional ? 2 : 1;
    std::vector<ir::Value*> params;
    const std::vector<std::string> prefixes =
        bidirectional ? std::vector<std::string>{"forward/", "backward/"} : std::vector<std::string>{""};
    const char* names[] = {"w_ih", "w_hh", "b_ih", "b_hh"};
    for (const std::string& prefix : prefixes) {
        std::vector<Tensor> p;
        for (int i = 0; i < 4; ++i) {
            params.push_back(call.constant(prefix + names[i], [&] {
                if (p.empty()) p = torchParams(call, r, prefix, features);
                return p[static_cast<size_t>(i)];
            }));
        }
    }
    ir::Value* zeros = call.constant("initial_state", [&] {
        return Tensor::zeros(DType::Float32, {dirs, batch, r.units});
    });
    const auto flags = [&] {
        return std::vector<ir::Value*>{ir.constBool(true),          ir.constInt(1),
                                       ir.constFloat(0.0),          ir.constBool(false),
                                       ir.constBool(bidirectional), ir.constBool(true)};
    };
    RecurrentResult out;
    std::vector<ir::Value*> args;
    std::vector<ir::Value*> results;
    if (r.cell == Cell::Lstm) {
        args = {x, ir.list({zeros, zeros}), ir.list(params)};
        for (ir::Value* f : flags()) args.push_back(f);
        results = ir.ops("aten::lstm", args, 3);
        out.cell = results[2];
    } else {
        const std::string kind = r.cell == Cell::Gru      ? "aten::gru"
                                 : r.activation == "relu" ? "aten::rnn_relu"
                                                          : "aten::rnn_tanh";
        args = {x, zeros, ir.list(params)};
        for (ir::Value* f : flags()) args.push_back(f);
        results = ir.ops(kind, args, 2);
    }
    out.sequence = results[0];
    out.hidden = results[1];
    return out;
}

ir::Value* direction(IrEmitter& ir, ir::Value* state, int64_t d) {
    return ir.op("aten::select", {state, ir.constInt(0), ir.constInt(d)});
}

std::vector<KTensor> recurrent(LayerCall& call) {
    const KTensor in = call.ir.asChannelsLast(call.input());
    if (in.rank() != 3)
        call.fail(call.className() + " needs a [batch, time, features] input, got " + shapeToString(in.shape));
    const RecurrentConfig r = readConfig(call, call.className(), call.config());
    IrEmitter& ir = call.ir;
    ir::Value* x = in.value;
    // Keras processes the reversed sequence and returns the outputs in processing order.
    if (r.goBackwards) x = ir.op("aten::flip", {x, ir.constInts({1})});
    const RecurrentResult res = runRecurrent(call, r, x, in, false);
    const int64_t batch = in.shape[0], steps = in.shape[1];
    std::vector<KTensor> outputs;
    const KTensor last = {direction(ir, res.hidden, 0), {batch, r.units}, false};
    outputs.push_back(r.returnSequences ? KTensor{res.sequence, {batch, steps, r.units}, false} : last);
    if (r.returnState) {
        outputs.push_back(last);
        if (r.cell == Cell::Lstm) outputs.push_back({direction(ir, res.cell, 0), {batch, r.units}, false});
    }
    return outputs;
}

std::vector<KTensor> bidirectional(LayerCall& call) {
    const KTensor in = call.ir.asChannelsLast(call.input());
    if (in.rank() != 3)
        call.fail("Bidirectional needs a [batch, time, features] input, got " + shapeToString(in.shape));
    const json& config = call.config();
    if (!config.contains("layer") || !config["layer"].is_object() || !config["layer"].contains("config"))
        call.fail("Bidirectional has no wrapped layer in its config");
    if (config.contains("backward_layer") && !config["backward_layer"].is_null())
        call.fail("Bidirectional with a separate backward_layer is not supported");
    const std::string cls = config["layer"].value("class_name", "");
    const RecurrentConfig r = readConfig(call, cls, config["layer"]["config"]);
    if (r.goBackwards) call.fail("Bidirectional around a go_backwards layer is not supported");
    if (r.returnState) call.fail("Bidirectional with return_state=True is not supported");
    IrEmitter& ir = call.ir;
    const RecurrentResult res = runRecurrent(call, r, in.value, in, true);
    const int64_t batch = in.shape[0], steps = in.shape[1];
    // Keras re-reverses the backward sequence, so both are aligned by time step, as torch's are.
    ir::Value* forward = nullptr;
    ir::Value* backward = nullptr;
    Shape half = r.returnSequences ? Shape{batch, steps, r.units} : Shape{batch, r.units};
    if (r.returnSequences) {
        const int64_t last = 2;
        forward = ir.op("aten::slice",
                        {res.sequence, ir.constInt(last), ir.constInt(0), ir.constInt(r.units), ir.constInt(1)});
        backward = ir.op("aten::slice", {res.sequence, ir.constInt(last), ir.constInt(r.units),
                                         ir.constInt(2 * r.units), ir.constInt(1)});
    } else {
        forward = direction(ir, res.hidden, 0);
        backward = direction(ir, res.hidden, 1);
    }
    const std::string merge = config.contains("merge_mode") && config["merge_mode"].is_string()
                                  ? config["merge_mode"].get<std::string>()
                                  : (config.contains("merge_mode") ? "none" : "concat");
    Shape full = half;
    full.back() = 2 * r.units;
    if (merge == "concat") {
        if (r.returnSequences) return {{res.sequence, full, false}};
        return {{ir.op("aten::cat", {ir.list({forward, backward}), ir.constInt(-1)}), full, false}};
    }
    if (merge == "sum") return {{ir.op("aten::add", {forward, backward, ir.constInt(1)}), half, false}};
    if (merge == "mul") return {{ir.op("aten::mul", {forward, backward}), half, false}};
    if (merge == "ave") {
        ir::Value* sum = ir.op("aten::add", {forward, backward, ir.constInt(1)});
        return {{ir.op("aten::div", {sum, ir.constFloat(2.0)}), half, false}};
    }
    if (merge == "none") return {{forward, half, false}, {backward, half, false}};
    call.fail("Bidirectional merge_mode \"" + merge + "\" is not supported", "use concat, sum, mul, ave or None");
}

}  // namespace

void registerRecurrentLayers(LayerTable& t) {
    t["LSTM"] = recurrent;
    t["GRU"] = recurrent;
    t["SimpleRNN"] = recurrent;
    t["Bidirectional"] = bidirectional;
}

}  // namespace cms::frontends::keras
