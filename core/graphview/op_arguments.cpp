#include "graphview/op_arguments.h"

#include <map>

#include "graphview/op_family.h"

namespace cms::graphview {

std::vector<std::string> argumentNames(const std::string& kind, size_t count) {
    using Names = std::vector<std::string>;
    // aten schemas (PyTorch's native_functions.yaml), keyed by op name without the in-place suffix.
    static const std::multimap<std::string, Names> schemas = {
        {"_convolution", {"input", "weight", "bias", "stride", "padding", "dilation", "transposed", "output_padding",
                          "groups", "benchmark", "deterministic", "cudnn_enabled", "allow_tf32"}},
        {"_convolution", {"input", "weight", "bias", "stride", "padding", "dilation", "transposed", "output_padding",
                          "groups", "benchmark", "deterministic", "cudnn_enabled"}},
        {"conv1d", {"input", "weight", "bias", "stride", "padding", "dilation", "groups"}},
        {"conv2d", {"input", "weight", "bias", "stride", "padding", "dilation", "groups"}},
        {"conv3d", {"input", "weight", "bias", "stride", "padding", "dilation", "groups"}},
        {"conv_transpose1d", {"input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"}},
        {"conv_transpose2d", {"input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"}},
        {"batch_norm", {"input", "weight", "bias", "running_mean", "running_var", "training", "momentum", "eps",
                        "cudnn_enabled"}},
        {"instance_norm", {"input", "weight", "bias", "running_mean", "running_var", "use_input_stats", "momentum",
                           "eps", "cudnn_enabled"}},
        {"layer_norm", {"input", "normalized_shape", "weight", "bias", "eps", "cudnn_enable"}},
        {"group_norm", {"input", "num_groups", "weight", "bias", "eps", "cudnn_enabled"}},
        {"max_pool1d", {"self", "kernel_size", "stride", "padding", "dilation", "ceil_mode"}},
        {"max_pool2d", {"self", "kernel_size", "stride", "padding", "dilation", "ceil_mode"}},
        {"max_pool3d", {"self", "kernel_size", "stride", "padding", "dilation", "ceil_mode"}},
        {"avg_pool1d", {"self", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"}},
        {"avg_pool2d", {"self", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                        "divisor_override"}},
        {"avg_pool3d", {"self", "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
                        "divisor_override"}},
        {"adaptive_avg_pool1d", {"self", "output_size"}},
        {"adaptive_avg_pool2d", {"self", "output_size"}},
        {"adaptive_max_pool2d", {"self", "output_size"}},
        {"linear", {"input", "weight", "bias"}},
        {"addmm", {"self", "mat1", "mat2", "beta", "alpha"}},
        {"matmul", {"self", "other"}},
        {"bmm", {"self", "mat2"}},
        {"add", {"self", "other", "alpha"}},
        {"sub", {"self", "other", "alpha"}},
        {"rsub", {"self", "other", "alpha"}},
        {"mul", {"self", "other"}},
        {"div", {"self", "other"}},
        {"div", {"self", "other", "rounding_mode"}},
        {"flatten", {"self", "start_dim", "end_dim"}},
        {"cat", {"tensors", "dim"}},
        {"stack", {"tensors", "dim"}},
        {"softmax", {"self", "dim", "dtype"}},
        {"log_softmax", {"self", "dim", "dtype"}},
        {"mean", {"self", "dim", "keepdim", "dtype"}},
        {"sum", {"self", "dim", "keepdim", "dtype"}},
        {"view", {"self", "size"}},
        {"reshape", {"self", "shape"}},
        {"permute", {"self", "dims"}},
        {"transpose", {"self", "dim0", "dim1"}},
        {"unsqueeze", {"self", "dim"}},
        {"squeeze", {"self", "dim"}},
        {"select", {"self", "dim", "index"}},
        {"slice", {"self", "dim", "start", "end", "step"}},
        {"size", {"self", "dim"}},
        {"chunk", {"self", "chunks", "dim"}},
        {"split", {"self", "split_size", "dim"}},
        {"constant_pad_nd", {"self", "pad", "value"}},
        {"gelu", {"self", "approximate"}},
        {"hardtanh", {"self", "min_val", "max_val"}},
        {"leaky_relu", {"self", "negative_slope"}},
        {"clamp", {"self", "min", "max"}},
        {"dropout", {"input", "p", "train"}},
        {"embedding", {"weight", "indices", "padding_idx", "scale_grad_by_freq", "sparse"}},
        {"scaled_dot_product_attention", {"query", "key", "value", "attn_mask", "dropout_p", "is_causal"}},
        {"scaled_dot_product_attention", {"query", "key", "value", "attn_mask", "dropout_p", "is_causal", "scale"}},
    };
    if (kind.rfind("aten::", 0) != 0) return {};
    const auto [first, last] = schemas.equal_range(shortOpName(kind));
    for (auto it = first; it != last; ++it)
        if (it->second.size() == count) return it->second;
    return {};
}

}  // namespace cms::graphview
