#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace cms {

std::shared_ptr<spdlog::logger> logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        auto l = spdlog::stderr_color_mt("cms");
        l->set_level(spdlog::level::warn);
        l->set_pattern("[%l] %v");
        return l;
    }();
    return instance;
}

void setLogVerbosity(int verbosity) {
    static const spdlog::level::level_enum levels[] = {spdlog::level::warn, spdlog::level::info, spdlog::level::debug,
                                                       spdlog::level::trace};
    logger()->set_level(levels[verbosity < 0 ? 0 : (verbosity > 3 ? 3 : verbosity)]);
}

}  // namespace cms
