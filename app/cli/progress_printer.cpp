#include "progress_printer.h"

#include <cstdio>

#include <unistd.h>

namespace cms::cli {

ProgressPrinter::ProgressPrinter() : tty_(::isatty(STDERR_FILENO) == 1) {}

void ProgressPrinter::update(Stage stage, double fraction, const std::string& message) {
    if (!active_ || stage != stage_) {
        if (active_) finishStage();
        stage_ = stage;
        active_ = true;
        start_ = std::chrono::steady_clock::now();
    }
    message_ = message;
    if (tty_) {
        std::fprintf(stderr, "\r\033[K%-8s %3d%%  %s", stageName(stage), int(fraction * 100.0 + 0.5), message.c_str());
        std::fflush(stderr);
    }
    if (fraction >= 1.0) finishStage();
}

void ProgressPrinter::finishStage() {
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "%s%-8s %7.2f s  %s\n", tty_ ? "\r\033[K" : "", stageName(stage_), s, message_.c_str());
    active_ = false;
}

void ProgressPrinter::interrupt() {
    if (active_ && tty_) std::fputc('\n', stderr);
    active_ = false;
}

}  // namespace cms::cli
