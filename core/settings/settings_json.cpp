// The settings document's JSON form, and reading/writing it as a file.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "settings/conversion_settings.h"
#include "settings/input_check.h"

namespace cms {

namespace {

using nlohmann::json;

constexpr int kSettingsVersion = 1;
const char* const kFormatHint = "correct the value in the settings file; README.md \"Settings file\" lists every key";

size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (std::tolower(a[i - 1]) == std::tolower(b[j - 1]) ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// Reads one document, naming the file and the JSON path of whatever is wrong.
class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& message) const {
        throw Error(ErrorKind::Settings, (key.empty() ? std::string() : key + ": ") + message, {file_, {}},
                    kFormatHint);
    }

    void expectObject(const json& j, const std::string& key, std::initializer_list<const char*> allowed) const {
        if (!j.is_object()) fail(key.empty() ? "(document)" : key, "expected an object { ... }");
        for (const auto& [name, value] : j.items()) {
            bool known = false;
            std::string best;
            size_t bestDistance = 3;  // suggest only close spellings
            std::string list;
            for (const char* a : allowed) {
                if (name == a) known = true;
                const size_t d = editDistance(name, a);
                if (d < bestDistance) bestDistance = d, best = a;
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            if (known) continue;
            std::string message = "unknown key";
            if (!best.empty()) message += "; did you mean \"" + best + "\"?";
            message += " (allowed here: " + list + ")";
            fail(join(key, name), message);
        }
    }

    std::string string(const json& j, const std::string& key) const {
        if (!j.is_string()) fail(key, "expected a string");
        return j.get<std::string>();
    }
    double number(const json& j, const std::string& key) const {
        if (!j.is_number()) fail(key, "expected a number");
        const double v = j.get<double>();
        if (!std::isfinite(v)) fail(key, "expected a finite number");
        return v;
    }
    std::vector<double> numbers(const json& j, const std::string& key) const {
        if (!j.is_array()) fail(key, "expected a list of numbers");
        std::vector<double> out;
        for (const json& e : j) {
            if (!e.is_number()) fail(key, "expected a list of numbers");
            out.push_back(e.get<double>());
        }
        return out;
    }
    Shape shape(const json& j, const std::string& key) const {
        if (!j.is_array() || j.empty()) fail(key, "expected a list of positive integers");
        Shape out;
        for (const json& e : j) {
            if (!e.is_number_integer() || e.get<int64_t>() <= 0) fail(key, "expected a list of positive integers");
            out.push_back(e.get<int64_t>());
        }
        return out;
    }
    std::vector<std::string> strings(const json& j, const std::string& key) const {
        if (!j.is_array()) fail(key, "expected a list of strings");
        std::vector<std::string> out;
        for (const json& e : j) {
            if (!e.is_string()) fail(key, "expected a list of strings");
            out.push_back(e.get<std::string>());
        }
        return out;
    }

    static std::string join(const std::string& parent, const std::string& child) {
        return parent.empty() ? child : parent + "." + child;
    }
    static std::string index(const std::string& parent, size_t i) { return parent + "[" + std::to_string(i) + "]"; }

    // A shape whose entries are sizes or ranges {"lower": L, "upper": U, "default": D} (upper left
    // out: unbounded; default left out: the lower bound).
    void flexibleShape(const json& j, const std::string& key, InputSpec& in) const {
        if (!j.is_array() || j.empty()) fail(key, "expected a list of positive integers or ranges");
        bool anyRange = false;
        for (size_t i = 0; i < j.size(); ++i) {
            const json& e = j[i];
            const std::string ekey = index(key, i);
            if (e.is_number_integer() && e.get<int64_t>() > 0) {
                in.shape.push_back(e.get<int64_t>());
                in.ranges.push_back(std::nullopt);
                continue;
            }
            if (!e.is_object())
                fail(key, "expected a list of positive integers or ranges {\"lower\", \"upper\", \"default\"}");
            expectObject(e, ekey, {"lower", "upper", "default"});
            const auto positive = [&](const char* name) {
                const json& v = e[name];
                if (!v.is_number_integer() || v.get<int64_t>() <= 0) fail(join(ekey, name), "expected a positive integer");
                return v.get<int64_t>();
            };
            DimRange r;
            if (!e.contains("lower")) fail(ekey, "missing \"lower\"");
            r.lower = positive("lower");
            if (e.contains("upper") && !e["upper"].is_null()) r.upper = positive("upper");
            in.shape.push_back(e.contains("default") ? positive("default") : r.lower);
            in.ranges.push_back(r);
            anyRange = true;
        }
        if (!anyRange) in.ranges.clear();
    }

    InputSpec input(const json& j, const std::string& key) const {
        expectObject(j, key, {"name", "shape", "enumeratedShapes", "dtype", "image"});
        InputSpec in;
        if (!j.contains("name")) fail(key, "missing \"name\"");
        in.name = string(j["name"], join(key, "name"));
        if (j.contains("enumeratedShapes")) {
            const std::string ekey = join(key, "enumeratedShapes");
            const json& list = j["enumeratedShapes"];
            if (!list.is_array() || list.empty()) fail(ekey, "expected a non-empty list of shapes");
            for (size_t i = 0; i < list.size(); ++i) in.enumeratedShapes.push_back(shape(list[i], index(ekey, i)));
            in.shape = in.enumeratedShapes.front();
            if (j.contains("shape")) in.shape = shape(j["shape"], join(key, "shape"));
        } else {
            if (!j.contains("shape")) fail(key, "missing \"shape\"");
            flexibleShape(j["shape"], join(key, "shape"), in);
        }
        if (j.contains("dtype")) {
            const std::string name = string(j["dtype"], join(key, "dtype"));
            const auto dt = dtypeFromName(name);
            if (!dt || (*dt != DType::Float32 && *dt != DType::Float16 && *dt != DType::Int32))
                fail(join(key, "dtype"), "expected fp32, fp16 or int32, got \"" + name + "\"");
            in.dtype = *dt;
        }
        if (j.contains("image")) {
            const std::string ikey = join(key, "image");
            const json& ij = j["image"];
            expectObject(ij, ikey, {"layout", "scale", "bias"});
            ImageSpec img;
            if (ij.contains("layout")) {
                const std::string name = string(ij["layout"], join(ikey, "layout"));
                const auto layout = colorLayoutFromName(name);
                if (!layout) fail(join(ikey, "layout"), "expected RGB, BGR or GRAYSCALE, got \"" + name + "\"");
                img.layout = *layout;
            }
            if (ij.contains("scale")) img.scale = number(ij["scale"], join(ikey, "scale"));
            if (ij.contains("bias")) img.bias = numbers(ij["bias"], join(ikey, "bias"));
            in.image = img;
        }
        if (auto problem = settings_detail::checkInputSpec(in)) fail(join(key, problem->key), problem->message);
        return in;
    }

    std::vector<StateSpec> states(const json& list, const std::string& key) const {
        if (!list.is_array()) fail(key, "expected a list of state objects {\"name\", \"shape\"}");
        std::vector<StateSpec> out;
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string skey = index(key, i);
            expectObject(list[i], skey, {"name", "shape"});
            if (!list[i].contains("name")) fail(skey, "missing \"name\"");
            if (!list[i].contains("shape")) fail(skey, "missing \"shape\"");
            StateSpec st;
            st.name = string(list[i]["name"], join(skey, "name"));
            if (st.name.empty()) fail(join(skey, "name"), "expected the buffer's name");
            st.shape = shape(list[i]["shape"], join(skey, "shape"));
            for (const StateSpec& other : out)
                if (other.name == st.name) fail(join(skey, "name"), "\"" + st.name + "\" is listed twice");
            out.push_back(st);
        }
        return out;
    }

    ModelMetadata metadata(const json& j, const std::string& key) const {
        expectObject(j, key, {"author", "license", "shortDescription", "version", "userDefined"});
        ModelMetadata m;
        if (j.contains("author")) m.author = string(j["author"], join(key, "author"));
        if (j.contains("license")) m.license = string(j["license"], join(key, "license"));
        if (j.contains("shortDescription"))
            m.shortDescription = string(j["shortDescription"], join(key, "shortDescription"));
        if (j.contains("version")) m.version = string(j["version"], join(key, "version"));
        if (j.contains("userDefined")) {
            const std::string ukey = join(key, "userDefined");
            if (!j["userDefined"].is_object()) fail(ukey, "expected an object of string values");
            for (const auto& [k, v] : j["userDefined"].items()) m.userDefined[k] = string(v, join(ukey, k));
        }
        return m;
    }

    ConversionSettings document(const json& root) const {
        expectObject(root, "", {"settingsVersion", "model", "output", "inputs", "outputs", "precision", "target",
                                "computeUnits", "fp32Ops", "composites", "metadata", "compression",
                                "states", "noReference"});
        ConversionSettings s;
        if (root.contains("settingsVersion")) {
            const json& v = root["settingsVersion"];
            if (!v.is_number_integer() || v.get<int64_t>() < 1) fail("settingsVersion", "expected a positive integer");
            if (v.get<int64_t>() > kSettingsVersion)
                fail("settingsVersion", "this file was written by a newer version (format " +
                                            std::to_string(v.get<int64_t>()) + "); this build reads format " +
                                            std::to_string(kSettingsVersion));
        }
        if (root.contains("model")) s.modelPath = string(root["model"], "model");
        if (root.contains("output")) s.outputPath = string(root["output"], "output");
        if (root.contains("inputs")) {
            const json& list = root["inputs"];
            if (!list.is_array()) fail("inputs", "expected a list of input objects");
            std::set<std::string> seen;
            for (size_t i = 0; i < list.size(); ++i) {
                s.inputs.push_back(input(list[i], index("inputs", i)));
                if (!seen.insert(s.inputs.back().name).second)
                    fail(index("inputs", i) + ".name", "\"" + s.inputs.back().name + "\" is listed twice");
            }
        }
        if (root.contains("outputs")) {
            const json& list = root["outputs"];
            if (!list.is_array()) fail("outputs", "expected a list of output objects");
            std::set<std::string> seen;
            for (size_t i = 0; i < list.size(); ++i) {
                const std::string key = index("outputs", i);
                expectObject(list[i], key, {"name"});
                if (!list[i].contains("name")) fail(key, "missing \"name\"");
                OutputSpec out{string(list[i]["name"], key + ".name")};
                if (out.name.empty()) fail(key + ".name", "an output needs a non-empty name");
                if (!seen.insert(out.name).second) fail(key + ".name", "\"" + out.name + "\" is listed twice");
                s.outputs.push_back(out);
            }
        }
        if (root.contains("precision")) {
            const std::string name = string(root["precision"], "precision");
            const auto p = precisionFromName(name);
            if (!p) fail("precision", "expected \"fp16\" or \"fp32\", got \"" + name + "\"");
            s.precision = *p;
        }
        if (root.contains("target")) {
            const std::string name = string(root["target"], "target");
            const auto t = mil::targetFromName(name);
            if (!t) fail("target", "expected iOS15, iOS16, iOS17 or iOS18, got \"" + name + "\"");
            s.target = *t;
        }
        if (root.contains("computeUnits")) {
            const std::string name = string(root["computeUnits"], "computeUnits");
            const auto c = computeUnitsFromName(name);
            if (!c) fail("computeUnits", "expected ALL, CPU_AND_GPU, CPU_ONLY or CPU_AND_NE, got \"" + name + "\"");
            s.computeUnits = *c;
        }
        if (root.contains("fp32Ops")) s.fp32Ops = strings(root["fp32Ops"], "fp32Ops");
        if (root.contains("composites")) s.composites = strings(root["composites"], "composites");
        if (root.contains("states")) s.states = states(root["states"], "states");
        if (root.contains("noReference")) {
            if (!root["noReference"].is_boolean()) fail("noReference", "expected true or false");
            s.noReference = root["noReference"].get<bool>();
        }
        if (root.contains("metadata")) s.metadata = metadata(root["metadata"], "metadata");
        if (root.contains("compression") && !root["compression"].is_null())
            s.compression = compressionFromJson(root["compression"], file_, "compression");
        return s;
    }

private:
    std::string file_;
};

json inputToJson(const InputSpec& in) {
    json shape = json::array();
    for (size_t i = 0; i < in.shape.size(); ++i) {
        const std::optional<DimRange> r = in.hasRanges() ? in.ranges[i] : std::nullopt;
        if (!r) {
            shape.push_back(in.shape[i]);
            continue;
        }
        json range = {{"lower", r->lower}, {"default", in.shape[i]}};
        if (r->upper >= 0) range["upper"] = r->upper;
        shape.push_back(range);
    }
    json j = {{"name", in.name}, {"shape", shape}, {"dtype", dtypeName(in.dtype)}};
    if (!in.enumeratedShapes.empty()) j["enumeratedShapes"] = in.enumeratedShapes;
    if (in.image) {
        j["image"] = {{"layout", colorLayoutName(in.image->layout)}, {"scale", in.image->scale}};
        if (!in.image->bias.empty()) j["image"]["bias"] = in.image->bias;
    }
    return j;
}

}  // namespace

std::string settingsToJson(const ConversionSettings& s) {
    json root = json::object();
    root["settingsVersion"] = kSettingsVersion;
    if (!s.modelPath.empty()) root["model"] = s.modelPath;
    if (!s.outputPath.empty()) root["output"] = s.outputPath;
    root["inputs"] = json::array();
    for (const InputSpec& in : s.inputs) root["inputs"].push_back(inputToJson(in));
    root["outputs"] = json::array();
    for (const OutputSpec& out : s.outputs) root["outputs"].push_back({{"name", out.name}});
    root["precision"] = precisionName(s.precision);
    root["target"] = mil::targetName(s.target);
    root["computeUnits"] = computeUnitsName(s.computeUnits);
    root["fp32Ops"] = s.fp32Ops;
    root["composites"] = s.composites;
    if (!s.states.empty()) {
        root["states"] = json::array();
        for (const StateSpec& st : s.states) root["states"].push_back({{"name", st.name}, {"shape", st.shape}});
    }
    const ModelMetadata& m = s.metadata;
    json meta = json::object();
    if (!m.author.empty()) meta["author"] = m.author;
    if (!m.license.empty()) meta["license"] = m.license;
    if (!m.shortDescription.empty()) meta["shortDescription"] = m.shortDescription;
    if (!m.version.empty()) meta["version"] = m.version;
    if (!m.userDefined.empty()) meta["userDefined"] = m.userDefined;
    root["metadata"] = meta;
    if (!s.compression.empty()) root["compression"] = compressionToJson(s.compression);
    if (s.noReference) root["noReference"] = true;
    return root.dump(2) + "\n";
}

ConversionSettings settingsFromJson(const std::string& text, const std::string& fileForErrors) {
    const std::string file = fileForErrors.empty() ? "settings" : fileForErrors;
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {  // parse errors, and numbers too large for a double (out_of_range)
        // nlohmann prefixes its messages with "[json.exception.parse_error.101] "; users need only the rest.
        std::string what = e.what();
        if (const auto close = what.find("] "); close != std::string::npos) what = what.substr(close + 2);
        throw Error(ErrorKind::Settings, "not valid JSON: " + what, {file, {}}, kFormatHint);
    }
    return Reader(file).document(root);
}

ConversionSettings loadSettings(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Settings,
                    std::filesystem::exists(path) ? "cannot read the settings file" : "settings file not found",
                    {path, {}}, "check the path given to --config");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return settingsFromJson(buffer.str(), path);
}

void saveSettings(const ConversionSettings& s, const std::string& path) {
    namespace fs = std::filesystem;
    const std::string text = settingsToJson(s);
    // Write a sibling temporary file and rename it over the target, so readers see the old or
    // the new document, never half of one.
    const fs::path target(path);
    const fs::path temp = target.parent_path() / ("." + target.filename().string() + ".tmp" + std::to_string(::getpid()));
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ignored;
            fs::remove(temp, ignored);
            throw Error(ErrorKind::Settings, "cannot write the settings file", {path, {}},
                        "check that the folder exists and is writable");
        }
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw Error(ErrorKind::Settings, "cannot replace the settings file: " + ec.message(), {path, {}},
                    "check that the folder is writable");
    }
}

}  // namespace cms
