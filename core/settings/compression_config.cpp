// The compression config: validation with coremltools' rules, YAML and JSON forms. YAML is read
// into a JSON tree (remembering each key's line) so one reader checks both forms.
#include "settings/compression_config.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "common/error.h"

namespace cms {

namespace {

using nlohmann::json;

const char* const kYamlHint =
    "correct the config; it follows coremltools' OptimizationConfig YAML (config_type, global_config, "
    "op_type_configs, op_name_configs)";

bool isPalettizer(CompressionMethod m) { return m == CompressionMethod::Palettize; }

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) without control characters.
bool printableUtf8(const std::string& s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7f) return false;
        if (c < 0x80) { ++i; continue; }
        const int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
        if (len == 0 || c > 0xf4 || i + len > s.size()) return false;
        uint32_t cp = c & (0x7f >> len);
        for (int k = 1; k < len; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
            return false;
        i += static_cast<size_t>(len);
    }
    return true;
}

// Reads a config tree; `lineOf` gives a key path's line in the YAML source (0: unknown).
class ConfigReader {
public:
    ConfigReader(std::string file, std::string prefix, std::function<int(const std::string&)> lineOf)
        : file_(std::move(file)), prefix_(std::move(prefix)), lineOf_(std::move(lineOf)) {}

    [[noreturn]] void fail(const std::string& key, const std::string& message) const {
        std::string where;
        if (const int line = lineOf_ ? lineOf_(key) : 0; line > 0) where = "line " + std::to_string(line) + ": ";
        const std::string shown = prefix_.empty() ? key : (key.empty() ? prefix_ : prefix_ + "." + key);
        throw Error(ErrorKind::Settings, where + (shown.empty() ? "" : shown + ": ") + message, {file_, {}}, kYamlHint);
    }

    CompressionConfig document(const json& root) const {
        if (!root.is_object()) fail("", "expected a mapping with config_type, global_config, op_type_configs, op_name_configs");
        for (const auto& [key, value] : root.items())
            if (key != "config_type" && key != "global_config" && key != "op_type_configs" && key != "op_name_configs")
                fail(key, "unknown key (allowed: config_type, global_config, op_type_configs, op_name_configs)");
        // The short form of Apple's guide ({"global_config": {"n_bits": 6}, "op_type_configs": {"conv":
        // {"n_bits": 4}}}, the key coremltools' torch palettizer uses) has no config_type: palettization.
        const bool shortForm = !root.contains("config_type") && usesNBits(root);
        if (!shortForm && (!root.contains("config_type") || !root["config_type"].is_string()))
            fail("config_type", "missing; name the compressor, e.g. config_type: OpLinearQuantizerConfig (or give "
                                "n_bits for the short palettization form)");
        const CompressionMethod method =
            shortForm ? CompressionMethod::Palettize : methodOf(root["config_type"], "config_type");
        CompressionConfig c;
        if (root.contains("global_config") && !root["global_config"].is_null())
            c.global = op(root["global_config"], "global_config", method);
        for (const char* table : {"op_type_configs", "op_name_configs"}) {
            if (!root.contains(table) || root[table].is_null()) continue;
            const json& t = root[table];
            if (!t.is_object()) fail(table, "expected a mapping of names to configs");
            auto& out = std::string(table) == "op_type_configs" ? c.opTypes : c.opNames;
            for (const auto& [name, value] : t.items()) {
                // YAML accepts any bytes; names must survive being saved again (JSON and YAML need UTF-8 text).
                if (!printableUtf8(name))
                    fail(table, "an op name is not UTF-8 text or holds control characters; op names are letters, "
                                "digits, '_', '.' and '/'");
                const std::string key = std::string(table) + "." + name;
                out[name] = value.is_null() ? std::nullopt : std::optional<OpCompression>(op(value, key, method));
            }
        }
        return c;
    }

private:
    static bool usesNBits(const json& root) {
        const auto entry = [](const json& e) { return e.is_object() && e.contains("n_bits"); };
        if (root.contains("global_config") && entry(root["global_config"])) return true;
        for (const char* table : {"op_type_configs", "op_name_configs"})
            if (root.contains(table) && root[table].is_object())
                for (const auto& [name, e] : root[table].items())
                    if (entry(e)) return true;
        return false;
    }

    CompressionMethod methodOf(const json& j, const std::string& key) const {
        const auto m = j.is_string() ? compressionMethodFromConfigType(j.get<std::string>()) : std::nullopt;
        if (!m)
            fail(key, "expected OpLinearQuantizerConfig, OpPalettizerConfig, OpThresholdPrunerConfig or "
                      "OpMagnitudePrunerConfig");
        return *m;
    }
    int64_t integer(const json& j, const std::string& key) const {
        if (!j.is_number_integer()) fail(key, "expected an integer");
        return j.get<int64_t>();
    }
    double number(const json& j, const std::string& key) const {
        if (!j.is_number()) fail(key, "expected a number");
        return j.get<double>();
    }
    std::string string(const json& j, const std::string& key) const {
        if (!j.is_string()) fail(key, "expected a string");
        return j.get<std::string>();
    }

    OpCompression op(const json& given, const std::string& key, CompressionMethod inherited) const {
        if (!given.is_object()) fail(key, "expected a mapping of config fields (or null to leave it uncompressed)");
        json j = given;
        if (j.contains("n_bits")) {  // the torch palettizer's name for nbits (the guide's short form)
            if (j.contains("nbits")) fail(key + ".n_bits", "give nbits or n_bits, not both");
            const bool palettizer = j.contains("config_type") ? j["config_type"] == "OpPalettizerConfig"
                                                              : inherited == CompressionMethod::Palettize;
            if (!palettizer) fail(key + ".n_bits", "n_bits is a palettization field");
            j["nbits"] = j["n_bits"];
            j.erase("n_bits");
        }
        const CompressionMethod method = j.contains("config_type") ? methodOf(j["config_type"], key + ".config_type")
                                                                   : inherited;
        OpCompression c = OpCompression::defaults(method);
        std::vector<const char*> allowed;
        switch (method) {
            case CompressionMethod::LinearQuantize:
                allowed = {"config_type", "mode", "dtype", "granularity", "block_size", "weight_threshold"};
                break;
            case CompressionMethod::Palettize:
                allowed = {"config_type", "mode", "nbits", "granularity", "group_size", "channel_axis",
                           "cluster_dim", "enable_per_channel_scale", "num_kmeans_workers", "weight_threshold"};
                break;
            case CompressionMethod::ThresholdPrune:
                allowed = {"config_type", "threshold", "minimum_sparsity_percentile", "weight_threshold"};
                break;
            case CompressionMethod::MagnitudePrune:
                allowed = {"config_type", "target_sparsity", "block_size", "n_m_ratio", "dim", "weight_threshold"};
                break;
        }
        for (const auto& [name, value] : j.items()) {
            bool known = false;
            std::string list;
            for (const char* a : allowed) {
                known |= name == a;
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            if (name == "lut_function")
                fail(key + "." + name, "a custom lookup-table function cannot be given in a file");
            if (!known)
                fail(key + "." + name, "unknown key for " + compressionConfigType(method) + " (allowed: " + list + ")");
        }
        const auto has = [&](const char* k) { return j.contains(k); };
        const auto sub = [&](const char* k) { return key + "." + k; };
        if (has("weight_threshold")) {
            if (j["weight_threshold"].is_null()) c.weightThreshold.reset();
            else {
                const int64_t v = integer(j["weight_threshold"], sub("weight_threshold"));
                if (v < 0) fail(sub("weight_threshold"), "must be a non-negative integer");
                c.weightThreshold = v;
            }
        }
        const auto granularity = [&](std::initializer_list<CompressionGranularity> valid) {
            if (!has("granularity")) return;
            const std::string name = string(j["granularity"], sub("granularity"));
            const auto g = granularityFromName(name);
            std::string list;
            bool ok = false;
            for (CompressionGranularity v : valid) {
                ok |= g == v;
                list += (list.empty() ? "" : ", ") + granularityName(v);
            }
            if (!ok) fail(sub("granularity"), "\"" + name + "\" is not valid here (expected " + list + ")");
            c.granularity = *g;
        };
        switch (method) {
            case CompressionMethod::LinearQuantize: {
                if (has("mode")) {
                    c.mode = lowerCase(string(j["mode"], sub("mode")));
                    if (c.mode != "linear_symmetric" && c.mode != "linear")
                        fail(sub("mode"), "expected linear_symmetric or linear");
                }
                if (has("dtype")) {
                    const std::string d = lowerCase(string(j["dtype"], sub("dtype")));
                    if (d == "int8" || d == "uint8" || d == "int4" || d == "uint4") {
                        c.isSigned = d[0] == 'i';
                        c.bits = d.back() == '8' ? 8 : 4;
                    } else {
                        fail(sub("dtype"), "expected int8, uint8, int4 or uint4, got \"" + d + "\"");
                    }
                }
                granularity({CompressionGranularity::PerTensor, CompressionGranularity::PerChannel,
                             CompressionGranularity::PerBlock});
                if (has("block_size")) {
                    if (j["block_size"].is_array())
                        fail(sub("block_size"), "per-axis block sizes are not supported; give one number (the "
                                                "input-axis block length)");
                    const int64_t v = integer(j["block_size"], sub("block_size"));
                    if (v < 0) fail(sub("block_size"), "must be a non-negative integer");
                    c.blockSize = int(v);
                }
                break;
            }
            case CompressionMethod::Palettize: {
                if (has("mode")) {
                    c.mode = lowerCase(string(j["mode"], sub("mode")));
                    if (c.mode == "custom")
                        fail(sub("mode"), "custom mode needs a lookup-table function, which a file cannot give");
                    if (c.mode != "kmeans" && c.mode != "uniform" && c.mode != "unique")
                        fail(sub("mode"), "expected kmeans, uniform or unique");
                }
                if (has("nbits") && !j["nbits"].is_null()) {
                    if (c.mode == "unique") fail(sub("nbits"), "must not be given in unique mode (the weights decide)");
                    const int64_t v = integer(j["nbits"], sub("nbits"));
                    if (v != 1 && v != 2 && v != 3 && v != 4 && v != 6 && v != 8)
                        fail(sub("nbits"), "expected 1, 2, 3, 4, 6 or 8, got " + std::to_string(v));
                    c.bits = int(v);
                } else if (c.mode != "unique") {
                    fail(key, "\"nbits\" must be given in " + c.mode + " mode");
                }
                granularity({CompressionGranularity::PerTensor, CompressionGranularity::PerGroupedChannel});
                if (has("group_size")) {
                    const int64_t v = integer(j["group_size"], sub("group_size"));
                    if (v < 1) fail(sub("group_size"), "must be a positive integer");
                    c.groupSize = int(v);
                }
                if (has("channel_axis") && !j["channel_axis"].is_null())
                    c.channelAxis = int(integer(j["channel_axis"], sub("channel_axis")));
                if (has("cluster_dim")) {
                    const int64_t v = integer(j["cluster_dim"], sub("cluster_dim"));
                    if (v < 1) fail(sub("cluster_dim"), "must be a positive integer");
                    c.clusterDim = int(v);
                }
                if (has("enable_per_channel_scale")) {
                    if (!j["enable_per_channel_scale"].is_boolean())
                        fail(sub("enable_per_channel_scale"), "expected true or false");
                    c.perChannelScale = j["enable_per_channel_scale"].get<bool>();
                }
                if (has("num_kmeans_workers")) {
                    const int64_t v = integer(j["num_kmeans_workers"], sub("num_kmeans_workers"));
                    if (v < 1) fail(sub("num_kmeans_workers"), "must be a positive integer");
                    c.kmeansWorkers = int(v);
                }
                break;
            }
            case CompressionMethod::ThresholdPrune: {
                if (has("threshold")) {
                    c.threshold = number(j["threshold"], sub("threshold"));
                    if (c.threshold < 0) fail(sub("threshold"), "must be in [0, inf)");
                }
                if (has("minimum_sparsity_percentile")) {
                    c.minimumSparsity = number(j["minimum_sparsity_percentile"], sub("minimum_sparsity_percentile"));
                    if (c.minimumSparsity < 0 || c.minimumSparsity > 1)
                        fail(sub("minimum_sparsity_percentile"), "must be in [0, 1]");
                }
                break;
            }
            case CompressionMethod::MagnitudePrune: {
                c.targetSparsity.reset();  // the studio's starting value, not coremltools' default
                if (has("target_sparsity") && !j["target_sparsity"].is_null()) {
                    const double v = number(j["target_sparsity"], sub("target_sparsity"));
                    if (v < 0 || v > 1) fail(sub("target_sparsity"), "must be in [0, 1]");
                    c.targetSparsity = v;
                }
                if (has("n_m_ratio") && !j["n_m_ratio"].is_null()) {
                    const json& r = j["n_m_ratio"];
                    if (!r.is_array() || r.size() != 2 || !r[0].is_number_integer() || !r[1].is_number_integer())
                        fail(sub("n_m_ratio"), "expected two integers [n, m]");
                    const int n = r[0].get<int>(), m = r[1].get<int>();
                    if (n < 0 || m < 1 || n > m) fail(sub("n_m_ratio"), "expected 0 <= n <= m");
                    c.nmRatio = std::make_pair(n, m);
                }
                if (c.targetSparsity.has_value() == c.nmRatio.has_value())
                    fail(key, "give exactly one of target_sparsity and n_m_ratio");
                if (has("block_size") && !j["block_size"].is_null()) {
                    const int64_t v = integer(j["block_size"], sub("block_size"));
                    if (v <= 1) fail(sub("block_size"), "must be an integer > 1");
                    if (c.nmRatio) fail(sub("block_size"), "cannot be combined with n_m_ratio");
                    c.pruneBlockSize = int(v);
                }
                if (has("dim") && !j["dim"].is_null()) {
                    const int64_t v = integer(j["dim"], sub("dim"));
                    if (v != 0 && v != 1) fail(sub("dim"), "must be 0 or 1");
                    if (!c.pruneBlockSize && !c.nmRatio) fail(sub("dim"), "only applies with block_size or n_m_ratio");
                    c.pruneDim = int(v);
                }
                break;
            }
        }
        return c;
    }

    static std::string lowerCase(std::string s) {
        for (char& ch : s) ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    }

    std::string file_;
    std::string prefix_;
    std::function<int(const std::string&)> lineOf_;
};

// A YAML plain scalar typed the way YAML 1.1 loaders (PyYAML's safe_load) type it.
json yamlScalar(const YAML::Node& n) {
    const std::string& s = n.Scalar();
    if (n.Tag() == "!") return s;  // quoted: always a string
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    char* end = nullptr;
    errno = 0;
    const long long i = std::strtoll(s.c_str(), &end, 10);
    if (errno == 0 && end == s.c_str() + s.size()) return int64_t(i);
    errno = 0;
    const double d = std::strtod(s.c_str(), &end);
    if (errno == 0 && end == s.c_str() + s.size() && std::isfinite(d)) return d;
    return s;
}

// A config has tens of nodes. Aliases let a few lines of YAML name billions of them ("billion laughs"), which
// the conversion below would copy out: it stops at this many.
constexpr size_t kMaxYamlNodes = 100000;
struct TooManyYamlNodes {};

json yamlToJson(const YAML::Node& n, const std::string& path, std::map<std::string, int>& lines, size_t& nodesLeft) {
    if (nodesLeft == 0) throw TooManyYamlNodes{};
    --nodesLeft;
    switch (n.Type()) {
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: return nullptr;
        case YAML::NodeType::Scalar: return yamlScalar(n);
        case YAML::NodeType::Sequence: {
            json out = json::array();
            for (size_t i = 0; i < n.size(); ++i) {
                const std::string p = path + "[" + std::to_string(i) + "]";
                lines[p] = n[i].Mark().line + 1;
                out.push_back(yamlToJson(n[i], p, lines, nodesLeft));
            }
            return out;
        }
        case YAML::NodeType::Map: {
            json out = json::object();
            for (auto it = n.begin(); it != n.end(); ++it) {
                const std::string key = it->first.Scalar();
                const std::string p = path.empty() ? key : path + "." + key;
                lines[p] = it->first.Mark().line + 1;
                out[key] = yamlToJson(it->second, p, lines, nodesLeft);
            }
            return out;
        }
    }
    return nullptr;
}

// Floats as YAML 1.1 readers recognise them: PyYAML reads "1e-12" as a string, "1.0e-12" as a float.
std::string yamlFloat(double v) {
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    std::string s = buf;
    if (s.find('.') != std::string::npos || s.find("inf") != std::string::npos || s.find("nan") != std::string::npos)
        return s;
    const size_t e = s.find('e');
    return e == std::string::npos ? s + ".0" : s.insert(e, ".0");
}

// The fields of one config that differ from nothing coremltools would assume: every field its
// method uses, so a file says exactly what it does.
json opToJson(const OpCompression& c) {
    json j = json::object();
    switch (c.method) {
        case CompressionMethod::LinearQuantize:
            j["mode"] = c.mode;
            j["dtype"] = std::string(c.isSigned ? "int" : "uint") + std::to_string(c.bits);
            j["granularity"] = granularityName(c.granularity);
            if (c.granularity == CompressionGranularity::PerBlock) j["block_size"] = c.blockSize;
            break;
        case CompressionMethod::Palettize:
            j["mode"] = c.mode;
            if (c.mode != "unique") j["nbits"] = c.bits;
            j["granularity"] = granularityName(c.granularity);
            if (c.granularity == CompressionGranularity::PerGroupedChannel) j["group_size"] = c.groupSize;
            if (c.channelAxis) j["channel_axis"] = *c.channelAxis;
            if (c.clusterDim != 1) j["cluster_dim"] = c.clusterDim;
            if (c.perChannelScale) j["enable_per_channel_scale"] = true;
            if (c.kmeansWorkers != 1) j["num_kmeans_workers"] = c.kmeansWorkers;
            break;
        case CompressionMethod::ThresholdPrune:
            j["threshold"] = c.threshold;
            j["minimum_sparsity_percentile"] = c.minimumSparsity;
            break;
        case CompressionMethod::MagnitudePrune:
            if (c.targetSparsity) j["target_sparsity"] = *c.targetSparsity;
            if (c.nmRatio) j["n_m_ratio"] = {c.nmRatio->first, c.nmRatio->second};
            if (c.pruneBlockSize) j["block_size"] = *c.pruneBlockSize;
            if (c.pruneDim) j["dim"] = *c.pruneDim;
            break;
    }
    j["weight_threshold"] = c.weightThreshold ? json(*c.weightThreshold) : json(nullptr);
    return j;
}

CompressionMethod documentMethod(const CompressionConfig& c) {
    if (c.global) return c.global->method;
    for (const auto* table : {&c.opTypes, &c.opNames})
        for (const auto& [name, op] : *table)
            if (op) return op->method;
    return CompressionMethod::LinearQuantize;
}

void emitJson(YAML::Emitter& out, const json& j) {
    if (j.is_object()) {
        out << YAML::BeginMap;
        for (const auto& [k, v] : j.items()) {
            out << YAML::Key << k << YAML::Value;
            emitJson(out, v);
        }
        out << YAML::EndMap;
    } else if (j.is_array()) {
        out << YAML::Flow << YAML::BeginSeq;
        for (const json& v : j) emitJson(out, v);
        out << YAML::EndSeq;
    } else if (j.is_null()) {
        out << YAML::Null;
    } else if (j.is_boolean()) {
        out << YAML::TrueFalseBool << j.get<bool>();
    } else if (j.is_number_integer()) {
        out << j.get<int64_t>();
    } else if (j.is_number()) {
        out << yamlFloat(j.get<double>());
    } else {
        out << j.get<std::string>();
    }
}

}  // namespace

std::string compressionConfigType(CompressionMethod m) {
    switch (m) {
        case CompressionMethod::LinearQuantize: return "OpLinearQuantizerConfig";
        case CompressionMethod::Palettize: return "OpPalettizerConfig";
        case CompressionMethod::ThresholdPrune: return "OpThresholdPrunerConfig";
        case CompressionMethod::MagnitudePrune: return "OpMagnitudePrunerConfig";
    }
    return "OpLinearQuantizerConfig";
}

std::optional<CompressionMethod> compressionMethodFromConfigType(const std::string& s) {
    for (CompressionMethod m : {CompressionMethod::LinearQuantize, CompressionMethod::Palettize,
                                CompressionMethod::ThresholdPrune, CompressionMethod::MagnitudePrune})
        if (compressionConfigType(m) == s) return m;
    return std::nullopt;
}

std::string compressionMethodLabel(CompressionMethod m) {
    switch (m) {
        case CompressionMethod::LinearQuantize: return "Linear quantization";
        case CompressionMethod::Palettize: return "Palettization";
        case CompressionMethod::ThresholdPrune: return "Threshold pruning";
        case CompressionMethod::MagnitudePrune: return "Magnitude pruning";
    }
    return {};
}

std::string granularityName(CompressionGranularity g) {
    switch (g) {
        case CompressionGranularity::PerTensor: return "per_tensor";
        case CompressionGranularity::PerChannel: return "per_channel";
        case CompressionGranularity::PerGroupedChannel: return "per_grouped_channel";
        case CompressionGranularity::PerBlock: return "per_block";
    }
    return "per_tensor";
}

std::optional<CompressionGranularity> granularityFromName(const std::string& s) {
    for (CompressionGranularity g : {CompressionGranularity::PerTensor, CompressionGranularity::PerChannel,
                                     CompressionGranularity::PerGroupedChannel, CompressionGranularity::PerBlock})
        if (granularityName(g) == s) return g;
    return std::nullopt;
}

OpCompression OpCompression::defaults(CompressionMethod m) {
    OpCompression c;
    c.method = m;
    switch (m) {
        case CompressionMethod::LinearQuantize: break;
        case CompressionMethod::Palettize:
            c.mode = "kmeans";
            c.bits = 4;  // coremltools has no default; 4 bits is the common choice
            c.granularity = CompressionGranularity::PerTensor;
            break;
        case CompressionMethod::ThresholdPrune:
        case CompressionMethod::MagnitudePrune:
            c.mode.clear();
            c.granularity = CompressionGranularity::PerTensor;
            if (m == CompressionMethod::MagnitudePrune) c.targetSparsity = 0.5;
            break;
    }
    return c;
}

bool OpCompression::operator==(const OpCompression& o) const {
    // What the YAML form records is what matters: two configs are equal when they write the same.
    return opToJson(*this) == opToJson(o) && method == o.method;
}

std::optional<OpCompression> CompressionConfig::resolve(const std::string& opName, const std::string& opType) const {
    if (auto it = opNames.find(opName); it != opNames.end()) return it->second;
    if (auto it = opTypes.find(opType); it != opTypes.end()) return it->second;
    return global;
}

CompressionConfig compressionFromYaml(const std::string& text, const std::string& fileForErrors) {
    const std::string file = fileForErrors.empty() ? "compression config" : fileForErrors;
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::Settings,
                    "line " + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg, {file, {}}, kYamlHint);
    }
    std::map<std::string, int> lines;
    json tree;
    try {
        size_t nodesLeft = kMaxYamlNodes;
        tree = yamlToJson(root, "", lines, nodesLeft);
    } catch (const TooManyYamlNodes&) {
        throw Error(ErrorKind::Settings,
                    "the config expands to more than " + std::to_string(kMaxYamlNodes) + " YAML nodes (through aliases)",
                    {file, {}}, "write the config without YAML aliases (&name / *name); " + std::string(kYamlHint));
    }
    if (tree.is_null()) throw Error(ErrorKind::Settings, "the config is empty", {file, {}}, kYamlHint);
    const ConfigReader reader(file, "", [&lines](const std::string& key) {
        // The closest recorded key: a missing key is reported at its parent's line.
        for (std::string k = key; !k.empty(); k = k.substr(0, k.find_last_of('.') == std::string::npos ? 0 : k.find_last_of('.')))
            if (auto it = lines.find(k); it != lines.end()) return it->second;
        return 0;
    });
    return reader.document(tree);
}

std::string compressionToYaml(const CompressionConfig& c) {
    const json j = compressionToJson(c);
    YAML::Emitter out;
    out.SetIndent(2);
    emitJson(out, j);
    return std::string(out.c_str()) + "\n";
}

CompressionConfig loadCompressionYaml(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Settings, std::filesystem::exists(path) ? "cannot read the file" : "file not found",
                    {path, {}}, "check the path of the compression config");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return compressionFromYaml(buffer.str(), path);
}

void saveCompressionYaml(const CompressionConfig& c, const std::string& path) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << compressionToYaml(c);
    out.flush();
    if (!out)
        throw Error(ErrorKind::Settings, "cannot write the compression config", {path, {}},
                    "check that the folder exists and is writable");
}

nlohmann::json compressionToJson(const CompressionConfig& c) {
    const CompressionMethod method = documentMethod(c);
    json j = json::object();
    j["config_type"] = compressionConfigType(method);
    const auto entry = [method](const std::optional<OpCompression>& op) {
        if (!op) return json(nullptr);
        json e = opToJson(*op);
        if (op->method != method) {
            json typed = {{"config_type", compressionConfigType(op->method)}};
            typed.update(e);
            return typed;
        }
        return e;
    };
    if (c.global) j["global_config"] = entry(c.global);
    if (!c.opTypes.empty()) {
        j["op_type_configs"] = json::object();
        for (const auto& [name, op] : c.opTypes) j["op_type_configs"][name] = entry(op);
    }
    if (!c.opNames.empty()) {
        j["op_name_configs"] = json::object();
        for (const auto& [name, op] : c.opNames) j["op_name_configs"][name] = entry(op);
    }
    return j;
}

CompressionConfig compressionFromJson(const nlohmann::json& j, const std::string& fileForErrors,
                                      const std::string& keyPrefix) {
    return ConfigReader(fileForErrors, keyPrefix, {}).document(j);
}

}  // namespace cms
