#include "compress/size_report.h"

#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <system_error>

#include <nlohmann/json.hpp>

#include "package/weight_blob.h"

namespace cms::compress {

namespace {

namespace fs = std::filesystem;

const char* const kWeightFile = "Data/com.apple.CoreML/weights/weight.bin";

bool isConstexpr(const mil::Operation* op) { return op->type.rfind("constexpr_", 0) == 0; }

// Ops of a block and its nested blocks, with a callback per op.
void forEachOp(const mil::Block& b, const std::function<void(const mil::Operation&)>& f) {
    for (const auto& op : b.ops) {
        f(*op);
        for (const auto& inner : op->blocks) forEachOp(*inner, f);
    }
}

}  // namespace

uint64_t diskBytes(const std::string& path) {
    std::error_code ec;
    if (path.empty() || !fs::exists(path, ec)) return 0;
    if (fs::is_regular_file(path, ec)) return fs::file_size(path, ec);
    uint64_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(path, ec))
        if (e.is_regular_file(ec)) n += e.file_size(ec);
    return n;
}

uint64_t SizeReport::bytesBefore() const {
    uint64_t n = 0;
    for (const auto& l : layers) n += l.bytesBefore;
    return n;
}

uint64_t SizeReport::bytesAfter() const {
    uint64_t n = 0;
    for (const auto& l : layers) n += l.bytesAfter;
    return n;
}

int64_t SizeReport::elements() const {
    int64_t n = 0;
    for (const auto& l : layers) n += l.elements;
    return n;
}

uint64_t denseWeightFileBytes(const mil::Program& program, int floatBytes, int64_t inlineElementLimit) {
    // Which values only constexpr ops read: the parameters of an encoding, gone when it is dense.
    std::map<const mil::Value*, bool> readByOrdinary;
    for (const auto& [name, fn] : program.functions) {
        forEachOp(fn.body, [&](const mil::Operation& op) {
            for (const auto& in : op.inputs)
                for (const mil::Value* v : in.values) readByOrdinary[v] = readByOrdinary[v] || !isConstexpr(&op);
        });
        for (const mil::Value* v : fn.body.outputs) readByOrdinary[v] = true;
    }
    // The weight file's layout: a header, then per blob a 64-byte record on a 64-byte boundary
    // followed by its data.
    uint64_t end = package::kBlobHeaderSize;
    size_t blobs = 0;
    const auto blob = [&](uint64_t bytes) {
        end = (end + package::kBlobAlignment - 1) / package::kBlobAlignment * package::kBlobAlignment;
        end += package::kBlobMetadataSize + bytes;
        ++blobs;
    };
    for (const auto& [name, fn] : program.functions)
        forEachOp(fn.body, [&](const mil::Operation& op) {
            if (op.type != "const" && !isConstexpr(&op)) return;
            for (const mil::Value* v : op.outputs) {
                if (!readByOrdinary[v] || !v->type.isStatic()) continue;
                const int64_t n = shapeNumel(v->type.shape);
                if (n <= inlineElementLimit) continue;
                if (isFloat(v->type.dtype)) blob(uint64_t(n) * uint64_t(floatBytes));
                else if (v->constValue) blob(v->constValue->nbytes());
            }
        });
    return blobs ? end : 0;
}

SizeReport buildSizeReport(const std::vector<WeightInfo>* before, const mil::Program& after,
                           const std::string& packagePath, uint64_t inputBytes) {
    SizeReport r;
    std::map<std::string, const WeightInfo*> earlier;
    if (before)
        for (const WeightInfo& w : *before) earlier.emplace(w.name, &w);
    for (const WeightInfo& w : listWeights(after, 10)) {
        LayerSize l;
        l.name = w.name;
        l.op = w.readers;
        l.shape = w.shape;
        l.dtype = w.dtype;
        l.elements = shapeNumel(w.shape);
        l.encodingAfter = w.encoding;
        l.bytesAfter = w.storedBytes;
        l.sparsity = w.sparsity;
        if (const auto it = earlier.find(w.name); it != earlier.end()) {
            l.encodingBefore = it->second->encoding;
            l.bytesBefore = it->second->storedBytes;
        } else {
            l.encodingBefore = "const";
            l.bytesBefore = uint64_t(l.elements) * uint64_t(dtypeBits(w.dtype) / 8);
        }
        if (l.encodingBefore == l.encodingAfter && l.bytesBefore == l.bytesAfter) {
            ++r.unchangedWeights;
            r.unchangedBytes += l.bytesAfter;
            continue;
        }
        r.layers.push_back(std::move(l));
    }
    r.package.compressedBytes = diskBytes(packagePath);
    r.package.inputBytes = inputBytes;
    const uint64_t written = diskBytes(packagePath.empty() ? std::string() : packagePath + "/" + kWeightFile);
    const uint64_t rest = r.package.compressedBytes >= written ? r.package.compressedBytes - written : 0;
    r.package.fp32Bytes = rest + denseWeightFileBytes(after, 4);
    r.package.fp16Bytes = rest + denseWeightFileBytes(after, 2);
    return r;
}

nlohmann::json sizeReportToJson(const SizeReport& r) {
    using nlohmann::json;
    json layers = json::array();
    for (const LayerSize& l : r.layers)
        layers.push_back({{"name", l.name},
                          {"op", l.op},
                          {"shape", l.shape},
                          {"dtype", dtypeName(l.dtype)},
                          {"elements", l.elements},
                          {"encodingBefore", l.encodingBefore},
                          {"encoding", l.encodingAfter},
                          {"bytesBefore", l.bytesBefore},
                          {"bytesAfter", l.bytesAfter},
                          {"bitsPerWeight", l.bitsPerWeight()},
                          {"ratio", l.ratio()},
                          {"sparsity", l.sparsity ? json(*l.sparsity) : json(nullptr)}});
    return {{"layers", layers},
            {"total",
             {{"weights", r.layers.size()},
              {"elements", r.elements()},
              {"bytesBefore", r.bytesBefore()},
              {"bytesAfter", r.bytesAfter()},
              {"bitsPerWeight", r.bitsPerWeight()},
              {"ratio", r.ratio()}}},
            {"unchanged", {{"weights", r.unchangedWeights}, {"bytes", r.unchangedBytes}}},
            {"package",
             {{"fp32Bytes", r.package.fp32Bytes},
              {"fp16Bytes", r.package.fp16Bytes},
              {"inputBytes", r.package.inputBytes},
              {"compressedBytes", r.package.compressedBytes}}}};
}

std::string readableBytes(uint64_t bytes) {
    const char* units[] = {"B", "KB", "MB", "GB"};
    double v = double(bytes);
    int u = 0;
    while (v >= 1000.0 && u < 3) v /= 1000.0, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
    return buf;
}

std::string sizeReportText(const SizeReport& r) {
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%-36s %-12s %-18s %10s %10s %6s %7s  %s\n", "weight", "op", "shape", "before",
                  "after", "bits", "ratio", "encoding");
    out += line;
    for (const LayerSize& l : r.layers) {
        std::snprintf(line, sizeof line, "%-36s %-12s %-18s %10s %10s %6.2f %6.2fx  %s\n", l.name.c_str(), l.op.c_str(),
                      shapeToString(l.shape).c_str(), readableBytes(l.bytesBefore).c_str(),
                      readableBytes(l.bytesAfter).c_str(), l.bitsPerWeight(), l.ratio(), l.encodingAfter.c_str());
        out += line;
    }
    std::snprintf(line, sizeof line, "%-36s %-12s %-18s %10s %10s %6.2f %6.2fx\n",
                  ("total (" + std::to_string(r.layers.size()) + " weights)").c_str(), "", "",
                  readableBytes(r.bytesBefore()).c_str(), readableBytes(r.bytesAfter()).c_str(), r.bitsPerWeight(),
                  r.ratio());
    out += line;
    if (r.unchangedWeights) {
        std::snprintf(line, sizeof line, "%zu weights left as they were (%s)\n", r.unchangedWeights,
                      readableBytes(r.unchangedBytes).c_str());
        out += line;
    }
    std::snprintf(line, sizeof line, "Package size: fp32 %s -> fp16 %s -> compressed %s", readableBytes(r.package.fp32Bytes).c_str(),
                  readableBytes(r.package.fp16Bytes).c_str(), readableBytes(r.package.compressedBytes).c_str());
    out += line;
    if (r.package.inputBytes) out += " (input package " + readableBytes(r.package.inputBytes) + ")";
    out += "\n";
    return out;
}

}  // namespace cms::compress
