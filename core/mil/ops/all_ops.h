#pragma once
// Explicit registration of every MIL op family (a table the linker cannot drop).
// One declaration and one call per family: keep both lists in the same order.
namespace cms::mil {
class OpRegistry;

void registerConstOps(OpRegistry& r);
void registerElementwiseOps(OpRegistry& r);
void registerActivationOps(OpRegistry& r);
void registerConvOps(OpRegistry& r);
void registerPoolOps(OpRegistry& r);
void registerNormOps(OpRegistry& r);
void registerLinearOps(OpRegistry& r);
void registerCastOps(OpRegistry& r);
void registerTensorTransformationOps(OpRegistry& r);
void registerTensorOperationOps(OpRegistry& r);
void registerGatherOps(OpRegistry& r);
void registerScatterOps(OpRegistry& r);
void registerReductionOps(OpRegistry& r);
void registerAttentionOps(OpRegistry& r);
void registerImageResizingOps(OpRegistry& r);
void registerConstexprOps(OpRegistry& r);
void registerPaddingOps(OpRegistry& r);
void registerRecurrentOps(OpRegistry& r);
void registerControlFlowOps(OpRegistry& r);
void registerSliceUpdateOps(OpRegistry& r);
void registerRandomOps(OpRegistry& r);
void registerStateOps(OpRegistry& r);

inline void registerAllOps(OpRegistry& r) {
    registerConstOps(r);
    registerElementwiseOps(r);
    registerActivationOps(r);
    registerConvOps(r);
    registerPoolOps(r);
    registerNormOps(r);
    registerLinearOps(r);
    registerCastOps(r);
    registerTensorTransformationOps(r);
    registerTensorOperationOps(r);
    registerGatherOps(r);
    registerScatterOps(r);
    registerReductionOps(r);
    registerAttentionOps(r);
    registerImageResizingOps(r);
    registerConstexprOps(r);
    registerPaddingOps(r);
    registerRecurrentOps(r);
    registerControlFlowOps(r);
    registerSliceUpdateOps(r);
    registerRandomOps(r);
    registerStateOps(r);
}

}  // namespace cms::mil
