#include "analysis/cost_model.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <map>

#include "common/error.h"
#include "common/resource_path.h"

namespace cms::analysis {

std::string deviceName(Device d) {
    switch (d) {
        case Device::NeuralEngine:
            return "Neural Engine";
        case Device::Gpu:
            return "GPU";
        case Device::Cpu:
            return "CPU";
    }
    return "?";
}

std::string deviceCode(Device d) {
    switch (d) {
        case Device::NeuralEngine:
            return "ne";
        case Device::Gpu:
            return "gpu";
        case Device::Cpu:
            return "cpu";
    }
    return "?";
}

namespace {

// "M2-Ultra", "m2ultra", "M2_ULTRA" -> "m2ultra".
std::string foldChipId(const std::string& id) {
    std::string out;
    for (char c : id)
        if (std::isalnum(static_cast<unsigned char>(c)))
            out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return out;
}

double number(const YAML::Node& n, const char* key, const std::string& where) {
    if (!n || !n[key]) throw YAML::Exception(n ? n.Mark() : YAML::Mark::null_mark(), where + ": missing '" + key + "'");
    return n[key].as<double>();
}

// Elements of a shape, dimensions only known at run time counted as 1.
double elements(const mil::TensorType& t, bool& known) {
    double n = 1;
    for (int64_t d : t.shape) {
        if (d == mil::kUnknownDim)
            known = false;
        else
            n *= static_cast<double>(d);
    }
    return n;
}

double bytesOf(const mil::TensorType& t, bool& known) {
    const int bits = dtypeBits(t.dtype);
    return elements(t, known) * (bits > 0 ? bits : 8) / 8.0;
}

bool isWeight(const mil::Value* v) {
    if (v->isConst()) return isFloat(v->type.dtype);
    return v->producer && v->producer->type.rfind("constexpr_", 0) == 0;
}

// Integer, boolean and string constants are attributes (strides, axes, pad modes): compiled into the op.
bool isAttribute(const mil::Value* v) { return v->isConst() && !isFloat(v->type.dtype); }

int64_t dimOr1(const mil::TensorType& t, int64_t axis) {
    if (axis < 0) axis += t.rank();
    if (axis < 0 || axis >= t.rank() || t.shape[static_cast<size_t>(axis)] == mil::kUnknownDim) return 1;
    return t.shape[static_cast<size_t>(axis)];
}

// Multiply-accumulates count as two FLOPs throughout.
double opFlops(const mil::Operation& op, bool& known) {
    const std::string& t = op.type;
    const mil::Value* out = op.output();
    const double outElems = out ? elements(out->type, known) : 0;
    auto in = [&](const char* name) { return op.input(name); };
    auto biasFlops = [&] { return op.hasInput("bias") ? outElems : 0.0; };

    if (t == "conv") {
        const mil::Value* w = in("weight");
        if (!w || w->type.rank() < 1) return outElems;
        const double perOut = elements(w->type, known) / static_cast<double>(dimOr1(w->type, 0));
        return 2 * outElems * perOut + biasFlops();
    }
    if (t == "conv_transpose") {
        const mil::Value* w = in("weight");
        const mil::Value* x = in("x");
        if (!w || !x || w->type.rank() < 1) return outElems;
        const double perIn = elements(w->type, known) / static_cast<double>(dimOr1(w->type, 0));
        return 2 * elements(x->type, known) * perIn + biasFlops();
    }
    if (t == "linear") {
        const mil::Value* w = in("weight");
        return 2 * outElems * static_cast<double>(w ? dimOr1(w->type, -1) : 1) + biasFlops();
    }
    if (t == "matmul") {
        const mil::Value* x = in("x");
        if (!x) return outElems;
        bool transposeX = false;
        if (const mil::Value* tx = in("transpose_x"); tx && tx->isConst())
            transposeX = tx->constValue->scalarAsInt() != 0;
        const int64_t k = x->type.rank() == 1 ? dimOr1(x->type, 0) : dimOr1(x->type, transposeX ? -2 : -1);
        return 2 * outElems * static_cast<double>(k);
    }
    if (t == "scaled_dot_product_attention") {
        const mil::Value* q = in("query");
        const mil::Value* k = in("key");
        if (!q || !k) return outElems;
        const double scores = elements(q->type, known) / static_cast<double>(dimOr1(q->type, -1)) *
                              static_cast<double>(dimOr1(k->type, -2));
        // QK^T, softmax (about 5 per score), and the weighted sum of V.
        return 2 * scores * static_cast<double>(dimOr1(q->type, -1)) + 5 * scores +
               2 * scores * static_cast<double>(dimOr1(out->type, -1));
    }
    if (t == "einsum") {
        // Every distinct index letter multiplies the work once: 2 x the product of all index sizes.
        const mil::Value* eq = in("equation");
        const std::vector<mil::Value*>* values = op.inputList("values");
        if (!eq || !eq->isConst() || !values) return outElems;
        const std::string s = eq->constValue->stringValue();
        std::map<char, int64_t> sizes;
        size_t operand = 0, axis = 0;
        for (char c : s.substr(0, s.find("->"))) {
            if (c == ',') {
                ++operand;
                axis = 0;
                continue;
            }
            if (!std::isalpha(static_cast<unsigned char>(c)) || operand >= values->size()) continue;
            sizes[c] = std::max(sizes[c], dimOr1((*values)[operand]->type, static_cast<int64_t>(axis++)));
        }
        double product = 1;
        for (const auto& [c, n] : sizes) product *= static_cast<double>(n);
        return 2 * product;
    }
    if (t == "lstm" || t == "gru" || t == "rnn") {
        const mil::Value* x = in("x");
        const mil::Value* wih = in("weight_ih");
        const mil::Value* whh = in("weight_hh");
        if (!x || !wih || !whh) return outElems;
        const double steps = static_cast<double>(dimOr1(x->type, 0)) * static_cast<double>(dimOr1(x->type, 1));
        const double perStep = 2 * (elements(wih->type, known) + elements(whh->type, known)) +
                               10 * static_cast<double>(dimOr1(whh->type, -1));
        return steps * perStep * (op.hasInput("weight_ih_back") ? 2 : 1);
    }
    if (t == "avg_pool" || t == "max_pool" || t == "l2_pool") {
        double window = 1;
        if (const mil::Value* k = in("kernel_sizes"); k && k->isConst())
            for (int64_t v : k->constValue->toInts()) window *= static_cast<double>(v);
        return outElems * window;
    }
    if (t == "batch_norm") return 2 * outElems;
    if (t == "layer_norm" || t == "instance_norm" || t == "l2_norm" || t == "local_response_norm" || t == "softmax")
        return 5 * outElems;
    if (t.rfind("reduce_", 0) == 0) {
        const mil::Value* x = in("x");
        return x ? elements(x->type, known) : outElems;
    }
    if (t == "upsample_bilinear" || t == "resize_bilinear" || t == "resample") return 4 * outElems;
    // Layout, copies and indexing move data without arithmetic.
    static const char* const kDataMovement[] = {"reshape",
                                                "transpose",
                                                "concat",
                                                "split",
                                                "slice_by_index",
                                                "slice_by_size",
                                                "expand_dims",
                                                "squeeze",
                                                "tile",
                                                "pad",
                                                "identity",
                                                "cast",
                                                "gather",
                                                "gather_along_axis",
                                                "gather_nd",
                                                "scatter",
                                                "scatter_along_axis",
                                                "scatter_nd",
                                                "stack",
                                                "reverse",
                                                "depth_to_space",
                                                "space_to_depth",
                                                "pixel_shuffle",
                                                "slice_update",
                                                "upsample_nearest_neighbor",
                                                "fill",
                                                "fill_like",
                                                "shape",
                                                "band_part"};
    for (const char* name : kDataMovement)
        if (t == name) return 0;
    return outElems;  // elementwise ops and activations: one operation per output element
}

}  // namespace

double rooflineSeconds(double flops, double bytes, double flopsPerSecond, double bytesPerSecond) {
    const double compute = flopsPerSecond > 0 ? flops / flopsPerSecond : 0;
    const double memory = bytesPerSecond > 0 ? bytes / bytesPerSecond : 0;
    return std::max(compute, memory);
}

double storedWeightBytes(const mil::Value& v) {
    if (v.isConst()) return static_cast<double>(packedByteSize(v.constValue->dtype(), v.constValue->numel()));
    // A load-time decompression (constexpr_*): what moves is what the package stores.
    double bytes = 0;
    if (v.producer && v.producer->type.rfind("constexpr_", 0) == 0)
        for (const mil::OpInput& in : v.producer->inputs)
            for (const mil::Value* x : in.values) bytes += storedWeightBytes(*x);
    return bytes;
}

double OpCost::intensity() const {
    const double bytes = weightBytes + activationBytes;
    return bytes > 0 ? flops / bytes : 0;
}

OpCost estimateOpCost(const mil::Operation& op, const ChipProfile& chip) {
    OpCost c;
    bool known = true;
    c.flops = opFlops(op, known);
    // Per device: weights and activations at the element size the device moves them in.
    double neBytes = 0;
    for (const mil::OpInput& in : op.inputs)
        for (const mil::Value* v : in.values) {
            if (isAttribute(v)) continue;
            if (isWeight(v)) {
                const double stored = storedWeightBytes(*v);
                c.weightBytes += stored;
                // Weights that are decompressed at load time are fp16 on the NE; fp32 ones are converted.
                neBytes += v->type.dtype == DType::Float32 && v->isConst() ? stored / 2 : stored;
                continue;
            }
            const double bytes = bytesOf(v->type, known);
            c.activationBytes += bytes;
            neBytes += isFloat(v->type.dtype) && dtypeBits(v->type.dtype) > 16 ? bytes / 2 : bytes;
        }
    for (const mil::Value* v : op.outputs) {
        const double bytes = bytesOf(v->type, known);
        c.activationBytes += bytes;
        neBytes += isFloat(v->type.dtype) && dtypeBits(v->type.dtype) > 16 ? bytes / 2 : bytes;
    }
    c.shapesKnown = known;

    bool anyFp32 = false;
    for (const mil::Value* v : op.outputs) anyFp32 = anyFp32 || v->type.dtype == DType::Float32;
    const double bytes = c.weightBytes + c.activationBytes;
    const DevicePeak& ne = chip.peak(Device::NeuralEngine);
    const DevicePeak& gpu = chip.peak(Device::Gpu);
    const DevicePeak& cpu = chip.peak(Device::Cpu);
    c.seconds[static_cast<size_t>(Device::NeuralEngine)] =
        rooflineSeconds(c.flops, neBytes, ne.flopsPerSecondFp16, ne.bytesPerSecond);
    c.seconds[static_cast<size_t>(Device::Gpu)] =
        rooflineSeconds(c.flops, bytes, anyFp32 ? gpu.flopsPerSecondFp32 : gpu.flopsPerSecondFp16, gpu.bytesPerSecond);
    // The CPU computes in fp32 whatever the storage type.
    c.seconds[static_cast<size_t>(Device::Cpu)] =
        rooflineSeconds(c.flops, bytes, cpu.flopsPerSecondFp32, cpu.bytesPerSecond);
    return c;
}

ChipLibrary ChipLibrary::load(const std::string& path) {
    ChipLibrary lib;
    try {
        const YAML::Node root = YAML::LoadFile(path);
        // Decoding's reached share of the bandwidth: one measured figure for every chip unless a chip has its own.
        const YAML::Node decode = root["decode"];
        const double decodeShare = decode ? number(decode, "bandwidthShare", "decode") : 1.0;
        const std::string decodeSource = decode && decode["source"] ? decode["source"].as<std::string>() : "";
        for (const YAML::Node& n : root["chips"]) {
            ChipProfile c;
            c.id = n["id"].as<std::string>();
            c.name = n["name"].as<std::string>();
            c.source = n["source"] ? n["source"].as<std::string>() : "";
            c.memoryBandwidth = number(n, "memoryBandwidthGBs", c.id) * 1e9;
            const YAML::Node ne = n["neuralEngine"];
            c.neQuotedOps = number(ne, "tops", c.id + ".neuralEngine") * 1e12;
            c.neFp16Scale = ne["fp16Scale"] ? ne["fp16Scale"].as<double>() : 1.0;
            DevicePeak& nePeak = c.peaks[static_cast<size_t>(Device::NeuralEngine)];
            nePeak.flopsPerSecondFp16 = c.neQuotedOps * c.neFp16Scale;
            nePeak.flopsPerSecondFp32 = 0;  // the Neural Engine has no fp32 arithmetic
            nePeak.bytesPerSecond = c.memoryBandwidth;
            DevicePeak& gpuPeak = c.peaks[static_cast<size_t>(Device::Gpu)];
            gpuPeak.flopsPerSecondFp32 = number(n["gpu"], "tflopsFp32", c.id + ".gpu") * 1e12;
            gpuPeak.flopsPerSecondFp16 = number(n["gpu"], "tflopsFp16", c.id + ".gpu") * 1e12;
            gpuPeak.bytesPerSecond = c.memoryBandwidth;
            DevicePeak& cpuPeak = c.peaks[static_cast<size_t>(Device::Cpu)];
            cpuPeak.flopsPerSecondFp32 = number(n["cpu"], "gflopsFp32", c.id + ".cpu") * 1e9;
            cpuPeak.flopsPerSecondFp16 = cpuPeak.flopsPerSecondFp32;
            cpuPeak.bytesPerSecond = number(n["cpu"], "bandwidthGBs", c.id + ".cpu") * 1e9;
            c.decodeBandwidthShare = n["decodeBandwidthShare"] ? n["decodeBandwidthShare"].as<double>() : decodeShare;
            c.decodeSource = n["decodeSource"] ? n["decodeSource"].as<std::string>() : decodeSource;
            lib.chips_.push_back(std::move(c));
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::Internal, std::string("the chip profiles file is malformed: ") + e.what(),
                    ErrorLocation{path, {}}, "reinstall the app, or fix the file (resources/placement/chips.yaml)");
    }
    if (lib.chips_.empty())
        throw Error(ErrorKind::Internal, "the chip profiles file lists no chips", ErrorLocation{path, {}},
                    "reinstall the app; this file ships with it");
    return lib;
}

const ChipLibrary& ChipLibrary::shipped() {
    static const ChipLibrary lib = [] {
        const std::string dir = findResourceDir("placement");
        if (dir.empty())
            throw Error(ErrorKind::Internal, "the chip profiles (resources/placement/chips.yaml) were not found", {},
                        "reinstall the app, or set CMS_RESOURCES_DIR to its resources folder");
        return load(dir + "/chips.yaml");
    }();
    return lib;
}

const ChipProfile& ChipLibrary::find(const std::string& id) const {
    for (const ChipProfile& c : chips_)
        if (foldChipId(c.id) == foldChipId(id)) return c;
    std::string known;
    for (const ChipProfile& c : chips_) known += (known.empty() ? "" : ", ") + c.id;
    throw Error(ErrorKind::Settings, "unknown chip '" + id + "'", {}, "use one of: " + known + " (--list-chips)");
}

}  // namespace cms::analysis
