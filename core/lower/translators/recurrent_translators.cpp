// Recurrent layers: aten::lstm, aten::gru, aten::rnn_tanh and aten::rnn_relu, one MIL op per layer and
// direction, stacked layers chained. Weights are rearranged at conversion time into Core ML's gate
// orders: torch's lstm gates (input, forget, cell, output) become (input, forget, output, cell) with
// the two biases summed; torch's gru gates (reset, update, new) become (reset, output, update).
// Core ML's gru adds the hidden bias of the new gate outside the reset gate, torch inside it: when
// that bias is non-zero the gru is written out step by step with elementary ops instead.
// The sequence is time-major inside ([s, b, I]); batch_first inputs and outputs are transposed.
// Packed sequences (the layer called on pack_padded_sequence's result) are unrolled step by step
// with a validity mask instead: Core ML's recurrent ops have no per-sequence lengths.
#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/packed_sequence.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

enum class Cell { Lstm, Gru, Rnn };

struct RecurrentArgs {
    Cell cell = Cell::Lstm;
    mil::Value* x = nullptr;                  // [s, b, I], time-major
    std::vector<mil::Value*> initial;         // per state (h, and c for lstm): [L*D, b, H], or null for zeros
    std::vector<Tensor> weights;              // per layer and direction: w_ih, w_hh[, b_ih, b_hh]
    bool hasBias = true;
    int64_t layers = 1;
    bool bidirectional = false;
    bool batchFirst = false;
    std::string activation = "tanh";          // rnn only
};

int64_t gateCount(Cell c) { return c == Cell::Lstm ? 4 : c == Cell::Gru ? 3 : 1; }

// Rows of a [G*H, ...] tensor regrouped: block `order[k]` of the source becomes block k.
Tensor regroupRows(const Tensor& t, const std::vector<int>& order) {
    const Tensor f = t.castTo(DType::Float32);
    const int64_t rows = f.shape()[0] / static_cast<int64_t>(order.size());
    const int64_t rowSize = f.numel() / f.shape()[0];
    const std::vector<float> src = f.toFloats();
    std::vector<float> out;
    out.reserve(src.size());
    for (int k : order)
        out.insert(out.end(), src.begin() + k * rows * rowSize, src.begin() + (k + 1) * rows * rowSize);
    return Tensor::fromFloats(out, f.shape());
}

Tensor sum(const Tensor& a, const Tensor& b) {
    std::vector<float> x = a.castTo(DType::Float32).toFloats();
    const std::vector<float> y = b.castTo(DType::Float32).toFloats();
    for (size_t i = 0; i < x.size(); ++i) x[i] += y[i];
    return Tensor::fromFloats(x, a.shape());
}

Tensor rowsOf(const Tensor& t, int64_t begin, int64_t count) {
    const std::vector<float> v = t.castTo(DType::Float32).toFloats();
    return Tensor::fromFloats(std::vector<float>(v.begin() + begin, v.begin() + begin + count), {count});
}

bool allZero(const Tensor& t) {
    for (float v : t.castTo(DType::Float32).toFloats())
        if (v != 0.0f) return false;
    return true;
}

mil::Value* boolsConst(LowerContext& ctx, const std::vector<bool>& v, const std::string& name) {
    return ctx.builder().constant(Tensor::fromBools(v, {static_cast<int64_t>(v.size())}), name);
}

// x[index] along dimension 0 of a rank-3 tensor, that dimension dropped.
mil::Value* row(LowerContext& ctx, mil::Value* x, int64_t index, const std::string& name) {
    mil::Builder& b = ctx.builder();
    return b.add1("slice_by_index",
                  {{"x", {x}},
                   {"begin", {b.constInts({index, 0, 0}, name + "_begin")}},
                   {"end", {b.constInts({index + 1, 0, 0}, name + "_end")}},
                   {"end_mask", {boolsConst(ctx, {false, true, true}, name + "_end_mask")}},
                   {"squeeze_mask", {boolsConst(ctx, {true, false, false}, name + "_squeeze_mask")}}},
                  name);
}

mil::Value* concat(LowerContext& ctx, const std::vector<mil::Value*>& values, int64_t axis, const std::string& name) {
    if (values.size() == 1) return values.front();
    return ctx.builder().add1("concat", {{"values", values}, {"axis", {ctx.builder().constInt(axis)}}}, name);
}

mil::Value* reverseTime(LowerContext& ctx, mil::Value* x, const std::string& name) {
    return ctx.builder().add1("reverse", {{"x", {x}}, {"axes", {ctx.builder().constInts({0}, name + "_axes")}}}, name);
}

mil::Value* zeros(LowerContext& ctx, int64_t batch, int64_t width, const std::string& name) {
    return ctx.builder().constant(Tensor::zeros(DType::Float32, {batch, width}), name);
}

// The initial state of one direction of one layer, [b, H].
mil::Value* initialState(LowerContext& ctx, const RecurrentArgs& a, size_t state, int64_t layer, int64_t dir, int64_t batch,
                         int64_t hidden, const std::string& name) {
    mil::Value* all = a.initial[state];
    if (!all) return zeros(ctx, batch, hidden, name);
    const int64_t directions = a.bidirectional ? 2 : 1;
    return row(ctx, all, layer * directions + dir, name);
}

// torch's gru step by step: r = s(Wir x + bir + Whr h + bhr), z = s(Wiz x + biz + Whz h + bhz),
// n = tanh(Win x + bin + r * (Whn h + bhn)), h = n + z * (h - n).
std::pair<mil::Value*, mil::Value*> gruSteps(LowerContext& ctx, mil::Value* x, mil::Value* h, const Tensor& wi,
                                             const Tensor& wh, const Tensor& bi, const Tensor& bh, bool reverse,
                                             const std::string& name) {
    mil::Builder& b = ctx.builder();
    const int64_t steps = x->type.shape[0], hidden = wh.shape()[1];
    mil::Value* gx = b.add1("linear", {{"x", {x}}, {"weight", {b.constant(wi.castTo(DType::Float32), name + "_w_ih")}},
                                       {"bias", {b.constant(bi, name + "_b_ih")}}}, name + "_x_gates");
    mil::Value* whConst = b.constant(wh.castTo(DType::Float32), name + "_w_hh");
    mil::Value* bhConst = b.constant(bh, name + "_b_hh");
    auto split3 = [&](mil::Value* v, const std::string& n) {
        return b.add("split", {{"x", {v}}, {"split_sizes", {b.constInts({hidden, hidden, hidden}, n + "_sizes")}},
                               {"axis", {b.constInt(1)}}}, n);
    };
    std::vector<mil::Value*> out(static_cast<size_t>(steps));
    for (int64_t k = 0; k < steps; ++k) {
        const int64_t t = reverse ? steps - 1 - k : k;
        const std::string s = name + "_t" + std::to_string(t);
        std::vector<mil::Value*> xg = split3(row(ctx, gx, t, s + "_x"), s + "_x_split");
        mil::Value* hg = b.add1("linear", {{"x", {h}}, {"weight", {whConst}}, {"bias", {bhConst}}}, s + "_h_gates");
        std::vector<mil::Value*> hs = split3(hg, s + "_h_split");
        mil::Value* r = b.add1("sigmoid", {{"x", {b.add1("add", {{"x", {xg[0]}}, {"y", {hs[0]}}}, s + "_r_in")}}}, s + "_r");
        mil::Value* z = b.add1("sigmoid", {{"x", {b.add1("add", {{"x", {xg[1]}}, {"y", {hs[1]}}}, s + "_z_in")}}}, s + "_z");
        mil::Value* rn = b.add1("mul", {{"x", {r}}, {"y", {hs[2]}}}, s + "_rn");
        mil::Value* n = b.add1("tanh", {{"x", {b.add1("add", {{"x", {xg[2]}}, {"y", {rn}}}, s + "_n_in")}}}, s + "_n");
        mil::Value* diff = b.add1("sub", {{"x", {h}}, {"y", {n}}}, s + "_h_minus_n");
        h = b.add1("add", {{"x", {n}}, {"y", {b.add1("mul", {{"x", {z}}, {"y", {diff}}}, s + "_z_diff")}}}, s + "_h");
        out[static_cast<size_t>(t)] = h;
    }
    mil::Value* seq = b.add1("stack", {{"values", out}, {"axis", {b.constInt(0)}}}, name + "_sequence");
    return {seq, h};
}

// One direction of one layer: the sequence [s, b, H] and the final states ([b, H] each).
std::pair<mil::Value*, std::vector<mil::Value*>> runDirection(LowerContext& ctx, const RecurrentArgs& a, mil::Value* x,
                                                              int64_t layer, int64_t dir, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const int64_t directions = a.bidirectional ? 2 : 1;
    const size_t perDirection = a.hasBias ? 4 : 2;
    const size_t base = static_cast<size_t>((layer * directions + dir)) * perDirection;
    const Tensor& wi = a.weights[base];
    const Tensor& wh = a.weights[base + 1];
    const int64_t hidden = wh.shape()[1], batch = x->type.shape[1];
    const int64_t gates = gateCount(a.cell);
    Tensor bi = a.hasBias ? a.weights[base + 2].castTo(DType::Float32) : Tensor::zeros(DType::Float32, {gates * hidden});
    Tensor bh = a.hasBias ? a.weights[base + 3].castTo(DType::Float32) : Tensor::zeros(DType::Float32, {gates * hidden});
    const bool reverse = dir == 1;
    mil::Value* h0 = initialState(ctx, a, 0, layer, dir, batch, hidden, name + "_h0");

    if (a.cell == Cell::Gru && !allZero(rowsOf(bh, 2 * hidden, hidden))) {
        auto [seq, h] = gruSteps(ctx, x, h0, wi, wh, bi, bh, reverse, name);
        return {seq, {h}};
    }
    // Core ML's gru and rnn read forward only; a backward pass runs on the reversed sequence.
    mil::Value* input = reverse ? reverseTime(ctx, x, name + "_reversed_input") : x;
    std::vector<mil::OpInput> in = {{"x", {input}}, {"initial_h", {h0}}};
    std::vector<int> order;
    if (a.cell == Cell::Lstm) {
        in.push_back({"initial_c", {initialState(ctx, a, 1, layer, dir, batch, hidden, name + "_c0")}});
        order = {0, 1, 3, 2};
    } else if (a.cell == Cell::Gru) {
        order = {0, 2, 1};
    } else {
        order = {0};
    }
    in.push_back({"weight_ih", {b.constant(regroupRows(wi, order), name + "_weight_ih")}});
    in.push_back({"weight_hh", {b.constant(regroupRows(wh, order), name + "_weight_hh")}});
    if (a.hasBias) in.push_back({"bias", {b.constant(regroupRows(sum(bi, bh), order), name + "_bias")}});
    in.push_back({"output_sequence", {b.constBool(true)}});
    if (a.cell == Cell::Rnn) in.push_back({"activation", {b.constString(a.activation)}});
    std::vector<mil::Value*> out = b.add(a.cell == Cell::Lstm ? "lstm" : a.cell == Cell::Gru ? "gru" : "rnn", std::move(in), name);
    mil::Value* seq = reverse ? reverseTime(ctx, out[0], name + "_sequence") : out[0];
    return {seq, std::vector<mil::Value*>(out.begin() + 1, out.end())};
}

// A bidirectional lstm layer as one MIL op (its direction "bidirectional"), as Core ML offers it.
std::pair<mil::Value*, std::vector<mil::Value*>> bidirectionalLstm(LowerContext& ctx, const RecurrentArgs& a, mil::Value* x,
                                                                   int64_t layer, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const size_t perDirection = a.hasBias ? 4 : 2;
    const size_t fwd = static_cast<size_t>(layer * 2) * perDirection, bwd = fwd + perDirection;
    const int64_t hidden = a.weights[fwd + 1].shape()[1], batch = x->type.shape[1];
    const std::vector<int> order = {0, 1, 3, 2};
    auto state = [&](size_t s, const std::string& n) {
        return concat(ctx, {initialState(ctx, a, s, layer, 0, batch, hidden, n + "_forward"),
                            initialState(ctx, a, s, layer, 1, batch, hidden, n + "_backward")}, 1, n);
    };
    std::vector<mil::OpInput> in = {{"x", {x}}, {"initial_h", {state(0, name + "_h0")}}, {"initial_c", {state(1, name + "_c0")}}};
    in.push_back({"weight_ih", {b.constant(regroupRows(a.weights[fwd], order), name + "_weight_ih")}});
    in.push_back({"weight_hh", {b.constant(regroupRows(a.weights[fwd + 1], order), name + "_weight_hh")}});
    if (a.hasBias)
        in.push_back({"bias", {b.constant(regroupRows(sum(a.weights[fwd + 2], a.weights[fwd + 3]), order), name + "_bias")}});
    in.push_back({"weight_ih_back", {b.constant(regroupRows(a.weights[bwd], order), name + "_weight_ih_back")}});
    in.push_back({"weight_hh_back", {b.constant(regroupRows(a.weights[bwd + 1], order), name + "_weight_hh_back")}});
    if (a.hasBias)
        in.push_back({"bias_back", {b.constant(regroupRows(sum(a.weights[bwd + 2], a.weights[bwd + 3]), order), name + "_bias_back")}});
    in.push_back({"direction", {b.constString("bidirectional")}});
    in.push_back({"output_sequence", {b.constBool(true)}});
    std::vector<mil::Value*> out = b.add("lstm", std::move(in), name);
    // Final states [b, 2H] -> one [b, H] per direction.
    std::vector<mil::Value*> states;
    for (size_t s = 1; s < out.size(); ++s) {
        std::vector<mil::Value*> halves =
            b.add("split", {{"x", {out[s]}}, {"num_splits", {b.constInt(2)}}, {"axis", {b.constInt(1)}}}, out[s]->name + "_split");
        states.insert(states.end(), halves.begin(), halves.end());
    }
    return {out[0], states};
}

void checkRecurrentArgs(LowerContext& ctx, const RecurrentArgs& a) {
    const int64_t directions = a.bidirectional ? 2 : 1;
    const size_t perDirection = a.hasBias ? 4 : 2;
    const size_t expected = static_cast<size_t>(a.layers * directions) * perDirection;
    if (a.cell == Cell::Lstm && a.weights.size() == static_cast<size_t>(a.layers * directions) * (perDirection + 1))
        ctx.fail("LSTM with proj_size > 0 cannot be converted: Core ML's lstm has no output projection (coremltools "
                 "rejects it as well)",
                 "use an LSTM without proj_size, followed by an nn.Linear on its outputs");
    if (a.weights.size() != expected)
        ctx.fail("expects " + std::to_string(expected) + " weight tensors for " + std::to_string(a.layers) + " layer(s), got " +
                 std::to_string(a.weights.size()));
    if (a.x->type.rank() != 3)
        ctx.fail("input " + shapeText(a.x->type.shape) + " must be a batched sequence of rank 3",
                 "give the recurrent layer a batch dimension (unbatched sequences are not supported)");
    if (a.x->type.dtype != DType::Float32) ctx.fail("input must be a float tensor");
    for (size_t s = 0; s < a.initial.size(); ++s)
        if (a.initial[s] && a.initial[s]->type.rank() != 3)
            ctx.fail("initial state " + shapeText(a.initial[s]->type.shape) + " must have shape [layers * directions, batch, hidden]");
}

void translateRecurrent(LowerContext& ctx, const ir::Node& node, RecurrentArgs a) {
    checkRecurrentArgs(ctx, a);
    const int64_t directions = a.bidirectional ? 2 : 1;
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    mil::Value* x = a.x;
    if (a.batchFirst) x = b.add1("transpose", {{"x", {x}}, {"perm", {b.constInts({1, 0, 2}, name + "_time_major_perm")}}}, name + "_time_major");

    const size_t stateCount = a.cell == Cell::Lstm ? 2 : 1;
    std::vector<std::vector<mil::Value*>> finals(stateCount);  // per state: [b, H] per layer and direction
    for (int64_t layer = 0; layer < a.layers; ++layer) {
        const std::string layerName = name + "_layer" + std::to_string(layer);
        if (a.cell == Cell::Lstm && a.bidirectional) {
            auto [seq, states] = bidirectionalLstm(ctx, a, x, layer, layerName);
            x = seq;
            for (size_t s = 0; s < stateCount; ++s) {
                finals[s].push_back(states[2 * s]);
                finals[s].push_back(states[2 * s + 1]);
            }
            continue;
        }
        std::vector<mil::Value*> sequences;
        for (int64_t dir = 0; dir < directions; ++dir) {
            auto [seq, states] = runDirection(ctx, a, x, layer, dir, layerName + (dir ? "_backward" : ""));
            sequences.push_back(seq);
            for (size_t s = 0; s < stateCount; ++s) finals[s].push_back(states[s]);
        }
        x = concat(ctx, sequences, 2, layerName + "_output");
    }
    if (a.batchFirst) x = b.add1("transpose", {{"x", {x}}, {"perm", {b.constInts({1, 0, 2}, name + "_batch_first_perm")}}}, name + "_batch_first");
    ctx.bind(node.outputs.at(0), x);
    for (size_t s = 0; s < stateCount && s + 1 < node.outputs.size(); ++s) {
        const ir::Value* out = node.outputs[s + 1];
        emit(ctx, "stack", {{"values", finals[s]}, {"axis", {b.constInt(0)}}}, out);
    }
}

// One direction of one layer over a padded batch [T, B, I], stepping each sequence only where `valid`
// ([T, B, 1]) says it runs: its state stops at its last step (and a backward pass starts there from
// the initial state), and its outputs past the end are zeros. Torch's cells:
// lstm: i, f, g, o = s, s, tanh, s(W_i x + b_i + W_h h + b_h); c = f c + i g; h = o tanh(c)
// gru: as gruSteps; rnn: h = act(W_i x + b_i + W_h h + b_h).
std::pair<mil::Value*, std::vector<mil::Value*>> maskedDirection(LowerContext& ctx, const RecurrentArgs& a, mil::Value* x,
                                                                 mil::Value* valid, int64_t layer, int64_t dir,
                                                                 const std::string& name) {
    mil::Builder& b = ctx.builder();
    const int64_t directions = a.bidirectional ? 2 : 1;
    const size_t perDirection = a.hasBias ? 4 : 2;
    const size_t base = static_cast<size_t>((layer * directions + dir)) * perDirection;
    const Tensor& wh = a.weights[base + 1];
    const int64_t steps = x->type.shape[0], batch = x->type.shape[1], hidden = wh.shape()[1];
    const int64_t gates = gateCount(a.cell);
    const Tensor noBias = Tensor::zeros(DType::Float32, {gates * hidden});
    const Tensor bi = a.hasBias ? a.weights[base + 2].castTo(DType::Float32) : noBias;
    const Tensor bh = a.hasBias ? a.weights[base + 3].castTo(DType::Float32) : noBias;
    // The gru's hidden bias of the new gate is scaled by the reset gate, so it stays on the hidden side.
    const bool gru = a.cell == Cell::Gru;
    mil::Value* gx = b.add1("linear", {{"x", {x}}, {"weight", {b.constant(a.weights[base].castTo(DType::Float32), name + "_w_ih")}},
                                       {"bias", {b.constant(gru ? bi : sum(bi, bh), name + "_b_ih")}}}, name + "_x_gates");
    mil::Value* whConst = b.constant(wh.castTo(DType::Float32), name + "_w_hh");
    mil::Value* bhConst = b.constant(gru ? bh : noBias, name + "_b_hh");
    mil::Value* noOutput = zeros(ctx, batch, hidden, name + "_no_output");
    auto split = [&](mil::Value* v, const std::string& n) {
        return b.add("split", {{"x", {v}}, {"num_splits", {b.constInt(gates, n + "_count")}}, {"axis", {b.constInt(1, n + "_axis")}}}, n);
    };
    auto unary = [&](const std::string& op, mil::Value* v, const std::string& n) { return b.add1(op, {{"x", {v}}}, n); };
    auto binary = [&](const std::string& op, mil::Value* l, mil::Value* r, const std::string& n) {
        return b.add1(op, {{"x", {l}}, {"y", {r}}}, n);
    };
    auto where = [&](mil::Value* cond, mil::Value* yes, mil::Value* no, const std::string& n) {
        return b.add1("select", {{"cond", {cond}}, {"a", {yes}}, {"b", {no}}}, n);
    };
    mil::Value* h = initialState(ctx, a, 0, layer, dir, batch, hidden, name + "_h0");
    mil::Value* c = a.cell == Cell::Lstm ? initialState(ctx, a, 1, layer, dir, batch, hidden, name + "_c0") : nullptr;
    std::vector<mil::Value*> out(static_cast<size_t>(steps));
    for (int64_t k = 0; k < steps; ++k) {
        const int64_t t = dir == 1 ? steps - 1 - k : k;
        const std::string s = name + "_t" + std::to_string(t);
        mil::Value* running = row(ctx, valid, t, s + "_running");
        mil::Value* xg = row(ctx, gx, t, s + "_x");
        mil::Value* hg = b.add1("linear", {{"x", {h}}, {"weight", {whConst}}, {"bias", {bhConst}}}, s + "_h_gates");
        mil::Value* next = nullptr;
        if (a.cell == Cell::Lstm) {
            std::vector<mil::Value*> g = split(binary("add", xg, hg, s + "_gates"), s + "_split");
            mil::Value* in = unary("sigmoid", g[0], s + "_i");
            mil::Value* forget = unary("sigmoid", g[1], s + "_f");
            mil::Value* cell = unary("tanh", g[2], s + "_g");
            mil::Value* outGate = unary("sigmoid", g[3], s + "_o");
            mil::Value* cNext = binary("add", binary("mul", forget, c, s + "_fc"), binary("mul", in, cell, s + "_ig"), s + "_c_next");
            next = binary("mul", outGate, unary("tanh", cNext, s + "_c_tanh"), s + "_h_next");
            c = where(running, cNext, c, s + "_c");
        } else if (gru) {
            std::vector<mil::Value*> xs = split(xg, s + "_x_split");
            std::vector<mil::Value*> hs = split(hg, s + "_h_split");
            mil::Value* r = unary("sigmoid", binary("add", xs[0], hs[0], s + "_r_in"), s + "_r");
            mil::Value* z = unary("sigmoid", binary("add", xs[1], hs[1], s + "_z_in"), s + "_z");
            mil::Value* n = unary("tanh", binary("add", xs[2], binary("mul", r, hs[2], s + "_rn"), s + "_n_in"), s + "_n");
            next = binary("add", n, binary("mul", z, binary("sub", h, n, s + "_h_minus_n"), s + "_z_diff"), s + "_h_next");
        } else {
            next = unary(a.activation, binary("add", xg, hg, s + "_pre"), s + "_h_next");
        }
        h = where(running, next, h, s + "_h");
        out[static_cast<size_t>(t)] = where(running, next, noOutput, s + "_out");
    }
    mil::Value* seq = b.add1("stack", {{"values", out}, {"axis", {b.constInt(0, name + "_stack_axis")}}}, name + "_sequence");
    return {seq, c ? std::vector<mil::Value*>{h, c} : std::vector<mil::Value*>{h}};
}

// The layer called on a packed sequence: its output is packed the same way, its final states are
// each sequence's state after its own last step.
void translatePackedRecurrent(LowerContext& ctx, const ir::Node& node, RecurrentArgs a, const PaddedSequence& seq) {
    checkRecurrentArgs(ctx, a);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    const int64_t directions = a.bidirectional ? 2 : 1;
    const size_t stateCount = a.cell == Cell::Lstm ? 2 : 1;
    std::vector<std::vector<mil::Value*>> finals(stateCount);
    mil::Value* x = a.x;
    for (int64_t layer = 0; layer < a.layers; ++layer) {
        const std::string layerName = name + "_layer" + std::to_string(layer);
        std::vector<mil::Value*> sequences;
        for (int64_t dir = 0; dir < directions; ++dir) {
            auto [out, states] = maskedDirection(ctx, a, x, seq.valid, layer, dir, layerName + (dir ? "_backward" : ""));
            sequences.push_back(out);
            for (size_t s = 0; s < stateCount; ++s) finals[s].push_back(states[s]);
        }
        x = concat(ctx, sequences, 2, layerName + "_output");
    }
    ctx.bind(node.outputs.at(0), packSequence(ctx, seq, x, name));
    if (!seq.batchSizes) checkRunTimePackedReaders(ctx, node.outputs.at(0));
    for (size_t s = 0; s < stateCount && s + 1 < node.outputs.size(); ++s)
        emit(ctx, "stack", {{"values", finals[s]}, {"axis", {b.constInt(0)}}}, node.outputs[s + 1]);
}

// The parameters list as conversion-time tensors.
std::vector<Tensor> weightsOf(LowerContext& ctx, const ir::Value* list) {
    std::vector<Tensor> out;
    for (const Lowered& item : elementsOf(ctx, list)) {
        std::optional<Tensor> t = item.constant ? tensorOf(*item.constant) : std::nullopt;
        if (!t || !isFloat(t->dtype()))
            ctx.fail("the recurrent layer's weights must be float tensors known at conversion time",
                     "export the model in eval mode with frozen weights (torch.jit.freeze or tracing)");
        out.push_back(*t);
    }
    return out;
}

// An initial state argument: a tensor, or null when it is all zeros (the module was called without it).
mil::Value* stateOf(LowerContext& ctx, const ir::Value* v) {
    if (ctx.isConstant(v)) {
        std::optional<Tensor> t = tensorOf(ctx.constant(v));
        if (t && allZero(*t)) return nullptr;
    }
    return ctx.tensorAs(v, DType::Float32);
}

void checkFlags(LowerContext& ctx, const ir::Node& node, size_t trainIndex) {
    if (ctx.boolArg(node.inputs.at(trainIndex)))
        ctx.warnings().push_back(node.prov.describe() + ": the recurrent layer was exported in training mode; its dropout is "
                                                        "left out (inference semantics)");
}

// The arguments after the initial states (shifted by `at` in the packed form), then the translation.
void finishArgs(LowerContext& ctx, const ir::Node& node, RecurrentArgs& a, size_t at, const std::optional<PaddedSequence>& seq) {
    a.weights = weightsOf(ctx, node.inputs[2 + at]);
    a.hasBias = ctx.boolArg(node.inputs[3 + at]);
    a.layers = ctx.intArg(node.inputs[4 + at]);
    checkFlags(ctx, node, 6 + at);
    a.bidirectional = ctx.boolArg(node.inputs[7 + at]);
    if (seq) return translatePackedRecurrent(ctx, node, std::move(a), *seq);
    a.batchFirst = ctx.boolArg(node.inputs[8]);
    translateRecurrent(ctx, node, std::move(a));
}

// lstm(input, hx[2], params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
// The packed form: lstm(data, batch_sizes, hx[2], params, has_biases, num_layers, dropout, train, bidirectional)
void lstm(LowerContext& ctx, const ir::Node& node) {
    if (node.inputs.size() != 9) ctx.fail("expects 9 arguments, got " + std::to_string(node.inputs.size()));
    const bool packed = node.inputs[1]->kind == ir::ValueKind::Tensor;
    const size_t at = packed ? 1 : 0;  // the packed form has batch_sizes after the data, and no batch_first
    std::optional<PaddedSequence> seq;
    RecurrentArgs a;
    a.cell = Cell::Lstm;
    if (packed) {
        seq = unpackSequence(ctx, node.inputs[0], node.inputs[1], ctx.nameFor(node.outputs.at(0)) + "_padded");
        a.x = seq->x;
    } else {
        a.x = ctx.tensor(node.inputs[0]);
    }
    const std::vector<Lowered> hx = elementsOf(ctx, node.inputs[1 + at]);
    if (hx.size() != 2) ctx.fail("expects the initial states (h0, c0), got " + std::to_string(hx.size()) + " value(s)");
    for (const Lowered& s : hx) {
        if (s.constant) {
            std::optional<Tensor> t = tensorOf(*s.constant);
            if (!t) ctx.fail("initial state is not a tensor");
            a.initial.push_back(allZero(*t) ? nullptr : ctx.builder().constant(t->castTo(DType::Float32), ctx.nameFor(node.outputs[0]) + "_state"));
        } else if (s.tensor) {
            a.initial.push_back(s.tensor);
        } else {
            ctx.fail("initial state is not a tensor");
        }
    }
    finishArgs(ctx, node, a, at, seq);
}

// gru / rnn_tanh / rnn_relu(input, hx, params, has_biases, num_layers, dropout, train, bidirectional, batch_first)
// and their packed forms (data, batch_sizes, hx, params, has_biases, num_layers, dropout, train, bidirectional)
template <Cell C>
void singleState(LowerContext& ctx, const ir::Node& node, const char* activation) {
    if (node.inputs.size() != 9) ctx.fail("expects 9 arguments, got " + std::to_string(node.inputs.size()));
    // The padded form's third argument is the parameter list, the packed form's the initial state.
    const bool packed = node.inputs[2]->kind == ir::ValueKind::Tensor;
    const size_t at = packed ? 1 : 0;
    std::optional<PaddedSequence> seq;
    RecurrentArgs a;
    a.cell = C;
    a.activation = activation;
    if (packed) {
        seq = unpackSequence(ctx, node.inputs[0], node.inputs[1], ctx.nameFor(node.outputs.at(0)) + "_padded");
        a.x = seq->x;
    } else {
        a.x = ctx.tensor(node.inputs[0]);
    }
    a.initial = {stateOf(ctx, node.inputs[1 + at])};
    finishArgs(ctx, node, a, at, seq);
}

void gru(LowerContext& ctx, const ir::Node& node) { singleState<Cell::Gru>(ctx, node, "tanh"); }
void rnnTanh(LowerContext& ctx, const ir::Node& node) { singleState<Cell::Rnn>(ctx, node, "tanh"); }
void rnnRelu(LowerContext& ctx, const ir::Node& node) { singleState<Cell::Rnn>(ctx, node, "relu"); }

}  // namespace

void registerRecurrentTranslators(TranslatorTable& t) {
    t.add({"aten::lstm"}, lstm);
    t.add({"aten::gru"}, gru);
    t.add({"aten::rnn_tanh"}, rnnTanh);
    t.add({"aten::rnn_relu"}, rnnRelu);
    registerPackedSequenceTranslators(t);
}

}  // namespace cms::lower
