#pragma once
// One finished conversion with everything the report views show: the settings it ran with, the
// package read back, its size report, its accuracy against the source model (per layer) and, when
// asked for, its compression sensitivity. Plain core data, computed on a worker thread
// (computeReportRun), shared read-only by every view and by the export.
#include <QDateTime>
#include <QString>

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "analysis/accuracy_report.h"
#include "analysis/placement.h"
#include "compress/sensitivity.h"
#include "compress/size_report.h"
#include "converter.h"
#include "package/package.h"

namespace cms::ui {

struct ReportRun {
    int number = 0;      // 1, 2, ... within the session
    QString label;       // "Run 2 · fp16 · int8 per channel"
    QDateTime finished;
    ConversionSettings settings;
    ConversionReport conversion;
    std::shared_ptr<const package::PackageContents> package;  // as written
    compress::SizeReport size;
    std::vector<compress::WeightInfo> weights;  // every stored weight over 10 elements, program order
    std::optional<analysis::AccuracyReport> accuracy;  // with per-layer rows
    QString accuracyError;                             // why there is no accuracy report
    // Filled in on request (ReportsController::analyseSensitivity), on the GUI thread.
    mutable std::shared_ptr<const compress::SensitivityReport> sensitivity;

    // The placement estimate for a chip and compute units, computed once and kept.
    const analysis::PlacementPlan& plan(const std::string& chipId, ComputeUnits units) const;

private:
    friend std::shared_ptr<ReportRun> computeReportRun(const ConversionSettings&, const ConversionReport&, int);
    std::shared_ptr<const package::PackageContents> planned_;  // flexible inputs set to their default shapes
    std::vector<analysis::InputFlexibility> flexibility_;
    mutable std::mutex plansMutex_;
    mutable std::map<std::pair<std::string, int>, std::unique_ptr<analysis::PlacementPlan>> plans_;
};

// Reads the package written by `conversion`, builds its size report and compares it with the source
// model layer by layer (libtorch, on the calling thread). Throws cms::Error when the package cannot be
// read; an accuracy check that fails to run is recorded in accuracyError instead.
std::shared_ptr<ReportRun> computeReportRun(const ConversionSettings& settings, const ConversionReport& conversion,
                                            int number);

// A short description of a run's settings for labels: "fp16 · int8 per channel", "fp32".
QString describeSettings(const ConversionSettings& settings);

}  // namespace cms::ui
