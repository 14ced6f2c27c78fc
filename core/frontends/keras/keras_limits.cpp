#include "frontends/keras/keras_limits.h"

namespace cms::frontends::keras {

std::optional<std::string> shapeProblem(const Shape& shape) {
    if (shape.empty()) return std::string("a Keras tensor has at least its batch dimension, this shape has none");
    int64_t elements = 1;
    for (int64_t d : shape) {
        if (d < 1 || d > kMaxDimension)
            return "the shape " + shapeToString(shape) + " has a dimension outside 1.." + std::to_string(kMaxDimension);
        if (d > kMaxElements / elements) return "the shape " + shapeToString(shape) + " has more than 2^48 elements";
        elements *= d;
    }
    return std::nullopt;
}

}  // namespace cms::frontends::keras
