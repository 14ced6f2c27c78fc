// Recurrent layers: lstm, gru and rnn over a whole sequence [s, b, I]. iOS15 computes them in fp32
// only; iOS17 re-declares them to take fp16 as well.
#include <set>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"

namespace cms::mil {

namespace {
const std::vector<DType> kFp32 = {DType::Float32};
const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
const std::vector<DType> kBool = {DType::Bool};
const std::vector<DType> kString = {DType::String};

std::string str(int64_t v) { return std::to_string(v); }
bool known(int64_t d) { return d != kUnknownDim; }

const std::set<std::string> kActivations = {"tanh", "scaled_tanh", "sigmoid", "hard_sigmoid", "relu", "linear"};

void checkActivation(const InferContext& ctx, const std::string& param, const std::string& dflt) {
    const std::string a = ctx.stringOr(param, dflt);
    if (!kActivations.count(a))
        ctx.fail(param + " '" + a + "' is not one of tanh, scaled_tanh, sigmoid, hard_sigmoid, relu, linear");
}

// weight_ih [gates*H, I] and weight_hh [gates*H, H] against x [s, b, I]; returns H.
int64_t checkWeights(const InferContext& ctx, const char* ih, const char* hh, const char* bias, int64_t gates) {
    const TensorType& x = ctx.type("x");
    const TensorType& wi = ctx.type(ih);
    const TensorType& wh = ctx.type(hh);
    if (wi.rank() != 2 || wh.rank() != 2)
        ctx.fail(std::string(ih) + " and " + hh + " must be matrices, got " + wi.toString() + " and " + wh.toString());
    const int64_t hidden = wh.shape[1];
    if (hidden <= 0 || wh.shape[0] != gates * hidden || wi.shape[0] != gates * hidden)
        ctx.fail(std::string(ih) + " " + wi.toString() + " and " + hh + " " + wh.toString() + " must have " + str(gates) +
                 " x hidden size rows, with hidden size = the columns of " + hh);
    if (known(x.shape[2]) && wi.shape[1] != x.shape[2])
        ctx.fail(std::string(ih) + " " + wi.toString() + " does not match the input size of x " + x.toString());
    if (bias && ctx.has(bias)) {
        const TensorType& b = ctx.type(bias);
        if (b.rank() != 1 || b.shape[0] != gates * hidden)
            ctx.fail(std::string(bias) + " " + b.toString() + " must hold " + str(gates * hidden) + " values");
    }
    return hidden;
}

void checkState(const InferContext& ctx, const char* name, int64_t batch, int64_t width) {
    const TensorType& s = ctx.type(name);
    if (s.rank() != 2 || (known(batch) && known(s.shape[0]) && s.shape[0] != batch) || s.shape[1] != width)
        ctx.fail(std::string(name) + " " + s.toString() + " must have shape [batch, " + str(width) + "]");
}

void checkDirection(const InferContext& ctx, bool allowBidirectional) {
    const std::string d = ctx.stringOr("direction", "forward");
    if (d != "forward" && d != "reverse" && !(allowBidirectional && d == "bidirectional"))
        ctx.fail("direction '" + d + "' must be forward or reverse" + (allowBidirectional ? " or bidirectional" : ""));
}

std::vector<TensorType> sequenceOutputs(const InferContext& ctx, int64_t width, size_t states) {
    const TensorType& x = ctx.type("x");
    const int64_t steps = ctx.boolOr("output_sequence", false) ? x.shape[0] : 1;
    std::vector<TensorType> out = {TensorType{x.dtype, {steps, x.shape[1], width}}};
    for (size_t i = 0; i < states; ++i) out.push_back(TensorType{x.dtype, {x.shape[1], width}});
    return out;
}

void requireRank3(const InferContext& ctx) {
    if (ctx.type("x").rank() != 3) ctx.fail("x must be a sequence [s, b, I], got " + ctx.type("x").toString());
}

std::vector<TensorType> inferLstm(const InferContext& ctx) {
    requireRank3(ctx);
    requireSameDtype(ctx, {"x", "initial_h", "initial_c", "weight_ih", "weight_hh", "bias", "peephole", "weight_ih_back",
                           "weight_hh_back", "bias_back", "peephole_back", "clip"});
    checkDirection(ctx, true);
    const int64_t hidden = checkWeights(ctx, "weight_ih", "weight_hh", "bias", 4);
    const bool bidirectional = ctx.stringOr("direction", "forward") == "bidirectional";
    if (bidirectional) {
        if (!ctx.has("weight_ih_back") || !ctx.has("weight_hh_back"))
            ctx.fail("a bidirectional lstm needs weight_ih_back and weight_hh_back");
        if (checkWeights(ctx, "weight_ih_back", "weight_hh_back", "bias_back", 4) != hidden)
            ctx.fail("the backward weights have another hidden size than the forward ones");
    }
    for (const char* p : {"peephole", "peephole_back"})
        if (ctx.has(p) && (ctx.type(p).rank() != 1 || ctx.type(p).shape[0] != 3 * hidden))
            ctx.fail(std::string(p) + " " + ctx.type(p).toString() + " must hold " + str(3 * hidden) + " values");
    checkActivation(ctx, "recurrent_activation", "sigmoid");
    checkActivation(ctx, "cell_activation", "tanh");
    checkActivation(ctx, "activation", "tanh");
    const int64_t width = (bidirectional ? 2 : 1) * hidden;
    checkState(ctx, "initial_h", ctx.type("x").shape[1], width);
    checkState(ctx, "initial_c", ctx.type("x").shape[1], width);
    return sequenceOutputs(ctx, width, 2);
}

std::vector<TensorType> inferGru(const InferContext& ctx) {
    requireRank3(ctx);
    requireSameDtype(ctx, {"x", "initial_h", "weight_ih", "weight_hh", "bias"});
    checkDirection(ctx, false);
    const int64_t hidden = checkWeights(ctx, "weight_ih", "weight_hh", "bias", 3);
    checkActivation(ctx, "recurrent_activation", "sigmoid");
    checkActivation(ctx, "activation", "tanh");
    checkState(ctx, "initial_h", ctx.type("x").shape[1], hidden);
    return sequenceOutputs(ctx, hidden, 1);
}

std::vector<TensorType> inferRnn(const InferContext& ctx) {
    requireRank3(ctx);
    requireSameDtype(ctx, {"x", "initial_h", "weight_ih", "weight_hh", "bias"});
    checkDirection(ctx, false);
    const int64_t hidden = checkWeights(ctx, "weight_ih", "weight_hh", "bias", 1);
    checkActivation(ctx, "activation", "tanh");
    checkState(ctx, "initial_h", ctx.type("x").shape[1], hidden);
    return sequenceOutputs(ctx, hidden, 1);
}

std::vector<InputDecl> lstmInputs(const std::vector<DType>& t) {
    return {{"x", false, false, false, t},
            {"initial_h", false, false, false, t},
            {"initial_c", false, false, false, t},
            {"weight_ih", false, false, true, t},
            {"weight_hh", false, false, true, t},
            {"bias", true, false, true, t},
            {"peephole", true, false, true, t},
            {"weight_ih_back", true, false, true, t},
            {"weight_hh_back", true, false, true, t},
            {"bias_back", true, false, true, t},
            {"peephole_back", true, false, true, t},
            {"direction", true, false, true, kString},
            {"output_sequence", true, false, true, kBool},
            {"recurrent_activation", true, false, true, kString},
            {"cell_activation", true, false, true, kString},
            {"activation", true, false, true, kString},
            {"clip", true, false, true, t}};
}

std::vector<InputDecl> gruInputs(const std::vector<DType>& t) {
    return {{"x", false, false, false, t},
            {"initial_h", false, false, false, t},
            {"weight_ih", false, false, true, t},
            {"weight_hh", false, false, true, t},
            {"bias", true, false, true, t},
            {"direction", true, false, true, kString},
            {"output_sequence", true, false, true, kBool},
            {"recurrent_activation", true, false, true, kString},
            {"activation", true, false, true, kString}};
}

std::vector<InputDecl> rnnInputs(const std::vector<DType>& t) {
    return {{"x", false, false, false, t},
            {"initial_h", false, false, false, t},
            {"weight_ih", false, false, true, t},
            {"weight_hh", false, false, true, t},
            {"bias", true, false, true, t},
            {"direction", true, false, true, kString},
            {"output_sequence", true, false, true, kBool},
            {"activation", true, false, true, kString}};
}
}  // namespace

void registerRecurrentOps(OpRegistry& r) {
    const char* lstmSummary = "long short-term memory over a sequence; gates in input, forget, output, cell order";
    const char* gruSummary = "gated recurrent unit over a sequence; gates in reset, output, update order";
    const char* rnnSummary = "simple recurrent layer over a sequence: h = activation(W_ih x + W_hh h + bias)";
    r.add({"lstm", Target::iOS15, lstmInputs(kFp32), inferLstm, lstmSummary});
    r.add({"lstm", Target::iOS17, lstmInputs(kFloat), inferLstm, lstmSummary});
    r.add({"gru", Target::iOS15, gruInputs(kFp32), inferGru, gruSummary});
    r.add({"gru", Target::iOS17, gruInputs(kFloat), inferGru, gruSummary});
    r.add({"rnn", Target::iOS15, rnnInputs(kFp32), inferRnn, rnnSummary});
    r.add({"rnn", Target::iOS17, rnnInputs(kFloat), inferRnn, rnnSummary});
}

}  // namespace cms::mil
