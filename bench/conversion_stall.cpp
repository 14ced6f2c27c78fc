// The studio's responsiveness during a conversion: converts a model on the ConversionRunner's worker
// with the progress and results widgets shown, while a 1 ms timer on the GUI thread records the
// longest gap between its ticks (the longest event-loop stall); then cancels conversions at each
// stage and times how long the job takes to stop.
//
//   QT_QPA_PLATFORM=offscreen conversion_stall MODEL.pt INPUT_SHAPE [RUNS]
#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "conversion_runner.h"
#include "results/conversion_progress.h"
#include "results/results_panel.h"

using namespace cms;

namespace {

struct Outcome {
    double stallMs = 0.0;
    double cancelMs = -1.0;  // from cancel() to the failed(cancelled) signal; -1 when not cancelled
    bool converted = false;
    bool leftovers = false;
};

// One conversion; with `cancelAt` set, cancelled when that stage first reports.
Outcome run(const ConversionSettings& base, const QString& folder, const Stage* cancelAt) {
    ConversionSettings settings = base;
    settings.outputPath = (folder + "/model.mlpackage").toStdString();
    ui::ConversionRunner runner;
    ui::ConversionProgress progress;
    ui::ResultsPanel results;
    progress.show();
    results.show();
    QObject::connect(&runner, &ui::ConversionRunner::progress, &progress, &ui::ConversionProgress::onProgress);
    QObject::connect(&runner, &ui::ConversionRunner::converted, &results, &ui::ResultsPanel::showReport);
    Outcome out;
    QElapsedTimer clock, sinceCancel;
    clock.start();
    qint64 last = -1, worst = 0;
    QTimer probe;
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last >= 0) worst = std::max(worst, now - last);
        last = now;
    });
    QEventLoop loop;
    QObject::connect(&runner, &ui::ConversionRunner::progress, [&](Stage s, double, const QString&) {
        if (cancelAt && s == *cancelAt && !sinceCancel.isValid()) {
            sinceCancel.start();
            runner.cancel();
        }
    });
    QObject::connect(&runner, &ui::ConversionRunner::converted, [&] {
        out.converted = true;
        loop.quit();
    });
    QObject::connect(&runner, &ui::ConversionRunner::failed, [&](const QString& message, bool cancelled) {
        if (cancelled && sinceCancel.isValid()) out.cancelMs = sinceCancel.nsecsElapsed() / 1e6;
        else std::fprintf(stderr, "conversion_stall: %s\n", qPrintable(message));
        loop.quit();
    });
    probe.start();
    progress.start();
    runner.convert(settings);
    loop.exec();
    probe.stop();
    runner.stopAndWait();
    out.stallMs = worst / 1e6;
    out.leftovers = cancelAt && !std::filesystem::is_empty(folder.toStdString());
    return out;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: conversion_stall MODEL.pt INPUT_SHAPE [RUNS]\n");
        return 2;
    }
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 3;
    ConversionSettings settings;
    settings.modelPath = argv[1];
    settings.inputs.push_back(parseInputSpec(std::string("x:") + argv[2]));
    settings.precision = Precision::Float16;

    std::vector<double> stalls;
    for (int i = 0; i < runs; ++i) {
        QTemporaryDir dir;
        const Outcome o = run(settings, dir.path(), nullptr);
        if (!o.converted) return 1;
        stalls.push_back(o.stallMs);
    }
    std::printf("model: %s (fp16)\n", argv[1]);
    std::printf("longest GUI-thread stall during a conversion: worst %.1f ms, median %.1f ms of %d runs\n",
                *std::max_element(stalls.begin(), stalls.end()), median(stalls), runs);
    for (Stage s : {Stage::Import, Stage::Lower, Stage::Passes, Stage::Write}) {
        QTemporaryDir dir;
        const Outcome o = run(settings, dir.path(), &s);
        if (o.cancelMs < 0) std::printf("cancel at %s: did not take effect\n", stageName(s));
        else
            std::printf("cancel at %s: stopped after %.0f ms, %s\n", stageName(s), o.cancelMs,
                        o.leftovers ? "FILES LEFT BEHIND" : "nothing left on disk");
    }
    return 0;
}
