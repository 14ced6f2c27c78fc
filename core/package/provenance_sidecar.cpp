#include "package/provenance_sidecar.h"

#include <cstdint>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace cms::package {

namespace {
constexpr int kFormatVersion = 1;
}

std::string provenanceToJson(const std::map<std::string, ir::Provenance>& byOpName) {
    nlohmann::json ops = nlohmann::json::object();
    for (const auto& [name, p] : byOpName) {
        nlohmann::json e = nlohmann::json::object();
        if (!p.modulePath.empty()) e["modulePath"] = p.modulePath;
        if (!p.moduleType.empty()) e["moduleType"] = p.moduleType;
        if (!p.sourceOp.empty()) e["sourceOp"] = p.sourceOp;
        if (!p.file.empty()) e["file"] = p.file;
        if (p.line > 0) e["line"] = p.line;
        if (p.sourceNode >= 0) e["sourceNode"] = p.sourceNode;
        ops[name] = std::move(e);
    }
    nlohmann::json j = {{"formatVersion", kFormatVersion}, {"ops", std::move(ops)}};
    return j.dump(1) + "\n";
}

namespace {
// An integer field within [lo, hi]; `fallback` when absent, nullopt when not such an integer. (nlohmann's
// get<int>() of a float outside int's range is undefined behaviour, so type and range are checked first.)
std::optional<int64_t> integerField(const nlohmann::json& entry, const char* key, int64_t lo, int64_t hi,
                                    int64_t fallback) {
    const auto it = entry.find(key);
    if (it == entry.end()) return fallback;
    if (!it->is_number_integer()) return std::nullopt;
    if (it->is_number_unsigned()) {
        if (it->get<uint64_t>() > uint64_t(hi)) return std::nullopt;
    } else if (it->get<int64_t>() < lo || it->get<int64_t>() > hi) {
        return std::nullopt;
    }
    return it->get<int64_t>();
}
}  // namespace

std::map<std::string, ir::Provenance> provenanceFromJson(const std::string& text, const std::string& file) {
    const auto invalid = [&](const std::string& what) {
        return Error(ErrorKind::Package, "invalid provenance file " + file + ": " + what, {file, {}},
                     "The package's provenance sidecar is damaged; convert the model again to restore it.");
    };
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw invalid(std::string("not valid JSON (") + e.what() + ")");
    }
    if (!j.is_object() || !j.contains("ops") || !j["ops"].is_object()) throw invalid("no \"ops\" object");
    if (!j.contains("formatVersion") || !j["formatVersion"].is_number_integer() ||
        j["formatVersion"].get<int64_t>() > kFormatVersion)
        throw invalid("unsupported formatVersion");
    std::map<std::string, ir::Provenance> out;
    for (const auto& [name, e] : j["ops"].items()) {
        if (!e.is_object()) throw invalid("entry for op " + name + " is not an object");
        ir::Provenance p;
        try {
            p.modulePath = e.value("modulePath", std::string());
            p.moduleType = e.value("moduleType", std::string());
            p.sourceOp = e.value("sourceOp", std::string());
            p.file = e.value("file", std::string());
            const auto line = integerField(e, "line", 0, std::numeric_limits<int>::max(), 0);
            const auto sourceNode = integerField(e, "sourceNode", -1, std::numeric_limits<int64_t>::max(), -1);
            if (!line || !sourceNode) throw invalid("entry for op " + name + " has a line or node number out of range");
            p.line = static_cast<int>(*line);
            p.sourceNode = *sourceNode;
        } catch (const nlohmann::json::exception&) {
            throw invalid("entry for op " + name + " has a field of the wrong type");
        }
        out[name] = std::move(p);
    }
    return out;
}

}  // namespace cms::package
