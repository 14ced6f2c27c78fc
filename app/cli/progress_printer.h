#pragma once
// Shows conversion progress on stderr: one live line per stage on a terminal, one plain line per
// finished stage otherwise (logs, CI, pipes).
#include <chrono>
#include <string>

#include "converter.h"

namespace cms::cli {

class ProgressPrinter {
public:
    ProgressPrinter();
    void update(Stage stage, double fraction, const std::string& message);
    // Ends a stage line left open by an error, so the error message starts on its own line.
    void interrupt();

private:
    void finishStage();

    bool tty_ = false;
    bool active_ = false;
    Stage stage_ = Stage::Import;
    std::string message_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace cms::cli
