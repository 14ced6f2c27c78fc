#include "common/dtype.h"

#include <algorithm>
#include <cctype>

namespace cms {

int dtypeBits(DType t) {
    switch (t) {
        case DType::Bool: return 8;
        case DType::Float16: case DType::BFloat16: case DType::Int16: case DType::UInt16: return 16;
        case DType::Float32: case DType::Int32: case DType::UInt32: return 32;
        case DType::Float64: case DType::Int64: case DType::UInt64: return 64;
        case DType::Int8: case DType::UInt8: return 8;
        case DType::Int4: case DType::UInt4: return 4;
        case DType::UInt1: return 1;
        case DType::UInt2: return 2;
        case DType::UInt3: return 3;
        case DType::UInt6: return 6;
        case DType::String: case DType::Invalid: return 0;
    }
    return 0;
}

bool isFloat(DType t) {
    return t == DType::Float16 || t == DType::Float32 || t == DType::Float64 || t == DType::BFloat16;
}

bool isInteger(DType t) {
    switch (t) {
        case DType::Int8: case DType::Int16: case DType::Int32: case DType::Int64: case DType::Int4:
        case DType::UInt8: case DType::UInt16: case DType::UInt32: case DType::UInt64:
        case DType::UInt4: case DType::UInt2: case DType::UInt1: case DType::UInt6: case DType::UInt3:
            return true;
        default: return false;
    }
}

bool isSigned(DType t) {
    switch (t) {
        case DType::Int8: case DType::Int16: case DType::Int32: case DType::Int64: case DType::Int4: return true;
        default: return isFloat(t);
    }
}

std::string dtypeName(DType t) {
    switch (t) {
        case DType::Bool: return "bool";
        case DType::String: return "string";
        case DType::Float16: return "fp16";
        case DType::Float32: return "fp32";
        case DType::Float64: return "fp64";
        case DType::BFloat16: return "bf16";
        case DType::Int8: return "int8";
        case DType::Int16: return "int16";
        case DType::Int32: return "int32";
        case DType::Int64: return "int64";
        case DType::Int4: return "int4";
        case DType::UInt8: return "uint8";
        case DType::UInt16: return "uint16";
        case DType::UInt32: return "uint32";
        case DType::UInt64: return "uint64";
        case DType::UInt4: return "uint4";
        case DType::UInt2: return "uint2";
        case DType::UInt1: return "uint1";
        case DType::UInt6: return "uint6";
        case DType::UInt3: return "uint3";
        case DType::Invalid: return "invalid";
    }
    return "invalid";
}

std::optional<DType> dtypeFromName(std::string_view name) {
    std::string n(name);
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "float16" || n == "half") return DType::Float16;
    if (n == "float32" || n == "float") return DType::Float32;
    if (n == "float64" || n == "double") return DType::Float64;
    if (n == "bfloat16") return DType::BFloat16;
    if (n == "int") return DType::Int32;
    for (int code : {1, 2, 10, 11, 12, 13, 21, 22, 23, 24, 25, 31, 32, 33, 34, 35, 36, 37, 38, 39}) {
        auto t = static_cast<DType>(code);
        if (dtypeName(t) == n) return t;
    }
    return std::nullopt;
}

}  // namespace cms
