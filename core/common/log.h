#pragma once
// One logger for the whole core ("cms"); front ends choose its level and sinks.
#include <memory>

#include <spdlog/spdlog.h>

namespace cms {

std::shared_ptr<spdlog::logger> logger();
// verbosity: 0 warnings, 1 info, 2 debug, 3 trace.
void setLogVerbosity(int verbosity);

}  // namespace cms
