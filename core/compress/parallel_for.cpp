#include "compress/parallel_for.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace cms::compress {

namespace {

thread_local bool insideParallelFor = false;

}  // namespace

unsigned workerCount() {
    if (const char* env = std::getenv("CMS_THREADS")) {
        const int n = std::atoi(env);
        if (n >= 1) return static_cast<unsigned>(n);
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

void parallelFor(size_t count, const std::function<void(size_t)>& body, unsigned threads) {
    if (threads == 0) threads = workerCount();
    threads = static_cast<unsigned>(std::min<size_t>(threads, count));
    if (threads <= 1 || insideParallelFor) {
        for (size_t i = 0; i < count; ++i) body(i);
        return;
    }
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr error;
    std::mutex errorMutex;
    const auto work = [&] {
        insideParallelFor = true;
        for (size_t i = next++; i < count && !failed; i = next++) {
            try {
                body(i);
            } catch (...) {
                std::lock_guard<std::mutex> lock(errorMutex);
                if (!error) error = std::current_exception();
                failed = true;
            }
        }
        insideParallelFor = false;
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace cms::compress
