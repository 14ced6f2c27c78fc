#pragma once
// A dense, immutable n-d array of one dtype: weights, constants and interpreter values.
// Storage is shared and may be borrowed from its producer (e.g. a libtorch tensor kept alive
// through `owner`) so large weights are never copied on the way to the writer.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/dtype.h"

namespace cms {

using Shape = std::vector<int64_t>;
int64_t shapeNumel(const Shape& s);
std::string shapeToString(const Shape& s);  // "1x3x224x224", "scalar" for rank 0

class Tensor {
public:
    Tensor() = default;
    // Adopts `bytes`; its size must equal the packed size of dtype x shape.
    Tensor(DType dtype, Shape shape, std::vector<uint8_t> bytes);
    // Borrows `size` bytes at `data`, kept alive by `owner`.
    Tensor(DType dtype, Shape shape, std::shared_ptr<const void> owner, const uint8_t* data, size_t size);

    static Tensor zeros(DType dtype, Shape shape);
    static Tensor fromFloats(const std::vector<float>& v, Shape shape, DType dtype = DType::Float32);
    static Tensor fromInts(const std::vector<int64_t>& v, Shape shape, DType dtype = DType::Int32);
    static Tensor fromBools(const std::vector<bool>& v, Shape shape);
    static Tensor scalarFloat(float v, DType dtype = DType::Float32) { return fromFloats({v}, {}, dtype); }
    static Tensor scalarInt(int64_t v, DType dtype = DType::Int32) { return fromInts({v}, {}, dtype); }
    static Tensor scalarBool(bool v) { return fromBools({v}, {}); }
    static Tensor string(const std::string& s);  // rank-0 string (MIL op names, pad modes ...)

    bool defined() const { return dtype_ != DType::Invalid; }
    DType dtype() const { return dtype_; }
    const Shape& shape() const { return shape_; }
    int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
    int64_t numel() const { return shapeNumel(shape_); }
    size_t nbytes() const { return size_; }
    const uint8_t* bytes() const { return data_; }
    template <class T> const T* data() const { return reinterpret_cast<const T*>(data_); }
    const std::string& stringValue() const { return str_; }

    // Element-wise conversions for numeric dtypes (fp16/bf16 decoded, sub-byte unpacked).
    std::vector<float> toFloats() const;
    std::vector<double> toDoubles() const;
    std::vector<int64_t> toInts() const;
    double scalarAsDouble() const;  // first element
    int64_t scalarAsInt() const;
    Tensor castTo(DType dtype) const;
    Tensor reshaped(Shape shape) const;  // same storage, new shape of equal numel
    bool equals(const Tensor& other) const;  // dtype, shape and bytes

private:
    DType dtype_ = DType::Invalid;
    Shape shape_;
    std::shared_ptr<const void> owner_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
    std::string str_;
};

// Packed byte size of `numel` elements of `dtype` (sub-byte types round up to whole bytes).
size_t packedByteSize(DType dtype, int64_t numel);

}  // namespace cms
