// scaled_dot_product_attention (iOS18): softmax(Q K^T / sqrt(E) + mask) V over the last two dims,
// with a bool mask (true = attend) or a float mask added to the scores.
#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
bool known(int64_t d) { return d != kUnknownDim; }

std::vector<TensorType> inferAttention(const InferContext& ctx) {
    requireSameDtype(ctx, {"query", "key", "value"});
    const TensorType& q = ctx.type("query");
    const TensorType& k = ctx.type("key");
    const TensorType& v = ctx.type("value");
    if (q.rank() != k.rank() || q.rank() != v.rank())
        ctx.fail("query, key and value must have the same rank, got " + q.toString() + ", " + k.toString() + ", " + v.toString());
    if (q.rank() < 3) ctx.fail("query, key and value need rank 3 or more (batch, sequence, embedding), got " + q.toString());
    const size_t r = q.shape.size();
    for (size_t i = 0; i + 2 < r; ++i)
        for (const Shape* s : {&k.shape, &v.shape})
            if (known(q.shape[i]) && known((*s)[i]) && q.shape[i] != (*s)[i])
                ctx.fail("query, key and value must have the same batch dims, got " + q.toString() + ", " + k.toString() + ", " +
                         v.toString());
    if (known(q.shape[r - 1]) && known(k.shape[r - 1]) && q.shape[r - 1] != k.shape[r - 1])
        ctx.fail("query and key must have the same embedding size, got " + q.toString() + " and " + k.toString());
    if (known(k.shape[r - 2]) && known(v.shape[r - 2]) && k.shape[r - 2] != v.shape[r - 2])
        ctx.fail("key and value must have the same sequence length, got " + k.toString() + " and " + v.toString());
    if (ctx.has("attn_mask")) {
        const Shape& m = ctx.type("attn_mask").shape;
        if (m.empty()) ctx.fail("attn_mask needs rank 1 or more");
        if (known(m.back()) && known(k.shape[r - 2]) && m.back() != k.shape[r - 2])
            ctx.fail("attn_mask's last dim must be the key sequence length, got " + ctx.type("attn_mask").toString() + " and key " +
                     k.toString());
        broadcastShapes(ctx, Shape(q.shape.begin(), q.shape.end() - 1), Shape(m.begin(), m.end() - 1));
    }
    Shape out(q.shape.begin(), q.shape.end() - 1);
    out.push_back(v.shape.back());
    return {TensorType{q.dtype, out}};
}
}  // namespace

void registerAttentionOps(OpRegistry& r) {
    const std::vector<DType> kFloat = {DType::Float16, DType::Float32};
    r.add({"scaled_dot_product_attention", Target::iOS18,
           {{"query", false, false, false, kFloat},
            {"key", false, false, false, kFloat},
            {"value", false, false, false, kFloat},
            {"attn_mask", true, false, false, {DType::Bool, DType::Float16, DType::Float32}}},
           inferAttention, "softmax(query key^T / sqrt(E) + mask) value, the mask bool (true attends) or added"});
}

}  // namespace cms::mil
