#include "package/manifest.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace cms::package {

namespace {
[[noreturn]] void invalid(const std::string& file, const std::string& what) {
    throw Error(ErrorKind::Package, "invalid package manifest " + file + ": " + what, {file, {}},
                "The package is damaged or was not written by a Core ML tool: convert the model again.");
}

// A relative path that cannot climb out of Data/.
bool insideData(const std::string& path) {
    if (path.empty() || path.front() == '/') return false;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = std::min(path.find('/', start), path.size());
        if (path.compare(start, end - start, "..") == 0 && end - start == 2) return false;
        start = end + 1;
    }
    return true;
}

// Core ML's reader accepts major.minor.patch not newer than the version it implements.
bool supportedVersion(const std::string& v) {
    int major = 0, minor = 0, patch = 0;
    char tail = 0;
    if (std::sscanf(v.c_str(), "%d.%d.%d%c", &major, &minor, &patch, &tail) != 3) return false;
    if (major < 0 || minor < 0 || patch < 0) return false;
    return major < 1 || (major == 1 && minor == 0 && patch == 0);
}
}  // namespace

std::string newItemIdentifier() {
    static thread_local std::mt19937_64 rng{[] {
        std::random_device rd;
        std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
        return std::mt19937_64(seq);
    }()};
    uint8_t b[16];
    for (int i = 0; i < 16; i += 8) {
        const uint64_t r = rng();
        for (int j = 0; j < 8; ++j) b[i + j] = static_cast<uint8_t>(r >> (8 * j));
    }
    b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);  // version 4 (random)
    b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out, "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return out;
}

const ManifestItem& Manifest::addItem(const std::string& name, const std::string& author,
                                      const std::string& description) {
    if (findItem(name, author))
        throw Error(ErrorKind::Internal, "package manifest already has an item " + author + "/" + name);
    std::string id;
    do id = newItemIdentifier();
    while (findItem(id));
    items_.push_back({id, author + "/" + name, name, author, description});
    return items_.back();
}

void Manifest::setRootModel(const std::string& identifier) {
    if (!findItem(identifier)) throw Error(ErrorKind::Internal, "root model " + identifier + " is not a manifest item");
    rootModelIdentifier_ = identifier;
}

const ManifestItem* Manifest::findItem(const std::string& identifier) const {
    for (const auto& it : items_)
        if (it.identifier == identifier) return &it;
    return nullptr;
}

const ManifestItem* Manifest::findItem(const std::string& name, const std::string& author) const {
    for (const auto& it : items_)
        if (it.name == name && it.author == author) return &it;
    return nullptr;
}

std::string Manifest::toJson() const {
    nlohmann::json j;  // objects keep keys sorted, as Core ML's writer does
    j["fileFormatVersion"] = fileFormatVersion_;
    nlohmann::json entries = nlohmann::json::object();
    for (const auto& it : items_)
        entries[it.identifier] = {
            {"author", it.author}, {"description", it.description}, {"name", it.name}, {"path", it.path}};
    j["itemInfoEntries"] = entries;
    if (!rootModelIdentifier_.empty()) j["rootModelIdentifier"] = rootModelIdentifier_;
    return j.dump(4) + "\n";
}

Manifest Manifest::fromJson(const std::string& text, const std::string& file) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        invalid(file, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!j.is_object()) invalid(file, "the top level is not a JSON object");
    Manifest m;
    const auto version = j.find("fileFormatVersion");
    if (version == j.end() || !version->is_string()) invalid(file, "fileFormatVersion is missing");
    m.fileFormatVersion_ = version->get<std::string>();
    if (!supportedVersion(m.fileFormatVersion_))
        invalid(file, "fileFormatVersion " + m.fileFormatVersion_ + " is not a supported major.minor.patch version");
    const auto entries = j.find("itemInfoEntries");
    if (entries != j.end()) {
        if (!entries->is_object()) invalid(file, "itemInfoEntries is not an object");
        for (const auto& [id, e] : entries->items()) {
            ManifestItem it;
            it.identifier = id;
            for (auto [key, field] : {std::pair<const char*, std::string*>{"path", &it.path}, {"name", &it.name},
                                      {"author", &it.author}, {"description", &it.description}}) {
                const auto f = e.is_object() ? e.find(key) : e.end();
                if (f == e.end() || !f->is_string())
                    invalid(file, "item " + id + " has no string \"" + std::string(key) + "\"");
                *field = f->get<std::string>();
            }
            if (!insideData(it.path))
                invalid(file, "item " + id + " has path \"" + it.path + "\" outside the package's Data folder");
            m.items_.push_back(std::move(it));
        }
    }
    const auto root = j.find("rootModelIdentifier");
    if (root != j.end()) {
        if (!root->is_string()) invalid(file, "rootModelIdentifier is not a string");
        m.rootModelIdentifier_ = root->get<std::string>();
        if (!m.findItem(m.rootModelIdentifier_))
            invalid(file, "rootModelIdentifier " + m.rootModelIdentifier_ + " names no item");
    }
    return m;
}

}  // namespace cms::package
