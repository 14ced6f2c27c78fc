#include "checklist_details.h"

#include <QStringList>

#include "checklist_panel.h"

namespace cms::ui {

namespace {

// The format of each detail message (core/analysis/production_checklist.cpp gives the English), null for
// an id without one. Plain tr() calls in one function: lupdate files them under ChecklistPanel.
QString detailFormat(const std::string& id) {
    if (id == "not-imported") return ChecklistPanel::tr("the model has not been imported yet");
    if (id == "no-training-mode") return ChecklistPanel::tr("no module of the model was saved in training mode");
    if (id == "no-input-shapes") return ChecklistPanel::tr("no input has a shape yet");
    if (id == "image-as-plain-array")
        return ChecklistPanel::tr("input \"%1\" (%2) looks like an image but is a plain array: the app has to "
                                  "normalise pixels itself");
    if (id == "image-unscaled")
        return ChecklistPanel::tr("image input \"%1\" has scale 1 and no bias: the model receives pixels of 0-255 "
                                  "(right only if it normalises them itself)");
    if (id == "no-image-inputs") return ChecklistPanel::tr("no input looks like an image: nothing to bake in");
    if (id == "image-inputs-preprocessed") return ChecklistPanel::tr("%1 image input(s) with scale and bias set");
    if (id == "not-converted") return ChecklistPanel::tr("not converted yet");
    if (id == "ml-program") return ChecklistPanel::tr("ML Program, specification version %1 (%2)");
    if (id == "not-ml-program") return ChecklistPanel::tr("not an ML Program, specification version %1 (%2)");
    if (id == "no-accuracy-check") return ChecklistPanel::tr("no accuracy check has run on the converted package");
    if (id == "accuracy-passed") return ChecklistPanel::tr("passed (%1, compared with %2)");
    if (id == "accuracy-failed") return ChecklistPanel::tr("failed (%1, compared with %2)");
    if (id == "accuracy-passed-lowest-snr")
        return ChecklistPanel::tr("passed (%1, compared with %2); lowest SNR %3 on output \"%4\"");
    if (id == "accuracy-failed-lowest-snr")
        return ChecklistPanel::tr("failed (%1, compared with %2); lowest SNR %3 on output \"%4\"");
    if (id == "no-compression") return ChecklistPanel::tr("no compression is set: weights are stored in %1");
    if (id == "compression-not-converted")
        return ChecklistPanel::tr("compression is set; the model has not been converted with it yet");
    if (id == "compression-matched-nothing")
        return ChecklistPanel::tr("compression is set but no weight was compressed (no weight matched the settings)");
    if (id == "weights-compressed-ratio")
        return ChecklistPanel::tr("%1 weights compressed: %2 -> %3 (%4x smaller)");
    if (id == "weights-compressed") return ChecklistPanel::tr("%1 weights compressed: %2 -> %3");
    if (id == "not-placed") return ChecklistPanel::tr("not converted yet (the estimate reads the package)");
    if (id == "neural-engine-share")
        return ChecklistPanel::tr("%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4)");
    if (id == "neural-engine-share-reason")
        return ChecklistPanel::tr("%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4); "
                                  "most ops off it: %5 (%6 ops)");
    if (id == "random-inputs-only") return ChecklistPanel::tr("checked with random inputs only");
    if (id == "checked-with-inputs") return ChecklistPanel::tr("checked with %1");
    if (id == "memory-estimate")
        return ChecklistPanel::tr("about %1 (weights %2 plus the largest op's activations); measure on a device "
                                  "under load to confirm");
    if (id == "cpu-only")
        return ChecklistPanel::tr("compute units CPU_ONLY: no acceleration (the right setting for isolating a "
                                  "problem, not for shipping)");
    if (id == "fp32-ops-suggested")
        return ChecklistPanel::tr("the accuracy check suggests keeping %1 op(s) in fp32 that are not, e.g. %2");
    if (id == "falls-back-to-cpu")
        return ChecklistPanel::tr("compute units %1: Core ML runs what the preferred device cannot on the CPU");
    if (id == "falls-back-to-gpu-or-cpu")
        return ChecklistPanel::tr("compute units %1: Core ML runs what the preferred device cannot on the GPU or CPU");
    if (id == "falls-back-to-cpu-fp32-ops")
        return ChecklistPanel::tr("compute units %1: Core ML runs what the preferred device cannot on the CPU; "
                                  "%2 op(s) kept in fp32");
    if (id == "falls-back-to-gpu-or-cpu-fp32-ops")
        return ChecklistPanel::tr("compute units %1: Core ML runs what the preferred device cannot on the GPU or "
                                  "CPU; %2 op(s) kept in fp32");
    return {};
}

// One real input of the accuracy check: its name and where its data came from.
QString inputSource(const QString& name, const QString& source) {
    return ChecklistPanel::tr("%1 from %2").arg(name, source);
}

// Replaces %1..%9 in one pass, so an argument's own text (a name with "%2", a "90 %") stays as it is.
QString substitute(const QString& format, const QStringList& args) {
    QString text;
    for (int i = 0; i < format.size(); ++i) {
        const int n = i + 1 < format.size() ? format[i + 1].digitValue() : -1;
        if (format[i] == QLatin1Char('%') && n >= 1 && n <= args.size()) {
            text += args[n - 1];
            ++i;
        } else {
            text += format[i];
        }
    }
    return text;
}

}  // namespace

QString checklistDetailText(const analysis::ChecklistItem& item) {
    QStringList args;
    for (const std::string& a : item.detailArgs) args << QString::fromStdString(a);
    // The importer's notice is English wherever it is shown.
    if (item.detailId == "training-mode-notice" && args.size() == 1) return args.front();
    if (item.detailId == "checked-with-inputs" && !args.isEmpty() && args.size() % 2 == 0) {
        QStringList inputs;
        for (int i = 0; i < args.size(); i += 2) inputs << inputSource(args[i], args[i + 1]);
        return substitute(detailFormat(item.detailId), {inputs.join(QStringLiteral(", "))});
    }
    QString text = detailFormat(item.detailId);
    if (text.isNull()) return QString::fromStdString(item.detail);
    return substitute(text, args);
}

}  // namespace cms::ui
