// The child-process read in front of the Keras import (core/frontends/keras/isolated_read.h): a read that returns
// or throws lets the caller go on; a read that crashes, exits abnormally or outlives the deadline becomes an input
// error naming the file and saying what to do, and leaves no child behind.
#include <cerrno>
#include <csignal>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

#include <QtTest>

#include "common/error.h"
#include "frontends/keras/isolated_read.h"

using namespace cms;
using frontends::keras::readInChildFirst;

namespace {

const std::string kPath = "/models/damaged.keras";

// Qt Test's crash handler (which prints a stack trace) is inherited by the child: crash the way a library would.
void crashWith(int sig) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

Error errorOf(const std::function<void()>& read, int deadlineSeconds = 600) {
    try {
        readInChildFirst(kPath, read, deadlineSeconds);
    } catch (const Error& e) { return e; }
    return Error(ErrorKind::Internal, "no error was thrown");
}

bool noChildLeft() {
    int status = 0;
    return waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD;
}

}  // namespace

class TestIsolatedRead : public QObject {
    Q_OBJECT
private slots:
    void readThatReturnsOrThrowsLetsTheCallerGoOn() {
        readInChildFirst(kPath, [] {});
        readInChildFirst(kPath, [] { throw Error(ErrorKind::Input, "bad config", {kPath, {}}); });
        readInChildFirst(kPath, [] { throw std::runtime_error("anything else"); });
        QVERIFY(noChildLeft());
    }

    void crashBecomesAnInputError() {
        const Error e = errorOf([] { crashWith(SIGSEGV); });
        QCOMPARE(e.kind(), ErrorKind::Input);
        QCOMPARE(e.file(), kPath);
        QVERIFY2(e.message().find("libhdf5 crashed reading it (SIGSEGV") != std::string::npos, e.what());
        QVERIFY2(!e.hint().empty(), e.what());
        QVERIFY(noChildLeft());
    }

    void abortAndAbnormalExitBecomeInputErrors() {
        const Error aborted = errorOf([] { crashWith(SIGABRT); });
        QCOMPARE(aborted.kind(), ErrorKind::Input);
        QVERIFY2(aborted.message().find("SIGABRT") != std::string::npos, aborted.what());
        const Error exited = errorOf([] { _exit(3); });
        QCOMPARE(exited.kind(), ErrorKind::Input);
        QVERIFY2(exited.message().find("exit code 3") != std::string::npos, exited.what());
        QVERIFY(noChildLeft());
    }

    void hangIsKilledAtTheDeadline() {
        QElapsedTimer timer;
        timer.start();
        const Error e = errorOf([] { pause(); }, 1);
        QCOMPARE(e.kind(), ErrorKind::Input);
        QVERIFY2(e.message().find("did not finish within 1 seconds") != std::string::npos, e.what());
        QVERIFY2(timer.elapsed() < 10000, "the deadline was not kept");
        QVERIFY(noChildLeft());
    }
};

QTEST_APPLESS_MAIN(TestIsolatedRead)
#include "test_isolated_read.moc"
