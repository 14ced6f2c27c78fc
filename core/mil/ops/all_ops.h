#pragma once
// Explicit registration of every MIL op family (a table the linker cannot drop).
namespace cms::mil {
class OpRegistry;

void registerConstOps(OpRegistry& r);
void registerElementwiseOps(OpRegistry& r);
void registerActivationOps(OpRegistry& r);
void registerConvOps(OpRegistry& r);
void registerPoolOps(OpRegistry& r);
void registerNormOps(OpRegistry& r);
void registerLinearOps(OpRegistry& r);

inline void registerAllOps(OpRegistry& r) {
    registerConstOps(r);
    registerElementwiseOps(r);
    registerActivationOps(r);
    registerConvOps(r);
    registerPoolOps(r);
    registerNormOps(r);
    registerLinearOps(r);
}

}  // namespace cms::mil
