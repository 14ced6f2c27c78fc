#include "package_summary.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include <map>

#include "package/package.h"

namespace cms::ui {

namespace {

QString feature(const package::FeatureDescription& f) {
    QString s = QStringLiteral("  %1: ").arg(QString::fromStdString(f.name));
    if (f.kind == package::FeatureDescription::Kind::Image)
        s += QStringLiteral("image %1 %2").arg(QString::fromStdString(colorLayoutName(f.colorLayout)),
                                               QString::fromStdString(shapeToString(f.shape)));
    else
        s += QStringLiteral("%1 %2").arg(QString::fromStdString(dtypeName(f.dtype)),
                                         QString::fromStdString(shapeToString(f.shape)));
    if (!f.shortDescription.empty()) s += QStringLiteral("  — ") + QString::fromStdString(f.shortDescription);
    return s;
}

void countOps(const mil::Block& b, std::map<std::string, size_t>& counts) {
    for (const auto& op : b.ops) {
        ++counts[op->type];
        for (const auto& inner : op->blocks) countOps(*inner, counts);
    }
}

}  // namespace

QString describePackage(const QString& path, const package::PackageContents& c) {
    QStringList lines;
    lines << QObject::tr("Package: %1").arg(path);
    lines << QObject::tr("Specification version: %1").arg(c.specificationVersion);
    const ModelMetadata& m = c.description.metadata;
    if (!m.shortDescription.empty()) lines << QObject::tr("Description: %1").arg(QString::fromStdString(m.shortDescription));
    if (!m.author.empty()) lines << QObject::tr("Author: %1").arg(QString::fromStdString(m.author));
    if (!m.license.empty()) lines << QObject::tr("License: %1").arg(QString::fromStdString(m.license));
    if (!m.version.empty()) lines << QObject::tr("Version: %1").arg(QString::fromStdString(m.version));
    for (const auto& [key, value] : m.userDefined)
        lines << QStringLiteral("%1: %2").arg(QString::fromStdString(key), QString::fromStdString(value));
    lines << QObject::tr("Inputs:");
    for (const auto& f : c.description.inputs) lines << feature(f);
    lines << QObject::tr("Outputs:");
    for (const auto& f : c.description.outputs) lines << feature(f);

    std::map<std::string, size_t> counts;
    size_t total = 0;
    for (const auto& [name, fn] : c.program.functions) countOps(fn.body, counts);
    for (const auto& [type, n] : counts) total += type == "const" ? 0 : n;
    lines << QObject::tr("ML Program for %1: %2 ops (excluding constants), %3 constants")
                 .arg(QString::fromStdString(mil::targetName(c.program.target)))
                 .arg(total)
                 .arg(counts.count("const") ? counts.at("const") : 0);
    std::multimap<size_t, std::string, std::greater<>> byCount;
    for (const auto& [type, n] : counts)
        if (type != "const") byCount.emplace(n, type);
    for (const auto& [n, type] : byCount) lines << QStringLiteral("  %1 × %2").arg(n, 4).arg(QString::fromStdString(type));
    lines << QObject::tr("Weights: %1").arg(c.weightsPath.empty() ? QObject::tr("none (all inline)")
                                                                  : QString::fromStdString(c.weightsPath));
    lines << QObject::tr("Source provenance: %1 ops mapped").arg(c.provenance.size());
    return lines.join('\n');
}

PackageSummary::PackageSummary(QWidget* parent) : QWidget(parent), text_(new QPlainTextEdit) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    text_->setReadOnly(true);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    layout->addWidget(text_);
}

void PackageSummary::showPackage(const QString& path, const package::PackageContents& contents) {
    text_->setPlainText(describePackage(path, contents));
}

QString PackageSummary::text() const { return text_->toPlainText(); }

}  // namespace cms::ui
