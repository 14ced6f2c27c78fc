// ATen ops of newer torch releases, registered with the linked libtorch (1.13) so TorchScript files
// saved by torch >= 2.0 that call them load, and the reference runner can execute them. Each is
// written from torch's documented semantics with ATen calls, independently of our lowering.
#include <ATen/ATen.h>
#include <torch/library.h>

#include <cmath>
#include <limits>


namespace cms::frontends {

namespace {

// torch.nn.functional.scaled_dot_product_attention (torch 2.0; scale 2.1; enable_gqa 2.5).
at::Tensor scaledDotProductAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                     const c10::optional<at::Tensor>& mask, double dropout, bool causal,
                                     c10::optional<double> scale, bool gqa) {
    at::Tensor key = k, value = v;
    if (gqa && q.dim() >= 3 && q.size(-3) != k.size(-3)) {
        const int64_t groups = q.size(-3) / k.size(-3);
        key = k.repeat_interleave(groups, -3);
        value = v.repeat_interleave(groups, -3);
    }
    const double s = scale ? *scale : 1.0 / std::sqrt(static_cast<double>(q.size(-1)));
    at::Tensor w = at::matmul(q, key.transpose(-2, -1)) * s;
    const double inf = std::numeric_limits<double>::infinity();
    if (causal) {
        at::Tensor keep = at::ones({q.size(-2), key.size(-2)}, q.options().dtype(at::kBool)).tril();
        w = w.masked_fill(keep.logical_not(), -inf);
    }
    if (mask && mask->defined())
        w = mask->scalar_type() == at::kBool ? w.masked_fill(mask->logical_not(), -inf) : w + *mask;
    w = at::softmax(w, -1);
    if (dropout > 0) w = at::dropout(w, dropout, true);
    return at::matmul(w, value);
}

}  // namespace

TORCH_LIBRARY_FRAGMENT(aten, m) {
    m.def("scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, "
          "float dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool enable_gqa=False) -> Tensor",
          scaledDotProductAttention);
}

// Read by the loader (torchvision_ops.cpp), so every program that loads TorchScript links this file.
extern const bool kTorchBackportsLinked = true;

}  // namespace cms::frontends
