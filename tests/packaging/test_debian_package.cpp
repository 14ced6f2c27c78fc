// The Debian package: built with cpack from the build folder, unpacked into a scratch root without
// root rights (dpkg-deb -x), and run from there. Checks the binaries start, the desktop entry and
// AppStream metainfo validate, and the MIME database built from the package maps TorchScript files
// and .mlpackage folders to the types the desktop entry opens.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMimeDatabase>
#include <QProcess>
#include <QStandardPaths>

#include "support/test_support.h"

namespace {

const QString kAppId = QStringLiteral("io.github.coremlstudio.CoreMLStudio");

struct Run {
    int code = -1;
    QString out;
    QString err;
};

Run run(const QString& program, const QStringList& args, const QString& workDir = {},
        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(), int timeoutMs = 120000) {
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty()) p.setWorkingDirectory(workDir);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.err = QStringLiteral("%1 did not finish in %2 s").arg(program).arg(timeoutMs / 1000);
        return r;
    }
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QString tool(const char* name) {
    const QString path = QStandardPaths::findExecutable(QString::fromLatin1(name));
    if (path.isEmpty()) qWarning("%s is not installed (packaging/setup.sh installs it)", name);
    return path;
}

QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

}  // namespace

class TestDebianPackage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void binariesRunFromTheScratchRoot();
    void dependenciesComeFromTheSharedLibraries();
    void desktopEntryValidates();
    void metainfoValidates();
    void mimeTypesMapModelFilesToTheStudio();
    void installedCliConvertsTheInstalledDemoModel();

private:
    cms::test::ScratchDir scratch_;
    QString deb_;
    QString root_;     // the unpacked package
    QString version_;  // the build's version, as its coreml-cli prints it
};

void TestDebianPackage::initTestCase() {
    const Run builtCli = run(QStringLiteral(CMS_BINARY_DIR "/bin/coreml-cli"), {"--version"});
    QVERIFY2(builtCli.code == 0 && builtCli.out.startsWith("coreml-cli "), qPrintable(builtCli.err));
    version_ = builtCli.out.trimmed().section(QLatin1Char(' '), 1);
    const QString cpack = tool("cpack");
    const QString dpkgDeb = tool("dpkg-deb");
    QVERIFY(!cpack.isEmpty() && !dpkgDeb.isEmpty());
    const QString out = QString::fromStdString(scratch_.path("cpack"));
    // -B keeps cpack's staging and the .deb out of the build folder (tests may run in parallel).
    const Run built = run(cpack, {"-G", "DEB", "-B", out, "--config", QStringLiteral(CMS_BINARY_DIR "/CPackConfig.cmake")},
                          QStringLiteral(CMS_BINARY_DIR));
    QVERIFY2(built.code == 0, qPrintable(built.out + built.err));
    const QStringList debs = QDir(out).entryList({"coreml-studio_*.deb"}, QDir::Files);
    QCOMPARE(debs.size(), 1);
    deb_ = QDir(out).filePath(debs.first());
    root_ = QString::fromStdString(scratch_.path("root"));
    const Run unpacked = run(dpkgDeb, {"-x", deb_, root_});
    QVERIFY2(unpacked.code == 0, qPrintable(unpacked.err));
}

void TestDebianPackage::binariesRunFromTheScratchRoot() {
    for (const char* name : {"coreml-studio", "coreml-cli"}) {
        const QString exe = root_ + "/usr/bin/" + name;
        QVERIFY2(QFileInfo(exe).isExecutable(), qPrintable(exe));
        // No LD_LIBRARY_PATH: every library must come from the system, as on a real installation.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("LD_LIBRARY_PATH");
        const Run r = run(exe, {"--version"}, {}, env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed(), QStringLiteral("%1 %2").arg(QString::fromLatin1(name), version_));
    }
}

void TestDebianPackage::dependenciesComeFromTheSharedLibraries() {
    const Run r = run(tool("dpkg-deb"), {"-f", deb_, "Depends"});
    QCOMPARE(r.code, 0);
    // dpkg-shlibdeps found the libraries the binaries link; the SVG icon plugin is added by hand.
    for (const char* pkg : {"libqt6widgets6", "libqt6core6", "libc6", "libtorch", "libprotobuf", "libqt6svg6"})
        QVERIFY2(r.out.contains(QLatin1String(pkg)), qPrintable(QStringLiteral("Depends lacks %1: %2").arg(pkg, r.out)));
}

void TestDebianPackage::desktopEntryValidates() {
    const QString desktop = root_ + "/usr/share/applications/" + kAppId + ".desktop";
    QVERIFY(QFile::exists(desktop));
    const QString validate = tool("desktop-file-validate");
    QVERIFY(!validate.isEmpty());
    const Run r = run(validate, {desktop});
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    // Hints (several main categories) are fine; errors and warnings are not.
    QVERIFY2(!r.out.contains("error:") && !r.out.contains("warning:"), qPrintable(r.out));
    const QString text = readAll(desktop);
    QVERIFY(text.contains("\nExec=coreml-studio %f\n"));
    QVERIFY(text.contains("\nIcon=" + kAppId + "\n"));
    QVERIFY(QFile::exists(root_ + "/usr/share/icons/hicolor/scalable/apps/" + kAppId + ".svg"));
}

void TestDebianPackage::metainfoValidates() {
    const QString metainfo = root_ + "/usr/share/metainfo/" + kAppId + ".metainfo.xml";
    QVERIFY(QFile::exists(metainfo));
    QVERIFY2(readAll(metainfo).contains(QStringLiteral("<release version=\"%1\"").arg(version_)),
             "the metainfo's release is the project version");
    const QString appstream = tool("appstreamcli");
    QVERIFY(!appstream.isEmpty());
    const Run file = run(appstream, {"validate", "--no-net", "--no-color", metainfo});
    QVERIFY2(file.code == 0, qPrintable(file.out + file.err));
    // The tree check also finds the desktop entry the metainfo launches and the icon it names.
    const Run tree = run(appstream, {"validate-tree", "--no-net", "--no-color", root_ + "/usr"});
    QVERIFY2(tree.code == 0, qPrintable(tree.out + tree.err));
}

void TestDebianPackage::mimeTypesMapModelFilesToTheStudio() {
    const QString mimeDir = root_ + "/usr/share/mime";
    QVERIFY(QFile::exists(mimeDir + "/packages/" + kAppId + ".xml"));
    const QString update = tool("update-mime-database");
    QVERIFY(!update.isEmpty());
    // Builds the scratch root's own database from the package's XML; XDG_DATA_DIRS naming the scratch
    // root keeps update-mime-database from noting that nothing would read it.
    const QString dataDirs = root_ + "/usr/share:/usr/share";
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("XDG_DATA_DIRS", dataDirs);
    const Run r = run(update, {mimeDir}, {}, env);
    QVERIFY2(r.code == 0 && r.err.trimmed().isEmpty(), qPrintable(r.out + r.err));
    const QString globs = readAll(mimeDir + "/globs2");
    for (const char* glob : {"application/x-torchscript:*.pt", "application/x-torchscript:*.pth",
                             "application/x-torchscript:*.ts", "application/x-coreml-mlpackage:*.mlpackage",
                             "application/x-coreml-studio-project:*.cmsproj"})
        QVERIFY2(globs.contains(QLatin1String(glob)), glob);
    // A .ts file is told apart from Qt Linguist and MPEG-TS files by the zip signature.
    QVERIFY(readAll(mimeDir + "/subclasses").contains("application/x-torchscript application/zip"));
    QFile magic(mimeDir + "/magic");
    QVERIFY(magic.open(QIODevice::ReadOnly));
    const QByteArray bytes = magic.readAll();
    QVERIFY(bytes.contains("[40:application/x-torchscript]"));
    QVERIFY(bytes.contains("PK\x03\x04"));
    // As applications see it after installation, where dpkg's trigger merges the package's XML into
    // the system database: the same merge in a scratch folder, read by Qt's MIME database. (Two
    // separate databases would not do: Qt lets a glob in the first one hide the others' *.ts.)
    const QString merged = QString::fromStdString(scratch_.path("merged"));
    QVERIFY(QDir().mkpath(merged + "/mime/packages"));
    for (const QFileInfo& xml : QDir("/usr/share/mime/packages").entryInfoList({"*.xml"}, QDir::Files))
        QVERIFY(QFile::copy(xml.filePath(), merged + "/mime/packages/" + xml.fileName()));
    QVERIFY(QFile::copy(mimeDir + "/packages/" + kAppId + ".xml", merged + "/mime/packages/" + kAppId + ".xml"));
    env.insert("XDG_DATA_DIRS", merged);
    const Run m = run(update, {merged + "/mime"}, {}, env);
    QVERIFY2(m.code == 0, qPrintable(m.out + m.err));
    qputenv("XDG_DATA_DIRS", merged.toUtf8());
    const QMimeDatabase db;
    QCOMPARE(db.mimeTypeForFile("model.pt", QMimeDatabase::MatchExtension).name(), QStringLiteral("application/x-torchscript"));
    QCOMPARE(db.mimeTypeForFile("model.pth", QMimeDatabase::MatchExtension).name(), QStringLiteral("application/x-torchscript"));
    const QString scratch = QString::fromStdString(scratch_.path());
    const auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile f(scratch + "/" + name);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    };
    write("traced.ts", QByteArray("PK\x03\x04", 4) + QByteArray(60, '\0'));
    write("strings.ts", "<?xml version=\"1.0\"?>\n<!DOCTYPE TS>\n<TS version=\"2.1\">\n</TS>\n");
    QCOMPARE(db.mimeTypeForFile(scratch + "/traced.ts").name(), QStringLiteral("application/x-torchscript"));
    QVERIFY(db.mimeTypeForFile(scratch + "/strings.ts").name() != QStringLiteral("application/x-torchscript"));
    const QMimeType package = db.mimeTypeForName("application/x-coreml-mlpackage");
    QVERIFY(package.isValid());
    QVERIFY(package.inherits("inode/directory"));
    QVERIFY(package.globPatterns().contains("*.mlpackage"));
    // Every type the database knows is one the desktop entry opens.
    const QString desktop = readAll(root_ + "/usr/share/applications/" + kAppId + ".desktop");
    for (const char* type : {"application/x-torchscript", "application/x-coreml-mlpackage",
                             "application/x-coreml-studio-project"}) {
        QVERIFY2(desktop.contains(QLatin1String(type) + QLatin1Char(';')), type);
        QVERIFY2(readAll(mimeDir + "/types").contains(QLatin1String(type)), type);
    }
}

void TestDebianPackage::installedCliConvertsTheInstalledDemoModel() {
    // The installed binaries find their resources (composites, op help, the demo model) under
    // /usr/share/coreml-studio: converting the demo model needs them.
    const QString demo = root_ + "/usr/share/coreml-studio/resources/demo";
    QVERIFY(QFile::exists(demo + "/demo_cnn.pt"));
    QVERIFY(QFile::exists(root_ + "/usr/share/coreml-studio/resources/composites"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("CMS_RESOURCES_DIR");
    const QString out = QString::fromStdString(scratch_.path("demo.mlpackage"));
    const Run r = run(root_ + "/usr/bin/coreml-cli",
                      {"convert", "--config", demo + "/demo_cnn.settings.json", "-o", out}, {}, env);
    QVERIFY2(r.code == 0, qPrintable(r.out + r.err));
    QVERIFY(QFile::exists(out + "/Manifest.json"));
}

QTEST_APPLESS_MAIN(TestDebianPackage)
#include "test_debian_package.moc"
