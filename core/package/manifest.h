#pragma once
// Manifest.json of an .mlpackage: which files the package holds (items under Data/), who wrote each and
// which one is the root model. Identifiers are random UUIDs in upper case, as Core ML's tools write them.
#include <string>
#include <vector>

namespace cms::package {

struct ManifestItem {
    std::string identifier;
    std::string path;  // relative to Data/: "<author>/<name>"
    std::string name;
    std::string author;
    std::string description;
};

class Manifest {
public:
    static constexpr const char* kFileFormatVersion = "1.0.0";

    // Adds an item for Data/<author>/<name> with a fresh identifier. Throws when author/name exists.
    const ManifestItem& addItem(const std::string& name, const std::string& author, const std::string& description);
    void setRootModel(const std::string& identifier);

    const ManifestItem* findItem(const std::string& identifier) const;
    const ManifestItem* findItem(const std::string& name, const std::string& author) const;
    const ManifestItem* rootModel() const { return findItem(rootModelIdentifier_); }
    const std::vector<ManifestItem>& items() const { return items_; }
    const std::string& fileFormatVersion() const { return fileFormatVersion_; }
    const std::string& rootModelIdentifier() const { return rootModelIdentifier_; }

    // JSON as Core ML's tools write it: four-space indent, sorted keys, final newline.
    std::string toJson() const;
    // Parses and validates (version, item fields, root identifier). Errors name `fileForErrors`.
    static Manifest fromJson(const std::string& text, const std::string& fileForErrors);

private:
    std::string fileFormatVersion_ = kFileFormatVersion;
    std::vector<ManifestItem> items_;
    std::string rootModelIdentifier_;
};

// A random (version 4) UUID: 8-4-4-4-12 upper-case hex digits.
std::string newItemIdentifier();

}  // namespace cms::package
