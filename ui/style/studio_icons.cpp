#include "style/studio_icons.h"

namespace cms::ui {

QIcon studioIcon(const QString& themeName, const QString& fileName) {
    return QIcon::fromTheme(themeName, QIcon(QStringLiteral(":/icons/%1.svg").arg(fileName)));
}

QIcon applicationIcon() { return QIcon(QStringLiteral(":/icons/app.svg")); }

}  // namespace cms::ui
