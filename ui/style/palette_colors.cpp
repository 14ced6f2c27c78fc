#include "style/palette_colors.h"

#include <QGuiApplication>

namespace cms::ui {

using graphview::OpFamily;

namespace {

QColor mix(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t), float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// The hue of each family (the light theme's border colour).
QColor familyHue(OpFamily family) {
    switch (family) {
        case OpFamily::Input:
        case OpFamily::Output: return QColor(0x55, 0x55, 0x55);
        case OpFamily::Conv: return QColor(0x2f, 0x6d, 0xb5);
        case OpFamily::Norm: return QColor(0x4c, 0x8c, 0x2b);
        case OpFamily::Activation: return QColor(0xd0, 0x7a, 0x12);
        case OpFamily::Pooling: return QColor(0x7b, 0x4a, 0xa3);
        case OpFamily::Linear: return QColor(0xb3, 0x3a, 0x3a);
        case OpFamily::Elementwise: return QColor(0xa0, 0x8a, 0x12);
        case OpFamily::Shape: return QColor(0x2b, 0x8a, 0x85);
        case OpFamily::Other: break;
    }
    return QColor(0x88, 0x88, 0x88);
}

}  // namespace

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightness() < palette.color(QPalette::WindowText).lightness();
}

QColor secondaryTextColor(const QPalette& palette) {
    return mix(palette.color(QPalette::Text), palette.color(QPalette::Base), 0.4);
}

QColor errorTextColor(const QPalette& palette) {
    return isDarkPalette(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xb0, 0x00, 0x20);
}

QColor warningTextColor(const QPalette& palette) {
    return isDarkPalette(palette) ? QColor(0xe3, 0xb3, 0x41) : QColor(0x8a, 0x5a, 0x00);
}

QColor successTextColor(const QPalette& palette) {
    return isDarkPalette(palette) ? QColor(0x7e, 0xd3, 0x83) : QColor(0x2e, 0x7d, 0x32);
}

FamilyStyle GraphColors::family(OpFamily f) const {
    const QColor hue = familyHue(f);
    // Light: 82% towards white, as pale pastel boxes; dark: 70% towards the background.
    if (!dark) return {mix(hue, Qt::white, 0.82), hue};
    return {mix(hue, background, 0.62), hue.lighter(150)};
}

GraphColors GraphColors::fromPalette(const QPalette& palette) {
    GraphColors c;
    c.dark = isDarkPalette(palette);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    c.background = c.dark ? base : mix(base, QColor(0xfc, 0xfc, 0xfd), 0.5);
    c.nodeText = text;
    c.selection = palette.color(QPalette::Highlight);
    c.edge = mix(text, base, 0.45);
    c.edgeLabel = mix(text, base, 0.3);
    c.groupText = text;
    c.groupFill = mix(base, palette.color(QPalette::Button), 0.5);
    c.groupBorder = mix(text, base, 0.4);
    c.groupShadow = mix(base, text, 0.1);
    c.groupShadowBorder = mix(text, base, 0.55);
    c.clusterBorder = mix(text, base, 0.6);
    c.clusterTitle = mix(text, base, 0.15);
    for (int depth = 0; depth < 4; ++depth) c.clusterFills[depth] = mix(c.background, text, 0.025 + 0.03 * depth);
    c.minimapBackground = c.background;
    c.minimapBackground.setAlpha(235);
    return c;
}

GraphColors GraphColors::current() { return fromPalette(QGuiApplication::palette()); }

}  // namespace cms::ui
