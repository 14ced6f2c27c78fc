#include "common/tensor.h"

#include <cstring>
#include <functional>
#include <type_traits>
#include <sstream>
#include <stdexcept>

#include "common/half.h"

namespace cms {

int64_t shapeNumel(const Shape& s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
}

std::string shapeToString(const Shape& s) {
    if (s.empty()) return "scalar";
    std::ostringstream os;
    for (size_t i = 0; i < s.size(); ++i) {
        if (i) os << 'x';
        if (s[i] < 0) os << '?'; else os << s[i];
    }
    return os.str();
}

size_t packedByteSize(DType dtype, int64_t numel) {
    const int bits = dtypeBits(dtype);
    return static_cast<size_t>((numel * bits + 7) / 8);
}

namespace {

std::shared_ptr<const void> adopt(std::vector<uint8_t>&& bytes, const uint8_t*& data) {
    auto holder = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
    data = holder->data();
    return holder;
}

uint16_t floatToBf16(float f) {
    uint32_t x;
    std::memcpy(&x, &f, 4);
    const uint32_t lsb = (x >> 16) & 1u;
    return static_cast<uint16_t>((x + 0x7fffu + lsb) >> 16);
}

float bf16ToFloat(uint16_t h) {
    uint32_t x = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &x, 4);
    return f;
}

// Reads element i of a packed sub-byte array, least significant bits first (Core ML's order).
uint32_t readBits(const uint8_t* p, int64_t i, int bits) {
    uint64_t bitpos = static_cast<uint64_t>(i) * bits;
    uint32_t v = 0;
    for (int b = 0; b < bits; ++b, ++bitpos) v |= ((p[bitpos >> 3] >> (bitpos & 7)) & 1u) << b;
    return v;
}

template <class F>
void forEachDouble(const Tensor& t, F&& f) {
    const int64_t n = t.numel();
    const uint8_t* p = t.bytes();
    switch (t.dtype()) {
        case DType::Bool: for (int64_t i = 0; i < n; ++i) f(i, p[i] ? 1.0 : 0.0); break;
        case DType::Float16: for (int64_t i = 0; i < n; ++i) f(i, halfToFloat(t.data<uint16_t>()[i])); break;
        case DType::BFloat16: for (int64_t i = 0; i < n; ++i) f(i, bf16ToFloat(t.data<uint16_t>()[i])); break;
        case DType::Float32: for (int64_t i = 0; i < n; ++i) f(i, t.data<float>()[i]); break;
        case DType::Float64: for (int64_t i = 0; i < n; ++i) f(i, t.data<double>()[i]); break;
        case DType::Int8: for (int64_t i = 0; i < n; ++i) f(i, t.data<int8_t>()[i]); break;
        case DType::Int16: for (int64_t i = 0; i < n; ++i) f(i, t.data<int16_t>()[i]); break;
        case DType::Int32: for (int64_t i = 0; i < n; ++i) f(i, t.data<int32_t>()[i]); break;
        case DType::Int64: for (int64_t i = 0; i < n; ++i) f(i, static_cast<double>(t.data<int64_t>()[i])); break;
        case DType::UInt8: for (int64_t i = 0; i < n; ++i) f(i, p[i]); break;
        case DType::UInt16: for (int64_t i = 0; i < n; ++i) f(i, t.data<uint16_t>()[i]); break;
        case DType::UInt32: for (int64_t i = 0; i < n; ++i) f(i, t.data<uint32_t>()[i]); break;
        case DType::UInt64: for (int64_t i = 0; i < n; ++i) f(i, static_cast<double>(t.data<uint64_t>()[i])); break;
        case DType::Int4:
            for (int64_t i = 0; i < n; ++i) {
                int v = static_cast<int>(readBits(p, i, 4));
                f(i, v >= 8 ? v - 16 : v);
            }
            break;
        case DType::UInt1: case DType::UInt2: case DType::UInt3: case DType::UInt4: case DType::UInt6: {
            const int bits = dtypeBits(t.dtype());
            for (int64_t i = 0; i < n; ++i) f(i, readBits(p, i, bits));
            break;
        }
        default: throw std::logic_error("tensor of dtype " + dtypeName(t.dtype()) + " is not numeric");
    }
}

// Writes doubles into a freshly allocated buffer of `dtype`.
std::vector<uint8_t> encode(DType dtype, int64_t n, const std::function<double(int64_t)>& get) {
    std::vector<uint8_t> out(packedByteSize(dtype, n), 0);
    uint8_t* p = out.data();
    auto put = [&](auto* typed) {
        using T = std::remove_pointer_t<decltype(typed)>;
        for (int64_t i = 0; i < n; ++i) typed[i] = static_cast<T>(get(i));
    };
    switch (dtype) {
        case DType::Bool: for (int64_t i = 0; i < n; ++i) p[i] = get(i) != 0.0; break;
        case DType::Float16: for (int64_t i = 0; i < n; ++i) reinterpret_cast<uint16_t*>(p)[i] = floatToHalf(static_cast<float>(get(i))); break;
        case DType::BFloat16: for (int64_t i = 0; i < n; ++i) reinterpret_cast<uint16_t*>(p)[i] = floatToBf16(static_cast<float>(get(i))); break;
        case DType::Float32: put(reinterpret_cast<float*>(p)); break;
        case DType::Float64: put(reinterpret_cast<double*>(p)); break;
        case DType::Int8: put(reinterpret_cast<int8_t*>(p)); break;
        case DType::Int16: put(reinterpret_cast<int16_t*>(p)); break;
        case DType::Int32: put(reinterpret_cast<int32_t*>(p)); break;
        case DType::Int64: put(reinterpret_cast<int64_t*>(p)); break;
        case DType::UInt8: put(reinterpret_cast<uint8_t*>(p)); break;
        case DType::UInt16: put(reinterpret_cast<uint16_t*>(p)); break;
        case DType::UInt32: put(reinterpret_cast<uint32_t*>(p)); break;
        case DType::UInt64: put(reinterpret_cast<uint64_t*>(p)); break;
        case DType::Int4: case DType::UInt1: case DType::UInt2: case DType::UInt3: case DType::UInt4: case DType::UInt6: {
            // Least significant bits first, element after element: whole bytes leave an accumulator
            // (packing palette indices of large weights bit by bit was the slowest step of compression).
            const int bits = dtypeBits(dtype);
            const uint64_t mask = (uint64_t(1) << bits) - 1u;
            uint64_t pending = 0;
            int pendingBits = 0;
            for (int64_t i = 0; i < n; ++i) {
                pending |= (static_cast<uint64_t>(static_cast<int64_t>(get(i))) & mask) << pendingBits;
                pendingBits += bits;
                while (pendingBits >= 8) {
                    *p++ = static_cast<uint8_t>(pending);
                    pending >>= 8;
                    pendingBits -= 8;
                }
            }
            if (pendingBits > 0) *p = static_cast<uint8_t>(pending);
            break;
        }
        default: throw std::logic_error("cannot encode dtype " + dtypeName(dtype));
    }
    return out;
}

}  // namespace

Tensor::Tensor(DType dtype, Shape shape, std::vector<uint8_t> bytes) : dtype_(dtype), shape_(std::move(shape)) {
    for (int64_t d : shape_)
        if (d < 0) throw std::invalid_argument("tensor shape " + shapeToString(shape_) + " has a negative dimension");
    const size_t expected = packedByteSize(dtype_, shapeNumel(shape_));
    if (bytes.size() != expected)
        throw std::invalid_argument("tensor of " + dtypeName(dtype) + " " + shapeToString(shape_) + " needs " +
                                    std::to_string(expected) + " bytes, got " + std::to_string(bytes.size()));
    size_ = bytes.size();
    owner_ = adopt(std::move(bytes), data_);
}

Tensor::Tensor(DType dtype, Shape shape, std::shared_ptr<const void> owner, const uint8_t* data, size_t size)
    : dtype_(dtype), shape_(std::move(shape)), owner_(std::move(owner)), data_(data), size_(size) {
    if (size_ != packedByteSize(dtype_, shapeNumel(shape_)))
        throw std::invalid_argument("borrowed tensor storage does not match its shape " + shapeToString(shape_));
}

Tensor Tensor::zeros(DType dtype, Shape shape) {
    const size_t n = packedByteSize(dtype, shapeNumel(shape));
    return Tensor(dtype, std::move(shape), std::vector<uint8_t>(n, 0));
}

Tensor Tensor::fromFloats(const std::vector<float>& v, Shape shape, DType dtype) {
    if (static_cast<int64_t>(v.size()) != shapeNumel(shape)) throw std::invalid_argument("fromFloats: size does not match shape");
    return Tensor(dtype, std::move(shape), encode(dtype, static_cast<int64_t>(v.size()), [&](int64_t i) { return v[i]; }));
}

Tensor Tensor::fromInts(const std::vector<int64_t>& v, Shape shape, DType dtype) {
    if (static_cast<int64_t>(v.size()) != shapeNumel(shape)) throw std::invalid_argument("fromInts: size does not match shape");
    return Tensor(dtype, std::move(shape), encode(dtype, static_cast<int64_t>(v.size()), [&](int64_t i) { return static_cast<double>(v[i]); }));
}

Tensor Tensor::fromBools(const std::vector<bool>& v, Shape shape) {
    if (static_cast<int64_t>(v.size()) != shapeNumel(shape)) throw std::invalid_argument("fromBools: size does not match shape");
    std::vector<uint8_t> b(v.size());
    for (size_t i = 0; i < v.size(); ++i) b[i] = v[i] ? 1 : 0;
    return Tensor(DType::Bool, std::move(shape), std::move(b));
}

Tensor Tensor::string(const std::string& s) {
    Tensor t;
    t.dtype_ = DType::String;
    t.str_ = s;
    return t;
}

std::vector<float> Tensor::toFloats() const {
    if (dtype_ == DType::Float32) return std::vector<float>(data<float>(), data<float>() + numel());
    std::vector<float> out(static_cast<size_t>(numel()));
    forEachDouble(*this, [&](int64_t i, double v) { out[i] = static_cast<float>(v); });
    return out;
}

std::vector<double> Tensor::toDoubles() const {
    std::vector<double> out(static_cast<size_t>(numel()));
    forEachDouble(*this, [&](int64_t i, double v) { out[i] = v; });
    return out;
}

std::vector<int64_t> Tensor::toInts() const {
    std::vector<int64_t> out(static_cast<size_t>(numel()));
    if (dtype_ == DType::Int64) {
        std::memcpy(out.data(), data_, size_);
        return out;
    }
    forEachDouble(*this, [&](int64_t i, double v) { out[i] = static_cast<int64_t>(v); });
    return out;
}

double Tensor::scalarAsDouble() const {
    if (numel() < 1) throw std::logic_error("empty tensor has no scalar value");
    double r = 0;
    Tensor first = reshaped(Shape{numel()});
    forEachDouble(first, [&](int64_t i, double v) { if (i == 0) r = v; });
    return r;
}

int64_t Tensor::scalarAsInt() const {
    if (dtype_ == DType::Int64 && numel() > 0) return data<int64_t>()[0];
    return static_cast<int64_t>(scalarAsDouble());
}

Tensor Tensor::castTo(DType dtype) const {
    if (dtype == dtype_) return *this;
    const std::vector<double> v = toDoubles();
    return Tensor(dtype, shape_, encode(dtype, numel(), [&](int64_t i) { return v[i]; }));
}

Tensor Tensor::reshaped(Shape shape) const {
    if (shapeNumel(shape) != numel())
        throw std::invalid_argument("cannot reshape " + shapeToString(shape_) + " to " + shapeToString(shape));
    Tensor t = *this;
    t.shape_ = std::move(shape);
    return t;
}

bool Tensor::equals(const Tensor& o) const {
    if (dtype_ != o.dtype_ || shape_ != o.shape_) return false;
    if (dtype_ == DType::String) return str_ == o.str_;
    return size_ == o.size_ && (size_ == 0 || std::memcmp(data_, o.data_, size_) == 0);
}

}  // namespace cms
