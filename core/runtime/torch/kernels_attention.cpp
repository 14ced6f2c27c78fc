// scaled_dot_product_attention as Core ML defines it: the scale is always 1 / sqrt(E); a bool mask
// keeps the scores where it is true (the rest become -inf), a float mask is added to the scores.
#include <cmath>
#include <limits>

#include "runtime/torch/kernel.h"

namespace cms::runtime {

namespace {
using Tensors = std::vector<at::Tensor>;

Tensors scaledDotProductAttention(const KernelContext& c) {
    const at::Tensor& q = c.in("query");
    const at::Tensor& k = c.in("key");
    const at::Tensor& v = c.in("value");
    at::Tensor scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(static_cast<double>(q.size(-1)));
    if (c.has("attn_mask")) {
        const at::Tensor& m = c.in("attn_mask");
        if (m.scalar_type() == at::kBool)
            scores = scores.masked_fill(at::logical_not(m), -std::numeric_limits<float>::infinity());
        else
            scores = scores + m;
    }
    return {at::matmul(at::softmax(scores, -1), v)};
}
}  // namespace

void registerAttentionKernels(KernelTable& t) {
    t["scaled_dot_product_attention"] = scaledDotProductAttention;
}

}  // namespace cms::runtime
