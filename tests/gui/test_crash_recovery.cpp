// Autosave and crash recovery: a child studio window (this executable run with --child) edits a
// project's settings, autosaves them and is killed with SIGKILL; the next window offers them back and
// restores them as an undoable edit. Also: a live session is never offered, a declined offer is gone, a
// saved document leaves no copy, and malformed dropped files leave the window open with the error shown.
#include "main_window.h"
#include "support/test_support.h"

#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QFileInfo>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTest>
#include <QTimer>
#include <QUndoStack>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "workspace/autosave.h"
#include "workspace/crash_recovery.h"
#include "workspace/project_document.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

// The edit the child makes over the project.
ConversionSettings edited(ConversionSettings s) {
    s.precision = Precision::Float32;
    s.metadata.author = "before the crash";
    s.noReference = true;
    s.inputs.at(0).shape = {1, 3, 48, 48};
    return s;
}

// Child: opens the project's settings, edits them, waits for the autosave copy, says "ready", runs on.
int runChild(const QString& autosaveDir, const QString& project) {
    ui::MainWindow w;
    w.enableAutosave(autosaveDir, 100);
    w.document()->load(project);
    w.document()->edit(edited(w.document()->settings()), "edit before the crash");
    while (!QFileInfo::exists(w.autosave()->settingsFile())) QTest::qWait(20);
    std::printf("ready\n");
    std::fflush(stdout);
    return QApplication::exec();
}

// Answers the next message box with `button` and remembers its text. Polls until one shows; the
// polling stops with the object (the timer's context).
struct MessageBoxAnswer {
    QString text;
    bool shown = false;
    QObject context;
    void arm(QMessageBox::StandardButton button) {
        QTimer::singleShot(50, &context, [this, button] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (!box) return arm(button);
            shown = true;
            text = box->text();
            box->button(button)->click();
        });
    }
};

void drop(QWidget* target, const QString& path) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QDropEvent event(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &event);
}

}  // namespace

class TestCrashRecovery : public QObject {
    Q_OBJECT
private:
    // A project for the demo model, saved in `dir`.
    QString writeProject(const test::ScratchDir& dir) {
        fs::copy_file(test::testModel("demo_cnn.pt"), dir.path("demo_cnn.pt"));
        std::ofstream(dir.path("demo.cmsproj"))
            << R"({"model": "demo_cnn.pt", "output": "Demo.mlpackage", "inputs": [{"name": "image", "shape": [1, 3, 64, 64]}]})";
        return QString::fromStdString(dir.path("demo.cmsproj"));
    }

    // Starts a child window on `project`, waits until its copy is written, and returns it running.
    void startChild(QProcess& child, const QString& autosaveDir, const QString& project) {
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        child.start(QCoreApplication::applicationFilePath(), {"--child", autosaveDir, project});
        QVERIFY(child.waitForStarted(30000));
        QVERIFY2(child.waitForReadyRead(120000), "the child studio never autosaved");
        QCOMPARE(child.readAll().trimmed(), QByteArray("ready"));
    }

private slots:
    void offersTheSettingsOfAKilledStudioBack() {
        test::ScratchDir dir;
        const QString autosaveDir = QString::fromStdString(dir.path("autosave"));
        const QString project = writeProject(dir);
        QProcess child;
        startChild(child, autosaveDir, project);
        if (QTest::currentTestFailed()) return;
        const QString copy = QDir(autosaveDir).filePath(QString("session-%1.json").arg(child.processId()));
        QVERIFY(QFileInfo::exists(copy));
        QVERIFY(QFileInfo::exists(QDir(autosaveDir).filePath(QString("session-%1.lock").arg(child.processId()))));

        // While the child runs, its session is not a crash.
        QVERIFY(ui::Autosave::takeCrashedSessions(autosaveDir).empty());
        QVERIFY(QFileInfo::exists(copy));

        child.kill();  // SIGKILL: no clean-up runs
        QVERIFY(child.waitForFinished(30000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        ui::MainWindow w;
        ConversionSettings saved;
        {
            ui::ProjectDocument d;
            d.load(project);
            saved = d.settings();
        }
        MessageBoxAnswer answer;
        answer.arm(QMessageBox::Yes);
        QCOMPARE(ui::offerCrashRecovery(w, autosaveDir), 1);
        QVERIFY(answer.shown);
        QVERIFY2(answer.text.contains("did not close normally") && answer.text.contains("demo.cmsproj"),
                 qPrintable(answer.text));

        // The child's edit, over the project as saved, as one undoable edit; then its model opens.
        QVERIFY(w.document()->settings() == edited(saved));
        QVERIFY(w.document()->isModified());
        QCOMPARE(w.document()->filePath(), project);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultPanel()->toPlainText().startsWith("Opened"), 60000);
        QVERIFY(w.document()->settings() == edited(saved));
        QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 60000);
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->settings() == saved);

        // Offered once: the copy and the lock are gone, and the next start asks nothing.
        QVERIFY(QDir(autosaveDir).entryList(QDir::Files).isEmpty());
        MessageBoxAnswer none;
        none.arm(QMessageBox::No);
        QCOMPARE(ui::offerCrashRecovery(w, autosaveDir), 0);
        QTest::qWait(200);
        QVERIFY(!none.shown);
        w.document()->reset(w.document()->settings());  // no "unsaved changes" question at the end
    }

    void aDeclinedOfferIsRemoved() {
        test::ScratchDir dir;
        const QString autosaveDir = QString::fromStdString(dir.path("autosave"));
        QProcess child;
        startChild(child, autosaveDir, writeProject(dir));
        if (QTest::currentTestFailed()) return;
        child.kill();
        QVERIFY(child.waitForFinished(30000));
        ui::MainWindow w;
        MessageBoxAnswer answer;
        answer.arm(QMessageBox::No);
        QCOMPARE(ui::offerCrashRecovery(w, autosaveDir), 0);
        QVERIFY(answer.shown);
        QVERIFY(!w.document()->isModified());
        QVERIFY(QDir(autosaveDir).entryList(QDir::Files).isEmpty());
    }

    void autosavesOnlyUnsavedChangesAndCleansUpOnExit() {
        test::ScratchDir dir;
        const QString autosaveDir = QString::fromStdString(dir.path("autosave"));
        const QString project = writeProject(dir);
        QString copy;
        {
            ui::MainWindow w;
            w.enableAutosave(autosaveDir, 50);
            copy = w.autosave()->settingsFile();
            w.document()->load(project);
            QTest::qWait(200);
            QVERIFY(!QFileInfo::exists(copy));  // nothing unsaved, nothing to keep
            w.document()->edit(edited(w.document()->settings()), "edit");
            QTRY_VERIFY(QFileInfo::exists(copy));
            ui::ProjectDocument read;
            read.load(copy);
            QVERIFY(read.settings() == w.document()->settings());
            w.document()->save(QString::fromStdString(dir.path("saved.cmsproj")));
            QTRY_VERIFY(!QFileInfo::exists(copy));  // saved: the copy goes
            ConversionSettings again = w.document()->settings();
            again.metadata.author = "after saving";
            w.document()->edit(again, "another edit");
            QTRY_VERIFY(QFileInfo::exists(copy));
            w.document()->reset(w.document()->settings());
        }
        // A normal exit leaves nothing behind.
        QVERIFY2(QDir(autosaveDir).entryList(QDir::Files).isEmpty(), qPrintable(QDir(autosaveDir).entryList().join(' ')));
    }

    void malformedDroppedFilesLeaveTheWindowOpenWithTheError() {
        test::ScratchDir dir;
        ui::MainWindow w;
        w.show();
        const auto panel = [&] { return w.resultPanel()->toPlainText(); };

        // Each drop is read on the worker; its error replaces the "Reading …"/"Opening …" line.
        const auto dropAndExpectError = [&](const std::string& path, const QString& name) {
            drop(&w, QString::fromStdString(path));
            QTRY_VERIFY_WITH_TIMEOUT(!w.runner()->busy(), 30000);
            QTRY_VERIFY2_WITH_TIMEOUT(panel().contains("error") && panel().contains(name), qPrintable(panel()), 30000);
            QVERIFY(w.isVisible());
        };
        dropAndExpectError(test::testModel("truncated.pt"), "truncated.pt");

        fs::create_directory(dir.path("Broken.mlpackage"));
        std::ofstream(dir.path("Broken.mlpackage/Manifest.json")) << "{\"fileFormatVersion\": ";
        dropAndExpectError(dir.path("Broken.mlpackage"), "Broken.mlpackage");

        std::ofstream(dir.path("broken.cmsproj")) << "\xff\xfe not json";
        dropAndExpectError(dir.path("broken.cmsproj"), "broken.cmsproj");

        std::ofstream(dir.path("random.pt")) << std::string(4096, '\x5a');
        dropAndExpectError(dir.path("random.pt"), "random.pt");
        QVERIFY(w.convertButton()->isEnabled());
    }
};

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc == 4 && QByteArray(argv[1]) == "--child") return runChild(argv[2], argv[3]);
    TestCrashRecovery test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_crash_recovery.moc"
