#include "runtime/torch/kernel.h"

#include <cstring>

#include "common/error.h"

namespace cms::runtime {

at::ScalarType runtimeScalarType(DType dtype) {
    switch (dtype) {
        case DType::Bool: return at::kBool;
        case DType::Float16: case DType::Float32: case DType::Float64: case DType::BFloat16: return at::kFloat;
        case DType::Int64: case DType::UInt32: case DType::UInt64: return at::kLong;
        case DType::String: case DType::Invalid:
            throw Error(ErrorKind::Internal, "no runtime tensor type for " + dtypeName(dtype));
        default: return at::kInt;  // 1- to 32-bit integers
    }
}

bool KernelContext::has(const std::string& name) const { return op_.hasInput(name); }

const mil::Value* KernelContext::value(const std::string& name) const {
    const std::vector<mil::Value*>* list = op_.inputList(name);
    if (!list || list->size() != 1) fail("input '" + name + "' is missing or not a single value");
    return list->front();
}

size_t KernelContext::slot(const std::string& name) const {
    size_t offset = 0;
    for (const mil::OpInput& in : op_.inputs) {
        if (in.name == name) return offset;
        offset += in.values.size();
    }
    fail("input '" + name + "' is missing");
}

const at::Tensor& KernelContext::in(const std::string& name) const {
    value(name);
    return *inputs_[slot(name)];
}

std::vector<at::Tensor> KernelContext::list(const std::string& name) const {
    const std::vector<mil::Value*>* values = op_.inputList(name);
    if (!values) fail("input '" + name + "' is missing");
    const size_t first = slot(name);
    std::vector<at::Tensor> out;
    for (size_t i = 0; i < values->size(); ++i) out.push_back(*inputs_[first + i]);
    return out;
}

const mil::TensorType& KernelContext::inputType(const std::string& name) const { return value(name)->type; }

std::string KernelContext::str(const std::string& name) const {
    const mil::Value* v = value(name);
    if (!v->constValue || v->constValue->dtype() != DType::String) fail("input '" + name + "' must be a const string");
    return v->constValue->stringValue();
}

std::vector<int64_t> KernelContext::ints(const std::string& name) const {
    const mil::Value* v = value(name);
    if (v->constValue) return v->constValue->toInts();
    at::Tensor t = in(name).to(at::kLong).contiguous();
    return std::vector<int64_t>(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
}

int64_t KernelContext::intValue(const std::string& name) const {
    const std::vector<int64_t> v = ints(name);
    if (v.size() != 1) fail("input '" + name + "' must be a single integer");
    return v.front();
}

double KernelContext::floatValue(const std::string& name) const {
    const mil::Value* v = value(name);
    if (v->constValue) {
        if (v->constValue->numel() != 1) fail("input '" + name + "' must be a single number");
        return v->constValue->scalarAsDouble();
    }
    const at::Tensor& t = in(name);
    if (t.numel() != 1) fail("input '" + name + "' must be a single number");
    return t.to(at::kDouble).item<double>();
}

bool KernelContext::boolOr(const std::string& name, bool dflt) const {
    if (!has(name)) return dflt;
    return intValue(name) != 0;
}

int64_t KernelContext::axis(int64_t a, int64_t rank) const {
    const int64_t n = a < 0 ? a + rank : a;
    if (n < 0 || n >= std::max<int64_t>(rank, 1))
        fail("axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank));
    return n;
}

void KernelContext::fail(const std::string& message) const {
    throw Error(ErrorKind::Unsupported, op_.type + " op '" + op_.name + "': " + message, {"", op_.prov.describe()},
                "the package may have been written by another tool or be corrupt; report the model if it came "
                "from this converter");
}

const KernelTable& kernelTable() {
    static const KernelTable table = [] {
        KernelTable t;
        registerElementwiseKernels(t);
        registerActivationKernels(t);
        registerNnKernels(t);
        registerTensorKernels(t);
        registerIndexKernels(t);
        registerReductionKernels(t);
        registerAttentionKernels(t);
        registerConstexprKernels(t);
        registerImageResizingKernels(t);
        registerPaddingKernels(t);
        registerRecurrentKernels(t);
        registerSliceUpdateKernels(t);
        registerRandomKernels(t);
        registerStateKernels(t);
        return t;
    }();
    return table;
}

at::Tensor toRuntime(const Tensor& t) {
    std::vector<int64_t> sizes(t.shape().begin(), t.shape().end());
    const auto owned = [&](at::ScalarType st) {
        return at::from_blob(const_cast<uint8_t*>(t.bytes()), sizes, at::TensorOptions().dtype(st)).clone();
    };
    switch (t.dtype()) {
        case DType::Float32: return owned(at::kFloat);
        case DType::Float16: return owned(at::kHalf).to(at::kFloat);
        case DType::Float64: return owned(at::kDouble).to(at::kFloat);
        case DType::Bool: return owned(at::kBool);
        case DType::Int32: return owned(at::kInt);
        case DType::Int64: return owned(at::kLong);
        case DType::Int8: return owned(at::kChar).to(at::kInt);
        case DType::UInt8: return owned(at::kByte).to(at::kInt);
        case DType::Int16: return owned(at::kShort).to(at::kInt);
        case DType::String: case DType::Invalid:
            throw Error(ErrorKind::Internal, "a " + dtypeName(t.dtype()) + " value has no runtime tensor form");
        default: {  // bf16, uint16/32/64 and the sub-byte types: through the generic decoders
            if (isFloat(t.dtype())) {
                const std::vector<float> v = t.toFloats();
                return at::tensor(at::ArrayRef<float>(v), at::kFloat).reshape(sizes);
            }
            const std::vector<int64_t> v = t.toInts();
            return at::tensor(at::ArrayRef<int64_t>(v), at::kLong).reshape(sizes).to(runtimeScalarType(t.dtype()));
        }
    }
}

Tensor fromRuntime(const at::Tensor& source, DType dtype) {
    Shape shape(source.sizes().begin(), source.sizes().end());
    const auto borrow = [&](at::ScalarType st) {
        auto held = std::make_shared<at::Tensor>(source.to(st).contiguous());
        const auto* data = static_cast<const uint8_t*>(held->data_ptr());
        const size_t size = static_cast<size_t>(held->numel()) * held->element_size();
        return Tensor(dtype, shape, std::shared_ptr<const void>(held, held.get()), data, size);
    };
    switch (dtype) {
        case DType::Float32: return borrow(at::kFloat);
        case DType::Float16: return borrow(at::kHalf);
        case DType::Float64: return borrow(at::kDouble);
        case DType::BFloat16: return borrow(at::kBFloat16);
        case DType::Bool: return borrow(at::kBool);
        case DType::Int8: return borrow(at::kChar);
        case DType::UInt8: return borrow(at::kByte);
        case DType::Int16: return borrow(at::kShort);
        case DType::Int32: return borrow(at::kInt);
        case DType::Int64: return borrow(at::kLong);
        case DType::String: case DType::Invalid:
            throw Error(ErrorKind::Internal, "cannot produce a " + dtypeName(dtype) + " tensor");
        default: {
            at::Tensor l = source.to(at::kLong).contiguous();
            std::vector<int64_t> v(l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel());
            return Tensor::fromInts(v, shape, dtype);
        }
    }
}

at::Tensor conformTo(const at::Tensor& t, DType dtype) {
    switch (dtype) {
        case DType::Float16: return t.to(at::kFloat).to(at::kHalf).to(at::kFloat);
        case DType::BFloat16: return t.to(at::kFloat).to(at::kBFloat16).to(at::kFloat);
        case DType::Int8: return t.to(at::kChar).to(at::kInt);
        case DType::UInt8: return t.to(at::kByte).to(at::kInt);
        case DType::Int16: return t.to(at::kShort).to(at::kInt);
        case DType::UInt16: return at::bitwise_and(t.to(at::kInt), 0xFFFF);
        default: return t.scalar_type() == runtimeScalarType(dtype) ? t : t.to(runtimeScalarType(dtype));
    }
}

at::Tensor checkedIndices(const KernelContext& c, const at::Tensor& indices, int64_t size) {
    at::Tensor idx = indices.to(at::kLong);
    if (idx.numel() == 0) return idx;
    const int64_t lo = idx.min().item<int64_t>(), hi = idx.max().item<int64_t>();
    const int64_t lowest = c.target() >= mil::Target::iOS17 ? 0 : -size;
    if (lo < lowest || hi >= size)
        c.fail("index out of bounds: indices span [" + std::to_string(lo) + ", " + std::to_string(hi) +
               "] for a dimension of size " + std::to_string(size));
    return at::where(at::lt(idx, 0), at::add(idx, size), idx);
}

}  // namespace cms::runtime
