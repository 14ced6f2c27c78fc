#pragma once
// The studio's (translated) names for values core/ names in English for logs and the CLI:
// conversion stages and compression methods.
#include <QString>

#include "converter.h"
#include "settings/compression_config.h"

namespace cms::ui {

QString stageTitle(Stage stage);                        // "Import", "Lower", …
QString compressionMethodTitle(CompressionMethod m);    // "Linear quantization", …

}  // namespace cms::ui
