#include "labels/user_labels.h"

#include <QCoreApplication>

namespace cms::ui {

QString stageTitle(Stage stage) {
    switch (stage) {
        case Stage::Import: return QCoreApplication::translate("cms::ui::Labels", "Import");
        case Stage::Lower: return QCoreApplication::translate("cms::ui::Labels", "Lower");
        case Stage::Passes: return QCoreApplication::translate("cms::ui::Labels", "Passes");
        case Stage::Compress: return QCoreApplication::translate("cms::ui::Labels", "Compress");
        case Stage::Write: return QCoreApplication::translate("cms::ui::Labels", "Write");
        case Stage::Verify: return QCoreApplication::translate("cms::ui::Labels", "Verify");
    }
    return QString::fromLatin1(stageName(stage));
}

QString compressionMethodTitle(CompressionMethod m) {
    switch (m) {
        case CompressionMethod::LinearQuantize: return QCoreApplication::translate("cms::ui::Labels", "Linear quantization");
        case CompressionMethod::Palettize: return QCoreApplication::translate("cms::ui::Labels", "Palettization");
        case CompressionMethod::ThresholdPrune: return QCoreApplication::translate("cms::ui::Labels", "Threshold pruning");
        case CompressionMethod::MagnitudePrune: return QCoreApplication::translate("cms::ui::Labels", "Magnitude pruning");
    }
    return QString::fromStdString(compressionMethodLabel(m));
}

}  // namespace cms::ui
