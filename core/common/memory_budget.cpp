#include "common/memory_budget.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/resource.h>

#include "common/error.h"

namespace cms {

namespace {
// A "Key:   1234 kB" line of /proc/meminfo or /proc/self/status, in bytes; 0 when absent.
uint64_t procKilobytes(const char* file, const std::string& key) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.compare(0, key.size(), key) != 0 || line.size() <= key.size() || line[key.size()] != ':') continue;
        std::istringstream fields(line.substr(key.size() + 1));
        uint64_t kb = 0;
        fields >> kb;
        return kb * 1024;
    }
    return 0;
}

// What is left under a resource limit, given what the process already uses of it.
uint64_t headroom(int resource, uint64_t used) {
    rlimit r{};
    if (::getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return UINT64_MAX;
    const uint64_t limit = static_cast<uint64_t>(r.rlim_cur);
    return limit > used ? limit - used : 0;
}
}  // namespace

uint64_t availableMemoryBytes() {
    uint64_t avail = procKilobytes("/proc/meminfo", "MemAvailable");
    if (avail == 0) avail = UINT64_MAX;
    avail = std::min(avail, headroom(RLIMIT_AS, procKilobytes("/proc/self/status", "VmSize")));
    avail = std::min(avail, headroom(RLIMIT_DATA, procKilobytes("/proc/self/status", "VmData")));
    return avail;
}

std::string formatBytes(uint64_t bytes) {
    char buf[32];
    if (bytes >= (1ull << 30)) std::snprintf(buf, sizeof buf, "%.1f GB", static_cast<double>(bytes) / (1ull << 30));
    else if (bytes >= (1ull << 20)) std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / (1ull << 20));
    else std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
    return buf;
}

void checkFitsInMemory(uint64_t bytes, const std::string& what, const std::string& file) {
    const uint64_t avail = availableMemoryBytes();
    if (bytes <= avail) return;
    throw Error(ErrorKind::Input,
                what + " needs about " + formatBytes(bytes) + " but only " + formatBytes(avail) +
                    " of memory is available to this process",
                {file, {}},
                "convert on a machine with more memory, close other programs, or raise the process's memory limit "
                "(ulimit -v / -d); a damaged archive can also declare sizes it does not hold: check the file");
}

}  // namespace cms
