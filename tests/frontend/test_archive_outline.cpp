// The module outline read from the archive (frontends/torchscript/archive_outline.h) against the one libtorch's
// load gives: the same nodes, module groups, provenance, edges, constants and names, on every fixture it reads;
// hostile archives fall back or fail cleanly.
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <sstream>

#include "common/error.h"
#include "frontends/torchscript/archive_outline.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/safe_pickle.h"
#include "frontends/torchscript/torchscript_source.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "support/test_support.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

// A value as the view sees it: a graph input, a node's output, or a constant with its type and content.
std::string describeValue(const ir::Value* v, const ir::Graph& g, const std::map<const ir::Node*, size_t>& index) {
    std::ostringstream os;
    os << ir::valueKindName(v->kind) << ' ' << v->typeName << ' ';
    for (size_t i = 0; i < g.top().inputs.size(); ++i)
        if (g.top().inputs[i] == v) return os.str() + "input " + std::to_string(i);
    if (v->producer) {
        const auto& outs = v->producer->outputs;
        const size_t o = static_cast<size_t>(std::find(outs.begin(), outs.end(), v) - outs.begin());
        return os.str() + "node " + std::to_string(index.at(v->producer)) + "." + std::to_string(o);
    }
    if (!v->constant) return os.str() + "undefined";
    if (const auto* t = std::get_if<Tensor>(&*v->constant)) {
        os << "tensor " << dtypeName(t->dtype()) << ' ';
        for (int64_t d : t->shape()) os << d << 'x';
        // Content by a checksum of the bytes.
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i < t->nbytes(); ++i) h = (h ^ t->bytes()[i]) * 1099511628211ull;
        return os.str() + " #" + std::to_string(h);
    }
    return os.str() + "const " + ir::constantToString(*v->constant);
}

// One line per node (kind, module, source, inputs, outputs), then the inputs, outputs and their names.
std::string describe(const ir::Graph& g) {
    std::map<const ir::Node*, size_t> index;
    for (const ir::Node* n : g.top().nodes) index.emplace(n, index.size());
    std::ostringstream os;
    for (size_t i = 0; i < g.inputNames.size(); ++i)
        os << "input " << g.inputNames[i] << ": " << describeValue(g.top().inputs[i], g, index) << '\n';
    for (const ir::Node* n : g.top().nodes) {
        os << index.at(n) << ' ' << n->kind << " [" << n->prov.modulePath << " : " << n->prov.moduleType << " @ "
           << n->prov.file << ':' << n->prov.line << "] blocks " << n->blocks.size() << '\n';
        for (const ir::Value* in : n->inputs) os << "    < " << describeValue(in, g, index) << '\n';
        for (const ir::Value* out : n->outputs)
            os << "    > " << ir::valueKindName(out->kind) << ' ' << out->typeName << '\n';
    }
    for (size_t i = 0; i < g.outputNames.size(); ++i)
        os << "output " << g.outputNames[i] << ": " << describeValue(g.top().outputs[i], g, index) << '\n';
    for (const std::string& w : g.warnings) os << "warning " << w << '\n';
    return os.str();
}

ir::Graph libtorchOutline(const std::string& path) {
    frontends::TorchScriptImportOptions options;
    options.outline = true;
    options.outlineFromArchive = false;
    return frontends::importTorchScript(path, options);
}

ir::Graph archiveOutline(const std::string& path) {
    frontends::TorchScriptImportOptions options;
    options.outline = true;
    return frontends::importTorchScript(path, options);
}

// The first line where two descriptions differ, for a readable failure.
std::string firstDifference(const std::string& a, const std::string& b) {
    std::istringstream sa(a), sb(b);
    std::string la, lb;
    for (int line = 1;; ++line) {
        const bool ha = static_cast<bool>(std::getline(sa, la)), hb = static_cast<bool>(std::getline(sb, lb));
        if (!ha && !hb) return {};
        if (la != lb || ha != hb)
            return "line " + std::to_string(line) + ":\n  archive: " + (ha ? la : "(end)") +
                   "\n  libtorch: " + (hb ? lb : "(end)");
    }
}

}  // namespace

class TestArchiveOutline : public QObject {
    Q_OBJECT
private slots:
    // Models the archive reader must read itself (no fallback), each equal to libtorch's outline.
    void readsAndMatchesLibtorch_data() {
        QTest::addColumn<QString>("model");
        for (const char* m : {"demo_cnn.pt", "tv_resnet18.pt", "tv_densenet121.pt", "zoo_vit_b_16.pt",
                              "outline_head_transformer.pt", "outline_scripted_calls.pt", "tuple_output.pt",
                              "training_mode.pt", "traced_training_mode.pt", "tv_mobilenet_v3_small.pt"})
            QTest::newRow(m) << QString(m);
    }
    void readsAndMatchesLibtorch() {
        QFETCH(QString, model);
        const std::string path = test::testModel(model.toStdString());
        std::string whyNot;
        const auto outline = frontends::readArchiveOutline(path, frontends::probeArchive(path), &whyNot);
        QVERIFY2(outline.has_value(), whyNot.c_str());
        QVERIFY(outline->graph.nodeCount() > 0);
        const std::string fromArchive = describe(archiveOutline(path));
        const std::string fromLibtorch = describe(libtorchOutline(path));
        QVERIFY2(fromArchive == fromLibtorch, firstDifference(fromArchive, fromLibtorch).c_str());
    }

    // Every TorchScript fixture (the op fixtures included): read from the archive and equal to libtorch's
    // outline, or left to libtorch. Models given in CMS_OUTLINE_MODELS (':'-separated, e.g. the bench's
    // transformer24.pt and vit_b_16.pt) are checked the same way.
    void everyFixtureMatchesOrFallsBack() {
        std::vector<std::string> paths;
        const fs::path dir = fs::path(test::testModel("demo_cnn.pt")).parent_path();
        for (const auto& e : fs::directory_iterator(dir))
            if (e.path().extension() == ".pt") paths.push_back(e.path().string());
        std::sort(paths.begin(), paths.end());
        if (const char* extra = std::getenv("CMS_OUTLINE_MODELS")) {
            std::stringstream list(extra);
            for (std::string p; std::getline(list, p, ':');)
                if (!p.empty()) paths.push_back(p);
        }
        size_t read = 0, fellBack = 0;
        std::map<std::string, size_t> reasons;
        for (const std::string& path : paths) {
            const auto probe = frontends::probeArchive(path);
            if (probe.kind != frontends::ArchiveKind::TorchScript) continue;
            std::string whyNot;
            const auto outline = frontends::readArchiveOutline(path, probe, &whyNot);
            if (!outline) {
                ++fellBack;
                ++reasons[whyNot.substr(0, 60)];
                continue;
            }
            std::string fromLibtorch;
            try {
                fromLibtorch = describe(libtorchOutline(path));
            } catch (const Error&) {
                continue;  // libtorch cannot load it (a damaged fixture): the full import reports that
            }
            ++read;
            const std::string fromArchive = describe(archiveOutline(path));
            const std::string where = path + ": " + firstDifference(fromArchive, fromLibtorch);
            QVERIFY2(fromArchive == fromLibtorch, where.c_str());
        }
        qInfo("%zu outlines read from the archive and equal to libtorch's, %zu left to libtorch", read, fellBack);
        for (const auto& [reason, count] : reasons) qInfo("  %zu: %s", count, reason.c_str());
        QVERIFY(read > 380);
    }

    // Hostile data.pkl, code or storages in a valid zip: the archive reader declines (nothing run, nothing
    // crashed), and the import falls back to libtorch, which loads it (giving its own outline) or fails with a
    // clean error. Archives without debug records are read, with the serialized code's lines as libtorch gives.
    void hostileArchivesFallBackCleanly_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("expected");  // "refused", "libtorch" (loads after the fallback) or "read"
        QTest::newRow("pickle_exec") << "outline_hostile_pickle_exec.pt" << "refused";
        QTest::newRow("pickle_truncated") << "outline_hostile_pickle_truncated.pt" << "refused";
        QTest::newRow("pickle_cycle") << "outline_hostile_pickle_cycle.pt" << "refused";
        QTest::newRow("pickle_deep") << "outline_hostile_pickle_deep.pt" << "refused";
        QTest::newRow("pickle_very_deep") << "outline_hostile_pickle_very_deep.pt" << "refused";
        QTest::newRow("pickle_long_string") << "outline_hostile_pickle_long_string.pt" << "refused";
        QTest::newRow("code_control_flow") << "outline_hostile_code_control_flow.pt" << "libtorch";
        QTest::newRow("code_garbage") << "outline_hostile_code_garbage.pt" << "refused";
        QTest::newRow("code_unbalanced") << "outline_hostile_code_unbalanced.pt" << "refused";
        QTest::newRow("debug_missing") << "outline_hostile_debug_missing.pt" << "read";
    }
    void hostileArchivesFallBackCleanly() {
        QFETCH(QString, model);
        QFETCH(QString, expected);
        const std::string path = test::testModel(model.toStdString());
        std::string whyNot;
        const bool read = frontends::readArchiveOutline(path, frontends::probeArchive(path), &whyNot).has_value();
        QCOMPARE(read, expected == "read");
        QVERIFY(read || !whyNot.empty());
        try {
            const ir::Graph g = archiveOutline(path);
            QVERIFY2(expected != "refused", "libtorch loaded an archive it should refuse");
            const std::string fromArchive = describe(g), fromLibtorch = describe(libtorchOutline(path));
            QVERIFY2(fromArchive == fromLibtorch, firstDifference(fromArchive, fromLibtorch).c_str());
        } catch (const Error& e) {
            QVERIFY2(expected == "refused", e.what());
            QVERIFY2(e.kind() != ErrorKind::Internal, e.what());
            QVERIFY(!e.hint().empty());
        }
        QVERIFY(!fs::exists("/tmp/cms_outline_pwned.txt"));
    }

    // The pickle reader keeps classes and calls as data, and an object built once is the same value wherever
    // the memo refers to it (a module shared by two parents has its attributes in both places).
    void pickleReaderKeepsObjectsAsData() {
        using namespace frontends::pickle;
        using namespace std::string_literals;
        // {"a": obj, "b": obj} with obj = __torch__.m.C() built with {"training": False}.
        const std::string bytes = "\x80\x02}(X\x01\x00\x00\x00" "a" "c__torch__.m\nC\nq\x00)\x81q\x01}"
                                  "X\x08\x00\x00\x00" "training\x89sbX\x01\x00\x00\x00" "bh\x01u."s;
        const ValuePtr root = parse(bytes, "data.pkl");
        QVERIFY(root->is(Kind::Dict));
        const Value* a = root->find("a");
        const Value* b = root->find("b");
        QVERIFY(a && b && a == b);
        QVERIFY(b->is(Kind::Object));
        QCOMPARE(b->globalName(), std::string("__torch__.m C"));
        QVERIFY(b->items[1]->find("training") && !b->items[1]->find("training")->boolean);
        // LONG1 with a negative value.
        QCOMPARE(parse("\x80\x02\x8a\x02\x00\xff."s, "x")->integer, int64_t(-256));
    }
    void pickleReaderRefusesHostileStreams_data() {
        using namespace std::string_literals;
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("self append") << QByteArray::fromStdString("\x80\x02]q\x00h\x00" "a."s) << "contains itself";
        QTest::newRow("changed after use")
            << QByteArray::fromStdString("\x80\x02]q\x00h\x00\x85h\x00Na0."s) << "after it was used";
        QTest::newRow("build on a list") << QByteArray("\x80\x02]}b.") << "not a new object";
        // Found by fuzz_safe_pickle: an object built with itself as its state (NEWOBJ, DUP, BUILD).
        QTest::newRow("own state") << QByteArray("\x80\x02" "cm\nC\n)\x81" "2b.") << "its own state";
        QTest::newRow("unknown opcode") << QByteArray("\x80\x02\xff.") << "unsupported pickle opcode";
        QTest::newRow("after stop") << QByteArray("\x80\x02N.N") << "after the end";
        QTest::newRow("memo never stored") << QByteArray("\x80\x02h\x07.") << "never stored";
        QTest::newRow("cut off") << QByteArray::fromStdString("\x80\x02X\xff\x00\x00\x00" "ab"s) << "cut off";
        QTest::newRow("empty stack") << QByteArray("\x80\x02R.") << "stack is empty";
        QTest::newRow("deep") << QByteArray("\x80\x02") + QByteArray(600, '(') + "]" + QByteArray(600, 'l') + "."
                              << "nesting deeper";
    }
    void pickleReaderRefusesHostileStreams() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        try {
            frontends::pickle::parse(bytes.toStdString(), "data.pkl");
            QFAIL("accepted");
        } catch (const Error& e) {
            QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
            QCOMPARE(e.file(), std::string("data.pkl"));
            QVERIFY(e.kind() == ErrorKind::Input);
        }
    }

    // The code parser reads the straight-line subset and refuses the rest (the outline then falls back), without
    // recursing once per bracket of hostile code.
    void codeParserRefusesWhatItDoesNotFollow_data() {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("expected");
        QTest::newRow("deep brackets") << QString(100000, '(') + "x" + QString(100000, ')') << "nested too deeply";
        QTest::newRow("operator") << "x + x" << "operator";
        QTest::newRow("subscript") << "x[0]" << "subscripts";
        QTest::newRow("unterminated string") << "torch.f(x, \"a)" << "unterminated";
        QTest::newRow("unbalanced") << "torch.f((x)" << "unbalanced";
    }
    void codeParserRefusesWhatItDoesNotFollow() {
        QFETCH(QString, body);
        QFETCH(QString, expected);
        const std::string code = "class M(Module):\n  w : Tensor\n  def forward(self: __torch__.M,\n"
                                 "    x: Tensor) -> Tensor:\n    y = torch.relu(x)\n    return " +
                                 body.toStdString() + "\n";
        try {
            frontends::tssource::readClass(code, "M", "forward", false);
            QFAIL("accepted");
        } catch (const frontends::tssource::NotUnderstood& e) {
            QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
        }
        // The signature alone and the attributes are still read.
        const std::string plain = "class M(Module):\n  w : Tensor\n  def forward(self: __torch__.M,\n    x: Tensor) -> "
                                  "Tuple[Tensor, int]:\n    return (x, 1)\n";
        const auto cls = frontends::tssource::readClass(plain, "M", "forward", false);
        QVERIFY(cls && cls->method && cls->attributes.count("w"));
        QCOMPARE(cls->method->params.size(), size_t(2));
        QCOMPARE(cls->method->returns.args.size(), size_t(2));
        QCOMPARE(cls->method->body.size(), size_t(1));
    }

    // A storage shorter than the tensor data.pkl builds on it (with a valid checksum): the reader declines it.
    // (libtorch's load accepts such an archive; what its fallback then reads is libtorch's matter.)
    void shortStorageIsDeclined() {
        const std::string path = test::testModel("outline_hostile_storage_short.pt");
        std::string whyNot;
        QVERIFY(!frontends::readArchiveOutline(path, frontends::probeArchive(path), &whyNot));
        QVERIFY2(whyNot.find("storage") != std::string::npos, whyNot.c_str());
    }
};

QTEST_APPLESS_MAIN(TestArchiveOutline)
#include "test_archive_outline.moc"
