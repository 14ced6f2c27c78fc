#include "report_document.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QLocale>
#include <QPageSize>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextDocument>
#include <QUrl>

#include <algorithm>
#include <cmath>

namespace cms::ui {

namespace {

class Tr {
    Q_DECLARE_TR_FUNCTIONS(ReportDocument)
};

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }
QString esc(const QString& s) { return s.toHtmlEscaped(); }

QString number(double v, int precision = 4) {
    if (std::isinf(v)) return v > 0 ? QStringLiteral("inf") : QStringLiteral("-inf");
    if (std::isnan(v)) return QStringLiteral("NaN");
    return QLocale::c().toString(v, 'g', precision);
}

QString bytes(uint64_t b) { return QLocale().formattedDataSize(qint64(b), 2, QLocale::DataSizeSIFormat); }

QString row(const QStringList& cells, bool header = false) {
    const QString tag = header ? QStringLiteral("th") : QStringLiteral("td");
    QString s = QStringLiteral("<tr>");
    for (const QString& c : cells) s += QStringLiteral("<%1>%2</%1>").arg(tag, c);
    return s + QStringLiteral("</tr>");
}

QString statusCell(analysis::CheckStatus s) {
    switch (s) {
        case analysis::CheckStatus::Pass: return QStringLiteral("<span style=\"color:#2e7d32\">%1</span>").arg(Tr::tr("pass"));
        case analysis::CheckStatus::Warn: return QStringLiteral("<span style=\"color:#b26a00\">%1</span>").arg(Tr::tr("warning"));
        case analysis::CheckStatus::Fail: return QStringLiteral("<b style=\"color:#b00020\">%1</b>").arg(Tr::tr("fail"));
        case analysis::CheckStatus::NotChecked: break;
    }
    return Tr::tr("not checked yet");
}

const char* const kStyle =
    "body { font-family: sans-serif; font-size: 9pt; }"
    "table { border-collapse: collapse; margin-bottom: 8px; }"
    "th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; font-size: 8pt; }"
    "th { background: #e8e8e8; }"
    "pre { font-family: monospace; font-size: 8pt; background: #f4f4f4; }";

}  // namespace

ReportDocument::ReportDocument(ReportContent content) : content_(std::move(content)) {}

QString ReportDocument::title() const {
    return Tr::tr("Conversion report: %1").arg(QFileInfo(content_.modelPath).fileName());
}

QString ReportDocument::chartTag(int index, const ReportChart& chart, bool embed) const {
    QString src = QStringLiteral("chart-%1.png").arg(index);
    if (embed) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        chart.image.save(&buffer, "PNG");
        src = QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
    }
    // Charts are drawn at twice their size for sharpness; shown at their logical width.
    const int width = int(chart.image.width() / std::max(1.0, chart.image.devicePixelRatio()));
    return QStringLiteral("<p><b>%1</b><br><img src=\"%2\" width=\"%3\"></p>").arg(esc(chart.title), src).arg(width);
}

QString ReportDocument::html(bool embedCharts) const {
    const ConversionSettings& s = content_.settings;
    QString h = QStringLiteral("<html><head><meta charset=\"utf-8\"><title>%1</title><style>%2</style></head><body>")
                    .arg(esc(title()), QString::fromLatin1(kStyle));
    h += QStringLiteral("<h1>%1</h1>").arg(esc(title()));
    h += QStringLiteral("<p>%1</p>").arg(Tr::tr("Written by Core ML Conversion Studio %1 on %2.")
                                             .arg(esc(converterVersion()),
                                                  QLocale::c().toString(QDateTime::currentDateTimeUtc(),
                                                                        QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))));

    h += QStringLiteral("<h2>%1</h2><table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">").arg(Tr::tr("Model and settings"));
    h += row({Tr::tr("Model"), esc(content_.modelPath)});
    for (const InputSpec& in : s.inputs) h += row({Tr::tr("Input"), esc(formatInputSpec(in))});
    QStringList outputs;
    for (const OutputSpec& o : s.outputs) outputs << esc(o.name);
    if (!outputs.isEmpty()) h += row({Tr::tr("Outputs"), outputs.join(QStringLiteral(", "))});
    h += row({Tr::tr("Precision"), esc(precisionName(s.precision))});
    h += row({Tr::tr("Deployment target"), esc(mil::targetName(s.target))});
    h += row({Tr::tr("Compute units"), esc(computeUnitsName(s.computeUnits))});
    if (!s.fp32Ops.empty()) {
        QStringList ops;
        for (const std::string& op : s.fp32Ops) ops << esc(op);
        h += row({Tr::tr("Kept in fp32"), ops.join(QStringLiteral(", "))});
    }
    h += row({Tr::tr("Weight compression"), s.compression.empty() ? Tr::tr("none") : Tr::tr("configured")});
    h += QStringLiteral("</table>");

    if (content_.conversion) {
        const ConversionReport& r = *content_.conversion;
        h += QStringLiteral("<h2>%1</h2><table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">").arg(Tr::tr("Conversion"));
        h += row({Tr::tr("Package"), esc(r.packagePath)});
        h += row({Tr::tr("Package size"), bytes(r.packageBytes)});
        h += row({Tr::tr("Ops (excluding constants)"), QString::number(r.opCount)});
        if (r.compressedWeights > 0)
            h += row({Tr::tr("Compressed weights"), Tr::tr("%1 weights: %2 → %3")
                                                         .arg(r.compressedWeights)
                                                         .arg(bytes(r.weightBytesBefore), bytes(r.weightBytesAfter))});
        QStringList times;
        for (const auto& [stage, seconds] : r.stageSeconds) times << QStringLiteral("%1 %2 s").arg(esc(stage), number(seconds, 3));
        h += row({Tr::tr("Stage times"), times.join(QStringLiteral(", "))});
        h += QStringLiteral("</table>");
        std::vector<std::pair<std::string, size_t>> ops(r.opHistogram.begin(), r.opHistogram.end());
        std::stable_sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
        h += QStringLiteral("<h3>%1</h3><table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">").arg(Tr::tr("MIL ops by type"));
        h += row({Tr::tr("Op"), Tr::tr("Count")}, true);
        for (const auto& [op, count] : ops) h += row({esc(op), QString::number(count)});
        h += QStringLiteral("</table>");
        if (!r.warnings.empty()) {
            h += QStringLiteral("<h3>%1</h3><ul>").arg(Tr::tr("Warnings"));
            for (const std::string& w : r.warnings) h += QStringLiteral("<li>%1</li>").arg(esc(w));
            h += QStringLiteral("</ul>");
        }
    }

    if (content_.accuracy) {
        const analysis::AccuracyReport& a = *content_.accuracy;
        h += QStringLiteral("<h2>%1</h2>").arg(Tr::tr("Accuracy"));
        h += QStringLiteral("<p>%1</p>").arg(Tr::tr("%1 (%2, compared with %3).")
                                                 .arg(a.passed ? Tr::tr("Passed") : Tr::tr("Failed"),
                                                      esc(a.criteria.describe()), esc(a.reference)));
        h += QStringLiteral("<table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">");
        h += row({Tr::tr("Output"), Tr::tr("Max abs error"), Tr::tr("Mean abs error"), Tr::tr("Max rel error"),
                  Tr::tr("SNR (dB)"), Tr::tr("PSNR (dB)"), Tr::tr("Cosine"), Tr::tr("Result")},
                 true);
        for (const analysis::OutputReport& o : a.outputs)
            h += row({esc(o.name), number(o.metrics.maxAbsError), number(o.metrics.meanAbsError),
                      number(o.metrics.maxRelError), number(o.metrics.snrDb), number(o.metrics.psnrDb),
                      number(o.metrics.cosine, 6), o.passed ? Tr::tr("pass") : Tr::tr("fail")});
        h += QStringLiteral("</table>");
    }

    if (!content_.checklist.empty()) {
        h += QStringLiteral("<h2>%1</h2><table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">").arg(Tr::tr("Production checklist"));
        h += row({Tr::tr("Status"), Tr::tr("Item"), Tr::tr("Based on"), Tr::tr("What to do")}, true);
        for (const analysis::ChecklistItem& it : content_.checklist)
            h += row({statusCell(it.status), esc(it.title), esc(it.detail),
                      it.status == analysis::CheckStatus::Pass ? QString() : esc(it.fixHint)});
        h += QStringLiteral("</table>");
    }

    if (content_.unsupported && !content_.unsupported->empty()) {
        h += QStringLiteral("<h2>%1</h2><table width=\"100%\" cellspacing=\"0\" cellpadding=\"3\">").arg(Tr::tr("Unsupported ops"));
        h += row({Tr::tr("Op"), Tr::tr("Count"), Tr::tr("What it is"), Tr::tr("Best next step")}, true);
        for (const analysis::UnsupportedOpEntry& e : content_.unsupported->ops)
            h += row({esc(e.op), QString::number(e.count), esc(e.explanation),
                      e.steps.empty() ? QString() : esc(e.steps.front().title)});
        h += QStringLiteral("</table>");
    }

    int chartIndex = 0;
    for (const ReportSection& section : content_.sections) {
        h += QStringLiteral("<h2>%1</h2>").arg(esc(section.title));
        h += section.html;
        for (const ReportChart& chart : section.charts) h += chartTag(chartIndex++, chart, embedCharts);
    }

    if (!content_.swiftSnippet.isEmpty())
        h += QStringLiteral("<h2>%1</h2><pre>%2</pre>").arg(Tr::tr("Swift integration"), esc(content_.swiftSnippet));
    return h + QStringLiteral("</body></html>");
}

void ReportDocument::fillTextDocument(QTextDocument& doc) const {
    int index = 0;
    for (const ReportSection& section : content_.sections)
        for (const ReportChart& chart : section.charts)
            doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart-%1.png").arg(index++)), chart.image);
    doc.setHtml(html(false));
}

bool ReportDocument::writeHtml(const QString& path, QString* error) const {
    QSaveFile file(path);
    if (file.open(QIODevice::WriteOnly) && file.write(html(true).toUtf8()) >= 0 && file.commit()) return true;
    if (error) *error = Tr::tr("Cannot write %1: %2").arg(path, file.errorString());
    return false;
}

bool ReportDocument::writePdf(const QString& path, QString* error) const {
    {
        QPdfWriter writer(path);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setTitle(title());
        writer.setCreator(QStringLiteral("Core ML Conversion Studio"));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        QTextDocument doc;
        fillTextDocument(doc);
        doc.print(&writer);
    }
    if (QFileInfo(path).size() > 0) return true;
    if (error) *error = Tr::tr("Cannot write %1.").arg(path);
    return false;
}

}  // namespace cms::ui
