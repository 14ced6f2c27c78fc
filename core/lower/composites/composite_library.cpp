#include "lower/composites/composite_library.h"

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "common/error.h"
#include "common/resource_path.h"
#include "lower/composites/composite_loader.h"
#include "lower/composites/composite_translator.h"

namespace cms::lower {

namespace fs = std::filesystem;

namespace {

constexpr const char* kBuiltinPrefix = "builtin:";

std::vector<std::string> yamlFilesIn(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string ext = entry.path().extension().string();
        if (entry.is_regular_file(ec) && (ext == ".yaml" || ext == ".yml" || ext == ".json")) out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Graph nodes carry the op's name without the overload ("aten::add", not "aten::add.Tensor").
std::string withoutOverload(const std::string& op) {
    const auto colon = op.find("::");
    return op.substr(0, op.find('.', colon == std::string::npos ? 0 : colon));
}

std::vector<CompositePtr> shared(std::vector<Composite> list) {
    std::vector<CompositePtr> out;
    for (Composite& c : list) out.push_back(std::make_shared<const Composite>(std::move(c)));
    return out;
}

}  // namespace

std::string compositesResourceDir() { return findResourceDir("composites"); }

std::vector<std::string> optionalCompositeSets() {
    std::vector<std::string> out;
    const std::string dir = compositesResourceDir();
    if (dir.empty()) return out;
    for (const std::string& f : yamlFilesIn(fs::path(dir) / "optional")) out.push_back(fs::path(f).stem().string());
    return out;
}

const std::vector<CompositePtr>& builtinComposites() {
    static std::once_flag once;
    static std::vector<CompositePtr> list;
    std::call_once(once, [] {
        const std::string dir = compositesResourceDir();
        if (dir.empty()) return;
        for (const std::string& file : yamlFilesIn(dir))
            for (CompositePtr& c : shared(loadCompositeFile(file, "built-in"))) list.push_back(std::move(c));
    });
    return list;
}

std::vector<CompositePtr> optionalComposites(const std::string& setName) {
    const std::string dir = compositesResourceDir();
    const fs::path file = fs::path(dir) / "optional" / (setName + ".yaml");
    std::error_code ec;
    if (dir.empty() || !fs::is_regular_file(file, ec)) {
        std::string sets;
        for (const std::string& s : optionalCompositeSets()) sets += (sets.empty() ? "" : ", ") + std::string(kBuiltinPrefix) + s;
        throw Error(ErrorKind::Settings, "there is no built-in composite set named \"" + setName + "\"", {},
                    sets.empty() ? "the built-in composites were not found (resources/composites); reinstall the app"
                                 : "the built-in sets are: " + sets);
    }
    return shared(loadCompositeFile(file.string(), "built-in set " + std::string(kBuiltinPrefix) + setName));
}

std::vector<CompositePtr> loadComposites(const std::vector<std::string>& entries) {
    std::vector<CompositePtr> out;
    for (const std::string& entry : entries) {
        std::vector<CompositePtr> part = entry.rfind(kBuiltinPrefix, 0) == 0
                                             ? optionalComposites(entry.substr(std::string(kBuiltinPrefix).size()))
                                             : shared(loadCompositeFile(entry, entry));
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

TranslatorTable translatorTableFor(const std::vector<std::string>& compositeEntries) {
    TranslatorTable table = TranslatorTable::instance();
    for (const CompositePtr& c : builtinComposites()) {
        const std::string name = withoutOverload(c->schema.op);
        if (!table.find(name)) table.add({name.c_str()}, compositeTranslator(c));
    }
    for (const CompositePtr& c : loadComposites(compositeEntries)) {
        const std::string name = withoutOverload(c->schema.op);
        table.add({name.c_str()}, compositeTranslator(c));
    }
    return table;
}

CompositePtr findComposite(const std::vector<CompositePtr>& list, const std::string& kind) {
    std::vector<std::string> names{kind};
    const auto colon = kind.find("::");
    const auto dot = kind.find('.', colon == std::string::npos ? 0 : colon);
    std::string base = dot == std::string::npos ? kind : kind.substr(0, dot);
    names.push_back(base);
    if (base.size() > 2 && base.back() == '_' && base[base.size() - 2] != '_') names.push_back(base.substr(0, base.size() - 1));
    for (const std::string& name : names)
        for (auto it = list.rbegin(); it != list.rend(); ++it)
            if (withoutOverload((*it)->schema.op) == name) return *it;
    return nullptr;
}

}  // namespace cms::lower
