// Loading, eval-mode switching and freezing with libtorch; graph translation is in torchscript_graph.cpp.
#include "frontends/torchscript/torchscript_importer.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/version.h>

#include <chrono>
#include <exception>
#include <future>
#include <optional>

#include "common/cancellation.h"
#include "common/error.h"
#include "common/memory_budget.h"
#include "frontends/torchscript/torchvision_ops.h"
#include "common/log.h"
#include "frontends/torchscript/archive_checksums.h"
#include "frontends/torchscript/archive_outline.h"
#include "frontends/torchscript/archive_probe.h"
#include "frontends/torchscript/parameter_constants.h"
#include "frontends/torchscript/state_buffers.h"
#include "ir/nonfinite_constants.h"
#include "frontends/torchscript/torchscript_graph.h"

namespace cms::frontends {

namespace {

std::string firstLine(const std::string& s) {
    const auto end = s.find('\n');
    return end == std::string::npos ? s : s.substr(0, end);
}

std::string libtorchMessage(const std::exception& e) {
    if (const auto* c10Error = dynamic_cast<const c10::Error*>(&e))
        return firstLine(c10Error->what_without_backtrace());
    return firstLine(e.what());
}

const std::string kExportHint =
    "export the model with torch.jit.trace(model.eval(), example_input).save(\"model.pt\") or "
    "torch.jit.script(model).save(\"model.pt\")";

torch::jit::Module loadOnCpu(const std::string& path) {
    try {
        // Storages saved from cuda:N are mapped to the CPU while reading, never touching CUDA.
        return loadWithTorchvisionOps(path);
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Input, "libtorch " TORCH_VERSION " could not load the archive: " + libtorchMessage(e),
                    {path, ""},
                    "the archive may be corrupt, or written by a newer PyTorch using ops or format features that "
                    "libtorch " TORCH_VERSION " does not know; re-export it, ideally with the same PyTorch version, "
                    "or " + kExportHint);
    }
}

void freezeKeepingOps(torch::jit::Module& module, const std::string& path) {
    try {
        // Not torch::jit::freeze: its follow-up optimizations fold batch norm into convolutions
        // and merge linears, which would erase the ops (and their provenance) users see.
        // Parameters stay attribute reads until foldParameters: folded here, libtorch's clean-up
        // passes compare every pair of same-shaped weights, 6x slower on a 5,000-node transformer.
        torch::jit::freeze_module_inplace(&module, {}, /*freezeInterfaces=*/true, /*preserveParameters=*/true);
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Unsupported, "freezing the module failed: " + libtorchMessage(e), {path, ""},
                    "make the module's attributes constant (no mutation of self in forward), or "
                    "export it with torch.jit.trace");
    }
}

std::string trainingModeWarning(const std::vector<std::string>& training) {
    if (training.empty()) return {};
    std::string examples;
    for (size_t i = 0; i < training.size() && i < 3; ++i) examples += (i ? ", " : "") + training[i];
    if (training.size() > 3) examples += ", ...";
    return "the model was saved in training mode (" + std::to_string(training.size()) + " module(s): " + examples +
           "); it was switched to eval mode so dropout and batch norm behave as at inference";
}

// Switches every submodule still in training mode to eval mode; returns a warning, or "".
std::string switchToEvalMode(torch::jit::Module& module) {
    std::vector<std::string> training;
    for (const auto& item : module.named_modules()) {
        if (item.value.hasattr("training") && item.value.attr("training").toBool())
            training.push_back(item.name.empty() ? "<top>" : item.name);
    }
    if (training.empty()) return {};
    module.eval();
    return trainingModeWarning(training);
}

// Tracing in training mode bakes training=True into dropout and batch-norm calls; switching the
// module to eval mode afterwards cannot undo that, so say where it happened.
std::optional<std::string> tracedTrainingWarning(const ir::Graph& graph) {
    size_t count = 0;
    std::string first;
    for (const ir::Node* n : graph.allNodes()) {
        int trainArg = -1;
        if (n->kind == "aten::dropout" || n->kind == "aten::dropout_" || n->kind == "aten::feature_dropout" ||
            n->kind == "aten::alpha_dropout")
            trainArg = 2;
        else if (n->kind == "aten::batch_norm" || n->kind == "aten::instance_norm")
            trainArg = 5;
        if (trainArg < 0 || static_cast<int>(n->inputs.size()) <= trainArg) continue;
        // Dropout with p = 0 (torchvision's Swin passes its attention dropout so) is an identity either way.
        const auto& p = n->inputs[1]->constant;
        if (trainArg == 2 && p && std::holds_alternative<double>(*p) && std::get<double>(*p) == 0.0) continue;
        const auto& c = n->inputs[trainArg]->constant;
        if (c && std::holds_alternative<bool>(*c) && std::get<bool>(*c)) {
            if (count++ == 0) first = n->prov.describe();
        }
    }
    if (count == 0) return std::nullopt;
    return std::to_string(count) + " dropout/normalization op(s) were recorded with training=True (first: " + first +
           "): the model was traced in training mode; re-trace it after model.eval()";
}

void addGraphWarnings(ir::Graph& graph, const std::string& path) {
    if (auto warning = tracedTrainingWarning(graph)) {
        logger()->warn("{}: {}", path, *warning);
        graph.warnings.push_back(std::move(*warning));
    }
    for (std::string& warning : ir::nonFiniteConstantWarnings(graph)) {
        logger()->warn("{}: {}", path, warning);
        graph.warnings.push_back(std::move(warning));
    }
}

}  // namespace

ir::Graph importTorchScript(const std::string& path, const TorchScriptImportOptions& options) {
    const auto start = std::chrono::steady_clock::now();
    const ArchiveProbe probe = probeArchive(path);
    if (probe.kind != ArchiveKind::TorchScript) {
        const ArchiveDiagnosis d = diagnoseArchive(probe.kind);
        throw Error(ErrorKind::Input, d.message, {path, ""}, d.hint);
    }
    // libtorch reads every storage into memory, and lowering keeps fp16 copies of float weights: refuse early
    // what cannot fit, rather than fail (or be killed) inside the allocator. (Measured: 64 MB of fp32 weights
    // needed between 92 and 127 MB above the process's own use.)
    checkFitsInMemory(probe.storageBytes + probe.storageBytes / 2,
                      "loading the model's " + formatBytes(probe.storageBytes) + " of weights", path);
    if (options.outline && options.outlineFromArchive) {
        std::string whyNot;
        if (auto outline = readArchiveOutline(path, probe, &whyNot)) {
            ir::Graph graph = std::move(outline->graph);
            graph.sourcePath = path;
            graph.framework = "torchscript";
            if (std::string warning = trainingModeWarning(outline->trainingModules); !warning.empty()) {
                logger()->warn("{}: {}", path, warning);
                graph.warnings.push_back(std::move(warning));
            }
            addGraphWarnings(graph, path);
            logger()->info("module outline of {} read from the archive: {} nodes in {:.3f}s", path, graph.nodeCount(),
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
            return graph;
        }
        logger()->info("module outline of {} needs libtorch's load: {}", path, whyNot);
    }
    // The checksum pass (0.4 s on a 350 MB archive) runs beside libtorch's load, which is single-threaded; a
    // damaged archive is reported as damaged even when libtorch also failed to read it.
    auto corruptEntry = std::async(std::launch::async, [&path, &probe] { return firstCorruptEntry(path, probe); });
    std::optional<torch::jit::Module> loaded;
    std::exception_ptr loadError;
    try {
        loaded = loadOnCpu(path);
    } catch (...) {
        loadError = std::current_exception();
    }
    if (const auto bad = corruptEntry.get())
        throw Error(ErrorKind::Input, "the archive is damaged: its entry " + *bad + " does not match its checksum",
                    {path, ""}, "copy or download the file again, or export the model again");
    if (loadError) std::rethrow_exception(loadError);
    torch::jit::Module module = std::move(*loaded);
    checkCancelled();
    ir::Graph graph;
    graph.sourcePath = path;
    graph.framework = "torchscript";
    try {
        if (!module.find_method("forward"))
            throw Error(ErrorKind::Input, "the module has no forward() method", {path, ""},
                        "export a module that defines forward(); " + kExportHint);
        if (std::string warning = switchToEvalMode(module); !warning.empty()) {
            logger()->warn("{}: {}", path, warning);
            graph.warnings.push_back(std::move(warning));
        }
        const std::string rootType = module.type()->name() ? module.type()->name()->name() : std::string();
        if (options.outline) {
            translateModuleOutline(module, rootType, graph);
        } else {
            if (options.freeze) freezeKeepingOps(module, path);
            checkCancelled();
            auto source = module.get_method("forward").graph();
            torch::jit::Inline(*source);
            checkCancelled();
            // Buffers written in place become states before the others fold into constants.
            const std::vector<MutatedBuffer> lifted = options.freeze ? liftMutatedBuffers(source, module)
                                                                     : std::vector<MutatedBuffer>{};
            if (options.freeze) foldParameters(source, module);
            checkCancelled();
            translateTorchScriptGraph(source, rootType, graph);
            moveLiftedBuffersToStates(graph, lifted);
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::Input, "reading the TorchScript graph failed: " + libtorchMessage(e), {path, ""},
                    "re-export the model; " + kExportHint);
    }
    addGraphWarnings(graph, path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    logger()->info("imported {}: {} nodes, {} input(s), {} output(s) in {:.2f}s", path, graph.nodeCount(),
                   graph.top().inputs.size(), graph.top().outputs.size(), seconds);
    return graph;
}

}  // namespace cms::frontends
