#include "package/provenance_sidecar.h"

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
        j["formatVersion"].get<int>() > kFormatVersion)
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
            p.line = e.value("line", 0);
            p.sourceNode = e.value("sourceNode", -1LL);
        } catch (const nlohmann::json::exception&) {
            throw invalid("entry for op " + name + " has a field of the wrong type");
        }
        out[name] = std::move(p);
    }
    return out;
}

}  // namespace cms::package
