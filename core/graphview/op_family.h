#pragma once
// Op families the graph view draws alike (shape and colour): a reader spots the convolutions,
// norms and reshapes of a model at a glance without reading every label.
#include <string>

namespace cms::graphview {

enum class OpFamily { Input, Output, Conv, Norm, Activation, Pooling, Linear, Elementwise, Shape, Other };

// Family of a source op kind such as "aten::_convolution" or "aten::relu_".
OpFamily opFamily(const std::string& kind);
const char* opFamilyName(OpFamily f);
// "aten::relu_" -> "relu": the op's name without namespace or in-place suffix.
std::string shortOpName(const std::string& kind);

}  // namespace cms::graphview
