#include "analysis/accuracy_report.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "analysis/image_input.h"
#include "analysis/npy_io.h"
#include "common/error.h"
#include "converter.h"
#include "runtime/interpreter.h"
#include "runtime/torch/torchscript_runner.h"

namespace cms::analysis {

namespace {

constexpr double kDefaultFp16SnrDb = 40.0;
constexpr double kDefaultFp32SnrDb = 60.0;
constexpr double kFp16Max = 65504.0;

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool computesInFp16(const mil::Program& p) {
    for (const auto& op : p.main().body.ops)
        for (const mil::Value* v : op->outputs)
            if (v->type.dtype == DType::Float16) return true;
    return false;
}

std::string key(const ir::Provenance& p) { return p.sourceOp.empty() ? std::string() : p.modulePath + "|" + p.sourceOp; }

int64_t countNonFinite(const Tensor& t) {
    if (!isFloat(t.dtype())) return 0;
    int64_t n = 0;
    for (float v : t.toFloats()) n += std::isfinite(v) ? 0 : 1;
    return n;
}

Tensor randomInput(const mil::TensorType& type, bool image, std::mt19937_64& rng, std::string& source, uint64_t seed) {
    const int64_t n = shapeNumel(type.shape);
    if (isFloat(type.dtype)) {
        std::vector<float> v(static_cast<size_t>(n));
        if (image) {
            std::uniform_real_distribution<float> d(0.0f, 255.0f);
            for (float& x : v) x = d(rng);
            source = "random (seed " + std::to_string(seed) + ", pixels uniform in [0, 255])";
        } else {
            std::normal_distribution<float> d(0.0f, 1.0f);
            for (float& x : v) x = d(rng);
            source = "random (seed " + std::to_string(seed) + ", standard normal)";
        }
        return Tensor::fromFloats(v, type.shape, type.dtype);
    }
    if (type.dtype == DType::Bool) {
        std::vector<bool> v(static_cast<size_t>(n));
        std::bernoulli_distribution d(0.5);
        for (size_t i = 0; i < v.size(); ++i) v[i] = d(rng);
        source = "random (seed " + std::to_string(seed) + ", bools)";
        return Tensor::fromBools(v, type.shape);
    }
    std::vector<int64_t> v(static_cast<size_t>(n));
    std::uniform_int_distribution<int64_t> d(0, 9);
    for (int64_t& x : v) x = d(rng);
    source = "random (seed " + std::to_string(seed) + ", integers 0-9)";
    return Tensor::fromInts(v, type.shape, type.dtype);
}

const package::FeatureDescription* featureNamed(const runtime::Interpreter& interp, const std::string& name) {
    for (const auto& f : interp.description().inputs)
        if (f.name == name) return &f;
    return nullptr;
}

bool isImageInput(const runtime::Interpreter& interp, const std::string& name) {
    const package::FeatureDescription* f = featureNamed(interp, name);
    return f && f->kind == package::FeatureDescription::Kind::Image;
}

// "NAME=PATH" names the input a file feeds; a plain path (even one holding '=') is taken as it is.
std::pair<std::string, std::string> splitNamedFile(const std::string& entry) {
    const size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0 || std::ifstream(entry).good()) return {"", entry};
    const std::string name = entry.substr(0, eq);
    const bool identifier = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    return identifier ? std::make_pair(name, entry.substr(eq + 1)) : std::make_pair(std::string(), entry);
}

// The given files' tensors by input name, with where each came from; `npzArrays` lists every array
// the .npz files hold, for messages.
std::map<std::string, std::pair<Tensor, std::string>> readInputFiles(
    const VerifyOptions& o, const runtime::Interpreter& interp,
    const std::vector<std::pair<std::string, mil::TensorType>>& types, std::string& npzArrays) {
    std::map<std::string, std::pair<Tensor, std::string>> given;
    std::string& held = npzArrays;
    const auto typeOf = [&](const std::string& name, const std::string& file) -> const mil::TensorType& {
        for (const auto& [n, t] : types)
            if (n == name) return t;
        std::string names;
        for (const auto& [n, t] : types) names += (names.empty() ? "" : ", ") + n;
        throw Error(ErrorKind::Input, "the package has no input named " + name + " (its inputs: " + names + ")",
                    {file, ""}, "write NAME=FILE with one of the package's input names");
    };
    const auto put = [&](const std::string& name, Tensor t, const std::string& file, const std::string& source) {
        if (given.count(name))
            throw Error(ErrorKind::Input, "input " + name + " is given twice (also by " + given[name].second + ")",
                        {file, ""}, "give each input once");
        given[name] = {std::move(t), source};
    };
    for (const std::string& entry : o.inputFiles) {
        const auto [named, file] = splitNamedFile(entry);
        if (endsWith(file, ".npz")) {
            if (!named.empty())
                throw Error(ErrorKind::Input, "a .npz file holds arrays by name; NAME= does not apply", {file, ""},
                            "give the .npz file without a NAME= prefix");
            // Other arrays (labels, say) may share the file; missing ones are reported by name below.
            for (auto& [name, t] : readNpz(file)) {
                held += (held.empty() ? "" : ", ") + name;
                if (std::any_of(types.begin(), types.end(), [&](const auto& in) { return in.first == name; }))
                    put(name, std::move(t), file, file);
            }
        } else if (endsWith(file, ".npy")) {
            if (named.empty() && types.size() != 1)
                throw Error(ErrorKind::Input,
                            "a .npy file holds one array but the model has " + std::to_string(types.size()) + " inputs",
                            {file, ""},
                            "write NAME=" + file + ", or save the inputs by name with numpy.savez(path, name=array, ...)");
            const std::string name = named.empty() ? types.front().first : named;
            typeOf(name, file);
            put(name, readNpy(file), file, file);
        } else if (isImageFile(file)) {
            std::string name = named;
            if (name.empty()) {
                for (const auto& [n, t] : types)
                    if (isImageInput(interp, n) && !given.count(n)) {
                        name = n;
                        break;
                    }
                if (name.empty())
                    throw Error(ErrorKind::Input, "no image input is left for this image", {file, ""},
                                "the package's image inputs are all given; an image feeds an input converted as an "
                                "image (--input NAME:1x3xHxW:image,...)");
            }
            const mil::TensorType& type = typeOf(name, file);
            if (!isImageInput(interp, name))
                throw Error(ErrorKind::Input,
                            "input " + name + " is not an image input, so the pixel values it expects are unknown",
                            {file, ""},
                            "convert it as an image input (--input " + name + ":" + shapeToString(type.shape) +
                                ":image,scale=...,bias=...) or give its values as a .npy/.npz file");
            const ColorLayout layout = featureNamed(interp, name)->colorLayout;
            const size_t r = type.shape.size();
            put(name, readImage(file, type.shape, layout), file,
                file + " (image resized to " + std::to_string(type.shape[r - 1]) + "x" +
                    std::to_string(type.shape[r - 2]) + ", " + colorLayoutName(layout) + " pixels 0-255)");
        } else {
            throw Error(ErrorKind::Input, "unsupported input data file", {file, ""},
                        "give .npy/.npz arrays or PNG/JPEG images");
        }
    }
    return given;
}

std::map<std::string, Tensor> loadInputs(const VerifyOptions& o, const runtime::Interpreter& interp,
                                          std::vector<InputInfo>& info) {
    const auto types = interp.inputTypes();
    std::string npzArrays;  // names of the arrays in the given .npz files
    const auto given = readInputFiles(o, interp, types, npzArrays);
    std::mt19937_64 rng(o.seed);
    std::map<std::string, Tensor> inputs;
    for (const auto& [name, declared] : types) {
        // A flexible input runs at its default shape unless a file gives another allowed one.
        const package::FeatureDescription* feature = featureNamed(interp, name);
        mil::TensorType type = declared;
        if (!type.isStatic() && feature) type.shape = feature->shape;
        InputInfo in{name, type.shape, {}};
        if (!o.inputFiles.empty()) {
            const auto it = given.find(name);
            if (it == given.end())
                throw Error(ErrorKind::Input,
                            "no array named " + name + " in the given files" +
                                (npzArrays.empty() ? "" : " (the .npz arrays: " + npzArrays + ")"),
                            {o.inputFiles.front(), ""},
                            "give every input: name each array after the input it feeds, or add NAME=FILE");
            const Tensor& t = it->second.first;
            const bool allowed = feature && feature->isFlexible() ? feature->allows(t.shape()) : t.shape() == type.shape;
            if (!allowed)
                throw Error(ErrorKind::Input,
                            "array " + name + " has shape " + shapeToString(t.shape()) + ", the model expects " +
                                (feature && feature->isFlexible() ? feature->allowedShapesText() : type.toString()),
                            {it->second.second, ""}, "give arrays of the converted input shapes");
            inputs[name] = t.castTo(type.dtype);
            in.source = it->second.second;
        } else {
            inputs[name] = randomInput(type, isImageInput(interp, name), rng, in.source, o.seed);
        }
        info.push_back(in);
    }
    return inputs;
}

constexpr const char* kPreprocessingHint =
    "the package's image preprocessing is not the scale/bias form this check understands; convert the input as a "
    "multi-array and give its preprocessed values as a .npy/.npz file";

// `c` broadcast against a tensor of `shape` (numpy rules, c of lower or equal rank): the index into
// c of each element.
std::vector<size_t> broadcastIndex(const Shape& cShape, const Shape& shape, const std::string& what) {
    const size_t rank = shape.size();
    if (cShape.size() > rank) throw Error(ErrorKind::Unsupported, what, {}, kPreprocessingHint);
    Shape c(rank - cShape.size(), 1);
    c.insert(c.end(), cShape.begin(), cShape.end());
    std::vector<size_t> cStride(rank, 0);
    size_t stride = 1;
    for (size_t k = rank; k-- > 0;) {
        if (c[k] != 1 && c[k] != shape[k]) throw Error(ErrorKind::Unsupported, what, {}, kPreprocessingHint);
        cStride[k] = c[k] == 1 ? 0 : stride;
        stride *= static_cast<size_t>(c[k]);
    }
    std::vector<size_t> index(static_cast<size_t>(shapeNumel(shape)));
    std::vector<int64_t> at(rank, 0);
    for (size_t i = 0; i < index.size(); ++i) {
        size_t j = 0;
        for (size_t k = 0; k < rank; ++k) j += static_cast<size_t>(at[k]) * cStride[k];
        index[i] = j;
        for (size_t k = rank; k-- > 0;) {
            if (++at[k] < shape[k]) break;
            at[k] = 0;
        }
    }
    return index;
}

// What the source model takes for an image input: the package's own preprocessing ops (mul, add,
// sub, real_div by constants, with casts between them) evaluated in fp32 on the pixels, as the
// user's own fp32 pipeline computes it. Taking the interpreter's value instead would hand libtorch
// the fp16-rounded input of an fp16 program and hide that rounding from the comparison. The
// constants are those the package stores (an fp16 program's are fp16, as on device).
Tensor referencePreprocessing(const mil::Program& program, const std::string& input, const Tensor& pixels) {
    const mil::Function& fn = program.main();
    const mil::Value* current = nullptr;
    for (const mil::Value* v : fn.inputs)
        if (v->name == input) current = v;
    std::vector<float> x = pixels.castTo(DType::Float32).toFloats();
    const std::string preprocessing = "image preprocessing of input " + input;
    for (bool advanced = current != nullptr; advanced;) {
        advanced = false;
        for (const auto& op : fn.body.ops) {
            const mil::Value* a = op->input("x");
            const mil::Value* b = op->input("y");
            if (op->type == "cast" && a == current) {
                current = op->output();
                advanced = true;
                break;
            }
            const bool arithmetic =
                op->type == "mul" || op->type == "add" || op->type == "sub" || op->type == "real_div";
            if (!arithmetic || op->prov.sourceOp != preprocessing || (a != current && b != current)) continue;
            const mil::Value* other = a == current ? b : a;
            if (!other || !other->constValue)
                throw Error(ErrorKind::Unsupported, "image preprocessing op " + op->name + " of input " + input +
                                                        " does not take a constant", {}, kPreprocessingHint);
            const std::vector<float> c = other->constValue->castTo(DType::Float32).toFloats();
            const std::vector<size_t> at = broadcastIndex(other->constValue->shape(), pixels.shape(),
                                                          "image preprocessing op " + op->name + " of input " + input +
                                                              " has a constant of shape " +
                                                              shapeToString(other->constValue->shape()));
            const bool chainFirst = a == current;
            for (size_t i = 0; i < x.size(); ++i) {
                const float l = chainFirst ? x[i] : c[at[i]], r = chainFirst ? c[at[i]] : x[i];
                if (op->type == "mul") x[i] = l * r;
                else if (op->type == "add") x[i] = l + r;
                else if (op->type == "sub") x[i] = l - r;
                else x[i] = l / r;
            }
            current = op->output();
            advanced = true;
            break;
        }
    }
    return Tensor::fromFloats(x, pixels.shape());
}

bool isKerasModel(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".h5" || ext == ".hdf5" || ext == ".keras";
}

// The package's outputs, in order, from the given reference files.
std::vector<Tensor> readReferenceFiles(const VerifyOptions& o, const runtime::Interpreter& interp) {
    std::map<std::string, Tensor> byName;
    const auto outputs = interp.outputTypes();
    for (const std::string& entry : o.referenceFiles) {
        const auto [named, file] = splitNamedFile(entry);
        if (endsWith(file, ".npz")) {
            for (auto& [name, t] : readNpz(file)) byName[name] = t;
        } else if (!named.empty() || outputs.size() == 1) {
            byName[named.empty() ? outputs.front().first : named] = readNpy(file);
        } else {
            throw Error(ErrorKind::Settings, "reference file " + file + " does not say which output it holds", {file, ""},
                        "write it as NAME=" + file + " with the package's output name, or give one .npz");
        }
    }
    std::vector<Tensor> expected;
    for (const auto& [name, type] : outputs) {
        const auto it = byName.find(name);
        if (it == byName.end())
            throw Error(ErrorKind::Settings, "no reference is given for output " + name, {o.packagePath, ""},
                        "give a reference for every output (NAME=FILE.npy, or a .npz with arrays named after them)");
        expected.push_back(it->second);
    }
    return expected;
}

// [1, C, H, W] -> [1, H, W, C]
Tensor channelsLast(const Tensor& t) {
    const Shape& s = t.shape();
    const std::vector<float> v = t.castTo(DType::Float32).toFloats();
    std::vector<float> out(v.size());
    const int64_t c = s[1], h = s[2], w = s[3];
    for (int64_t k = 0; k < c; ++k)
        for (int64_t i = 0; i < h; ++i)
            for (int64_t j = 0; j < w; ++j) out[size_t((i * w + j) * c + k)] = v[size_t((k * h + i) * w + j)];
    return Tensor::fromFloats(out, {s[0], h, w, c});
}

// The model converted again in fp32, run on the package's inputs (an image becomes the tensor the
// package's preprocessing makes of it, in the model's own layout). A Keras model declares its inputs; a
// TorchScript one records no shapes, so it gets the shapes of the inputs fed to the package, as tensors.
std::vector<Tensor> fp32ConversionOutputs(const VerifyOptions& o, const runtime::Interpreter& interp,
                                          const std::map<std::string, Tensor>& inputs) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path dir = fs::temp_directory_path(ec) /
                         ("cms-reference-" + std::to_string(std::random_device{}()));
    ConversionSettings s;
    s.modelPath = o.modelPath;
    s.outputPath = (dir / "reference.mlpackage").string();
    s.precision = Precision::Float32;
    s.noReference = true;  // this conversion is the reference: it must not load code that runs at load either
    if (!isKerasModel(o.modelPath)) {
        for (const auto& [name, type] : interp.inputTypes()) {
            const Tensor& fed = inputs.at(name);
            InputSpec in;
            in.name = name;
            in.shape = fed.shape();
            in.dtype = isFloat(fed.dtype()) || isImageInput(interp, name) ? DType::Float32 : DType::Int32;
            s.inputs.push_back(in);
        }
    }
    struct Cleanup {
        fs::path dir;
        ~Cleanup() {
            std::error_code ignored;
            fs::remove_all(dir, ignored);
        }
    } cleanup{dir};
    fs::create_directories(dir, ec);
    convertModel(s);
    const runtime::Interpreter reference = runtime::Interpreter::fromPackage(s.outputPath);
    const auto packageInputs = interp.inputTypes();
    const auto referenceInputs = reference.inputTypes();
    if (packageInputs.size() != referenceInputs.size())
        throw Error(ErrorKind::Input, "the model takes " + std::to_string(referenceInputs.size()) + " inputs but the package " +
                                          std::to_string(packageInputs.size()),
                    {o.packagePath, ""}, "give the model the package was converted from");
    std::map<std::string, Tensor> feed;
    for (size_t i = 0; i < packageInputs.size(); ++i) {
        const std::string& name = packageInputs[i].first;
        Tensor t = inputs.at(name);
        if (isImageInput(interp, name)) {
            t = referencePreprocessing(interp.program(), name, t);
            const Shape& want = referenceInputs[i].second.shape;
            if (t.rank() == 4 && want.size() == 4 && want != t.shape()) t = channelsLast(t);
        } else if (isFloat(t.dtype())) {
            t = t.castTo(DType::Float32);
        }
        feed[referenceInputs[i].first] = t;
    }
    const std::map<std::string, Tensor> results = reference.run(feed);
    std::vector<Tensor> expected;
    for (const auto& [name, type] : reference.outputTypes()) expected.push_back(results.at(name));
    return expected;
}

struct OpRecord {
    std::string name, type;
    ir::Provenance prov;
    Tensor value;  // first output
};

// Pairs MIL ops with TorchScript nodes through provenance: consecutive ops lowered from one node
// form a group, and the i-th group of a (module path, op) key meets the i-th node with that key.
// Nodes the converter absorbed (a batch norm fused into the convolution before it) have no ops;
// a group is then compared with the end of that chain of absorbed nodes.
std::vector<LayerReport> compareLayers(const std::vector<OpRecord>& ops,
                                       const std::vector<runtime::CapturedValue>& captured) {
    std::set<std::string> milKeys;
    for (const OpRecord& r : ops)
        if (!key(r.prov).empty()) milKeys.insert(key(r.prov));
    std::map<std::string, std::vector<size_t>> torchByKey;  // key -> positions in `captured`
    std::map<size_t, size_t> positionOfNode;                // node index -> position (first output)
    for (size_t i = 0; i < captured.size(); ++i) {
        if (captured[i].outputIndex != 0) continue;
        torchByKey[key(captured[i].provenance)].push_back(i);
        positionOfNode[captured[i].nodeIndex] = i;
    }
    std::map<std::string, size_t> seen;
    std::vector<LayerReport> layers;
    for (size_t i = 0; i < ops.size();) {
        const std::string k = key(ops[i].prov);
        size_t end = i + 1;
        while (end < ops.size() && !k.empty() && key(ops[end].prov) == k) ++end;
        const OpRecord& last = ops[end - 1];
        i = end;
        if (k.empty() || !isFloat(last.value.dtype())) continue;
        const size_t occurrence = seen[k]++;
        const auto nodes = torchByKey.find(k);
        if (nodes == torchByKey.end() || occurrence >= nodes->second.size()) continue;
        size_t tail = nodes->second[occurrence];
        for (bool extended = true; extended;) {
            extended = false;
            for (size_t j = tail + 1; j < captured.size(); ++j) {
                const runtime::CapturedValue& c = captured[j];
                if (c.outputIndex != 0 || milKeys.count(key(c.provenance))) continue;
                if (std::find(c.inputNodes.begin(), c.inputNodes.end(), captured[tail].nodeIndex) == c.inputNodes.end())
                    continue;
                if (c.value.numel() != captured[tail].value.numel()) continue;
                tail = j;
                extended = true;
                break;
            }
        }
        const Tensor& ref = captured[tail].value;
        if (ref.numel() != last.value.numel() || !isFloat(ref.dtype())) continue;
        const std::vector<double> a = last.value.toDoubles(), d = ref.toDoubles();
        LayerReport l;
        l.order = layers.size();
        l.opName = last.name;
        l.opType = last.type;
        l.provenance = last.prov;
        l.referenceOp = captured[tail].provenance.describe();
        l.count = last.value.numel();
        l.snrDb = snrDb(a, d);
        for (size_t e = 0; e < a.size(); ++e) {
            l.nonFinite = l.nonFinite || !std::isfinite(a[e]);
            l.maxAbsError = std::max(l.maxAbsError, std::fabs(a[e] - d[e]));
            l.referenceMaxAbs = std::max(l.referenceMaxAbs, std::fabs(d[e]));
        }
        layers.push_back(l);
    }
    return layers;
}

// A jump is a sudden drop below the concern level: at least jumpDb under every one of the
// last few layers. A gradual decline (fp16 rounding accumulating over many layers) is not one, nor
// is the return to normal after a side branch (pooled, saturating) that is more exact than the trunk.
std::optional<size_t> firstJump(const std::vector<LayerReport>& layers, double jumpDb, double concernDb) {
    constexpr size_t kWindow = 8;
    for (size_t i = 0; i < layers.size(); ++i) {
        double recent = 200.0;  // identical values (inf dB) count as this
        for (size_t j = i >= kWindow ? i - kWindow : 0; j < i; ++j) recent = std::min(recent, layers[j].snrDb);
        if (layers[i].snrDb < concernDb && layers[i].snrDb < recent - jumpDb) return i;
    }
    return std::nullopt;
}

nlohmann::json number(double v) {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    return v;
}

nlohmann::json provenanceJson(const ir::Provenance& p) {
    return {{"module_path", p.modulePath}, {"module_type", p.moduleType}, {"source_op", p.sourceOp},
            {"file", p.file}, {"line", p.line}};
}

std::string fmt(double v, const char* format = "%.3g") {
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

std::map<std::string, Tensor> packageInputs(const VerifyOptions& options, const runtime::Interpreter& interp,
                                            std::vector<InputInfo>* info) {
    std::vector<InputInfo> ignored;
    return loadInputs(options, interp, info ? *info : ignored);
}

AccuracyReport verifyPackage(const VerifyOptions& o) {
    AccuracyReport report;
    report.modelPath = o.modelPath;
    report.packagePath = o.packagePath;
    report.perLayer = o.perLayer;
    const runtime::Interpreter interp = runtime::Interpreter::fromPackage(o.packagePath);
    const bool fp16 = computesInFp16(interp.program());
    report.precision = fp16 ? "fp16" : "fp32";
    report.criteria = o.criteria;
    if (!report.criteria.usesAllclose() && !report.criteria.minSnrDb)
        report.criteria.minSnrDb = fp16 ? kDefaultFp16SnrDb : kDefaultFp32SnrDb;

    const std::map<std::string, Tensor> inputs = loadInputs(o, interp, report.inputs);

    // Run the package, keeping what the per-layer comparison and the inf/NaN search need.
    std::vector<OpRecord> ops;
    runtime::RunOptions run;
    run.observer = [&](const runtime::OpEvent& e) {
        const Tensor& out = e.outputs.front();
        if (!report.firstNonFinite) {
            int64_t bad = 0;
            for (const Tensor& t : e.outputs) bad += countNonFinite(t);
            if (bad > 0) report.firstNonFinite = NonFiniteOp{e.opName, e.opType, e.provenance, bad};
        }
        if (o.perLayer) ops.push_back({e.opName, e.opType, e.provenance, out});
    };
    const std::map<std::string, Tensor> converted = interp.run(inputs, run);

    // The reference: given files, the model's fp32 conversion (a Keras model, which has no runtime here, or
    // one whose code must not run), or libtorch.
    const bool torchReference = o.referenceFiles.empty() && !isKerasModel(o.modelPath) && !o.noReference;
    if (o.perLayer && !torchReference)
        throw Error(ErrorKind::Settings,
                    "the per-layer comparison needs the source model run by libtorch, which " +
                        std::string(!o.referenceFiles.empty() ? "reference files replace"
                                    : o.noReference          ? "--no-reference rules out"
                                                             : "a Keras model cannot be"),
                    {o.modelPath, ""}, "compare the outputs only (without --per-layer)");
    std::optional<runtime::TorchScriptRunner> reference;
    std::vector<Tensor> torchInputs;
    std::vector<runtime::CapturedValue> captured;
    std::vector<Tensor> expected;
    if (!o.referenceFiles.empty()) {
        report.reference = "reference files";
        expected = readReferenceFiles(o, interp);
    } else if (!torchReference) {
        report.reference = "fp32 conversion";
        expected = fp32ConversionOutputs(o, interp, inputs);
    } else {
        report.reference = "libtorch";
        reference.emplace(o.modelPath);
        const auto inputTypes = interp.inputTypes();
        if (reference->inputNames().size() != inputTypes.size())
            throw Error(ErrorKind::Input,
                        "the model takes " + std::to_string(reference->inputNames().size()) + " inputs but the package " +
                            std::to_string(inputTypes.size()),
                        {o.packagePath, ""}, "give the model the package was converted from");
        for (const auto& [name, type] : inputTypes) {
            const Tensor& t = inputs.at(name);
            if (isImageInput(interp, name)) torchInputs.push_back(referencePreprocessing(interp.program(), name, t));
            else torchInputs.push_back(isFloat(t.dtype()) ? t.castTo(DType::Float32) : t);
        }
        expected = reference->run(torchInputs, o.perLayer ? &captured : nullptr);
    }

    const auto outputTypes = interp.outputTypes();
    if (expected.size() != outputTypes.size())
        throw Error(ErrorKind::Input,
                    "the model returns " + std::to_string(expected.size()) + " tensors but the package has " +
                        std::to_string(outputTypes.size()) + " outputs",
                    {o.packagePath, ""}, "give the model the package was converted from");
    report.passed = true;
    for (size_t i = 0; i < outputTypes.size(); ++i) {
        OutputReport out;
        out.name = outputTypes[i].first;
        const Tensor& actual = converted.at(out.name);
        out.shape = actual.shape();
        if (actual.numel() != expected[i].numel())
            throw Error(ErrorKind::Input,
                        "output " + out.name + " has shape " + shapeToString(actual.shape()) + " but the model's output " +
                            std::to_string(i) + " has shape " + shapeToString(expected[i].shape()),
                        {o.packagePath, ""}, "give the model the package was converted from");
        out.metrics = compareValues(actual.toDoubles(), expected[i].toDoubles(), out.shape, report.criteria);
        out.passed = passes(out.metrics, report.criteria);
        report.passed = report.passed && out.passed;
        report.outputs.push_back(out);
    }
    if (o.perLayer) {
        report.layers = compareLayers(ops, captured);
        const double concern = report.criteria.minSnrDb.value_or(fp16 ? kDefaultFp16SnrDb : kDefaultFp32SnrDb);
        report.firstJump = firstJump(report.layers, o.jumpDb, concern);
    }
    const auto suggest = [&](const ir::Provenance& p, const std::string& opType) {
        const std::string entry = p.modulePath.empty() ? opType : p.modulePath;
        if (std::find(report.suggestedFp32Ops.begin(), report.suggestedFp32Ops.end(), entry) == report.suggestedFp32Ops.end())
            report.suggestedFp32Ops.push_back(entry);
    };
    if (fp16 && report.firstNonFinite) suggest(report.firstNonFinite->provenance, report.firstNonFinite->opType);
    if (fp16 && report.firstJump) suggest(report.layers[*report.firstJump].provenance, report.layers[*report.firstJump].opType);
    for (size_t i = 0; fp16 && i < report.layers.size(); ++i) {
        if (report.layers[i].referenceMaxAbs <= kFp16Max) continue;
        suggest(report.layers[i].provenance, report.layers[i].opType);
        // Its consumer must read the value in fp32 too.
        if (i + 1 < report.layers.size()) suggest(report.layers[i + 1].provenance, report.layers[i + 1].opType);
    }
    if (o.timingRuns > 0 && reference) {
        const auto median = [&](const std::function<void()>& f) {
            std::vector<double> seconds;
            for (int i = 0; i < o.timingRuns; ++i) {
                const auto start = std::chrono::steady_clock::now();
                f();
                seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            }
            std::sort(seconds.begin(), seconds.end());
            return seconds[seconds.size() / 2];
        };
        report.interpreterSeconds = median([&] { interp.run(inputs); });
        report.referenceSeconds = median([&] { reference->run(torchInputs); });
    }
    return report;
}

std::string reportToJson(const AccuracyReport& r) {
    nlohmann::json j;
    j["model"] = r.modelPath;
    j["package"] = r.packagePath;
    j["precision"] = r.precision;
    j["reference"] = r.reference;
    j["criterion"] = r.criteria.describe();
    if (r.criteria.usesAllclose()) {
        j["rtol"] = r.criteria.rtol.value_or(0.0);
        j["atol"] = r.criteria.atol.value_or(0.0);
    } else if (r.criteria.minSnrDb) {
        j["min_snr_db"] = *r.criteria.minSnrDb;
    }
    j["passed"] = r.passed;
    j["inputs"] = nlohmann::json::array();
    for (const InputInfo& in : r.inputs) j["inputs"].push_back({{"name", in.name}, {"shape", in.shape}, {"source", in.source}});
    j["outputs"] = nlohmann::json::array();
    for (const OutputReport& o : r.outputs) {
        const TensorMetrics& m = o.metrics;
        nlohmann::json e = {{"name", o.name},
                            {"shape", o.shape},
                            {"passed", o.passed},
                            {"max_abs_error", number(m.maxAbsError)},
                            {"mean_abs_error", number(m.meanAbsError)},
                            {"max_rel_error", number(m.maxRelError)},
                            {"snr_db", number(m.snrDb)},
                            {"psnr_db", number(m.psnrDb)},
                            {"cosine_similarity", number(m.cosine)},
                            {"non_finite", m.nonFiniteActual},
                            {"non_finite_reference", m.nonFiniteExpected}};
        if (r.criteria.usesAllclose()) e["allclose_violations"] = m.allcloseViolations;
        if (m.top1Agrees) e["top1_agrees"] = *m.top1Agrees;
        if (m.top5Overlap) e["top5_overlap"] = *m.top5Overlap;
        j["outputs"].push_back(e);
    }
    if (r.perLayer) {
        nlohmann::json layers = nlohmann::json::array();
        for (const LayerReport& l : r.layers)
            layers.push_back({{"order", l.order},
                              {"op", l.opName},
                              {"op_type", l.opType},
                              {"source", provenanceJson(l.provenance)},
                              {"reference_node", l.referenceOp},
                              {"elements", l.count},
                              {"snr_db", number(l.snrDb)},
                              {"max_abs_error", number(l.maxAbsError)},
                              {"reference_max_abs", number(l.referenceMaxAbs)},
                              {"non_finite", l.nonFinite}});
        j["layers"] = layers;
        j["first_jump"] = r.firstJump ? nlohmann::json(*r.firstJump) : nlohmann::json();
    }
    j["suggested_fp32_ops"] = r.suggestedFp32Ops;
    if (r.interpreterSeconds) j["timing"] = {{"interpreter_seconds", *r.interpreterSeconds}, {"libtorch_seconds", *r.referenceSeconds}};
    if (r.firstNonFinite)
        j["first_non_finite"] = {{"op", r.firstNonFinite->opName},
                                 {"op_type", r.firstNonFinite->opType},
                                 {"source", provenanceJson(r.firstNonFinite->provenance)},
                                 {"elements", r.firstNonFinite->count}};
    return j.dump(2);
}

std::string reportToText(const AccuracyReport& r) {
    std::ostringstream s;
    s << "Accuracy of " << r.packagePath << " (" << r.precision << ") against " << r.modelPath << "\n";
    if (!r.reference.empty() && r.reference != "libtorch") s << "Reference: the model's " << r.reference << "\n";
    s << "Criterion: " << r.criteria.describe() << "\n";
    for (const InputInfo& in : r.inputs) s << "Input " << in.name << " [" << shapeToString(in.shape) << "]: " << in.source << "\n";
    for (const OutputReport& o : r.outputs) {
        const TensorMetrics& m = o.metrics;
        s << "Output " << o.name << " [" << shapeToString(o.shape) << "]: " << (o.passed ? "PASS" : "FAIL") << "\n"
          << "  SNR " << fmt(m.snrDb, "%.1f") << " dB, PSNR " << fmt(m.psnrDb, "%.1f") << " dB, cosine "
          << fmt(m.cosine, "%.6f") << "\n"
          << "  max abs error " << fmt(m.maxAbsError) << ", mean abs error " << fmt(m.meanAbsError)
          << ", max rel error " << fmt(m.maxRelError) << "\n";
        if (r.criteria.usesAllclose()) s << "  elements outside tolerance: " << m.allcloseViolations << " of " << m.count << "\n";
        if (m.nonFiniteActual) s << "  inf/NaN elements: " << m.nonFiniteActual << "\n";
        if (m.top1Agrees)
            s << "  top-1 " << (*m.top1Agrees ? "agrees" : "differs") << ", top-5 overlap "
              << fmt(*m.top5Overlap * 5, "%.0f") << "/5\n";
    }
    if (r.perLayer) {
        s << "Per layer (" << r.layers.size() << " compared, in execution order):\n";
        for (const LayerReport& l : r.layers) {
            const bool jump = r.firstJump && *r.firstJump == l.order;
            std::string snr = fmt(l.snrDb, "%.1f");
            snr.insert(0, snr.size() < 7 ? 7 - snr.size() : 0, ' ');
            s << (jump ? "> " : "  ") << snr << " dB  " << l.opType << " " << l.opName << "  <- "
              << l.provenance.describe() << (l.nonFinite ? "  [inf/NaN]" : "") << "\n";
        }
        if (r.firstJump) {
            const LayerReport& l = r.layers[*r.firstJump];
            s << "First layer where the error jumps: " << l.provenance.describe() << " (" << l.opType << " " << l.opName
              << ", SNR " << fmt(l.snrDb, "%.1f") << " dB)\n";
        }
    }
    if (r.firstNonFinite)
        s << "First op producing inf/NaN: " << r.firstNonFinite->provenance.describe() << " ("
          << r.firstNonFinite->opType << " " << r.firstNonFinite->opName << ", " << r.firstNonFinite->count
          << " elements)\n";
    if (!r.suggestedFp32Ops.empty()) {
        s << "Suggestion: keep in fp32 (convert --keep-fp32 NAME, settings key fp32Ops):";
        for (const std::string& op : r.suggestedFp32Ops) s << " " << op;
        s << "\n";
    }
    if (r.interpreterSeconds)
        s << "Time per run: interpreter " << fmt(*r.interpreterSeconds * 1000, "%.1f") << " ms, libtorch "
          << fmt(*r.referenceSeconds * 1000, "%.1f") << " ms\n";
    s << "Result: " << (r.passed ? "PASS" : "FAIL") << "\n";
    return s.str();
}

}  // namespace cms::analysis
