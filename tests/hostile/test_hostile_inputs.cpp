// Hostile and broken inputs (docs/reliability.md): every one gives a clear error naming the file and what to do, or
// is accepted where it is harmless; none crashes, none leaves partial output, and a package already at the output
// path stays as it was. Four families, one data row each:
//   text      the committed files under tests/hostile/corpus/ (settings, compression, composites, manifests,
//             Keras files that crash libhdf5), with the outcome each must give in tests/hostile/corpus/expected.tsv
//   package   a valid package damaged at test time (weight offsets past the end, bad sentinels, ../ references)
//   archive   a TorchScript fixture truncated or bit-flipped at test time (zip directory, CRCs, magic)
//   convert   whole conversions: NaN weights, MIL keywords as names, colliding and non-UTF-8 names, huge shapes,
//             an output path that is a file, a read-only folder, a full disk, not enough memory
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>

#include "common/error.h"
#include "converter.h"
#include "frontends/keras/keras_importer.h"
#include "hostile/hostile_support.h"
#include "lower/composites/composite_loader.h"
#include "package/durable_file.h"
#include "package/manifest.h"
#include "package/package.h"
#include "package/package_test_programs.h"
#include "package/proto/model.pb.h"
#include "package/provenance_sidecar.h"
#include "package/weight_blob.h"
#include "settings/compression_config.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;
namespace fs = std::filesystem;

// AddressSanitizer maps terabytes of shadow memory: limits on address space or data size break it, not us.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif

namespace {

const std::string kCorpus = sourceDir() + "/tests/hostile/corpus";

// ---- text corpus ----

struct Expectation {
    bool error = true;
    std::string contains;
};

std::map<std::string, Expectation> expectations() {
    std::map<std::string, Expectation> out;
    std::ifstream in(kCorpus + "/expected.tsv");
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream fields(line);
        std::string file, outcome, contains;
        std::getline(fields, file, '\t');
        std::getline(fields, outcome, '\t');
        std::getline(fields, contains);
        out[file] = {outcome == "error", contains};
    }
    return out;
}

void parseCorpusFile(const std::string& relative, const std::string& path) {
    const std::string family = relative.substr(0, relative.find('/'));
    if (family == "settings") loadSettings(path);
    else if (family == "compression") loadCompressionYaml(path);
    else if (family == "composites") lower::loadCompositeFile(path, "hostile corpus");
    else if (family == "manifest") package::Manifest::fromJson(package::readWholeFile(path), path);
    else if (family == "provenance") package::provenanceFromJson(package::readWholeFile(path), path);
    else if (family == "keras") frontends::importKeras(path);
    else throw std::runtime_error("no parser for corpus folder " + family);
}

// ---- packages ----

using Bytes = std::string;
const char* const kModel = "Data/com.apple.CoreML/model.mlmodel";
const char* const kWeights = "Data/com.apple.CoreML/weights/weight.bin";

template <class T>
void poke(Bytes& b, size_t at, T v) {
    std::memcpy(&b[at], &v, sizeof v);
}

// The first weight-file value in the model, for edits of the reference a const makes.
coreml::mil::Value::BlobFileValue* firstBlobReference(coreml::Model& m) {
    for (auto& [name, f] : *m.mutable_mlprogram()->mutable_functions())
        for (auto& [opset, block] : *f.mutable_block_specializations())
            for (auto& op : *block.mutable_operations())
                for (auto& [key, value] : *op.mutable_attributes())
                    if (value.has_blobfilevalue()) return value.mutable_blobfilevalue();
    return nullptr;
}

void editModel(const std::string& pkg, const std::function<void(coreml::Model&)>& edit) {
    coreml::Model m;
    if (!m.ParseFromString(readBytes(pkg + "/" + kModel))) throw std::runtime_error("the test package does not parse");
    edit(m);
    writeBytes(pkg + "/" + kModel, m.SerializeAsString());
}

void editFile(const std::string& path, const std::function<void(Bytes&)>& edit) {
    Bytes b = readBytes(path);
    edit(b);
    writeBytes(path, b);
}

struct PackageCase {
    const char* name;
    const char* fileInError;  // part of the file name the error must give
    const char* contains;
    std::function<void(const std::string& pkg)> damage;
};

const std::vector<PackageCase>& packageCases() {
    static const std::vector<PackageCase> cases = {
        {"no manifest", "Manifest.json", "no Manifest.json", [](const std::string& p) { fs::remove(p + "/Manifest.json"); }},
        {"manifest not JSON", "Manifest.json", "not valid JSON",
         [](const std::string& p) { writeBytes(p + "/Manifest.json", "{\"fileFormatVersion\": "); }},
        {"manifest lists a missing file", "Manifest.json", "which is missing",
         [](const std::string& p) { fs::remove(p + "/" + kModel); }},
        {"model file empty", "model.mlmodel", "ML Program", [](const std::string& p) { writeBytes(p + "/" + kModel, ""); }},
        {"model file truncated", "model.mlmodel", "not a Core ML model",
         [](const std::string& p) { editFile(p + "/" + kModel, [](Bytes& b) { b.resize(b.size() / 2); }); }},
        {"model file random bytes", "model.mlmodel", "cannot read the package",
         [](const std::string& p) {
             Bytes b(4096, '\0');
             uint32_t x = 12345;
             for (char& c : b) c = static_cast<char>((x = x * 1103515245u + 12345u) >> 24);
             writeBytes(p + "/" + kModel, b);
         }},
        {"weight file missing", "weight.bin", "cannot open", [](const std::string& p) { fs::remove(p + "/" + kWeights); }},
        {"weight file empty", "weight.bin", "too short", [](const std::string& p) { writeBytes(p + "/" + kWeights, ""); }},
        {"weight file truncated inside a blob", "weight.bin", "past the end of the file",
         [](const std::string& p) { editFile(p + "/" + kWeights, [](Bytes& b) { b.resize(b.size() - 7); }); }},
        {"weight file wrong version", "weight.bin", "storage format version",
         [](const std::string& p) { editFile(p + "/" + kWeights, [](Bytes& b) { poke<uint32_t>(b, 4, 7); }); }},
        {"weight blob sentinel overwritten", "weight.bin", "sentinel",
         [](const std::string& p) { editFile(p + "/" + kWeights, [](Bytes& b) { poke<uint32_t>(b, 64, 0x0BADF00Du); }); }},
        {"weight blob dtype code unknown", "weight.bin", "dtype code",
         [](const std::string& p) { editFile(p + "/" + kWeights, [](Bytes& b) { poke<uint32_t>(b, 68, 99); }); }},
        {"weight blob data offset past end of file", "weight.bin", "past the end of the file",
         [](const std::string& p) {
             editFile(p + "/" + kWeights, [](Bytes& b) { poke<uint64_t>(b, 64 + 16, uint64_t(1) << 40); });
         }},
        {"weight blob size past end of file", "weight.bin", "past the end of the file",
         [](const std::string& p) {
             editFile(p + "/" + kWeights, [](Bytes& b) { poke<uint64_t>(b, 64 + 8, ~uint64_t(0) - 64); });
         }},
        {"model refers to an offset past end of weight file", "weight.bin", "past the end of the file",
         [](const std::string& p) { editModel(p, [](coreml::Model& m) { firstBlobReference(m)->set_offset(uint64_t(1) << 40); }); }},
        {"model refers to a misaligned offset", "weight.bin", "64-byte boundary",
         [](const std::string& p) { editModel(p, [](coreml::Model& m) { firstBlobReference(m)->set_offset(100); }); }},
        {"model refers to a weight file outside the package (../)", "model.mlmodel", "not inside the package",
         [](const std::string& p) {
             editModel(p, [](coreml::Model& m) { firstBlobReference(m)->set_filename("@model_path/../../../../etc/passwd"); });
         }},
        {"model refers to an absolute weight file", "model.mlmodel", "not inside the package",
         [](const std::string& p) { editModel(p, [](coreml::Model& m) { firstBlobReference(m)->set_filename("/etc/passwd"); }); }},
        {"provenance sidecar damaged", "provenance", "invalid provenance file",
         [](const std::string& p) {
             for (const auto& e : fs::recursive_directory_iterator(p + "/Data"))
                 if (e.path().extension() == ".json") writeBytes(e.path().string(), "{\"formatVersion\": 1, \"ops\": [");
         }},
    };
    return cases;
}

// ---- model archives ----

struct ArchiveCase {
    const char* name;
    bool mustFail;  // false: a change libtorch's reader does not notice may convert
    std::function<void(Bytes&)> damage;
    const char* contains = "";
};

// Offset of the zip's end-of-central-directory record, whose fields locate everything else.
size_t endOfDirectory(const Bytes& b) {
    const size_t at = b.rfind(std::string("PK\x05\x06", 4));
    if (at == std::string::npos) throw std::runtime_error("the fixture is not a zip");
    return at;
}
size_t centralDirectory(const Bytes& b) {
    uint32_t off;
    std::memcpy(&off, &b[endOfDirectory(b) + 16], 4);
    return off;
}
// Offset of the first byte of a stored entry's data whose name contains `part`.
size_t entryData(const Bytes& b, const std::string& part) {
    for (size_t at = 0; (at = b.find(std::string("PK\x03\x04", 4), at)) != std::string::npos; ++at) {
        uint16_t nameLen, extraLen;
        std::memcpy(&nameLen, &b[at + 26], 2);
        std::memcpy(&extraLen, &b[at + 28], 2);
        if (b.compare(at + 30, nameLen, b.substr(at + 30, nameLen)) == 0 &&
            b.substr(at + 30, nameLen).find(part) != std::string::npos)
            return at + 30 + nameLen + extraLen;
    }
    throw std::runtime_error("no zip entry named *" + part + "*");
}

const std::vector<ArchiveCase>& archiveCases() {
    static const std::vector<ArchiveCase> cases = {
        {"empty file", true, [](Bytes& b) { b.clear(); }},
        {"one byte", true, [](Bytes& b) { b.resize(1); }},
        {"truncated to a quarter", true, [](Bytes& b) { b.resize(b.size() / 4); }},
        {"truncated to half", true, [](Bytes& b) { b.resize(b.size() / 2); }},
        {"truncated by one byte", true, [](Bytes& b) { b.pop_back(); }},
        {"truncated inside the central directory", true, [](Bytes& b) { b.resize(centralDirectory(b) + 30); }},
        {"wrong magic (PNG header)", true, [](Bytes& b) { b.replace(0, 8, "\x89PNG\r\n\x1a\n", 8); }},
        {"wrong magic (first byte flipped)", true, [](Bytes& b) { b[0] = static_cast<char>(b[0] ^ 0x01); }},
        // libtorch's zip reader finds the directory without these two fields: such archives may load.
        {"bit flip in the end-of-directory offset", false,
         [](Bytes& b) { b[endOfDirectory(b) + 17] = static_cast<char>(b[endOfDirectory(b) + 17] ^ 0x40); }},
        {"bit flip in the entry count", false,
         [](Bytes& b) { b[endOfDirectory(b) + 10] = static_cast<char>(b[endOfDirectory(b) + 10] ^ 0x08); }},
        {"bit flip in a central directory signature", true,
         [](Bytes& b) { b[centralDirectory(b) + 1] = static_cast<char>(b[centralDirectory(b) + 1] ^ 0x10); }},
        {"bad CRC: code bytes changed", true,
         [](Bytes& b) { const size_t at = entryData(b, "code/"); b[at + 3] = static_cast<char>(b[at + 3] ^ 0x20); }, "does not match its checksum"},
        {"bad CRC: pickle bytes changed", true,
         [](Bytes& b) { const size_t at = entryData(b, "data.pkl"); b[at + 5] = static_cast<char>(b[at + 5] ^ 0x01); }, "does not match its checksum"},
        {"bad CRC: weight bytes changed", true,
         [](Bytes& b) { const size_t at = entryData(b, "/data/0"); b[at + 1] = static_cast<char>(b[at + 1] ^ 0x80); }, "does not match its checksum"},
        {"every 997th byte flipped", true, [](Bytes& b) { for (size_t i = 0; i < b.size(); i += 997) b[i] = static_cast<char>(~b[i]); }},
        {"zip64 directory whose size wraps around", true,
         [](Bytes& b) { b = readBytes(sourceDir() + "/tests/fuzz/regressions/archive_probe/directory_size_overflow.pt"); }},
    };
    return cases;
}

// ---- conversions ----

ConversionSettings demoSettings(const std::string& out) {
    ConversionSettings s;
    s.modelPath = testModel("demo_cnn.pt");
    s.outputPath = out;
    InputSpec in;
    in.name = "image";
    in.shape = {1, 3, 64, 64};
    s.inputs = {in};
    return s;
}

// A package already at the output path, which a failed conversion must leave as it was.
void writeOldPackage(const std::string& path) {
    package::writePackage(smallProgram(mil::Target::iOS15), smallDescription(), path);
}

// A program with `bytes` of weights (for the full-disk case).
mil::Program programWithWeights(size_t bytes) {
    mil::Program p = smallProgram(mil::Target::iOS15);
    mil::Builder b(p, p.functions.at("main").body, mil::Target::iOS15);
    b.constant(Tensor::fromFloats(std::vector<float>(bytes / 4, 0.5f), {static_cast<int64_t>(bytes / 4)}), "big");
    return p;
}

}  // namespace

class TestHostileInputs : public QObject {
    Q_OBJECT
private slots:
    // ---- text corpus ----

    void everyCorpusFileHasAnExpectation() {
        const auto expected = expectations();
        size_t files = 0;
        for (const auto& e : fs::recursive_directory_iterator(kCorpus)) {
            if (!e.is_regular_file() || e.path().filename() == "expected.tsv") continue;
            ++files;
            const std::string rel = fs::relative(e.path(), kCorpus).string();
            QVERIFY2(expected.count(rel), ("no line in expected.tsv for " + rel).c_str());
        }
        QCOMPARE(files, expected.size());
    }

    void textCorpus_data() {
        QTest::addColumn<QString>("file");
        for (const auto& [file, e] : expectations()) QTest::newRow(file.c_str()) << QString::fromStdString(file);
    }
    void textCorpus() {
        QFETCH(QString, file);
        const std::string rel = file.toStdString();
        const Expectation e = expectations().at(rel);
        const std::string path = kCorpus + "/" + rel;
        try {
            parseCorpusFile(rel, path);
            QVERIFY2(!e.error, ("accepted, but must fail with: " + e.contains).c_str());
        } catch (const Error& err) {
            QVERIFY2(e.error, (std::string("must be accepted, but: ") + err.what()).c_str());
            const std::string problem = cleanFailureProblem(err, fs::path(rel).filename().string(), e.contains);
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // ---- packages ----

    void damagedPackage_data() {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < packageCases().size(); ++i) QTest::newRow(packageCases()[i].name) << static_cast<int>(i);
    }
    void damagedPackage() {
        QFETCH(int, index);
        const PackageCase& c = packageCases()[static_cast<size_t>(index)];
        ScratchDir dir;
        const std::string pkg = dir.path("m.mlpackage");
        package::writePackage(smallProgram(mil::Target::iOS18), smallDescription(), pkg);
        c.damage(pkg);
        try {
            package::readPackage(pkg);
            QFAIL("the damaged package was read");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, c.fileInError, c.contains);
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    void packagePathIsAFile() {
        ScratchDir dir;
        writeBytes(dir.path("m.mlpackage"), "not a folder");
        try {
            package::readPackage(dir.path("m.mlpackage"));
            QFAIL("a file was read as a package");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "m.mlpackage", "not a folder");
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // ---- model archives ----

    void damagedArchive_data() {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < archiveCases().size(); ++i) QTest::newRow(archiveCases()[i].name) << static_cast<int>(i);
    }
    void damagedArchive() {
        QFETCH(int, index);
        const ArchiveCase& c = archiveCases()[static_cast<size_t>(index)];
        ScratchDir dir;
        Bytes bytes = readBytes(testModel("demo_cnn.pt"));
        c.damage(bytes);
        const std::string model = dir.path("damaged.pt");
        writeBytes(model, bytes);
        ConversionSettings s = demoSettings(dir.path("out.mlpackage"));
        s.modelPath = model;
        writeOldPackage(s.outputPath);
        const auto before = snapshot(s.outputPath);
        try {
            convertModel(s);
            QVERIFY2(!c.mustFail, "the damaged archive converted");
            package::readPackage(s.outputPath);  // converted: then completely
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "damaged.pt", c.contains);
            QVERIFY2(problem.empty(), problem.c_str());
            QVERIFY2(snapshot(s.outputPath) == before, "the previous package was changed");
        }
        QCOMPARE(entries(dir.path()), (std::vector<std::string>{"damaged.pt", "out.mlpackage"}));
    }

    // ---- conversions ----

    void nanAndInfWeightsConvertWithAWarning() {
        ScratchDir dir;
        ConversionSettings s;
        s.modelPath = testModel("hostile_nan_weights.pt");
        s.outputPath = dir.path("nan.mlpackage");
        InputSpec in;
        in.name = "x";
        in.shape = {1, 4};
        s.inputs = {in};
        const ConversionReport r = convertModel(s);
        bool warned = false;
        for (const std::string& w : r.warnings)
            if (w.find("1 NaN and 2 infinite") != std::string::npos && w.find("fc") != std::string::npos) warned = true;
        QVERIFY2(warned, "no warning names the weight with NaN and inf values");
        package::readPackage(s.outputPath);
    }

    void milKeywordsAsNames() {
        ScratchDir dir;
        ConversionSettings s;
        s.modelPath = testModel("hostile_keyword_names.pt");
        s.outputPath = dir.path("keywords.mlpackage");
        for (const char* name : {"const", "tensor"}) {
            InputSpec in;
            in.name = name;
            in.shape = {2, 3};
            s.inputs.push_back(in);
        }
        s.outputs = {{"function"}};
        convertModel(s);
        const package::PackageContents c = package::readPackage(s.outputPath);
        QCOMPARE(c.description.inputs.size(), size_t(2));
        QCOMPARE(c.description.inputs[0].name, std::string("const"));
        QCOMPARE(c.description.inputs[1].name, std::string("tensor"));
        QCOMPARE(c.description.outputs[0].name, std::string("function"));
    }

    void badNames_data() {
        QTest::addColumn<QByteArray>("outputName");
        QTest::addColumn<QString>("contains");
        QTest::newRow("non-UTF-8 output name") << QByteArray("logits\xff\xfe") << "not a valid Core ML feature name";
        QTest::newRow("../ in an output name") << QByteArray("../../evil") << "not a valid Core ML feature name";
        QTest::newRow("output named like the input") << QByteArray("image") << "image";
    }
    void badNames() {
        QFETCH(QByteArray, outputName);
        QFETCH(QString, contains);
        ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("out.mlpackage"));
        s.outputs = {{outputName.toStdString()}};
        writeOldPackage(s.outputPath);
        const auto before = snapshot(s.outputPath);
        try {
            convertModel(s);
            QFAIL("converted");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "demo_cnn.pt", contains.toStdString());
            QVERIFY2(problem.empty(), problem.c_str());
        }
        QVERIFY(snapshot(s.outputPath) == before);
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"out.mlpackage"});
    }

    void collidingOutputNames() {
        ScratchDir dir;
        ConversionSettings s;
        s.modelPath = testModel("tuple_output.pt");
        s.outputPath = dir.path("out.mlpackage");
        InputSpec in;
        in.name = "x";
        in.shape = {1, 3, 8, 8};
        s.inputs = {in};
        s.outputs = {{"y"}, {"y"}};
        try {
            convertModel(s);
            QFAIL("two outputs with one name converted");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "", "\"y\"");
            QVERIFY2(problem.empty(), problem.c_str());
        }
        QVERIFY(!fs::exists(s.outputPath));
    }

    void hugeDeclaredShapes_data() {
        QTest::addColumn<qlonglong>("side");
        QTest::newRow("an image side of 3e9 (numel past int64)") << qlonglong(3000000000);
        QTest::newRow("an image side of 2^62") << qlonglong(int64_t(1) << 62);
    }
    void hugeDeclaredShapes() {
        QFETCH(qlonglong, side);
        ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("out.mlpackage"));
        s.inputs[0].shape = {1, 3, side, side};
        // Converting allocates nothing of that size; either outcome is fine if it is clean and complete.
        try {
            convertModel(s);
            package::readPackage(s.outputPath);
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "demo_cnn.pt", "");
            QVERIFY2(problem.empty(), problem.c_str());
            QVERIFY(!fs::exists(s.outputPath));
        }
    }

    void hugeComputedConstantIsNotAllocated() {
        ScratchDir dir;
        ConversionSettings s;
        s.modelPath = testModel("hostile_huge_constant.pt");
        s.outputPath = dir.path("out.mlpackage");
        InputSpec in;
        in.name = "x";
        in.shape = {1};
        s.inputs = {in};
        // 4e14 floats: run where a try to allocate them fails fast instead of swapping the machine.
        const ChildResult r = runInChild([&] {
            const rlimit as{rlim_t(64) << 30, rlim_t(64) << 30};
            if (!kAddressSanitizer) ::setrlimit(RLIMIT_AS, &as);
            convertModel(s);
        });
        QVERIFY2(r.exited, ("crashed with signal " + std::to_string(r.status)).c_str());
        QVERIFY2(r.status == 0 || r.status == 1, r.message.c_str());
        if (r.status == 1) QVERIFY2(r.message.find("hostile_huge_constant.pt") != std::string::npos, r.message.c_str());
    }

    void outputPathIsAFile() {
        ScratchDir dir;
        ConversionSettings s = demoSettings(dir.path("out.mlpackage"));
        writeBytes(s.outputPath, "precious");
        try {
            convertModel(s);
            QFAIL("wrote over a file");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "out.mlpackage", "a file with that name exists");
            QVERIFY2(problem.empty(), problem.c_str());
        }
        QCOMPARE(readBytes(s.outputPath), std::string("precious"));
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"out.mlpackage"});
    }

    void outputFolderInsideAFile() {
        ScratchDir dir;
        writeBytes(dir.path("file"), "x");
        ConversionSettings s = demoSettings(dir.path("file/out.mlpackage"));
        try {
            convertModel(s);
            QFAIL("wrote inside a file");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "file", "");
            QVERIFY2(problem.empty(), problem.c_str());
        }
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"file"});
    }

    void outputFolderThatIsNotAPackage() {
        ScratchDir dir;
        fs::create_directories(dir.path("photos.mlpackage"));
        writeBytes(dir.path("photos.mlpackage/holiday.jpg"), "jpeg");
        try {
            convertModel(demoSettings(dir.path("photos.mlpackage")));
            QFAIL("replaced a folder that is not a package");
        } catch (const Error& e) {
            const std::string problem = cleanFailureProblem(e, "photos.mlpackage", "not an .mlpackage");
            QVERIFY2(problem.empty(), problem.c_str());
        }
        QCOMPARE(readBytes(dir.path("photos.mlpackage/holiday.jpg")), std::string("jpeg"));
    }

    void readOnlyOutputFolder() {
        ScratchDir dir;
        const std::string ro = dir.path("ro");
        fs::create_directories(ro);
        writeOldPackage(ro + "/out.mlpackage");
        const auto before = snapshot(ro + "/out.mlpackage");
        ::chmod(dir.path().c_str(), 0755);
        ::chmod(ro.c_str(), 0555);
        // root writes anywhere: the write runs as nobody, in a child.
        const ChildResult r = runInChild([&] {
            if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) throw std::runtime_error("setuid");
            package::writePackage(smallProgram(mil::Target::iOS17), smallDescription(), ro + "/out.mlpackage");
        });
        ::chmod(ro.c_str(), 0755);
        QVERIFY2(r.exited && r.status == 1, (std::to_string(r.status) + ": " + r.message).c_str());
        QVERIFY2(r.message.find(ro + ": ") == 0, r.message.c_str());
        QVERIFY2(r.message.find("not writable") != std::string::npos, r.message.c_str());
        QVERIFY(snapshot(ro + "/out.mlpackage") == before);
        QCOMPARE(entries(ro), std::vector<std::string>{"out.mlpackage"});
    }

    void fullDisk() {
        ScratchDir dir;
        const std::string pkg = dir.path("out.mlpackage");
        writeOldPackage(pkg);
        const auto before = snapshot(pkg);
        // The file size limit makes write() fail as a full disk does (EFBIG instead of ENOSPC).
        const ChildResult r = runInChild([&] {
            ::signal(SIGXFSZ, SIG_IGN);
            const rlimit fsize{1 << 20, 1 << 20};
            ::setrlimit(RLIMIT_FSIZE, &fsize);
            package::writePackage(programWithWeights(4 << 20), smallDescription(), pkg);
        });
        QVERIFY2(r.exited && r.status == 1, (std::to_string(r.status) + ": " + r.message).c_str());
        QVERIFY2(r.message.find("weight.bin") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("What to do:") != std::string::npos, r.message.c_str());
        QVERIFY(snapshot(pkg) == before);
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"out.mlpackage"});
    }

    void weightsLargerThanMemoryFailEarly() {
        if (kAddressSanitizer) QSKIP("a data-size limit and AddressSanitizer's shadow memory do not mix");
        const std::string model = testModel("hostile_big_weights.pt");  // 64 MiB of weights
        const ChildResult r = runInChild([&] {
            // Leave this process 16 MiB more than it already has.
            std::ifstream status("/proc/self/status");
            std::string line;
            rlim_t data = 0;
            while (std::getline(status, line))
                if (line.rfind("VmData:", 0) == 0) data = std::stoull(line.substr(7)) * 1024;
            const rlimit limit{data + (16 << 20), data + (16 << 20)};
            ::setrlimit(RLIMIT_DATA, &limit);
            importModel(model);
        });
        QVERIFY2(r.exited && r.status == 1, (std::to_string(r.status) + ": " + r.message).c_str());
        QVERIFY2(r.message.find("hostile_big_weights.pt") != std::string::npos, r.message.c_str());
        QVERIFY2(r.message.find("loading the model's 64.0 MB of weights needs about 96.0 MB but only") !=
                     std::string::npos,
                 r.message.c_str());
        QVERIFY2(r.message.find("of memory is available") != std::string::npos, r.message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestHostileInputs)
#include "test_hostile_inputs.moc"
