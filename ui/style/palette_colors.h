#pragma once
// Colours derived from the platform palette, so the studio reads well in light and dark themes:
// nothing in ui/ should hard-code a light-theme colour.
#include <QColor>
#include <QPalette>

#include "graphview/op_family.h"

namespace cms::ui {

// A dark theme: window background darker than its text.
bool isDarkPalette(const QPalette& palette);

// Text that matters less (units, notes): between the text and the background.
QColor secondaryTextColor(const QPalette& palette);
// Errors and warnings, readable on the palette's base colour.
QColor errorTextColor(const QPalette& palette);
QColor warningTextColor(const QPalette& palette);
QColor successTextColor(const QPalette& palette);

struct FamilyStyle {
    QColor fill;
    QColor border;
};

// Everything the graph view paints, for one palette.
struct GraphColors {
    QColor background;
    QColor nodeText;
    QColor selection;
    QColor edge;
    QColor edgeLabel;
    QColor groupFill, groupBorder, groupShadow, groupShadowBorder, groupText;
    QColor clusterBorder, clusterTitle;
    QColor clusterFills[4];  // by nesting depth
    QColor minimapBackground;
    bool dark = false;

    // Op boxes by family: pale fills with a saturated border in a light theme, deep fills with a
    // bright border in a dark one (the hue says the family in both).
    FamilyStyle family(graphview::OpFamily family) const;

    static GraphColors fromPalette(const QPalette& palette);
    // For the application's current palette.
    static GraphColors current();
};

}  // namespace cms::ui
