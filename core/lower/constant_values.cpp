#include "lower/constant_values.h"

#include <cmath>

namespace cms::lower {

std::optional<Scalar> scalarOf(const ir::Constant& c) {
    if (const bool* b = std::get_if<bool>(&c)) return Scalar::ofInt(*b ? 1 : 0);
    if (const int64_t* i = std::get_if<int64_t>(&c)) return Scalar::ofInt(*i);
    if (const double* d = std::get_if<double>(&c)) return Scalar::ofFloat(*d);
    if (const Tensor* t = std::get_if<Tensor>(&c)) {
        if (!t->defined() || t->numel() != 1 || t->dtype() == DType::String) return std::nullopt;
        if (isFloat(t->dtype())) return Scalar::ofFloat(t->scalarAsDouble());
        return Scalar::ofInt(t->scalarAsInt());
    }
    return std::nullopt;
}

ir::Constant constantOf(const Scalar& s) {
    if (s.isInt) return ir::Constant{s.intValue()};
    return ir::Constant{s.value};
}

std::optional<std::vector<int64_t>> intsOf(const ir::Constant& c) {
    if (const auto* v = std::get_if<std::vector<int64_t>>(&c)) return *v;
    if (const int64_t* i = std::get_if<int64_t>(&c)) return std::vector<int64_t>{*i};
    if (const Tensor* t = std::get_if<Tensor>(&c)) {
        if (!t->defined() || t->rank() > 1 || isFloat(t->dtype()) || t->dtype() == DType::String) return std::nullopt;
        return t->toInts();
    }
    return std::nullopt;
}

std::optional<Tensor> tensorOf(const ir::Constant& c) {
    struct Visitor {
        std::optional<Tensor> operator()(const ir::NoneValue&) const { return std::nullopt; }
        std::optional<Tensor> operator()(const std::string&) const { return std::nullopt; }
        std::optional<Tensor> operator()(bool b) const { return Tensor::scalarBool(b); }
        std::optional<Tensor> operator()(int64_t i) const { return Tensor::scalarInt(i); }
        std::optional<Tensor> operator()(double d) const { return Tensor::scalarFloat(static_cast<float>(d)); }
        std::optional<Tensor> operator()(const std::vector<int64_t>& v) const {
            return Tensor::fromInts(v, {static_cast<int64_t>(v.size())});
        }
        std::optional<Tensor> operator()(const std::vector<double>& v) const {
            return Tensor::fromFloats(std::vector<float>(v.begin(), v.end()), {static_cast<int64_t>(v.size())});
        }
        std::optional<Tensor> operator()(const std::vector<bool>& v) const {
            return Tensor::fromBools(v, {static_cast<int64_t>(v.size())});
        }
        std::optional<Tensor> operator()(const Tensor& t) const { return t.defined() ? std::optional<Tensor>(t) : std::nullopt; }
    };
    return std::visit(Visitor{}, c);
}

}  // namespace cms::lower
