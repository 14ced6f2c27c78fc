#include "analysis/unsupported_help.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "common/resource_path.h"

namespace cms::analysis {

namespace {

std::string fill(std::string text, const std::string& op, const std::string& schema) {
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{op}", op}, {"{schema}", schema}})
        for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

OpHelp readHelp(const YAML::Node& n) {
    OpHelp h;
    h.listed = true;
    if (n["explanation"]) h.explanation = n["explanation"].as<std::string>();
    if (n["composite"]) h.compositePossible = n["composite"].as<bool>();
    if (n["outside"]) h.outside = n["outside"].as<std::string>();
    if (const YAML::Node r = n["rewrites"])
        for (const auto& item : r) h.rewrites.push_back({item["title"].as<std::string>(), item["detail"].as<std::string>()});
    return h;
}

// "aten::dequantize.self" -> the names an entry may use for it.
std::vector<std::string> spellings(const std::string& op) {
    std::vector<std::string> out{op};
    const auto colon = op.find("::");
    const std::string base = op.substr(0, op.find('.', colon == std::string::npos ? 0 : colon));
    out.push_back(base);
    if (base.rfind("aten::", 0) == 0) {
        out.push_back(op.substr(6));
        out.push_back(base.substr(6));
    }
    if (colon != std::string::npos) {  // coremltools writes "ns.op" for some namespaces
        std::string dotted = op;
        dotted.replace(colon, 2, ".");
        out.push_back(dotted);
    }
    return out;
}

}  // namespace

OpHelpLibrary OpHelpLibrary::load(const std::string& path) {
    OpHelpLibrary lib;
    try {
        const YAML::Node root = YAML::LoadFile(path);
        lib.fallback_ = readHelp(root["fallback"]);
        lib.fallback_.listed = false;
        for (const auto& e : root["entries"]) {
            Entry entry;
            for (const auto& name : e["ops"]) entry.ops.push_back(name.as<std::string>());
            entry.help = readHelp(e);
            lib.entries_.push_back(std::move(entry));
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorKind::Internal, std::string("the op help file is malformed: ") + e.what(), ErrorLocation{path, {}},
                    "reinstall the app; this file ships with it");
    }
    return lib;
}

const OpHelpLibrary& OpHelpLibrary::shipped() {
    static const OpHelpLibrary lib = [] {
        const std::string dir = findResourceDir("ops");
        if (dir.empty())
            throw Error(ErrorKind::Internal, "the op help file (resources/ops/unsupported-op-help.yaml) was not found",
                        {}, "reinstall the app, or set CMS_RESOURCES_DIR to its resources folder");
        return load(dir + "/unsupported-op-help.yaml");
    }();
    return lib;
}

OpHelp OpHelpLibrary::lookup(const std::string& op, const std::string& schema) const {
    for (const std::string& name : spellings(op))
        for (const Entry& e : entries_)
            for (const std::string& listed : e.ops)
                if (listed == name) {
                    OpHelp h = e.help;
                    h.explanation = fill(h.explanation, op, schema);
                    h.outside = fill(h.outside, op, schema);
                    return h;
                }
    // Custom Keras layers are named after their Python class: one entry covers them all.
    if (op.rfind("keras::", 0) == 0)
        for (const Entry& e : entries_)
            if (std::find(e.ops.begin(), e.ops.end(), "keras::*") != e.ops.end()) {
                OpHelp h = e.help;
                h.explanation = fill(h.explanation, op, schema);
                h.outside = fill(h.outside, op, schema);
                return h;
            }
    OpHelp h = fallback_;
    h.explanation = fill(h.explanation, op, schema.empty() ? "its schema is not known to this build" : schema);
    h.outside = fill(h.outside, op, schema);
    return h;
}

std::vector<std::string> OpHelpLibrary::listedNames() const {
    std::vector<std::string> out;
    for (const Entry& e : entries_) out.insert(out.end(), e.ops.begin(), e.ops.end());
    return out;
}

}  // namespace cms::analysis
