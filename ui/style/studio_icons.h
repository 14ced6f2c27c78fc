#pragma once
// Icons for the studio's actions: the desktop theme's icon when it has one (so the studio looks like
// the rest of the desktop), else our own SVG from resources/icons (sharp at any scale factor).
#include <QIcon>

namespace cms::ui {

// `themeName` is a freedesktop icon name ("document-open"); `fileName` the fallback in :/icons
// without ".svg".
QIcon studioIcon(const QString& themeName, const QString& fileName);

// The window icon (the icon the desktop entry installs).
QIcon applicationIcon();

}  // namespace cms::ui
