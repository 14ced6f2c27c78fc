// Archive probing without libtorch: what a file is, and what users are told about it.
#include "frontends/torchscript/archive_probe.h"
#include "support/test_support.h"

#include <fstream>

using namespace cms;
using frontends::ArchiveKind;

namespace {

void writeFile(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

}  // namespace

class TestArchiveProbe : public QObject {
    Q_OBJECT
private slots:
    void recognisesTorchScriptAndListsEntries() {
        const auto probe = frontends::probeArchive(test::testModel("demo_cnn.pt"));
        QCOMPARE(probe.kind, ArchiveKind::TorchScript);
        bool hasCode = false, hasConstants = false, hasData = false;
        for (const std::string& e : probe.entries) {
            hasCode |= e.find("/code/") != std::string::npos;
            hasConstants |= e.size() >= 14 && e.compare(e.size() - 14, 14, "/constants.pkl") == 0;
            hasData |= e.size() >= 9 && e.compare(e.size() - 9, 9, "/data.pkl") == 0;
        }
        QVERIFY(hasCode && hasConstants && hasData);
        QVERIFY(frontends::diagnoseArchive(probe.kind).message.empty());
    }

    void classifiesOtherFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("kind");
        QTest::newRow("state_dict zip") << QString::fromStdString(test::testModel("not_torchscript.pt"))
                                        << int(ArchiveKind::PickleZip);
        QTest::newRow("legacy pickle") << QString::fromStdString(test::testModel("not_torchscript_legacy.pt"))
                                       << int(ArchiveKind::LegacyPickle);
        QTest::newRow("truncated") << QString::fromStdString(test::testModel("truncated.pt"))
                                   << int(ArchiveKind::TruncatedZip);
        QTest::newRow("plain zip") << QString::fromStdString(test::testModel("plain_zip.pt"))
                                   << int(ArchiveKind::OtherZip);
        QTest::newRow("random") << QString::fromStdString(test::testModel("random_bytes.pt"))
                                << int(ArchiveKind::Unknown);
        QTest::newRow("cuda tagged") << QString::fromStdString(test::testModel("cuda_tagged.pt"))
                                     << int(ArchiveKind::TorchScript);
    }

    void classifiesOtherFiles() {
        QFETCH(QString, file);
        QFETCH(int, kind);
        const auto probe = frontends::probeArchive(file.toStdString());
        QCOMPARE(int(probe.kind), kind);
        if (probe.kind != ArchiveKind::TorchScript) {
            const auto d = frontends::diagnoseArchive(probe.kind);
            QVERIFY(!d.message.empty());
            QVERIFY(!d.hint.empty());
        }
    }

    void classifiesScratchFiles() {
        test::ScratchDir dir;
        QCOMPARE(frontends::probeArchive(dir.path("absent.pt")).kind, ArchiveKind::Missing);
        QCOMPARE(frontends::probeArchive(dir.path()).kind, ArchiveKind::Missing);  // a folder is not a model

        writeFile(dir.path("empty.pt"), "");
        QCOMPARE(frontends::probeArchive(dir.path("empty.pt")).kind, ArchiveKind::Empty);

        writeFile(dir.path("model.h5"), std::string("\x89HDF\r\n\x1a\n", 8) + std::string(64, '\0'));
        QCOMPARE(frontends::probeArchive(dir.path("model.h5")).kind, ArchiveKind::Hdf5);
        QVERIFY(frontends::diagnoseArchive(ArchiveKind::Hdf5).message.find("Keras") != std::string::npos);

        // A zip's local header followed by garbage: the directory is missing.
        writeFile(dir.path("cut.pt"), std::string("PK\x03\x04", 4) + std::string(100, 'x'));
        QCOMPARE(frontends::probeArchive(dir.path("cut.pt")).kind, ArchiveKind::TruncatedZip);

        // The last 30 bytes of a valid archive removed: the end records are gone.
        std::ifstream in(test::testModel("demo_cnn.pt"), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        writeFile(dir.path("tail_cut.pt"), bytes.substr(0, bytes.size() - 30));
        QCOMPARE(frontends::probeArchive(dir.path("tail_cut.pt")).kind, ArchiveKind::TruncatedZip);
    }

    void stateDictMessageTellsHowToExport() {
        const auto d = frontends::diagnoseArchive(ArchiveKind::PickleZip);
        QVERIFY(d.message.find("state_dict/pickle, not TorchScript") != std::string::npos);
        QVERIFY(d.hint.find("torch.jit.trace") != std::string::npos);
        QVERIFY(d.hint.find("torch.jit.script") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestArchiveProbe)
#include "test_archive_probe.moc"
