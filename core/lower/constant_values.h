#pragma once
// Conversions between IR constants (TorchScript scalars, lists, tensors) and the forms lowering
// needs: plain numbers for folding, tensors for MIL const ops.
#include <optional>

#include "ir/graph.h"

namespace cms::lower {

// A number known at conversion time and whether torch would treat it as an integer.
struct Scalar {
    double value = 0;
    bool isInt = false;  // int, bool, or an integer-typed one-element tensor
    int64_t exact = 0;   // the exact value when isInt (doubles cannot hold every int64, e.g. INT64_MAX)
    int64_t intValue() const { return isInt ? exact : static_cast<int64_t>(value); }
    static Scalar ofInt(int64_t i) { return Scalar{static_cast<double>(i), true, i}; }
    static Scalar ofFloat(double d) { return Scalar{d, false, 0}; }
};

// bool/int/float, or a tensor of exactly one element; nullopt otherwise.
std::optional<Scalar> scalarOf(const ir::Constant& c);
// The IR constant for a folded number: int64_t for integers, double otherwise.
ir::Constant constantOf(const Scalar& s);
// A list of integers: an int list, one int, or an integer tensor of rank <= 1.
std::optional<std::vector<int64_t>> intsOf(const ir::Constant& c);
// The tensor a const op stores for c (scalars become rank-0 tensors); nullopt for None/strings.
std::optional<Tensor> tensorOf(const ir::Constant& c);

}  // namespace cms::lower
