#pragma once
// A minimal fork-join loop for the compression numerics (k-means per tensor and within large
// ones, sensitivity runs per layer): plain std::threads, no pool that outlives the call.
#include <cstddef>
#include <functional>

namespace cms::compress {

// Worker threads to use: the CMS_THREADS environment variable when set (>= 1), else one per core.
unsigned workerCount();

// Calls body(i) once for every i in [0, count), spread over up to `threads` threads (0: workerCount()).
// Indices are handed out one at a time, so uneven items balance; callers write results per index,
// which keeps them independent of the thread count. A call made from inside another parallelFor
// runs serially (no oversubscription). The first exception thrown by a body is rethrown here after
// every thread has stopped.
void parallelFor(size_t count, const std::function<void(size_t)>& body, unsigned threads = 0);

}  // namespace cms::compress
