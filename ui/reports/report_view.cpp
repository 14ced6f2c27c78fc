#include "reports/report_view.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QLocale>
#include <QPainter>

#include <cmath>

namespace cms::ui {

int ReportView::chartCount() const { return int(charts_.size()); }

QString ReportView::chartTitle(int index) const { return charts_.value(index).title; }

void ReportView::paintChart(int index, QPainter& painter, const QRectF& target) const {
    if (index < 0 || index >= charts_.size()) return;
    QChartView* view = charts_[index].view;
    // Lay the chart out for the target size, paint it, then give the view back its own geometry.
    QChart* chart = view->chart();
    const QRectF shown = chart->geometry();
    chart->resize(target.size());
    if (QGraphicsLayout* layout = chart->layout()) layout->activate();  // lay out now, not on the next event
    QGraphicsScene* scene = chart->scene();
    const QRectF sceneShown = scene->sceneRect();
    scene->setSceneRect(QRectF(QPointF(0, 0), target.size()));
    chart->setPos(0, 0);
    scene->render(&painter, target, QRectF(QPointF(0, 0), target.size()));
    scene->setSceneRect(sceneShown);
    chart->resize(shown.size());
    chart->setPos(shown.topLeft());
    if (QGraphicsLayout* layout = chart->layout()) layout->activate();
}

QImage ReportView::chartImage(int index, QSize size, qreal devicePixelRatio) const {
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    paintChart(index, painter, QRectF(QPointF(0, 0), QSizeF(size)));
    return image;
}

void ReportView::addExportedChart(QChartView* view, const QString& title) { charts_.push_back({view, title}); }

QString readableSize(uint64_t bytes) {
    return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat);
}

QString decibels(double db) {
    if (std::isinf(db) && db > 0) return QObject::tr("identical");
    if (!std::isfinite(db)) return QObject::tr("n/a");
    return QObject::tr("%1 dB").arg(db, 0, 'f', 1);
}

QString htmlTable(const QStringList& header, const QList<QStringList>& rows) {
    QString html = QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"3\"><tr>");
    for (const QString& h : header) html += QStringLiteral("<th>%1</th>").arg(h.toHtmlEscaped());
    html += QStringLiteral("</tr>");
    for (const QStringList& row : rows) {
        html += QStringLiteral("<tr>");
        for (const QString& cell : row) html += QStringLiteral("<td>%1</td>").arg(cell.toHtmlEscaped());
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

}  // namespace cms::ui
