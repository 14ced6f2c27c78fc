#pragma once
// The graphics items of the graph view: op boxes shaped and coloured by op family, collapsed
// group boxes, frames around expanded groups, and edges with their shape labels.
#include <QColor>
#include <QGraphicsItem>
#include <QGraphicsPathItem>
#include <QPainterPath>
#include <QStaticText>

#include "graphview/op_family.h"
#include "style/palette_colors.h"

namespace cms::ui {

// The family's colours in the application's current palette (light or dark).
FamilyStyle familyStyle(graphview::OpFamily family);

class NodeItem : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    NodeItem(int nodeId, graphview::OpFamily family, QString title, QString subtitle, QSizeF size);

    int type() const override { return Type; }
    int nodeId() const { return nodeId_; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    // Box size that fits the texts in the view's fonts.
    static QSizeF sizeFor(const QString& title, const QString& subtitle);

private:
    QPainterPath outline() const;
    int nodeId_;
    graphview::OpFamily family_;
    QString title_;
    QString subtitle_;
    QSizeF size_;
};

// A collapsed group: one box standing for every op inside.
class GroupBoxItem : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };
    GroupBoxItem(int groupId, QString title, QString subtitle, QSizeF size);

    int type() const override { return Type; }
    int groupId() const { return groupId_; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    static QSizeF sizeFor(const QString& title, const QString& subtitle);

private:
    int groupId_;
    QString title_;
    QString subtitle_;
    QSizeF size_;
};

// The frame around an expanded group, with its name and a "−" toggle in the header.
class ClusterItem : public QGraphicsItem {
public:
    enum { Type = UserType + 3 };
    ClusterItem(int groupId, QString title, QRectF rect, int depth);

    int type() const override { return Type; }
    int groupId() const { return groupId_; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;  // the header strip only, so clicks inside reach the ops
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    int groupId_;
    QString title_;
    QRectF rect_;
    int depth_;
};

class EdgeItem : public QGraphicsPathItem {
public:
    enum { Type = UserType + 4 };
    EdgeItem(const QPainterPath& path, const QPolygonF& arrow, const QString& label, QPointF labelCenter);
    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;
    const QString& label() const { return label_; }

private:
    QPolygonF arrow_;
    QString label_;
    QStaticText labelText_;
    QPointF labelCenter_;
};

}  // namespace cms::ui
