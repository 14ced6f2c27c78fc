#pragma once
// Cancellation points deep inside the pipeline. A conversion job installs a check for its thread
// (CancelCheckScope); long loops far from the job (lowering node by node, writing weight by weight,
// the importer between libtorch's phases) call checkCancelled(), so a cancel takes effect within
// one step without every signature carrying a token.
#include <functional>

namespace cms {

class CancelCheckScope {
public:
    // `check` throws (cms::Error, ErrorKind::Cancelled) when the job is cancelled; an empty check
    // installs nothing. Scopes nest: the previous check returns when this one ends.
    explicit CancelCheckScope(std::function<void()> check);
    ~CancelCheckScope();
    CancelCheckScope(const CancelCheckScope&) = delete;
    CancelCheckScope& operator=(const CancelCheckScope&) = delete;

private:
    std::function<void()> check_;
    const std::function<void()>* previous_;
};

// Runs the current thread's check, if a scope installed one.
void checkCancelled();

}  // namespace cms
