// SIGKILL while a large package is being written over an existing one: the destination always holds either the
// package that was there or the complete new one (never a mix, never nothing), and the next write removes the
// staging folders that killed writers left behind.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <thread>

#include "hostile/hostile_support.h"
#include "mil/builder.h"
#include "package/package.h"
#include "package/package_test_programs.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;
namespace fs = std::filesystem;

namespace {
constexpr size_t kWeightBytes = 48u << 20;

mil::Program largeProgram() {
    mil::Program p = smallProgram(mil::Target::iOS15);
    mil::Builder b(p, p.functions.at("main").body, mil::Target::iOS15);
    std::vector<float> w(kWeightBytes / 4);
    for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<float>(i % 1000) * 0.001f;
    b.constant(Tensor::fromFloats(w, {static_cast<int64_t>(w.size())}), "big");
    return p;
}

uint64_t weightFileSize(const std::string& pkg) {
    std::error_code ec;
    const auto size = fs::file_size(pkg + "/Data/com.apple.CoreML/weights/weight.bin", ec);
    return ec ? 0 : size;
}
}  // namespace

class TestKillSafety : public QObject {
    Q_OBJECT
private slots:
    void killDuringLargeWrite() {
        ScratchDir dir;
        const mil::Program big = largeProgram();
        const package::ModelDescription description = smallDescription();

        // A reference write in a child, as the killed ones run: how long one takes from the fork, and what a
        // complete new package's weight file weighs.
        const auto start = std::chrono::steady_clock::now();
        const ChildResult reference =
            runInChild([&] { package::writePackage(big, description, dir.path("reference.mlpackage")); });
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QVERIFY2(reference.exited && reference.status == 0, reference.message.c_str());
        const uint64_t newWeights = weightFileSize(dir.path("reference.mlpackage"));
        QVERIFY(newWeights > kWeightBytes);
        fs::remove_all(dir.path("reference.mlpackage"));

        const std::string pkg = dir.path("model.mlpackage");
        package::writePackage(smallProgram(mil::Target::iOS15), description, pkg);
        auto current = snapshot(pkg);
        int keptOld = 0, becameNew = 0, interrupted = 0;
        constexpr int kAttempts = 16;
        for (int i = 0; i < kAttempts; ++i) {
            // Kill points spread from the start of the write to past its usual end (the commit).
            const auto delay = std::chrono::duration<double>(seconds * (0.05 + 1.3 * i / (kAttempts - 1)));
            const pid_t pid = ::fork();
            if (pid == 0) {
                try {
                    package::writePackage(big, description, pkg);
                } catch (...) {
                    ::_exit(1);
                }
                ::_exit(0);
            }
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);
            int status = 0;
            ::waitpid(pid, &status, 0);

            // A staging folder left behind: this kill interrupted the write (the next write clears it).
            for (const std::string& name : entries(dir.path())) interrupted += name.find(".partial-") != std::string::npos;
            // Whatever the moment, a whole package is there.
            const auto now = snapshot(pkg);
            if (now == current) {
                ++keptOld;
            } else {
                QCOMPARE(weightFileSize(pkg), newWeights);
                ++becameNew;
                current = now;
            }
            try {
                package::readPackage(pkg);
            } catch (const Error& e) {
                QFAIL((std::string("after a kill at ") + std::to_string(delay.count()) + " s: " + e.what()).c_str());
            }
        }
        qInfo("%d kills left the previous package (%d of them mid-write), %d found the new one complete (a write takes "
              "%.2f s)",
              keptOld, interrupted, becameNew, seconds);
        QVERIFY2(interrupted > 0, "no kill interrupted a write in progress: the test did not test anything");

        // Killed writers leave their staging folders; the next write to the same destination clears them.
        package::writePackage(smallProgram(mil::Target::iOS16), description, pkg);
        QCOMPARE(entries(dir.path()), std::vector<std::string>{"model.mlpackage"});
    }
};

QTEST_APPLESS_MAIN(TestKillSafety)
#include "test_kill_safety.moc"
