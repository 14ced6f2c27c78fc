// PyTorch's fused multi-head attention (aten::_native_multi_head_attention). nn.MultiheadAttention
// takes this "fast path" in eval mode under no_grad, so models traced for deployment (torchvision's
// ViT among them) hold it instead of the separate projections, matmuls and softmax. Core ML has no
// single op for it before iOS18, and its iOS18 attention op leaves out the projections, so it is
// written out: three input projections, per-head scaled scores, softmax, weighted sum, output
// projection.
#include <cmath>
#include <cstring>

#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Rows [first, first + count) of a contiguous matrix, or elements of a vector.
Tensor leadingSlice(const Tensor& t, int64_t first, int64_t count) {
    Shape shape = t.shape();
    const int64_t rowElements = shape.size() > 1 ? shapeNumel(Shape(shape.begin() + 1, shape.end())) : 1;
    const size_t elementBytes = packedByteSize(t.dtype(), 1);
    const size_t begin = static_cast<size_t>(first * rowElements) * elementBytes;
    const size_t bytes = static_cast<size_t>(count * rowElements) * elementBytes;
    std::vector<uint8_t> data(bytes);
    std::memcpy(data.data(), t.bytes() + begin, bytes);
    shape[0] = count;
    return Tensor(t.dtype(), shape, std::move(data));
}

// [B, T, E] -> [B, heads, T, E / heads]
mil::Value* splitHeads(LowerContext& ctx, mil::Value* x, int64_t heads, const std::string& name) {
    mil::Builder& b = ctx.builder();
    const Shape s = staticShape(ctx, x, "attention input");
    mil::Value* r = b.add1("reshape", {{"x", {x}}, {"shape", {b.constInts({s[0], s[1], heads, s[2] / heads}, name + "_shape")}}},
                           name + "_heads");
    return b.add1("transpose", {{"x", {r}}, {"perm", {b.constInts({0, 2, 1, 3}, name + "_perm")}}}, name + "_bhtd");
}

// _native_multi_head_attention(query, key, value, embed_dim, num_head, qkv_weight, qkv_bias,
//                              proj_weight, proj_bias, mask=None, need_weights=True,
//                              average_attn_weights=True, mask_type=None) -> (output, weights)
void nativeMultiHeadAttention(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* query = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    mil::Value* key = ctx.tensorAs(node.inputs.at(1), DType::Float32);
    mil::Value* value = ctx.tensorAs(node.inputs.at(2), DType::Float32);
    const int64_t embed = ctx.intArg(node.inputs.at(3));
    const int64_t heads = ctx.intArg(node.inputs.at(4));
    if (query->type.rank() != 3 || key->type.rank() != 3 || value->type.rank() != 3)
        ctx.fail("fused attention needs batched [batch, sequence, embedding] query, key and value; got ranks " +
                     std::to_string(query->type.rank()) + ", " + std::to_string(key->type.rank()) + " and " +
                     std::to_string(value->type.rank()),
                 "give the model a batch dimension, or call the attention module with batch_first inputs");
    if (heads <= 0 || embed % heads != 0)
        ctx.fail("embedding size " + std::to_string(embed) + " is not divisible by " + std::to_string(heads) + " heads");
    const int64_t headDim = embed / heads;

    const Tensor qkvWeight = constantTensor(ctx, node.inputs.at(5), "in_proj_weight").castTo(DType::Float32);
    if (qkvWeight.rank() != 2 || qkvWeight.shape()[0] != 3 * embed || qkvWeight.shape()[1] != embed)
        ctx.fail("in_proj_weight has shape " + shapeText(qkvWeight.shape()) + ", expected " + std::to_string(3 * embed) +
                 "x" + std::to_string(embed));
    std::optional<Tensor> qkvBias;
    if (hasArg(ctx, node, 6)) qkvBias = constantTensor(ctx, node.inputs[6], "in_proj_bias").castTo(DType::Float32);

    // Three projections; PyTorch scales q after its bias by 1/sqrt(head size).
    auto project = [&](mil::Value* x, int64_t part, const char* what) {
        std::vector<mil::OpInput> in = {
            {"x", {x}}, {"weight", {b.constant(leadingSlice(qkvWeight, part * embed, embed), name + "_" + what + "_weight")}}};
        if (qkvBias) in.push_back({"bias", {b.constant(leadingSlice(*qkvBias, part * embed, embed), name + "_" + what + "_bias")}});
        return splitHeads(ctx, b.add1("linear", std::move(in), name + "_" + what), heads, name + "_" + what);
    };
    mil::Value* q = project(query, 0, "q");
    mil::Value* k = project(key, 1, "k");
    mil::Value* v = project(value, 2, "v");
    q = b.add1("mul", {{"x", {q}}, {"y", {b.constFloat(static_cast<float>(1.0 / std::sqrt(double(headDim))), name + "_scale")}}},
               name + "_q_scaled");
    mil::Value* scores = b.add1("matmul", {{"x", {q}}, {"y", {k}}, {"transpose_y", {b.constBool(true, name + "_transpose_y")}}},
                                name + "_scores");

    // A boolean mask marks the positions a query may NOT attend to: [L, S] (type 0) or a key
    // padding mask [B, S] (type 1), broadcast over heads.
    if (hasArg(ctx, node, 9)) {
        mil::Value* mask = ctx.tensor(node.inputs[9]);
        if (mask->type.dtype != DType::Bool)
            ctx.fail("the fused attention mask is " + dtypeName(mask->type.dtype) + "; only boolean masks reach this op",
                     "pass a boolean attn_mask or key_padding_mask, or trace the module in training mode's slow path");
        const int64_t type = hasArg(ctx, node, 12) ? ctx.intArg(node.inputs[12]) : (mask->type.rank() == 2 ? 0 : -1);
        const Shape ms = staticShape(ctx, mask, "attention mask");
        Shape broadcast;
        if (type == 1 && ms.size() == 2) broadcast = {ms[0], 1, 1, ms[1]};
        else if (type == 0 && ms.size() == 2) broadcast = {1, 1, ms[0], ms[1]};
        else if (ms.size() == 4) broadcast = ms;
        else
            ctx.fail("unsupported fused attention mask of shape " + shapeText(ms) + " (mask_type " + std::to_string(type) + ")",
                     "use an [L, S] attention mask or a [batch, S] key padding mask");
        mil::Value* m = reshapeTo(ctx, mask, broadcast, name + "_mask");
        scores = b.add1("select", {{"cond", {m}}, {"a", {b.constFloat(-INFINITY, name + "_masked")}}, {"b", {scores}}},
                        name + "_masked_scores");
    }
    mil::Value* weights = b.add1("softmax", {{"x", {scores}}, {"axis", {b.constInt(-1, name + "_softmax_axis")}}}, name + "_weights");
    mil::Value* context = b.add1("matmul", {{"x", {weights}}, {"y", {v}}}, name + "_context");
    context = b.add1("transpose", {{"x", {context}}, {"perm", {b.constInts({0, 2, 1, 3}, name + "_merge_perm")}}}, name + "_bthd");
    const Shape qs = staticShape(ctx, query, "query");
    context = b.add1("reshape", {{"x", {context}}, {"shape", {b.constInts({qs[0], qs[1], embed}, name + "_merge_shape")}}},
                     name + "_merged");

    std::vector<mil::OpInput> out = {
        {"x", {context}}, {"weight", {b.constant(constantTensor(ctx, node.inputs.at(7), "out_proj.weight").castTo(DType::Float32), name + "_out_weight")}}};
    if (hasArg(ctx, node, 8))
        out.push_back({"bias", {b.constant(constantTensor(ctx, node.inputs[8], "out_proj.bias").castTo(DType::Float32), name + "_out_bias")}});
    emit(ctx, "linear", std::move(out), node.outputs.at(0));

    // The attention weights: averaged over heads when asked, else per head (unused outputs are
    // removed by dead-code elimination).
    if (node.outputs.size() > 1) {
        const bool needWeights = hasArg(ctx, node, 10) && ctx.boolArg(node.inputs[10]);
        const bool average = !hasArg(ctx, node, 11) || ctx.boolArg(node.inputs[11]);
        if (needWeights && average)
            emit(ctx, "reduce_mean",
                 {{"x", {weights}}, {"axes", {b.constInts({1}, name + "_head_axis")}}, {"keep_dims", {b.constBool(false, name + "_keep_dims")}}},
                 node.outputs[1]);
        else
            ctx.bind(node.outputs[1], weights);
    }
}

}  // namespace

void registerFusedAttentionTranslators(TranslatorTable& t) {
    t.add({"aten::_native_multi_head_attention"}, nativeMultiHeadAttention);
}

}  // namespace cms::lower
