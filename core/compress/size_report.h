#pragma once
// The size report of a compression: per weight and in total, the bytes stored before and after,
// bits per weight and the ratio, and the package's on-disk size progression (every weight dense in
// fp32, dense in fp16, then as written), as JSON and text. Computed from the programs and the
// written package, so the CLI and the studio show the same figures.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/tensor.h"
#include "compress/weights_listing.h"
#include "mil/program.h"

namespace cms::compress {

struct LayerSize {
    std::string name;            // the weight's value name
    std::string op;              // op types reading it
    Shape shape;
    DType dtype = DType::Float32;  // of the decoded weight
    int64_t elements = 0;
    std::string encodingBefore;  // "const" or the constexpr chain
    std::string encodingAfter;
    uint64_t bytesBefore = 0;    // every constant the encoding stores
    uint64_t bytesAfter = 0;
    std::optional<double> sparsity;  // fraction of zeros after
    double bitsPerWeight() const { return elements ? 8.0 * double(bytesAfter) / double(elements) : 0.0; }
    double ratio() const { return bytesAfter ? double(bytesBefore) / double(bytesAfter) : 0.0; }
};

struct PackageSizes {
    // The package with every weight stored dense in fp32 / fp16 (computed from the program: the
    // weight file's layout plus the rest of the package as written).
    uint64_t fp32Bytes = 0;
    uint64_t fp16Bytes = 0;
    uint64_t inputBytes = 0;       // the package compressed, measured on disk (0: converted from a model)
    uint64_t compressedBytes = 0;  // the package written, measured on disk
};

struct SizeReport {
    std::vector<LayerSize> layers;  // weights whose stored form changed, in program order
    size_t unchangedWeights = 0;    // weights (over 10 elements) left as they were
    uint64_t unchangedBytes = 0;
    PackageSizes package;
    uint64_t bytesBefore() const;
    uint64_t bytesAfter() const;
    int64_t elements() const;
    double bitsPerWeight() const { return elements() ? 8.0 * double(bytesAfter()) / double(elements()) : 0.0; }
    double ratio() const { return bytesAfter() ? double(bytesBefore()) / double(bytesAfter()) : 0.0; }
};

// `after` is the program written to `packagePath`. `before` lists the weights of the program it was
// compressed from (listWeights(program, 10); null: every weight was a dense constant of its dtype,
// as after a conversion). `inputBytes` is the compressed package's size on disk (0: none).
SizeReport buildSizeReport(const std::vector<WeightInfo>* before, const mil::Program& after,
                           const std::string& packagePath, uint64_t inputBytes = 0);
// Bytes of a file, or of every file in a folder; 0 when it does not exist.
uint64_t diskBytes(const std::string& path);

// Bytes of the weight file holding `program`'s weights (constants over the inline limit), every
// floating-point weight, compressed or not, stored dense with `floatBytes` per element.
uint64_t denseWeightFileBytes(const mil::Program& program, int floatBytes, int64_t inlineElementLimit = 10);

nlohmann::json sizeReportToJson(const SizeReport& report);
std::string sizeReportText(const SizeReport& report);
// "12.3 MB": sizes as people read them.
std::string readableBytes(uint64_t bytes);

}  // namespace cms::compress
