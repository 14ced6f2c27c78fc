// `coreml-cli weights PKG`: the package's weights (plain and compressed), like coremltools'
// get_weights_metadata, as a table or JSON.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "compress/weights_listing.h"
#include "package/package.h"

namespace cms::cli {

CLI::App* addWeightsCommand(CLI::App& app, WeightsOptions& o) {
    CLI::App* c = app.add_subcommand("weights", "List a package's weights: name, readers, shape, dtype, stored size, "
                                                "sparsity and bits per element");
    c->add_option("PACKAGE", o.package, "The .mlpackage to read")->required();
    c->add_option("--min-size", o.minElements, "List weights with more elements than this (default 2048, as coremltools)");
    c->add_flag("--json", o.json, "Print JSON instead of a table");
    return c;
}

int runWeights(const WeightsOptions& o) {
    const package::PackageContents contents = package::readPackage(o.package);
    const std::vector<compress::WeightInfo> weights = compress::listWeights(contents.program, o.minElements);
    if (o.json) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& w : weights) {
            nlohmann::json j = {{"name", w.name},       {"op", w.readers},   {"encoding", w.encoding},
                                {"shape", w.shape},     {"dtype", dtypeName(w.dtype)}, {"bytes", w.storedBytes},
                                {"bits", w.bits}};
            j["sparsity"] = w.sparsity ? nlohmann::json(*w.sparsity) : nlohmann::json(nullptr);
            list.push_back(j);
        }
        std::printf("%s\n", list.dump(2).c_str());
        return 0;
    }
    uint64_t total = 0;
    std::printf("%-40s %-14s %-18s %-6s %10s %8s %4s  %s\n", "name", "op", "shape", "dtype", "size", "sparsity", "bits",
                "encoding");
    for (const auto& w : weights) {
        total += w.storedBytes;
        const std::string sparsity = w.sparsity ? std::to_string(*w.sparsity).substr(0, 5) : "-";
        std::printf("%-40s %-14s %-18s %-6s %10s %8s %4d  %s\n", w.name.c_str(), w.readers.c_str(),
                    shapeToString(w.shape).c_str(), dtypeName(w.dtype).c_str(), humanBytes(w.storedBytes).c_str(),
                    sparsity.c_str(), w.bits, w.encoding.c_str());
    }
    std::printf("%zu weights, %s stored\n", weights.size(), humanBytes(total).c_str());
    return 0;
}

}  // namespace cms::cli
