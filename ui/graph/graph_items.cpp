#include "graph/graph_items.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>

namespace cms::ui {

using graphview::OpFamily;

namespace {

QFont titleFont() {
    QFont f;
    f.setPointSizeF(9.0);
    return f;
}

QFont subtitleFont() {
    QFont f;
    f.setPointSizeF(7.5);
    return f;
}

QFont headerFont() {
    QFont f;
    f.setPointSizeF(8.0);
    f.setBold(true);
    return f;
}

constexpr double kPadding = 10.0;
constexpr double kMinWidth = 64.0;

void drawTexts(QPainter* p, const QRectF& r, const QString& title, const QString& subtitle, const QColor& text) {
    p->setPen(text);
    if (subtitle.isEmpty()) {
        p->setFont(titleFont());
        p->drawText(r, Qt::AlignCenter, title);
        return;
    }
    const QRectF top(r.x(), r.y() + 3, r.width(), r.height() * 0.55 - 3);
    const QRectF bottom(r.x(), r.y() + r.height() * 0.55 - 1, r.width(), r.height() * 0.45 - 2);
    p->setFont(titleFont());
    p->drawText(top, Qt::AlignHCenter | Qt::AlignBottom, title);
    p->setFont(subtitleFont());
    QColor secondary = text;  // fainter in either theme
    secondary.setAlphaF(0.7f);
    p->setPen(secondary);
    p->drawText(bottom, Qt::AlignHCenter | Qt::AlignTop, subtitle);
}

QSizeF textBoxSize(const QString& title, const QString& subtitle, double height1, double height2) {
    const double w = std::max(QFontMetricsF(titleFont()).horizontalAdvance(title),
                              QFontMetricsF(subtitleFont()).horizontalAdvance(subtitle));
    return {std::max(kMinWidth, w + 2 * kPadding), subtitle.isEmpty() ? height1 : height2};
}

}  // namespace

FamilyStyle familyStyle(OpFamily family) { return GraphColors::current().family(family); }

NodeItem::NodeItem(int nodeId, OpFamily family, QString title, QString subtitle, QSizeF size)
    : nodeId_(nodeId), family_(family), title_(std::move(title)), subtitle_(std::move(subtitle)), size_(size) {
    setFlag(ItemIsSelectable);
    setZValue(2);
    // Painted once per zoom level into a pixmap: panning then copies pixels instead of shaping text.
    setCacheMode(DeviceCoordinateCache);
    setToolTip(subtitle_.isEmpty() ? title_ : title_ + "\n" + subtitle_);
}

QSizeF NodeItem::sizeFor(const QString& title, const QString& subtitle) {
    return textBoxSize(title, subtitle, 24.0, 36.0);
}

QRectF NodeItem::boundingRect() const {
    return QRectF(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height()).adjusted(-2, -2, 2, 2);
}

QPainterPath NodeItem::outline() const {
    const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
    QPainterPath path;
    const double h = r.height(), inset = std::min(10.0, r.width() / 6);
    switch (family_) {
        case OpFamily::Input:
        case OpFamily::Output:
        case OpFamily::Activation:  // a stadium
            path.addRoundedRect(r, h / 2, h / 2);
            break;
        case OpFamily::Conv: path.addRoundedRect(r, 6, 6); break;
        case OpFamily::Norm: {  // cut corners
            const double c = 6;
            path.moveTo(r.left() + c, r.top());
            path.lineTo(r.right() - c, r.top());
            path.lineTo(r.right(), r.top() + c);
            path.lineTo(r.right(), r.bottom() - c);
            path.lineTo(r.right() - c, r.bottom());
            path.lineTo(r.left() + c, r.bottom());
            path.lineTo(r.left(), r.bottom() - c);
            path.lineTo(r.left(), r.top() + c);
            path.closeSubpath();
            break;
        }
        case OpFamily::Pooling:  // narrows downwards: it reduces
            path.moveTo(r.topLeft());
            path.lineTo(r.topRight());
            path.lineTo(r.right() - inset, r.bottom());
            path.lineTo(r.left() + inset, r.bottom());
            path.closeSubpath();
            break;
        case OpFamily::Elementwise: path.addEllipse(r); break;
        case OpFamily::Shape:  // a parallelogram
            path.moveTo(r.left() + inset, r.top());
            path.lineTo(r.right(), r.top());
            path.lineTo(r.right() - inset, r.bottom());
            path.lineTo(r.left(), r.bottom());
            path.closeSubpath();
            break;
        case OpFamily::Linear:
        case OpFamily::Other: path.addRect(r); break;
    }
    return path;
}

QPainterPath NodeItem::shape() const { return outline(); }

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const GraphColors colors = GraphColors::current();
    const FamilyStyle style = colors.family(family_);
    const bool selected = option->state & QStyle::State_Selected;
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(QPen(selected ? colors.selection : style.border, selected ? 2.5 : 1.2));
    p->setBrush(style.fill);
    p->drawPath(outline());
    if (family_ == OpFamily::Linear) {  // a second rule marks weight-heavy matrix ops
        const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
        p->drawLine(QPointF(r.left() + 4, r.top()), QPointF(r.left() + 4, r.bottom()));
    }
    // Below ~40% zoom text is unreadable; skipping it keeps panning a big graph smooth.
    if (option->levelOfDetailFromTransform(p->worldTransform()) < 0.4) return;
    drawTexts(p, QRectF(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height()), title_, subtitle_,
              colors.nodeText);
}

GroupBoxItem::GroupBoxItem(int groupId, QString title, QString subtitle, QSizeF size)
    : groupId_(groupId), title_(std::move(title)), subtitle_(std::move(subtitle)), size_(size) {
    setFlag(ItemIsSelectable);
    setZValue(2);
    setToolTip(QObject::tr("%1\n%2\nDouble-click to expand").arg(title_, subtitle_));
}

QSizeF GroupBoxItem::sizeFor(const QString& title, const QString& subtitle) {
    QSizeF s = textBoxSize("[+] " + title, subtitle, 30.0, 38.0);
    s.setWidth(s.width() + 12);
    return s;
}

QRectF GroupBoxItem::boundingRect() const {
    return QRectF(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height()).adjusted(-4, -4, 4, 4);
}

void GroupBoxItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
    const bool selected = option->state & QStyle::State_Selected;
    const GraphColors colors = GraphColors::current();
    p->setRenderHint(QPainter::Antialiasing);
    // A second box offset behind the first reads as "several things stacked".
    p->setPen(QPen(colors.groupShadowBorder, 1.0));
    p->setBrush(colors.groupShadow);
    p->drawRoundedRect(r.translated(3, 3), 5, 5);
    p->setPen(QPen(selected ? colors.selection : colors.groupBorder, selected ? 2.5 : 1.4));
    p->setBrush(colors.groupFill);
    p->drawRoundedRect(r, 5, 5);
    if (option->levelOfDetailFromTransform(p->worldTransform()) < 0.4) return;
    drawTexts(p, r, QStringLiteral("[+] ") + title_, subtitle_, colors.groupText);
}

ClusterItem::ClusterItem(int groupId, QString title, QRectF rect, int depth)
    : groupId_(groupId), title_(std::move(title)), rect_(rect), depth_(depth) {
    setZValue(0.1 * depth);
    setFlag(ItemUsesExtendedStyleOption);  // paint() needs the exposed rectangle
    setToolTip(QObject::tr("%1\nDouble-click the header to collapse").arg(title_));
}

QRectF ClusterItem::boundingRect() const { return rect_.adjusted(-1, -1, 1, 1); }

QPainterPath ClusterItem::shape() const {
    QPainterPath path;
    path.addRect(QRectF(rect_.x(), rect_.y(), rect_.width(), 18));
    return path;
}

void ClusterItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const GraphColors colors = GraphColors::current();
    const QColor* fills = colors.clusterFills;
    // Only the exposed part: a frame around a large expanded group spans the whole scene, and a dashed
    // outline is computed along its full length on every frame of a pan.
    const QRectF exposed = option->exposedRect.adjusted(-8, -8, 8, 8);
    if (exposed.contains(rect_)) {
        p->setRenderHint(QPainter::Antialiasing);
        p->setPen(QPen(colors.clusterBorder, 1.0, Qt::DashLine));
        p->setBrush(fills[depth_ % 4]);
        p->drawRoundedRect(rect_, 6, 6);
    } else {
        p->fillRect(rect_.intersected(exposed), fills[depth_ % 4]);
        QPen pen(colors.clusterBorder, 1.0, Qt::DashLine);
        p->setPen(pen);
        const QRectF r = rect_;
        const auto edge = [&](QPointF a, QPointF b) {
            // Clipped to the exposed area first, so the dash pattern covers only what is drawn.
            const QRectF seg = QRectF(a, b).normalized().adjusted(-1, -1, 1, 1).intersected(exposed);
            if (seg.isEmpty()) return;
            if (a.y() == b.y()) p->drawLine(QPointF(seg.left(), a.y()), QPointF(seg.right(), a.y()));
            else p->drawLine(QPointF(a.x(), seg.top()), QPointF(a.x(), seg.bottom()));
        };
        edge(r.topLeft(), r.topRight());
        edge(r.bottomLeft(), r.bottomRight());
        edge(r.topLeft(), r.bottomLeft());
        edge(r.topRight(), r.bottomRight());
    }
    if (option->levelOfDetailFromTransform(p->worldTransform()) < 0.3) return;
    p->setFont(headerFont());
    p->setPen(colors.clusterTitle);
    p->drawText(QRectF(rect_.x() + 6, rect_.y() + 2, rect_.width() - 12, 15), Qt::AlignLeft | Qt::AlignVCenter,
                QStringLiteral("[\u2212] ") + title_);
}

EdgeItem::EdgeItem(const QPainterPath& path, const QPolygonF& arrow, const QString& label, QPointF labelCenter)
    : QGraphicsPathItem(path), arrow_(arrow), label_(label), labelCenter_(labelCenter) {
    // One device pixel wide at zoom 1 and below: the raster engine then draws the curve directly
    // instead of outlining and filling it (a long residual edge cost milliseconds per frame).
    setPen(QPen(GraphColors::current().edge, 1.0));
    setZValue(1);
    if (!label_.isEmpty()) {
        setToolTip(label_);
        // Laid out once; a pan then only draws the glyphs.
        labelText_.setText(label_);
        labelText_.setTextFormat(Qt::PlainText);
        labelText_.prepare(QTransform(), subtitleFont());
        labelText_.setPerformanceHint(QStaticText::AggressiveCaching);
    }
}

QRectF EdgeItem::boundingRect() const {
    QRectF r = QGraphicsPathItem::boundingRect().united(arrow_.boundingRect());
    if (!label_.isEmpty()) {
        const QSizeF size = labelText_.size() + QSizeF(4, 4);
        r = r.united(QRectF(labelCenter_ - QPointF(size.width() / 2, size.height() / 2), size));
    }
    return r;
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    p->setRenderHint(QPainter::Antialiasing);
    p->setPen(pen());
    p->setBrush(Qt::NoBrush);
    p->drawPath(path());
    if (!arrow_.isEmpty()) {
        p->setBrush(pen().color());
        p->drawPolygon(arrow_);
    }
    if (label_.isEmpty() || option->levelOfDetailFromTransform(p->worldTransform()) < 0.35) return;
    p->setFont(subtitleFont());
    p->setPen(GraphColors::current().edgeLabel);
    const QSizeF size = labelText_.size();
    p->drawStaticText(labelCenter_ - QPointF(size.width() / 2, size.height() / 2), labelText_);
}

}  // namespace cms::ui
