#include "graph/node_inspector.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>

#include <map>

#include "graphview/node_details.h"
#include "style/palette_colors.h"

namespace cms::ui {

using namespace graphview;

namespace {

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString row(const QString& key, const QString& value) {
    const QString keyColor = secondaryTextColor(QGuiApplication::palette()).name();
    return QStringLiteral("<tr><td style='color:%3; padding-right:10px'>%1</td><td>%2</td></tr>").arg(key, value, keyColor);
}

QString section(const QString& title) {
    return QStringLiteral("<h4 style='margin-top:10px; margin-bottom:2px'>%1</h4>").arg(title);
}

QString number(double v) { return QString::number(v, 'g', 5); }

}  // namespace

NodeInspector::NodeInspector(QWidget* parent) : QTextBrowser(parent) {
    setOpenLinks(false);
    setMinimumWidth(240);
    showNothing();
}

void NodeInspector::showNothing() {
    setHtml(QStringLiteral("<p style='color:%1'>%2</p>")
                .arg(secondaryTextColor(palette()).name(),
                     tr("Select an op to inspect it. Double-click a group to expand or collapse it.")));
}

void NodeInspector::showNode(const GraphViewModel& model, int nodeId) {
    const NodeDetails d = describeNode(model, nodeId);
    QString html = QStringLiteral("<h3 style='margin-bottom:4px'>%1</h3><table>").arg(esc(d.title));
    html += row(tr("Op"), QStringLiteral("<b>%1</b>").arg(esc(d.kind)));
    html += row(tr("Family"), esc(d.family));
    if (!d.milName.empty()) html += row(tr("MIL name"), esc(d.milName));
    if (!d.sourceOp.empty()) html += row(tr("Lowered from"), esc(d.sourceOp));
    if (!d.modulePath.empty()) html += row(tr("Module"), esc(d.modulePath));
    if (!d.moduleType.empty()) html += row(tr("Module type"), esc(d.moduleType));
    if (!d.file.empty())
        html += row(tr("Source"), QStringLiteral("<span title='%1'>%2%3</span>")
                                      .arg(esc(d.file), QFileInfo(QString::fromStdString(d.file)).fileName().toHtmlEscaped(),
                                           d.line > 0 ? QStringLiteral(":%1").arg(d.line) : QString()));
    html += "</table>";
    const auto ports = [&](const QString& title, const std::vector<PortDetails>& list) {
        if (list.empty()) return;
        html += section(title) + "<table>";
        for (const PortDetails& p : list) html += row(esc(p.name), esc(p.type));
        html += "</table>";
    };
    ports(tr("Inputs"), d.inputs);
    ports(tr("Outputs"), d.outputs);
    if (!d.attributes.empty()) {
        html += section(tr("Attributes")) + "<table>";
        for (const auto& [key, value] : d.attributes) html += row(esc(key), esc(value));
        html += "</table>";
    }
    for (const WeightSummary& w : d.weights) {
        html += section(tr("Weight %1").arg(esc(w.name))) + "<table>";
        html += row(tr("Shape"), esc(shapeToString(w.shape)));
        html += row(tr("Dtype"), esc(dtypeName(w.dtype)));
        html += row(tr("Size"), QLocale().formattedDataSize(qint64(w.bytes), 1, QLocale::DataSizeSIFormat) +
                                    QStringLiteral(" (%1 bytes)").arg(w.bytes));
        if (w.hasRange) html += row(tr("Range"), QStringLiteral("%1 \u2026 %2").arg(number(w.min), number(w.max)));
        html += "</table>";
    }
    setHtml(html);
}

void NodeInspector::showGroup(const GraphViewModel& model, int groupId) {
    const Group& g = model.group(groupId);
    QString html = QStringLiteral("<h3 style='margin-bottom:4px'>%1</h3><table>").arg(esc(g.path));
    if (!g.moduleType.empty()) html += row(tr("Module type"), esc(g.moduleType));
    html += row(tr("Ops inside"), model.isModuleOutline() ? tr("known when the import finishes")
                                                          : QString::number(g.totalNodes));
    html += row(tr("Submodules"), QString::number(g.groups.size()));
    html += "</table>";
    if (model.isModuleOutline()) {
        // One call box per module: the op mix comes with the full import.
        setHtml(html);
        return;
    }
    // The op mix says what the block does without expanding it.
    std::map<std::string, int> histogram;
    std::vector<int> stack{groupId};
    while (!stack.empty()) {
        const Group& cur = model.group(stack.back());
        stack.pop_back();
        for (int n : cur.nodes) ++histogram[shortOpName(model.nodes()[n].kind)];
        stack.insert(stack.end(), cur.groups.begin(), cur.groups.end());
    }
    html += section(tr("Ops")) + "<table>";
    for (const auto& [op, count] : histogram) html += row(esc(op), QString::number(count));
    html += QStringLiteral("</table><p style='color:%1'>%2</p>")
                .arg(secondaryTextColor(palette()).name(), tr("Double-click to expand or collapse."));
    setHtml(html);
}

}  // namespace cms::ui
