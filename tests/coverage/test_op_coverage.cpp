// Op coverage against coremltools' PyTorch frontend, generated from the translator registry:
// docs/op-coverage.md must match what this test generates (it is rewritten beside the build when
// stale), and every registered translator must be exercised by at least one op-level fixture
// (tests/models/gen_ops_*.py), whose numerics tests compare it with libtorch.
#include "frontends/torchscript/torchscript_importer.h"
#include "lower/lower_context.h"
#include "support/test_support.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

using namespace cms;
namespace fs = std::filesystem;

namespace {

// Index files of op fixtures (beside the models) and the test that runs each one against libtorch.
// Fixtures with their own op_NAME.json are run by lower.test_op_numerics.
const std::map<std::string, std::string> kFixtureIndexes = {
    {"ops_vision.json", "vision.test_vision_numerics"},
};

// Translators no fixture reaches yet, each with the reason (a first name of its group). The list may
// only shrink: a listed translator that gains a fixture fails the test until it is removed here.
const std::map<std::string, std::string> kWithoutFixture = {
    {"aten::relu6", "torch 1.13 traces nn.ReLU6 and F.relu6 as aten::hardtanh"},
    {"aten::_native_batch_norm_legit_no_training", "appears in torch.export graphs only"},
    {"prim::Constant", "the importer turns constants into values, so no node reaches this translator"},
    {"aten::softsign", "torch has no aten::softsign: F.softsign traces as abs/add/div; tested by vision.test_vision_nn_forms"},
    {"aten::rms_norm", "torch 1.13 has no aten::rms_norm; tested on a built graph by vision.test_vision_nn_forms"},
    {"aten::_native_batch_norm_legit", "torch 1.13 has no aten::_native_batch_norm_legit; tested on a built graph by vision.test_vision_nn_forms"},
    {"aten::scaled_dot_product_attention", "torch 1.13 (the fixtures' torch) has no such op; lower.test_math_ops checks it"},
    {"aten::_scaled_dot_product_flash_attention_for_cpu", "a torch 2.2+ op; lower.test_math_ops checks it"},
};

std::string readText(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// coremltools' canonical spelling of a torch op kind: lower case, no aten/prim namespace, no
// dunder wrapper, no overload suffix, no in-place underscore ("aten::__and__" -> "and").
std::string canonical(std::string kind) {
    std::transform(kind.begin(), kind.end(), kind.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* ns : {"aten::", "prim::"})
        if (kind.rfind(ns, 0) == 0) kind = kind.substr(std::string(ns).size());
    if (const auto dot = kind.find('.'); dot != std::string::npos) kind = kind.substr(0, dot);
    if (kind.size() > 4 && kind.rfind("__", 0) == 0 && kind.compare(kind.size() - 2, 2, "__") == 0)
        return kind.substr(2, kind.size() - 4);
    if (kind.size() > 1 && kind.back() == '_') kind.pop_back();
    return kind;
}

struct ScopeEntry {
    std::string kind;  // "alias" or "out-of-scope"
    std::string text;  // the other name, or the reason
};

std::map<std::string, ScopeEntry> readScope() {
    std::map<std::string, ScopeEntry> out;
    std::istringstream in(readText(test::sourceDir() + "/resources/reference/torch-op-scope.txt"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string name, kind, text;
        fields >> name >> kind;
        std::getline(fields >> std::ws, text);
        out[name] = {kind, text};
    }
    return out;
}

std::vector<std::string> referenceNames() {
    std::istringstream in(readText(test::sourceDir() + "/resources/reference/coremltools-torch-ops.txt"));
    std::vector<std::string> names;
    for (std::string n; in >> n;) names.push_back(n);
    return names;
}

// One op-level fixture: its name, the test that runs it, and the op kinds its TorchScript graph holds.
struct Fixture {
    std::string name;
    std::string test;
    std::set<std::string> kinds;
};

std::vector<Fixture> opFixtures() {
    const fs::path dir = fs::path(test::testModel("ops_vision.json")).parent_path();
    std::map<std::string, std::string> testOf;
    for (const auto& [file, test] : kFixtureIndexes) {
        std::ifstream in(test::testModel(file));
        const nlohmann::json index = nlohmann::json::parse(in);
        for (const auto& [name, info] : index.items()) testOf[name] = test;
    }
    std::vector<Fixture> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("op_", 0) != 0 || entry.path().extension() != ".pt") continue;
        Fixture f;
        f.name = file.substr(3, file.size() - 6);
        if (fs::exists(dir / ("op_" + f.name + ".json")))
            f.test = "lower.test_op_numerics";
        else if (testOf.count(f.name))
            f.test = testOf[f.name];
        else
            continue;  // not run against libtorch by any test
        // Frozen, as conversion imports it: an op that freezing folds away (built from literals and
        // buffers only) never reaches its translator, so its fixture does not count for it.
        const ir::Graph g = frontends::importTorchScript(entry.path().string());
        for (const ir::Node* n : g.allNodes()) f.kinds.insert(n->kind);
        out.push_back(std::move(f));
    }
    std::sort(out.begin(), out.end(), [](const Fixture& a, const Fixture& b) { return a.name < b.name; });
    return out;
}

struct Coverage {
    const lower::TranslatorTable& table = lower::TranslatorTable::instance();
    std::vector<Fixture> fixtures = opFixtures();
    // Translator (by its registration) -> the fixtures whose graphs reach it.
    std::map<long long, std::vector<const Fixture*>> testedBy;
    // canonical name -> registered names.
    std::map<std::string, std::vector<std::string>> byCanonical;

    Coverage() {
        for (const Fixture& f : fixtures)
            for (const std::string& k : f.kinds)
                if (const long long t = table.registration(k); t >= 0) {
                    auto& list = testedBy[t];
                    if (list.empty() || list.back() != &f) list.push_back(&f);
                }
        for (const std::string& n : table.names()) byCanonical[canonical(n)].push_back(n);
    }

    // The registered name a reference name converts through, or empty.
    std::string registeredFor(const std::string& ref) const {
        for (const std::string& key : {ref, canonical(ref)}) {
            auto it = byCanonical.find(key);
            if (it != byCanonical.end()) return it->second.front();
        }
        return {};
    }

    std::string testsOf(const std::string& registered) const {
        auto it = testedBy.find(table.registration(registered));
        if (it == testedBy.end()) return "none";
        const Fixture& first = *it->second.front();
        std::string s = "`op_" + first.name + "` (" + first.test + ")";
        if (it->second.size() > 1) s += " +" + std::to_string(it->second.size() - 1);
        return s;
    }
};

std::string escapeCell(const std::string& s) {
    std::string out;
    for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
}

std::string generateTable(const Coverage& cov) {
    const std::map<std::string, ScopeEntry> scope = readScope();
    const std::vector<std::string> refs = referenceNames();
    struct Row {
        std::string name, status, via, test;
    };
    std::vector<Row> rows;
    size_t supported = 0, outOfScope = 0, missing = 0;
    std::set<std::string> usedRegistered;
    for (const std::string& ref : refs) {
        Row r{ref, "", "", ""};
        auto sc = scope.find(ref);
        std::string lookup = ref;
        std::string note;
        if (sc != scope.end() && sc->second.kind == "out-of-scope") {
            r.status = "out of scope: " + sc->second.text;
            ++outOfScope;
            rows.push_back(r);
            continue;
        }
        if (sc != scope.end() && sc->second.kind == "alias") {
            lookup = sc->second.text;
            note = " (coremltools' alias of `" + lookup + "`)";
        }
        const std::string registered = cov.registeredFor(lookup);
        if (registered.empty()) {
            r.status = "not yet" + note;
            ++missing;
        } else {
            r.status = "supported" + note;
            r.via = "`" + registered + "`";
            r.test = cov.testsOf(registered);
            usedRegistered.insert(registered);
            ++supported;
        }
        rows.push_back(r);
    }

    std::ostringstream md;
    md << "# Op coverage\n\n"
       << "Generated by `tests/coverage/test_op_coverage.cpp` from the translator registry; do not edit by hand.\n"
       << "The op names are those coremltools' PyTorch frontend converts\n"
       << "(`resources/reference/coremltools-torch-ops.txt`, in coremltools' spelling: no `aten::`, lower case, no\n"
       << "in-place underscore). `tested by` names the first op-level fixture (`tests/models/gen_ops_*.py`) whose graph\n"
       << "reaches the translator and the test that compares it with libtorch (+N: further fixtures).\n\n"
       << "| | count |\n|---|---|\n"
       << "| reference names | " << refs.size() << " |\n"
       << "| supported | " << supported << " |\n"
       << "| out of scope | " << outOfScope << " |\n"
       << "| not yet | " << missing << " |\n\n"
       << "| op | status | translator | tested by |\n|---|---|---|---|\n";
    for (const Row& r : rows)
        md << "| " << escapeCell(r.name) << " | " << escapeCell(r.status) << " | " << r.via << " | " << r.test << " |\n";

    md << "\n## Also converted\n\nTorch op kinds with a translator that the reference list does not name.\n\n"
       << "| op | tested by |\n|---|---|\n";
    for (const std::string& n : cov.table.names()) {
        bool named = usedRegistered.count(n) != 0;
        for (const std::string& ref : refs) named = named || cov.registeredFor(ref) == n;
        if (!named) md << "| `" << n << "` | " << cov.testsOf(n) << " |\n";
    }
    return md.str();
}

}  // namespace

class TestOpCoverage : public QObject {
    Q_OBJECT
private slots:
    void canonicalSpelling() {
        QCOMPARE(canonical("aten::__and__"), std::string("and"));
        QCOMPARE(canonical("aten::relu_"), std::string("relu"));
        QCOMPARE(canonical("prim::ListConstruct"), std::string("listconstruct"));
        QCOMPARE(canonical("aten::conv2d.padding"), std::string("conv2d"));
        QCOMPARE(canonical("torchvision::nms"), std::string("torchvision::nms"));
    }

    void scopeFileNamesOnlyReferenceOps() {
        const std::vector<std::string> refs = referenceNames();
        QCOMPARE(refs.size(), size_t(474));
        for (const auto& [name, entry] : readScope()) {
            QVERIFY2(std::find(refs.begin(), refs.end(), name) != refs.end(), (name + " is not a reference name").c_str());
            QVERIFY2(entry.kind == "alias" || entry.kind == "out-of-scope", (name + ": unknown kind " + entry.kind).c_str());
            QVERIFY2(!entry.text.empty(), (name + " needs a target or a reason").c_str());
        }
    }

    void coverageTableIsCurrent() {
        const Coverage cov;
        const std::string generated = generateTable(cov);
        const std::string committed = test::sourceDir() + "/docs/op-coverage.md";
        std::string current;
        if (fs::exists(committed)) current = readText(committed);
        if (generated == current) return;
        const std::string fresh = std::string(CMS_BINARY_DIR) + "/op-coverage.md";
        std::ofstream(fresh) << generated;
        QFAIL(("docs/op-coverage.md is stale (translators or fixtures changed). Review and take the new table:\n"
               "  diff " + committed + " " + fresh + "\n  cp " + fresh + " " + committed).c_str());
    }

    void everyTranslatorHasAnOpFixture() {
        const Coverage cov;
        std::map<long long, std::vector<std::string>> namesOf;
        for (const std::string& n : cov.table.names()) namesOf[cov.table.registration(n)].push_back(n);
        size_t untested = 0, stale = 0;
        for (const auto& [fn, names] : namesOf) {
            const bool listed = kWithoutFixture.count(names.front()) != 0;
            if (cov.testedBy.count(fn)) {
                if (listed) qWarning("%s now has a fixture: remove it from kWithoutFixture", names.front().c_str());
                stale += listed;
                continue;
            }
            if (listed) continue;
            std::string group;
            for (const std::string& n : names) group += (group.empty() ? "" : ", ") + n;
            qWarning("no op-level fixture reaches the translator of %s", group.c_str());  // QVERIFY2 cuts long text
            ++untested;
        }
        for (const auto& [name, reason] : kWithoutFixture)
            QVERIFY2(cov.table.find(name) != nullptr, (name + " in kWithoutFixture has no translator").c_str());
        QVERIFY2(untested == 0, (std::to_string(untested) + " translators have no op-level fixture (listed above); add "
                                 "one to tests/models/gen_ops_*.py").c_str());
        QVERIFY2(stale == 0, "kWithoutFixture lists translators that now have fixtures (listed above)");
    }
};

QTEST_APPLESS_MAIN(TestOpCoverage)
#include "test_op_coverage.moc"
