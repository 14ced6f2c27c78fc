#include "common/cancellation.h"

#include <utility>

namespace cms {

namespace {
thread_local const std::function<void()>* currentCheck = nullptr;
}

CancelCheckScope::CancelCheckScope(std::function<void()> check) : check_(std::move(check)), previous_(currentCheck) {
    if (check_) currentCheck = &check_;
}

CancelCheckScope::~CancelCheckScope() {
    if (check_) currentCheck = previous_;
}

void checkCancelled() {
    if (currentCheck) (*currentCheck)();
}

}  // namespace cms
