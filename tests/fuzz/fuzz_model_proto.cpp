// The model protobuf (Data/com.apple.CoreML/model.mlmodel) read through readPackage, in a package whose other
// files are valid: a fixed manifest and a fixed weight file with blobs of several dtypes for BlobFileValues
// to point at (or past).
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "fuzz_support.h"
#include "package/manifest.h"
#include "package/package.h"
#include "package/weight_blob.h"

using namespace cms;
using namespace cms::package;
namespace fs = std::filesystem;

namespace {
struct ScratchPackage {
    std::string root, modelPath;
    ScratchPackage() {
        const char* tmp = std::getenv("TMPDIR");
        root = (fs::path(tmp && *tmp ? tmp : "/tmp") / ("cms-fuzz-" + std::to_string(::getpid()) + ".mlpackage")).string();
        const std::string data = root + "/Data/com.apple.CoreML";
        fs::create_directories(data + "/weights");
        Manifest m;
        m.setRootModel(m.addItem("model.mlmodel", "com.apple.CoreML", "model").identifier);
        m.addItem("weights", "com.apple.CoreML", "weights");
        std::ofstream(root + "/Manifest.json") << m.toJson();
        WeightBlobWriter w(data + "/weights/weight.bin");
        w.append(Tensor::fromFloats(std::vector<float>(72, 0.5f), {4, 2, 3, 3}, DType::Float16));
        w.append(Tensor::fromFloats(std::vector<float>(48, 0.25f), {3, 16}));
        w.append(Tensor::fromInts(std::vector<int64_t>(8, 3), {8}, DType::UInt8));
        w.append(Tensor::fromInts(std::vector<int64_t>(72, -2), {4, 18}, DType::Int8));
        w.finish();
        modelPath = data + "/model.mlmodel";
    }
    ~ScratchPackage() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const ScratchPackage package;
    std::ofstream(package.modelPath, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    fuzz::expectCleanResult([&] {
        const PackageContents c = readPackage(package.root);
        // Constants that were accepted must be readable in full.
        uint64_t checksum = 0;
        for (const auto& [name, f] : c.program.functions)
            for (const auto& op : f.body.ops)
                for (const auto* v : op->outputs)
                    if (v->constValue)
                        for (size_t i = 0; i < v->constValue->nbytes(); ++i) checksum += v->constValue->bytes()[i];
        (void)checksum;
    });
    return 0;
}
