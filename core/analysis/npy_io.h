#pragma once
// Reading user data for accuracy checks: numpy .npy arrays and .npz archives (as numpy.savez
// writes them: uncompressed zip, zip64 sizes).
#include <map>
#include <string>

#include "common/tensor.h"

namespace cms::analysis {

// One array; little-endian or byte-order-free dtypes f2/f4/f8, i1/i2/i4/i8, u1, b1, C order.
// Throws cms::Error (Input) naming the file and what is unsupported.
Tensor readNpy(const std::string& path);
Tensor parseNpy(const std::string& bytes, const std::string& whatForErrors);
// Arrays by name (the member file name without ".npy").
std::map<std::string, Tensor> readNpz(const std::string& path);

}  // namespace cms::analysis
