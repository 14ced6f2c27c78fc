#include "reports/report_run.h"

#include <QObject>

#include "common/error.h"

namespace cms::ui {

namespace {

QString describeCompression(const OpCompression& c) {
    switch (c.method) {
    case CompressionMethod::LinearQuantize:
        return QObject::tr("int%1 %2").arg(c.bits).arg(QString::fromStdString(granularityName(c.granularity)));
    case CompressionMethod::Palettize:
        return QObject::tr("%1-bit palette").arg(c.bits);
    case CompressionMethod::ThresholdPrune:
    case CompressionMethod::MagnitudePrune:
        return QObject::tr("pruned");
    }
    return {};
}

}  // namespace

QString describeSettings(const ConversionSettings& s) {
    QStringList parts{QString::fromStdString(precisionName(s.precision))};
    const CompressionConfig& c = s.compression;
    if (c.global) parts << describeCompression(*c.global);
    if (!c.opTypes.empty() || !c.opNames.empty())
        parts << QObject::tr("%n per-op setting(s)", nullptr, int(c.opTypes.size() + c.opNames.size()));
    if (!s.fp32Ops.empty()) parts << QObject::tr("%n op(s) kept in fp32", nullptr, int(s.fp32Ops.size()));
    return parts.join(QStringLiteral(" · "));
}

const analysis::PlacementPlan& ReportRun::plan(const std::string& chipId, ComputeUnits units) const {
    std::lock_guard<std::mutex> lock(plansMutex_);
    auto& slot = plans_[{chipId, int(units)}];
    if (!slot) {
        const analysis::ChipProfile& chip = analysis::ChipLibrary::shipped().find(chipId);
        slot = std::make_unique<analysis::PlacementPlan>(
            analysis::planPlacement(planned_->program, chip, {units, flexibility_}));
    }
    return *slot;
}

std::shared_ptr<ReportRun> computeReportRun(const ConversionSettings& settings, const ConversionReport& conversion,
                                            int number) {
    auto run = std::make_shared<ReportRun>();
    run->number = number;
    run->settings = settings;
    run->settings.outputPath = conversion.packagePath;
    run->conversion = conversion;
    run->label = QObject::tr("Run %1 · %2").arg(number).arg(describeSettings(settings));
    run->finished = QDateTime::currentDateTime();
    auto contents = std::make_shared<package::PackageContents>(package::readPackage(conversion.packagePath));
    run->size = compress::buildSizeReport(nullptr, contents->program, conversion.packagePath);
    run->weights = compress::listWeights(contents->program, 10);
    run->flexibility_ = analysis::inputFlexibility(*contents);
    run->package = contents;
    if (run->flexibility_.empty()) {
        run->planned_ = contents;
    } else {
        // The cost model needs sizes: a second copy with each flexible input at its default shape.
        auto planned = std::make_shared<package::PackageContents>(package::readPackage(conversion.packagePath));
        analysis::specializeToDefaultShapes(*planned);
        run->planned_ = planned;
    }
    analysis::VerifyOptions verify;
    verify.modelPath = settings.modelPath;
    verify.packagePath = conversion.packagePath;
    // Per layer needs libtorch's run of the model, which an untrusted model must not get.
    verify.noReference = settings.noReference;
    verify.perLayer = !settings.noReference;
    try {
        run->accuracy = analysis::verifyPackage(verify);
    } catch (const Error& e) {
        run->accuracyError = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        run->accuracyError = QString::fromUtf8(e.what()).section('\n', 0, 0);
    }
    return run;
}

}  // namespace cms::ui
