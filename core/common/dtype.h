#pragma once
// Element types shared by the IR, the MIL program and the package format.
// The numeric values are Core ML's MIL DataType codes, so they can be written as-is.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cms {

enum class DType : int32_t {
    Invalid = 0,
    Bool = 1,
    String = 2,
    Float16 = 10,
    Float32 = 11,
    Float64 = 12,
    BFloat16 = 13,
    Int8 = 21,
    Int16 = 22,
    Int32 = 23,
    Int64 = 24,
    Int4 = 25,
    UInt8 = 31,
    UInt16 = 32,
    UInt32 = 33,
    UInt64 = 34,
    UInt4 = 35,
    UInt2 = 36,
    UInt1 = 37,
    UInt6 = 38,
    UInt3 = 39,
};

// Bits one element occupies (sub-byte types pack densely). 0 for String/Invalid.
int dtypeBits(DType t);
bool isFloat(DType t);
bool isInteger(DType t);  // signed or unsigned, any width (not Bool)
bool isSigned(DType t);
// Short lower-case name as MIL prints it: fp16, fp32, int32, uint4, bool ...
std::string dtypeName(DType t);
// Accepts MIL names (fp16, int8) and common aliases (float16, half, float, float32, int).
std::optional<DType> dtypeFromName(std::string_view name);

}  // namespace cms
