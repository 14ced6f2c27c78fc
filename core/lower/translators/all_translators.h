#pragma once
// Explicit registration of every translator family (a table the linker cannot drop).
// One declaration and one call per family: keep both lists in the same order. When two
// families register the same name, the later one wins.
namespace cms::lower {
class TranslatorTable;

void registerPrimTranslators(TranslatorTable& t);
void registerShapeTranslators(TranslatorTable& t);
void registerTensorTranslators(TranslatorTable& t);
void registerReductionTranslators(TranslatorTable& t);
void registerConvTranslators(TranslatorTable& t);
void registerPoolTranslators(TranslatorTable& t);
void registerNormTranslators(TranslatorTable& t);
void registerLinearTranslators(TranslatorTable& t);
void registerActivationTranslators(TranslatorTable& t);
void registerElementwiseTranslators(TranslatorTable& t);
void registerIndexTranslators(TranslatorTable& t);
void registerScatterTranslators(TranslatorTable& t);
void registerSortTranslators(TranslatorTable& t);
void registerFusedAttentionTranslators(TranslatorTable& t);
void registerResampleTranslators(TranslatorTable& t);
void registerPaddingTranslators(TranslatorTable& t);
void registerNnFunctionalTranslators(TranslatorTable& t);
void registerPatchTranslators(TranslatorTable& t);
void registerTorchvisionTranslators(TranslatorTable& t);
void registerRecurrentTranslators(TranslatorTable& t);
void registerControlFlowTranslators(TranslatorTable& t);
void registerLinalgTranslators(TranslatorTable& t);
void registerAttentionTranslators(TranslatorTable& t);
void registerLossTranslators(TranslatorTable& t);
void registerComplexTranslators(TranslatorTable& t);
void registerSpectralTranslators(TranslatorTable& t);
void registerRandomTranslators(TranslatorTable& t);

inline void registerAllTranslators(TranslatorTable& t) {
    registerPrimTranslators(t);
    registerShapeTranslators(t);
    registerTensorTranslators(t);
    registerReductionTranslators(t);
    registerConvTranslators(t);
    registerPoolTranslators(t);
    registerNormTranslators(t);
    registerLinearTranslators(t);
    registerActivationTranslators(t);
    registerElementwiseTranslators(t);
    registerIndexTranslators(t);
    registerScatterTranslators(t);
    registerSortTranslators(t);
    registerFusedAttentionTranslators(t);
    registerResampleTranslators(t);
    registerPaddingTranslators(t);
    registerNnFunctionalTranslators(t);
    registerPatchTranslators(t);
    registerTorchvisionTranslators(t);
    registerRecurrentTranslators(t);
    registerControlFlowTranslators(t);
    registerLinalgTranslators(t);
    registerAttentionTranslators(t);
    registerLossTranslators(t);
    registerComplexTranslators(t);
    registerSpectralTranslators(t);
    registerRandomTranslators(t);
}

}  // namespace cms::lower
