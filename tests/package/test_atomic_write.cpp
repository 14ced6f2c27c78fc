// writePackage is all-or-nothing: failures leave the destination as it was and no temporary folder behind.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "common/error.h"
#include "package/package.h"
#include "package/staged_directory.h"
#include "package_test_programs.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::package;
namespace fs = std::filesystem;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Every file under `root` with its contents, for before/after comparisons.
std::map<std::string, std::string> snapshot(const std::string& root) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) out[fs::relative(e.path(), root).string()] = slurp(e.path().string());
    return out;
}

std::vector<std::string> entries(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// A description the writer rejects only after it has started writing (int64 is no Core ML output type).
ModelDescription descriptionFailingMidWrite() {
    ModelDescription d = test::smallDescription();
    d.outputs[0].dtype = DType::Int64;
    return d;
}
}  // namespace

class TestAtomicWrite : public QObject {
    Q_OBJECT
private slots:
    void replacesAnExistingPackageOnSuccess() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("m.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg);
        const auto first = snapshot(pkg);
        writePackage(test::smallProgram(mil::Target::iOS17), test::smallDescription(), pkg);
        const auto second = snapshot(pkg);
        QVERIFY(first != second);  // new identifiers and spec version
        QCOMPARE(readPackage(pkg).specificationVersion, 8);
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"m.mlpackage"});
    }

    void failedWriteLeavesExistingPackageIntact() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("m.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg);
        const auto before = snapshot(pkg);
        try {
            writePackage(test::smallProgram(mil::Target::iOS18), descriptionFailingMidWrite(), pkg);
            QFAIL("an int64 output was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Package);
            QCOMPARE(e.file(), fs::absolute(pkg).string());
            QVERIFY(!e.hint().empty());
        }
        QVERIFY(snapshot(pkg) == before);
        QCOMPARE(readPackage(pkg).specificationVersion, 6);
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"m.mlpackage"});
    }

    void failedFirstWriteLeavesNothing() {
        test::ScratchDir dir;
        QVERIFY_THROWS_EXCEPTION(Error, writePackage(test::smallProgram(mil::Target::iOS15), descriptionFailingMidWrite(),
                                                     dir.path("new.mlpackage")));
        QVERIFY(entries(dir.path()).empty());
    }

    void refusesToReplaceAFileOrAForeignFolder() {
        test::ScratchDir dir;
        {
            std::ofstream(dir.path("model.mlpackage")) << "not a package";
        }
        try {
            writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), dir.path("model.mlpackage"));
            QFAIL("a file was replaced");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("a file with that name exists") != std::string::npos);
            QVERIFY(!e.hint().empty());
        }
        QCOMPARE(slurp(dir.path("model.mlpackage")), std::string("not a package"));

        fs::create_directory(dir.path("photos"));
        {
            std::ofstream(dir.path("photos/cat.jpg")) << "meow";
        }
        QVERIFY_THROWS_EXCEPTION(Error, writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(),
                                                     dir.path("photos")));
        QCOMPARE(slurp(dir.path("photos/cat.jpg")), std::string("meow"));
        QCOMPARE(entries(dir.path()), (std::vector<std::string>{"model.mlpackage", "photos"}));
    }

    void parentThatIsAFileIsReported() {
        test::ScratchDir dir;
        {
            std::ofstream(dir.path("notes.txt")) << "x";
        }
        try {
            writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), dir.path("notes.txt/m.mlpackage"));
            QFAIL("wrote below a file");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Package);
            QVERIFY2(std::string(e.what()).find("notes.txt") != std::string::npos, e.what());
        }
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"notes.txt"});
    }

    void readOnlyParentIsReported() {
        if (::geteuid() == 0) QSKIP("root ignores folder permissions");
        test::ScratchDir dir;
        fs::create_directory(dir.path("ro"));
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), dir.path("ro/m.mlpackage"));
        const auto before = snapshot(dir.path("ro/m.mlpackage"));
        fs::permissions(dir.path("ro"), fs::perms::owner_read | fs::perms::owner_exec);
        try {
            writePackage(test::smallProgram(mil::Target::iOS16), test::smallDescription(), dir.path("ro/m.mlpackage"));
            fs::permissions(dir.path("ro"), fs::perms::owner_all);
            QFAIL("wrote into a read-only folder");
        } catch (const Error& e) {
            fs::permissions(dir.path("ro"), fs::perms::owner_all);
            QVERIFY2(e.hint().find("not writable") != std::string::npos, e.what());
        }
        QVERIFY(snapshot(dir.path("ro/m.mlpackage")) == before);
        QCOMPARE(entries(dir.path("ro")), std::vector<std::string>{"m.mlpackage"});
    }

    void stagingFolderIsHiddenSiblingAndRemovedWithoutCommit() {
        test::ScratchDir dir;
        std::string staging;
        {
            StagedDirectory s(dir.path("x.mlpackage"));
            staging = s.path();
            QCOMPARE(fs::path(staging).parent_path().string(), dir.path());
            QVERIFY(fs::path(staging).filename().string().rfind(".x.mlpackage.", 0) == 0);
            QVERIFY(fs::is_directory(staging));
            std::ofstream(staging + "/Manifest.json") << "{}";
        }
        QVERIFY(!fs::exists(staging));
        QVERIFY(entries(dir.path()).empty());
    }
};

QTEST_APPLESS_MAIN(TestAtomicWrite)
#include "test_atomic_write.moc"
