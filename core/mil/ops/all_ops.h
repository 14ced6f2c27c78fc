#pragma once
// Explicit registration of every MIL op family (a table the linker cannot drop).
namespace cms::mil {
class OpRegistry;

void registerConstOps(OpRegistry& r);
void registerElementwiseOps(OpRegistry& r);

inline void registerAllOps(OpRegistry& r) {
    registerConstOps(r);
    registerElementwiseOps(r);
}

}  // namespace cms::mil
