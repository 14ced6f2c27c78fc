// Attention: scaled_dot_product_attention (and its CPU flash form), and the fused encoder layer of
// nn.TransformerEncoderLayer's inference fast path. From iOS18 the attention itself is Core ML's
// scaled_dot_product_attention op; before, softmax(q k^T * scale + mask) v written out.
#include <cmath>
#include <limits>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

struct AttentionArgs {
    mil::Value* q = nullptr;  // [..., L, E]
    mil::Value* k = nullptr;  // [..., S, E]
    mil::Value* v = nullptr;  // [..., S, Ev]
    mil::Value* mask = nullptr;  // bool (true attends) or float (added), broadcastable to [..., L, S]
    bool causal = false;
    std::optional<double> scale;  // default 1 / sqrt(E)
};

mil::Value* op(LowerContext& ctx, const std::string& type, std::vector<mil::OpInput> inputs, const std::string& name) {
    return ctx.builder().add1(type, std::move(inputs), name);
}

// The causal mask [L, S] as a constant: position i attends to j <= i (torch's tril of ones).
Tensor causalMask(int64_t l, int64_t s) {
    std::vector<bool> keep(static_cast<size_t>(l * s));
    for (int64_t i = 0; i < l; ++i)
        for (int64_t j = 0; j < s; ++j) keep[static_cast<size_t>(i * s + j)] = j <= i;
    return Tensor::fromBools(keep, {l, s});
}

bool sameDims(const Shape& a, const Shape& b, size_t count) {
    for (size_t i = 0; i < count; ++i)
        if (a[i] != b[i] || a[i] == mil::kUnknownDim) return false;
    return true;
}

// Core ML's op needs equal batch dims on q, k and v (torch broadcasts them) and a fixed scale.
bool fitsCoreMlOp(const AttentionArgs& a) {
    const Shape& q = a.q->type.shape;
    if (q.size() < 3 || a.k->type.rank() != a.q->type.rank() || a.v->type.rank() != a.q->type.rank()) return false;
    return sameDims(q, a.k->type.shape, q.size() - 2) && sameDims(q, a.v->type.shape, q.size() - 2);
}

mil::Value* attention(LowerContext& ctx, AttentionArgs a, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const DType d = a.q->type.dtype;
    const int64_t e = a.q->type.shape.back();
    const int64_t l = a.q->type.shape[a.q->type.rank() - 2];
    const int64_t s = a.k->type.shape[a.k->type.rank() - 2];
    if (e == mil::kUnknownDim) ctx.fail("attention needs a fixed embedding size, got query " + a.q->type.toString());
    if (a.causal && a.mask) ctx.fail("attention takes either is_causal or attn_mask, not both");
    if (a.causal && (l == mil::kUnknownDim || s == mil::kUnknownDim))
        ctx.fail("is_causal needs fixed sequence lengths, got query " + a.q->type.toString() + " and key " + a.k->type.toString(),
                 "give the inputs fixed shapes in the conversion settings");
    if (a.causal) a.mask = b.constant(causalMask(l, s), name + "_causal_mask");
    if (a.mask && a.mask->type.dtype != DType::Bool && a.mask->type.dtype != d)
        a.mask = op(ctx, "cast", {{"x", {a.mask}}, {"dtype", {b.constString(dtypeName(d), name + "_mask_dtype")}}}, name + "_mask_cast");
    const double defaultScale = 1.0 / std::sqrt(static_cast<double>(e));
    const double scale = a.scale.value_or(defaultScale);

    if (ctx.target() >= mil::Target::iOS18 && fitsCoreMlOp(a)) {
        // The op always scales by 1 / sqrt(E): another scale is folded into the query.
        if (std::abs(scale - defaultScale) > 1e-12 * defaultScale)
            a.q = op(ctx, "mul", {{"x", {a.q}}, {"y", {scalarConst(ctx, scale / defaultScale, d, name + "_query_scale")}}}, name + "_query_scaled");
        std::vector<mil::OpInput> inputs = {{"query", {a.q}}, {"key", {a.k}}, {"value", {a.v}}};
        if (a.mask) inputs.push_back({"attn_mask", {a.mask}});
        return op(ctx, "scaled_dot_product_attention", std::move(inputs), name);
    }
    // Scaling the query before the product keeps fp16 scores in range.
    mil::Value* q = op(ctx, "mul", {{"x", {a.q}}, {"y", {scalarConst(ctx, scale, d, name + "_scale")}}}, name + "_query_scaled");
    mil::Value* scores = op(ctx, "matmul", {{"x", {q}}, {"y", {a.k}}, {"transpose_y", {b.constBool(true, name + "_transpose_y")}}},
                            name + "_scores");
    if (a.mask && a.mask->type.dtype == DType::Bool) {
        const double inf = std::numeric_limits<double>::infinity();
        scores = op(ctx, "select", {{"cond", {a.mask}}, {"a", {scores}}, {"b", {scalarConst(ctx, -inf, d, name + "_minus_inf")}}},
                    name + "_masked");
    } else if (a.mask) {
        scores = op(ctx, "add", {{"x", {scores}}, {"y", {a.mask}}}, name + "_masked");
    }
    mil::Value* weights = op(ctx, "softmax", {{"x", {scores}}, {"axis", {b.constInt(-1, name + "_axis")}}}, name + "_weights");
    return op(ctx, "matmul", {{"x", {weights}}, {"y", {a.v}}}, name);
}

// k or v with each of its heads repeated `groups` times in a row (grouped-query attention):
// [B, Hk, S, E] -> [B, Hk * groups, S, E].
mil::Value* repeatHeads(LowerContext& ctx, mil::Value* x, int64_t groups, const std::string& name) {
    mil::Builder& b = ctx.builder();
    Shape s = staticShape(ctx, x, "grouped-query attention");
    const int64_t r = static_cast<int64_t>(s.size());
    mil::Value* e = op(ctx, "expand_dims", {{"x", {x}}, {"axes", {b.constInts({r - 2}, name + "_axes")}}}, name + "_expanded");
    std::vector<int64_t> reps(static_cast<size_t>(r + 1), 1);
    reps[static_cast<size_t>(r - 2)] = groups;
    mil::Value* t = op(ctx, "tile", {{"x", {e}}, {"reps", {b.constInts(reps, name + "_reps")}}}, name + "_tiled");
    s[static_cast<size_t>(r - 3)] *= groups;
    return reshapeTo(ctx, t, s, name);
}

mil::Value* floatOf(LowerContext& ctx, const ir::Value* v) {
    mil::Value* x = ctx.tensor(v);
    return isFloat(x->type.dtype) ? x : ctx.tensorAs(v, DType::Float32);
}

void ignoreDropout(LowerContext& ctx, const ir::Node& node, size_t index) {
    if (index < node.inputs.size() && !ctx.isNone(node.inputs[index]) && ctx.floatArg(node.inputs[index]) != 0.0)
        ctx.warnings().push_back(node.prov.describe() + ": attention dropout_p=" + std::to_string(ctx.floatArg(node.inputs[index])) +
                                 " is ignored (inference computes attention without dropout)");
}

// scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0, is_causal=False, scale=None,
// enable_gqa=False)
void scaledDotProductAttention(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    AttentionArgs a;
    a.q = floatOf(ctx, node.inputs.at(0));
    a.k = ctx.tensorAs(node.inputs.at(1), a.q->type.dtype);
    a.v = ctx.tensorAs(node.inputs.at(2), a.q->type.dtype);
    if (hasArg(ctx, node, 3)) a.mask = ctx.tensor(node.inputs[3]);
    ignoreDropout(ctx, node, 4);
    a.causal = hasArg(ctx, node, 5) && ctx.boolArg(node.inputs[5]);
    if (hasArg(ctx, node, 6)) a.scale = ctx.floatArg(node.inputs[6]);
    if (hasArg(ctx, node, 7) && ctx.boolArg(node.inputs[7])) {
        const int64_t hq = a.q->type.shape.at(a.q->type.rank() - 3), hk = a.k->type.shape.at(a.k->type.rank() - 3);
        if (hk <= 0 || hq % hk != 0) ctx.fail("enable_gqa needs the query heads (" + std::to_string(hq) + ") to be a multiple of the key heads (" + std::to_string(hk) + ")");
        if (hq != hk) {
            a.k = repeatHeads(ctx, a.k, hq / hk, name + "_key_heads");
            a.v = repeatHeads(ctx, a.v, hq / hk, name + "_value_heads");
        }
    }
    ctx.bind(node.outputs[0], attention(ctx, a, name));
}

// _scaled_dot_product_flash_attention_for_cpu(q, k, v, dropout_p=0, is_causal=False, *,
// attn_mask=None, scale=None) -> (output, logsumexp). The logsumexp output is a by-product of the
// kernel for training; models use only the output.
void flashAttentionForCpu(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    AttentionArgs a;
    a.q = floatOf(ctx, node.inputs.at(0));
    a.k = ctx.tensorAs(node.inputs.at(1), a.q->type.dtype);
    a.v = ctx.tensorAs(node.inputs.at(2), a.q->type.dtype);
    ignoreDropout(ctx, node, 3);
    a.causal = hasArg(ctx, node, 4) && ctx.boolArg(node.inputs[4]);
    if (hasArg(ctx, node, 5)) a.mask = ctx.tensor(node.inputs[5]);
    if (hasArg(ctx, node, 6)) a.scale = ctx.floatArg(node.inputs[6]);
    ctx.bind(node.outputs[0], attention(ctx, a, name));
}

// x @ w^T + b with constant w and b (slices of a packed projection).
mil::Value* project(LowerContext& ctx, mil::Value* x, const Tensor& w, const Tensor& bias, const std::string& name) {
    const DType d = x->type.dtype;
    return op(ctx, "linear", {{"x", {x}}, {"weight", {ctx.builder().constant(w.castTo(d), name + "_weight")}}, {"bias", {ctx.builder().constant(bias.castTo(d), name + "_bias")}}},
              name);
}

Tensor rowsOf(const Tensor& t, int64_t first, int64_t count) {
    const std::vector<float> all = t.toFloats();
    const int64_t width = t.rank() == 2 ? t.shape()[1] : 1;
    std::vector<float> part(all.begin() + first * width, all.begin() + (first + count) * width);
    Shape s = t.shape();
    s[0] = count;
    return Tensor::fromFloats(part, s);
}

// [B, L, H * D] -> [B, H, L, D] and back.
mil::Value* splitHeads(LowerContext& ctx, mil::Value* x, int64_t heads, const std::string& name) {
    const Shape s = staticShape(ctx, x, "the encoder layer's input");
    mil::Value* r = reshapeTo(ctx, x, {s[0], s[1], heads, s[2] / heads}, name + "_heads");
    return op(ctx, "transpose", {{"x", {r}}, {"perm", {ctx.builder().constInts({0, 2, 1, 3}, name + "_perm")}}}, name);
}
mil::Value* mergeHeads(LowerContext& ctx, mil::Value* x, const std::string& name) {
    const Shape s = staticShape(ctx, x, "the attention output");
    mil::Value* t = op(ctx, "transpose", {{"x", {x}}, {"perm", {ctx.builder().constInts({0, 2, 1, 3}, name + "_perm")}}}, name + "_transposed");
    return reshapeTo(ctx, t, {s[0], s[2], s[1] * s[3]}, name);
}

mil::Value* layerNorm(LowerContext& ctx, mil::Value* x, const Tensor& gamma, const Tensor& beta, double eps, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const DType d = x->type.dtype;
    return op(ctx, "layer_norm",
              {{"x", {x}}, {"axes", {b.constInts({-1}, name + "_axes")}}, {"gamma", {b.constant(gamma.castTo(d), name + "_gamma")}},
               {"beta", {b.constant(beta.castTo(d), name + "_beta")}}, {"epsilon", {scalarConst(ctx, eps, d, name + "_epsilon")}}},
              name);
}

// _transformer_encoder_layer_fwd(src, embed_dim, num_heads, qkv_weight, qkv_bias, proj_weight,
// proj_bias, use_gelu, norm_first, eps, norm_weight_1, norm_bias_1, norm_weight_2, norm_bias_2,
// ffn_weight_1, ffn_bias_1, ffn_weight_2, ffn_bias_2, mask=None, mask_type=None): one
// nn.TransformerEncoderLayer (batch_first) in eval mode, as torch fuses it on its fast path.
void transformerEncoderLayer(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* src = floatOf(ctx, node.inputs.at(0));
    if (src->type.rank() != 3) ctx.fail("the fused encoder layer expects [batch, sequence, embedding], got " + src->type.toString());
    const int64_t embed = ctx.intArg(node.inputs.at(1));
    const int64_t heads = ctx.intArg(node.inputs.at(2));
    if (heads <= 0 || embed % heads != 0) ctx.fail("embed_dim " + std::to_string(embed) + " is not divisible by num_heads " + std::to_string(heads));
    auto weight = [&](size_t i, const char* what) { return constantTensor(ctx, node.inputs.at(i), what); };
    const Tensor qkvW = weight(3, "qkv_weight"), qkvB = weight(4, "qkv_bias");
    const bool gelu = ctx.boolArg(node.inputs.at(7));
    const bool normFirst = ctx.boolArg(node.inputs.at(8));
    const double eps = ctx.floatArg(node.inputs.at(9));
    mil::Value* mask = nullptr;
    if (hasArg(ctx, node, 18)) {
        // The fast path passes src_key_padding_mask [B, S] (true = padding) or a src_mask [L, S].
        mil::Value* m = ctx.tensorAs(node.inputs[18], DType::Bool);
        mil::Value* keep = op(ctx, "logical_not", {{"x", {m}}}, name + "_keep");
        if (m->type.rank() == 2 && hasArg(ctx, node, 19) && ctx.intArg(node.inputs[19]) == 1) {
            keep = op(ctx, "expand_dims", {{"x", {keep}}, {"axes", {ctx.builder().constInts({1, 2}, name + "_keep_axes")}}}, name + "_keep_4d");
        } else if (m->type.rank() != 2) {
            ctx.fail("the fused encoder layer's mask " + m->type.toString() + " has an unexpected shape",
                     "trace the model with gradients enabled so torch takes the layer's regular path");
        }
        mask = keep;
    }

    auto selfAttention = [&](mil::Value* x, const std::string& n) {
        AttentionArgs a;
        a.q = splitHeads(ctx, project(ctx, x, rowsOf(qkvW, 0, embed), rowsOf(qkvB, 0, embed), n + "_q"), heads, n + "_q_split");
        a.k = splitHeads(ctx, project(ctx, x, rowsOf(qkvW, embed, embed), rowsOf(qkvB, embed, embed), n + "_k"), heads, n + "_k_split");
        a.v = splitHeads(ctx, project(ctx, x, rowsOf(qkvW, 2 * embed, embed), rowsOf(qkvB, 2 * embed, embed), n + "_v"), heads, n + "_v_split");
        a.mask = mask;
        mil::Value* merged = mergeHeads(ctx, attention(ctx, a, n + "_attention"), n + "_merged");
        return project(ctx, merged, weight(5, "proj_weight"), weight(6, "proj_bias"), n + "_out_proj");
    };
    auto feedForward = [&](mil::Value* x, const std::string& n) {
        mil::Value* h = project(ctx, x, weight(14, "ffn_weight_1"), weight(15, "ffn_bias_1"), n + "_linear1");
        h = gelu ? op(ctx, "gelu", {{"x", {h}}, {"mode", {ctx.builder().constString("EXACT", n + "_mode")}}}, n + "_gelu")
                 : op(ctx, "relu", {{"x", {h}}}, n + "_relu");
        return project(ctx, h, weight(16, "ffn_weight_2"), weight(17, "ffn_bias_2"), n + "_linear2");
    };
    auto add = [&](mil::Value* x, mil::Value* y, const std::string& n) { return op(ctx, "add", {{"x", {x}}, {"y", {y}}}, n); };
    const Tensor n1w = weight(10, "norm_weight_1"), n1b = weight(11, "norm_bias_1");
    const Tensor n2w = weight(12, "norm_weight_2"), n2b = weight(13, "norm_bias_2");
    mil::Value* x = src;
    if (normFirst) {
        x = add(x, selfAttention(layerNorm(ctx, x, n1w, n1b, eps, name + "_norm1"), name + "_sa"), name + "_residual1");
        x = add(x, feedForward(layerNorm(ctx, x, n2w, n2b, eps, name + "_norm2"), name + "_ff"), name);
    } else {
        x = layerNorm(ctx, add(x, selfAttention(x, name + "_sa"), name + "_residual1"), n1w, n1b, eps, name + "_norm1");
        x = layerNorm(ctx, add(x, feedForward(x, name + "_ff"), name + "_residual2"), n2w, n2b, eps, name);
    }
    ctx.bind(node.outputs[0], x);
}

}  // namespace

void registerAttentionTranslators(TranslatorTable& t) {
    t.add({"aten::scaled_dot_product_attention"}, scaledDotProductAttention);
    t.add({"aten::_scaled_dot_product_flash_attention_for_cpu"}, flashAttentionForCpu);
    t.add({"aten::_transformer_encoder_layer_fwd"}, transformerEncoderLayer);
}

}  // namespace cms::lower
