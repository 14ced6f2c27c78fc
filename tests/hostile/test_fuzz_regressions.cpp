// Every input a fuzz target crashed on (tests/fuzz/regressions/<target>/), replayed through the same parser in the
// normal build: each must now end in a clean cms::Error (docs/reliability.md lists what each one found).
#include <filesystem>

#include "common/error.h"
#include "frontends/keras/keras_importer.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/safe_pickle.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "hostile/hostile_support.h"
#include "lower/composites/composite_loader.h"
#include "package/provenance_sidecar.h"
#include "package/weight_blob.h"
#include "settings/compression_config.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {
const std::string kRegressions = test::sourceDir() + "/tests/fuzz/regressions";

// What each target's harness does first with its input, for the targets that have regressions.
void replay(const std::string& target, const std::string& path) {
    const std::string text = test::readBytes(path);
    if (target == "settings") settingsFromJson(text, path);
    else if (target == "weight_blob") package::WeightBlobReader(path).blobs();
    else if (target == "compression_config") compressionFromYaml(text, path);
    else if (target == "composites") lower::parseComposites(text, path, "fuzz regression");
    else if (target == "safe_pickle") frontends::pickle::parse(text, path);
    else if (target == "manifest") package::provenanceFromJson(text, path);
    else if (target == "torchscript_import") frontends::importTorchScript(path);
    else if (target == "keras_archive" || target == "keras_h5") frontends::importKeras(path);
    else throw std::runtime_error("no replay for fuzz target " + target);
}
}  // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT
private slots:
    void replay_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("path");
        for (const auto& dir : fs::directory_iterator(kRegressions)) {
            const std::string target = dir.path().filename().string();
            if (target == "archive_probe") continue;  // returns a verdict instead of throwing: see below
            for (const auto& f : fs::directory_iterator(dir.path()))
                QTest::newRow((target + "/" + f.path().filename().string()).c_str())
                    << QString::fromStdString(target) << QString::fromStdString(f.path().string());
        }
    }
    void replay() {
        QFETCH(QString, target);
        QFETCH(QString, path);
        try {
            ::replay(target.toStdString(), path.toStdString());
            QFAIL("the crashing input is now accepted: it was damaged, so it must be refused");
        } catch (const Error& e) {
            const std::string problem =
                test::cleanFailureProblem(e, fs::path(path.toStdString()).filename().string(), "");
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // Inputs libtorch mishandled (a leak, a 4 GB allocation, crashes) or that made our translation read past a
    // buffer: the importer now refuses each before libtorch opens it, so its message is ours.
    void torchscriptRefusedBeforeLibtorch_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        // libtorch's archive reader leaked its zip state when it refused a missing version record.
        QTest::newRow("no version record") << "version_record_renamed.pt" << "has no version record";
        // libtorch's unpickler reserved the 4 GB a string declared in a 535-byte data.pkl.
        QTest::newRow("string longer than its pickle") << "pickle_string_length_4gb.pt" << "the pickle is cut off";
        // libtorch built a 2-float tensor over a 7-byte storage record, which the graph translation then read.
        QTest::newRow("tensor past its storage") << "tensor_past_its_storage.pt" << "reaching past the 7 bytes";
        // libtorch's unpickler ran TUPLE3 over a one-item stack in constants.pkl and crashed (SIGSEGV).
        QTest::newRow("pickle pops past its stack")
            << "pickle_pops_past_its_stack.pt" << "more items than the stack holds";
        // libtorch's importer read `__parametersr_ = [...]` in a module as a Final constant with no type: SIGSEGV.
        QTest::newRow("class constant without a type") << "class_constant_without_type.pt" << "without a type";
        // A dropout.py.debug_pkl libtorch could not unpickle while formatting a compile error: std::terminate.
        QTest::newRow("unreadable debug pickle") << "debug_pickle_unreadable.pt" << "dropout.py.debug_pkl cannot be read";
        // A .debug_pkl BINGET of a memo slot never stored: libtorch's unpickler freed a pointer it never allocated.
        QTest::newRow("debug pickle memo never stored") << "debug_pickle_bad_free.pt" << "never stored";
        // A debug record's text index outside the string table: SIGSEGV while libtorch formatted an error message.
        QTest::newRow("debug record misshapen") << "debug_record_misshapen.pt" << "outside the string table";
    }
    void torchscriptRefusedBeforeLibtorch() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        const std::string path = kRegressions + "/torchscript_import/" + file.toStdString();
        try {
            frontends::importTorchScript(path);
            QFAIL("the damaged archive was accepted");
        } catch (const Error& e) {
            const std::string problem =
                test::cleanFailureProblem(e, file.toStdString(), expected.toStdString());
            QVERIFY2(problem.empty(), problem.c_str());
        }
    }

    // The zip directory reader allocated what a zip64 record declared (the size wrapped around the offset check).
    void archiveProbeRefusesWrappingDirectory() {
        for (const auto& f : fs::directory_iterator(kRegressions + "/archive_probe")) {
            const frontends::ArchiveProbe probe = frontends::probeArchive(f.path().string());
            QVERIFY2(probe.kind == frontends::ArchiveKind::TruncatedZip, f.path().c_str());
            QVERIFY(!frontends::diagnoseArchive(probe.kind).message.empty());
        }
    }
};

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
