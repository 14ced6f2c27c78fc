#include "graphview/op_family.h"

#include <set>

namespace cms::graphview {

std::string shortOpName(const std::string& kind) {
    const size_t colon = kind.rfind("::");
    std::string name = colon == std::string::npos ? kind : kind.substr(colon + 2);
    // aten::relu_ is the in-place relu; aten::__and__ keeps its dunder form.
    if (name.size() > 1 && name.back() == '_' && name[name.size() - 2] != '_') name.pop_back();
    return name;
}

OpFamily opFamily(const std::string& kind) {
    const std::string op = shortOpName(kind);
    const auto contains = [&](const char* part) { return op.find(part) != std::string::npos; };
    static const std::set<std::string> activations = {
        "relu", "relu6", "gelu", "silu", "sigmoid", "tanh", "hardswish", "hardsigmoid", "leaky_relu", "elu", "selu",
        "celu", "softmax", "log_softmax", "softplus", "softsign", "mish", "hardtanh", "prelu", "glu", "logsigmoid"};
    static const std::set<std::string> linear = {"linear", "matmul", "bmm", "mm", "addmm", "baddbmm", "einsum",
                                                 "scaled_dot_product_attention", "bilinear", "embedding"};
    static const std::set<std::string> elementwise = {
        "add", "sub", "rsub", "mul", "div", "pow", "sqrt", "rsqrt", "exp", "log", "neg", "abs", "clamp", "clamp_min",
        "clamp_max", "where", "eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum", "floor_divide", "remainder",
        "erf", "sin", "cos", "reciprocal", "sign", "floor", "ceil", "round", "__and__", "__or__", "logical_not",
        "masked_fill", "fmod", "square", "addcmul", "lerp",
        // MIL names of the same operations
        "real_div", "floor_div", "mod", "inverse", "clip", "equal", "not_equal", "less", "less_equal",
        "greater", "greater_equal", "logical_and", "logical_or", "cast"};
    static const std::set<std::string> shape = {
        "view", "reshape", "flatten", "permute", "transpose", "t", "squeeze", "unsqueeze", "cat", "concat", "stack",
        "split", "split_with_sizes", "chunk", "slice", "select", "index", "index_select", "gather", "expand",
        "expand_as", "repeat", "contiguous", "size", "narrow", "unbind", "pad", "constant_pad_nd", "ListUnpack",
        "TupleUnpack", "TupleConstruct", "ListConstruct", "NumToTensor", "Int", "to", "type_as", "pixel_shuffle",
        "channel_shuffle", "upsample_nearest2d", "upsample_bilinear2d", "interpolate", "roll", "flip", "numel",
        "dim", "view_as", "reshape_as", "unflatten", "movedim", "tile", "zeros", "ones", "zeros_like", "ones_like",
        "arange", "full", "full_like",
        // MIL names of the same operations
        "expand_dims", "slice_by_index", "slice_by_size", "gather_nd", "gather_along_axis", "shape",
        "band_part", "reverse", "range_1d", "fill", "upsample_nearest_neighbor", "upsample_bilinear",
        "space_to_depth", "depth_to_space", "pixel_unshuffle"};
    if (contains("conv")) return OpFamily::Conv;
    if (contains("norm")) return OpFamily::Norm;
    if (contains("pool")) return OpFamily::Pooling;
    if (activations.count(op)) return OpFamily::Activation;
    if (linear.count(op)) return OpFamily::Linear;
    if (elementwise.count(op)) return OpFamily::Elementwise;
    if (shape.count(op)) return OpFamily::Shape;
    return OpFamily::Other;
}

const char* opFamilyName(OpFamily f) {
    switch (f) {
        case OpFamily::Input: return "input";
        case OpFamily::Output: return "output";
        case OpFamily::Conv: return "convolution";
        case OpFamily::Norm: return "normalization";
        case OpFamily::Activation: return "activation";
        case OpFamily::Pooling: return "pooling";
        case OpFamily::Linear: return "linear/matmul";
        case OpFamily::Elementwise: return "elementwise";
        case OpFamily::Shape: return "shape";
        case OpFamily::Other: return "other";
    }
    return "other";
}

}  // namespace cms::graphview
