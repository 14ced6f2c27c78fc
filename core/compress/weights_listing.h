#pragma once
// What a program stores as weights, like coremltools' get_weights_metadata: every constant of at
// least a minimum size and every compressed (constexpr) weight, with its stored bytes, bit width
// and sparsity, decoded back to dense where that is needed.
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"
#include "mil/program.h"

namespace cms::compress {

struct WeightInfo {
    std::string name;      // the value ops read
    std::string readers;   // op types reading it, comma-separated ("conv", "linear" ...)
    std::string encoding;  // "const", the constexpr op, or a chain ("constexpr_lut_to_sparse+constexpr_sparse_to_dense")
    Shape shape;
    DType dtype = DType::Float32;  // of the decoded weight
    uint64_t storedBytes = 0;      // every constant the encoding holds
    int bits = 0;                  // bits per stored element: dtype width, quantized width or index width
    std::optional<double> sparsity;  // fraction of zeros in the decoded weight (unknown for encodings not decoded here)
};

// Weights of the main function with more than `minElements` elements, in program order.
std::vector<WeightInfo> listWeights(const mil::Program& program, int64_t minElements = 2048);

// The dense fp32 values of a constexpr op whose inputs are constants (affine_dequantize,
// blockwise_shift_scale, lut_to_dense, sparse_to_dense in their iOS16 and iOS18 forms); nullopt
// for other forms.
std::optional<std::vector<float>> decodeConstexpr(const mil::Operation& op);

}  // namespace cms::compress
