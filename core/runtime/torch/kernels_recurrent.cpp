// Recurrent layers as Core ML defines them: lstm (gates input, forget, output, cell; one bias per
// direction, the sum of the input and hidden biases), gru (gates reset, output, update; the reset
// gate scales only W_ho h, the bias is added outside) and rnn. Time runs along dimension 0 of x;
// a reverse pass reads the sequence from its end and writes each step's state at that step's index.
#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

// The activations the recurrent ops name; parametrised ones take the defaults of the MIL
// activation ops of the same name (hard_sigmoid: 0.2 x + 0.5 clamped to [0, 1]; scaled_tanh: tanh).
at::Tensor activate(const KernelContext& c, const std::string& name, const at::Tensor& x) {
    if (name == "sigmoid") return at::sigmoid(x);
    if (name == "tanh" || name == "scaled_tanh") return at::tanh(x);
    if (name == "relu") return at::relu(x);
    if (name == "linear") return x;
    if (name == "hard_sigmoid") return at::clamp(at::add(at::mul(x, 0.2), 0.5), 0.0, 1.0);
    c.fail("unknown activation '" + name + "'");
}

// x_t W^T for every step at once: [s, b, I] x [G, I] -> [s, b, G].
at::Tensor project(const at::Tensor& x, const at::Tensor& w) { return at::matmul(x, w.t()); }

struct Direction {
    bool reverse = false;
    at::Tensor wi, wh, bias, peephole;  // bias and peephole may be undefined
};

// Runs one direction of an lstm; returns the per-step hidden states [s, b, H], final h and c.
Tensors lstmPass(const KernelContext& c, const at::Tensor& x, const Direction& d, at::Tensor h, at::Tensor cell) {
    const int64_t steps = x.size(0), hidden = d.wh.size(1);
    at::Tensor gatesX = project(x, d.wi);
    if (d.bias.defined()) gatesX = at::add(gatesX, d.bias);
    const std::string recurrent = c.strOr("recurrent_activation", "sigmoid");
    const std::string cellAct = c.strOr("cell_activation", "tanh");
    const std::string outAct = c.strOr("activation", "tanh");
    std::vector<at::Tensor> out(static_cast<size_t>(steps));
    for (int64_t k = 0; k < steps; ++k) {
        const int64_t t = d.reverse ? steps - 1 - k : k;
        const at::Tensor g = at::add(gatesX[t], at::matmul(h, d.wh.t()));
        at::Tensor gi = g.narrow(1, 0, hidden), gf = g.narrow(1, hidden, hidden);
        at::Tensor go = g.narrow(1, 2 * hidden, hidden), gz = g.narrow(1, 3 * hidden, hidden);
        if (d.peephole.defined()) {
            gi = at::add(gi, at::mul(cell, d.peephole.narrow(0, 0, hidden)));
            gf = at::add(gf, at::mul(cell, d.peephole.narrow(0, hidden, hidden)));
        }
        const at::Tensor i = activate(c, recurrent, gi), f = activate(c, recurrent, gf);
        const at::Tensor z = activate(c, cellAct, gz);
        cell = at::add(at::mul(f, cell), at::mul(i, z));
        if (d.peephole.defined()) go = at::add(go, at::mul(cell, d.peephole.narrow(0, 2 * hidden, hidden)));
        h = at::mul(activate(c, recurrent, go), activate(c, outAct, cell));
        out[static_cast<size_t>(t)] = h;
    }
    return {at::stack(out, 0), h, cell};
}

at::Tensor optional(const KernelContext& c, const std::string& name) { return c.has(name) ? c.in(name) : at::Tensor(); }

// The sequence output: every step, or the final state as a sequence of one.
at::Tensor sequenceOutput(const KernelContext& c, const at::Tensor& all, const at::Tensor& finalH) {
    return c.boolOr("output_sequence", false) ? all : finalH.unsqueeze(0);
}

Tensors lstm(const KernelContext& c) {
    if (c.has("clip"))
        c.fail("clip is not supported by the interpreter (Core ML's definition does not say which value it bounds)");
    const at::Tensor& x = c.in("x");
    const std::string direction = c.strOr("direction", "forward");
    Direction fwd{direction == "reverse", c.in("weight_ih"), c.in("weight_hh"), optional(c, "bias"), optional(c, "peephole")};
    const int64_t hidden = fwd.wh.size(1);
    if (direction != "bidirectional") {
        Tensors r = lstmPass(c, x, fwd, c.in("initial_h"), c.in("initial_c"));
        return {sequenceOutput(c, r[0], r[1]), r[1], r[2]};
    }
    Direction back{true, c.in("weight_ih_back"), c.in("weight_hh_back"), optional(c, "bias_back"),
                   optional(c, "peephole_back")};
    const at::Tensor& h0 = c.in("initial_h");
    const at::Tensor& c0 = c.in("initial_c");
    Tensors f = lstmPass(c, x, fwd, h0.narrow(1, 0, hidden), c0.narrow(1, 0, hidden));
    Tensors b = lstmPass(c, x, back, h0.narrow(1, hidden, hidden), c0.narrow(1, hidden, hidden));
    const at::Tensor h = at::cat({f[1], b[1]}, 1);
    return {sequenceOutput(c, at::cat({f[0], b[0]}, 2), h), h, at::cat({f[2], b[2]}, 1)};
}

Tensors gru(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& wi = c.in("weight_ih");
    const at::Tensor& wh = c.in("weight_hh");
    const at::Tensor bias = optional(c, "bias");
    const bool reverse = c.strOr("direction", "forward") == "reverse";
    const std::string recurrent = c.strOr("recurrent_activation", "sigmoid");
    const std::string act = c.strOr("activation", "tanh");
    const int64_t steps = x.size(0), hidden = wh.size(1);
    at::Tensor gatesX = project(x, wi);
    if (bias.defined()) gatesX = at::add(gatesX, bias);
    at::Tensor h = c.in("initial_h");
    std::vector<at::Tensor> out(static_cast<size_t>(steps));
    for (int64_t k = 0; k < steps; ++k) {
        const int64_t t = reverse ? steps - 1 - k : k;
        const at::Tensor gh = at::matmul(h, wh.t());
        const at::Tensor gx = gatesX[t];
        const at::Tensor r = activate(c, recurrent, at::add(gx.narrow(1, 0, hidden), gh.narrow(1, 0, hidden)));
        const at::Tensor z =
            activate(c, recurrent, at::add(gx.narrow(1, 2 * hidden, hidden), gh.narrow(1, 2 * hidden, hidden)));
        const at::Tensor o =
            activate(c, act, at::add(gx.narrow(1, hidden, hidden), at::mul(r, gh.narrow(1, hidden, hidden))));
        h = at::add(at::mul(at::rsub(z, 1.0), o), at::mul(z, h));
        out[static_cast<size_t>(t)] = h;
    }
    return {sequenceOutput(c, at::stack(out, 0), h), h};
}

Tensors rnn(const KernelContext& c) {
    const at::Tensor& x = c.in("x");
    const at::Tensor& wh = c.in("weight_hh");
    const at::Tensor bias = optional(c, "bias");
    const bool reverse = c.strOr("direction", "forward") == "reverse";
    const std::string act = c.strOr("activation", "tanh");
    const int64_t steps = x.size(0);
    at::Tensor gatesX = project(x, c.in("weight_ih"));
    if (bias.defined()) gatesX = at::add(gatesX, bias);
    at::Tensor h = c.in("initial_h");
    std::vector<at::Tensor> out(static_cast<size_t>(steps));
    for (int64_t k = 0; k < steps; ++k) {
        const int64_t t = reverse ? steps - 1 - k : k;
        h = activate(c, act, at::add(gatesX[t], at::matmul(h, wh.t())));
        out[static_cast<size_t>(t)] = h;
    }
    return {sequenceOutput(c, at::stack(out, 0), h), h};
}
}  // namespace

void registerRecurrentKernels(KernelTable& t) {
    t["lstm"] = lstm;
    t["gru"] = gru;
    t["rnn"] = rnn;
}

}  // namespace cms::runtime
