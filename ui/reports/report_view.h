#pragma once
// The base of every report view (size, accuracy, placement, comparison, sensitivity): a widget that
// shows one run's figures, and can hand its charts and tables to an exporter (HTML/PDF) in the same
// form it shows them.
#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>

class QPainter;

class QChart;
class QChartView;

namespace cms::ui {

struct ReportRun;

class ReportView : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual QString title() const = 0;
    // False when the view has nothing to show for the current run (e.g. no per-layer accuracy yet).
    virtual bool hasData() const = 0;
    // The run the view shows (null: none). Views that compare runs ignore it and read the session.
    virtual void showRun(std::shared_ptr<const ReportRun> run) = 0;

    // Charts, for export: painted into any painter (QPdfWriter gives vector output, QImage a bitmap).
    virtual int chartCount() const;
    virtual QString chartTitle(int index) const;
    virtual void paintChart(int index, QPainter& painter, const QRectF& target) const;
    QImage chartImage(int index, QSize size, qreal devicePixelRatio = 2.0) const;
    // The view's numbers as an HTML fragment (headings and tables, text escaped), the figures shown.
    virtual QString htmlTables() const = 0;

protected:
    // The chart views export walks; subclasses register theirs in order.
    void addExportedChart(QChartView* view, const QString& title);

private:
    struct Exported {
        QChartView* view;
        QString title;
    };
    QList<Exported> charts_;
};

// Shared helpers of the views.
QString readableSize(uint64_t bytes);    // "12.3 MB"
QString decibels(double db);             // "41.2 dB", "identical" for +inf
QString htmlTable(const QStringList& header, const QList<QStringList>& rows);  // cells escaped

}  // namespace cms::ui
