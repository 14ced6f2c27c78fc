// Keras MultiHeadAttention over [batch, time, features] tensors, as the linear, matmul and softmax ops
// the TorchScript path lowers: each head's query is scaled by 1/sqrt(key_dim), as Keras does; the
// projections' [features, heads, dim] kernels become [heads * dim, features] matrices here.
#include <cmath>

#include "common/error.h"
#include "frontends/keras/keras_layers.h"

namespace cms::frontends::keras {

namespace {

using nlohmann::json;

// A [in, heads, dim] projection kernel as a linear weight [heads * dim, in] (bias [heads * dim]).
Tensor projectionWeight(const Tensor& kernel) {
    const Shape& s = kernel.shape();
    return permuteTensor(kernel.reshaped({s[0], s[1] * s[2]}), {1, 0});
}

// [B, T, heads * dim] -> [B, heads, T, dim]
ir::Value* splitHeads(IrEmitter& ir, ir::Value* x, int64_t batch, int64_t steps, int64_t heads, int64_t dim) {
    ir::Value* r = ir.op("aten::reshape", {x, ir.constInts({batch, steps, heads, dim})});
    return ir.op("aten::permute", {r, ir.constInts({0, 2, 1, 3})});
}

std::vector<KTensor> multiHeadAttention(LayerCall& call) {
    IrEmitter& ir = call.ir;
    const std::vector<KTensor>& positional = call.inputs();
    const auto argument = [&](const char* keyword, size_t position) -> const KTensor* {
        if (const KTensor* t = call.namedInput(keyword)) return t;
        return position < positional.size() ? &positional[position] : nullptr;
    };
    const KTensor* query = argument("query", 0);
    const KTensor* value = argument("value", 1);
    const KTensor* key = argument("key", 2);
    if (!query || !value) call.fail("MultiHeadAttention needs a query and a value");
    if (!key) key = value;
    const json& kwargs = call.callArguments();
    for (const char* unsupported : {"attention_mask", "return_attention_scores"})
        if (kwargs.contains(unsupported) && !kwargs[unsupported].is_null() && kwargs[unsupported] != false)
            call.fail(std::string("MultiHeadAttention with ") + unsupported + " is not supported");
    const bool causal = kwargs.contains("use_causal_mask") && kwargs["use_causal_mask"] == true;
    if (call.has("attention_axes") &&
        !(call.config()["attention_axes"].is_array() && call.config()["attention_axes"].size() == 1 &&
          call.config()["attention_axes"][0] == 1))
        call.fail(
            "MultiHeadAttention over attention_axes " + call.config()["attention_axes"].dump() + " is not supported",
            "attend over the sequence axis (attention_axes=None)");
    const KTensor q = ir.asChannelsLast(*query), k = ir.asChannelsLast(*key), v = ir.asChannelsLast(*value);
    if (q.rank() != 3 || k.rank() != 3 || v.rank() != 3)
        call.fail("MultiHeadAttention is supported for [batch, time, features] inputs, got " + shapeToString(q.shape));

    const int64_t heads = call.integer("num_heads", 1);
    const int64_t keyDim = call.integer("key_dim", 0);
    const int64_t valueDim = call.has("value_dim") ? call.integer("value_dim", keyDim) : keyDim;
    const bool bias = call.flag("use_bias", true);
    const int64_t batch = q.shape[0], tq = q.shape[1], tk = k.shape[1];
    if (v.shape[1] != tk) call.fail("the key and value sequences differ in length");

    const auto project = [&](const KTensor& x, const std::string& name, int64_t dim, int64_t steps) {
        const Tensor& kernel = call.weight(name + "/kernel");
        if (kernel.shape() != Shape{x.channels(), heads, dim})
            call.fail("the " + name + " kernel " + shapeToString(kernel.shape()) + " does not fit " +
                      std::to_string(heads) + " heads of " + std::to_string(dim) + " over " +
                      std::to_string(x.channels()) + " features");
        ir::Value* w = call.constant(name + ".weight", [&] { return projectionWeight(kernel); });
        ir::Value* b =
            bias ? call.constant(name + ".bias", [&] { return call.weight(name + "/bias").reshaped({heads * dim}); })
                 : ir.constNone();
        return splitHeads(ir, ir.op("aten::linear", {x.value, w, b}), batch, steps, heads, dim);
    };
    ir::Value* qh = project(q, "query", keyDim, tq);
    ir::Value* kh = project(k, "key", keyDim, tk);
    ir::Value* vh = project(v, "value", valueDim, tk);
    qh = ir.op("aten::mul", {qh, ir.constFloat(1.0 / std::sqrt(static_cast<double>(keyDim)))});
    ir::Value* scores = ir.op("aten::matmul", {qh, ir.op("aten::transpose", {kh, ir.constInt(-1), ir.constInt(-2)})});
    if (causal) {
        // Keras masks the future with a large negative score before the softmax.
        std::vector<float> mask(static_cast<size_t>(tq * tk), 0.f);
        for (int64_t i = 0; i < tq; ++i)
            for (int64_t j = i + 1; j < tk; ++j) mask[static_cast<size_t>(i * tk + j)] = -1e9f;
        scores = ir.op("aten::add", {scores,
                                     call.constant("causal_mask",
                                                   [&] {
                                                       return Tensor::fromFloats(mask, {tq, tk});
                                                   }),
                                     ir.constInt(1)});
    }
    ir::Value* weights = ir.op("aten::softmax", {scores, ir.constInt(-1), ir.constNone()});
    ir::Value* context = ir.op("aten::matmul", {weights, vh});  // [B, heads, Tq, valueDim]
    context = ir.op("aten::permute", {context, ir.constInts({0, 2, 1, 3})});
    context = ir.op("aten::reshape", {context, ir.constInts({batch, tq, heads * valueDim})});

    const Tensor& outKernel = call.weight("attention_output/kernel");  // [heads, valueDim, out]
    if (outKernel.rank() != 3 || outKernel.shape()[0] != heads || outKernel.shape()[1] != valueDim)
        call.fail("the output kernel " + shapeToString(outKernel.shape()) + " does not fit the heads");
    const int64_t outDim = outKernel.shape()[2];
    ir::Value* wo = call.constant("attention_output.weight", [&] {
        return permuteTensor(outKernel.reshaped({heads * valueDim, outDim}), {1, 0});
    });
    ir::Value* bo = bias ? call.constant("attention_output.bias", [&] { return call.weight("attention_output/bias"); })
                         : ir.constNone();
    return {{ir.op("aten::linear", {context, wo, bo}), {batch, tq, outDim}, false}};
}

}  // namespace

void registerAttentionLayers(LayerTable& t) { t["MultiHeadAttention"] = multiHeadAttention; }

}  // namespace cms::frontends::keras
