// Time to first paint of the graph view: builds the view model, lays out the visible graph
// (groups collapsed) and renders the whole view once, as the studio does when a model opens; then
// the frame times of panning across the scene, collapsed and with every group expanded.
// Import, lowering and passes run before this on the worker thread and are timed separately.
//
//   QT_QPA_PLATFORM=offscreen graph_view_open MODEL.pt INPUT_SHAPE [RUNS]
//   QT_QPA_PLATFORM=offscreen graph_view_open MODEL.pt NAME:INPUT_SHAPE --epoch
//   QT_QPA_PLATFORM=offscreen graph_view_open --synthetic LAYERS [RUNS]
// INPUT_SHAPE is the --input form after the name (1x3x224x224, 1x64:dtype=int32). With --epoch the
// driver opens the model once in the studio's main window, as the studio does (import on the worker,
// the graph drawn at once, lowering and passes after it), and prints the wall clock at first paint,
// so a script can time the whole process from its start.
// The synthetic graph is a transformer encoder with attention heads written out op by op (as a
// model traced with a hand-written attention is), ~108 ops per layer: 48 layers give 5,000+ nodes.
#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>
#include <QScrollBar>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <sys/resource.h>
#include <string>
#include <vector>

#include "common/error.h"
#include "converter.h"
#include "graph/graph_canvas.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "lower/lowering.h"
#include "main_window.h"

using namespace cms;

namespace {

// One op appended to the top block, consuming `inputs`, producing one tensor.
ir::Value* op(ir::Graph& g, const std::string& kind, const std::string& path, std::vector<ir::Value*> inputs) {
    ir::Provenance prov;
    prov.modulePath = path;
    prov.sourceOp = kind;
    ir::Node* n = g.newNode(kind, prov);
    n->inputs = std::move(inputs);
    ir::Value* out = g.newValue("v" + std::to_string(g.nodeCount()), ir::ValueKind::Tensor, "Tensor");
    out->producer = n;
    n->outputs.push_back(out);
    g.top().nodes.push_back(n);
    return out;
}

std::shared_ptr<ir::Graph> syntheticTransformer(int layers, int heads = 12) {
    auto g = std::make_shared<ir::Graph>();
    g->sourcePath = "synthetic";
    ir::Value* x = g->newValue("x", ir::ValueKind::Tensor, "Tensor");
    g->top().inputs.push_back(x);
    g->inputNames.push_back("x");
    x = op(*g, "aten::linear", "embed", {x});
    for (int l = 0; l < layers; ++l) {
        const std::string layer = "encoder.layers." + std::to_string(l);
        ir::Value* h = op(*g, "aten::layer_norm", layer + ".norm1", {x});
        ir::Value* q = op(*g, "aten::linear", layer + ".attn.q_proj", {h});
        ir::Value* k = op(*g, "aten::linear", layer + ".attn.k_proj", {h});
        ir::Value* v = op(*g, "aten::linear", layer + ".attn.v_proj", {h});
        std::vector<ir::Value*> outs;
        for (int i = 0; i < heads; ++i) {
            const std::string head = layer + ".attn";
            ir::Value* qi = op(*g, "aten::slice", head, {q});
            ir::Value* ki = op(*g, "aten::slice", head, {k});
            ir::Value* vi = op(*g, "aten::slice", head, {v});
            ir::Value* kt = op(*g, "aten::transpose", head, {ki});
            ir::Value* s = op(*g, "aten::matmul", head, {qi, kt});
            s = op(*g, "aten::div", head, {s});
            s = op(*g, "aten::softmax", head, {s});
            outs.push_back(op(*g, "aten::matmul", head, {s, vi}));
        }
        ir::Value* a = op(*g, "aten::cat", layer + ".attn", outs);
        a = op(*g, "aten::linear", layer + ".attn.out_proj", {a});
        x = op(*g, "aten::add", layer, {x, a});
        h = op(*g, "aten::layer_norm", layer + ".norm2", {x});
        h = op(*g, "aten::linear", layer + ".mlp.fc1", {h});
        h = op(*g, "aten::gelu", layer + ".mlp.act", {h});
        h = op(*g, "aten::linear", layer + ".mlp.fc2", {h});
        x = op(*g, "aten::add", layer, {x, h});
    }
    x = op(*g, "aten::layer_norm", "norm", {x});
    x = op(*g, "aten::linear", "head", {x});
    g->top().outputs.push_back(x);
    g->outputNames.push_back("logits");
    return g;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct FrameTimes {
    double median = 0.0;
    double worst = 0.0;
    // The GUI thread's CPU time per frame: what the frame costs, without the waits a shared,
    // loaded machine adds to the wall clock.
    double cpuMedian = 0.0;
    double cpuWorst = 0.0;
    size_t frames = 0;
};

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Pans across the whole scene at the given zoom, one synchronous repaint of the canvas per step, as a
// drag does: top-left to bottom-right along rows a third of the viewport apart.
FrameTimes panAcross(ui::GraphCanvas* canvas, double zoom, size_t maxFrames = 240) {
    canvas->resetTransform();
    canvas->scale(zoom, zoom);
    QScrollBar* h = canvas->horizontalScrollBar();
    QScrollBar* v = canvas->verticalScrollBar();
    const int stepX = std::max(1, canvas->viewport()->width() / 3), stepY = std::max(1, canvas->viewport()->height() / 3);
    std::vector<std::pair<int, int>> path;
    for (int y = v->minimum(); y <= v->maximum(); y += stepY) {
        for (int x = h->minimum(); x <= h->maximum(); x += stepX) path.push_back({x, y});
    }
    if (path.size() < 2) path = {{h->minimum(), v->minimum()}, {h->maximum(), v->maximum()}};
    // A long scene is sampled evenly, start and end included.
    std::vector<std::pair<int, int>> frames;
    for (size_t i = 0; i < std::min(path.size(), maxFrames); ++i)
        frames.push_back(path[i * (path.size() - 1) / std::max<size_t>(1, std::min(path.size(), maxFrames) - 1)]);
    std::vector<double> ms, cpu;
    QElapsedTimer t;
    for (const auto& [x, y] : frames) {
        t.restart();
        const double cpuStart = threadCpuMs();
        h->setValue(x);
        v->setValue(y);
        canvas->viewport()->repaint();
        cpu.push_back(threadCpuMs() - cpuStart);
        ms.push_back(t.nsecsElapsed() / 1e6);
    }
    FrameTimes out;
    out.frames = ms.size();
    out.worst = *std::max_element(ms.begin(), ms.end());
    out.median = median(ms);
    out.cpuWorst = *std::max_element(cpu.begin(), cpu.end());
    out.cpuMedian = median(cpu);
    return out;
}

void printPan(const char* what, const FrameTimes& f) {
    std::printf("pan %s: %zu frames, median %.1f ms, worst %.1f ms (CPU: median %.1f ms, worst %.1f ms)\n", what,
                f.frames, f.median, f.worst, f.cpuMedian, f.cpuWorst);
}

// CPU time of the whole process so far (every thread, user and system): on a machine shared with other
// jobs the wall clock waits for a core; this is what opening the model costs.
double processCpuMs() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

long long epochMs() {
    return (long long)std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// The studio's own path from launch: the main window, its runner importing on the worker, the graph
// drawn as soon as the import is done, then lowering and passes on the worker until the graph gets its
// shapes and the ML Program. Prints wall-clock times so a script can count from before the exec.
int wholeProcess(int argc, char** argv, const std::string& path, const std::string& shape) {
    const long long atMain = epochMs();
    const double cpuAtMain = processCpuMs();
    QApplication app(argc, argv);
    const long long appBuilt = epochMs();
    ui::MainWindow window;
    window.resize(1360, 840);
    const long long windowBuilt = epochMs();
    window.show();
    QCoreApplication::processEvents();
    const long long windowShown = epochMs();
    long long opened = 0, painted = 0, programShown = 0;
    double cpuPainted = 0, cpuProgram = 0;
    size_t opsPainted = 0, opsProgram = 0;
    QString failure;
    QObject::connect(window.runner(), &ui::ConversionRunner::modelOpened, &window, [&] {
        // After the window's own handler (connected first) gave the graph to the view.
        opened = epochMs();
        window.grab();
        painted = epochMs();
        cpuPainted = processCpuMs();
        opsPainted = window.graphView()->model() ? window.graphView()->model()->nodes().size() : 0;
    });
    QObject::connect(window.runner(), &ui::ConversionRunner::programReady, &window, [&](const ui::ModelInfo& info) {
        window.grab();
        programShown = epochMs();
        cpuProgram = processCpuMs();
        opsProgram = window.graphView()->model() ? window.graphView()->model()->nodes().size() : 0;
        if (!info.program) failure = info.graphNote;
        QCoreApplication::quit();
    });
    QObject::connect(window.runner(), &ui::ConversionRunner::failed, &window, [&](const QString& message) {
        failure = message;
        QCoreApplication::quit();
    });
    ConversionSettings settings;
    try {
        settings.inputs.push_back(parseInputSpec(shape));  // NAME:SHAPE: the studio knows no name before the import
    } catch (const Error& e) {
        std::fprintf(stderr, "graph_view_open: %s\n", e.what());
        return 2;
    }
    window.runner()->openModel(QString::fromStdString(path), settings);
    app.exec();
    if (!painted) {
        std::fprintf(stderr, "graph_view_open: the model did not open: %s\n", qPrintable(failure));
        return 1;
    }
    std::printf("main-epoch-ms: %lld\n", atMain);
    std::printf("first-paint-epoch-ms: %lld\n", painted);
    std::printf("window %lld ms, import %lld ms, first paint %lld ms after main; graph with shapes and ML Program "
                "shown %lld ms after main%s%s\n",
                windowShown - atMain, opened - windowShown, painted - atMain, programShown - atMain,
                failure.isEmpty() ? "" : ", ", qPrintable(failure));
    std::printf("startup: QApplication %lld ms, MainWindow constructed %lld ms, shown and first event loop pass %lld ms\n",
                appBuilt - atMain, windowBuilt - appBuilt, windowShown - windowBuilt);
    std::printf("process CPU time: %.0f ms before main (loading libraries), %.0f ms at first paint, %.0f ms when "
                "the ML Program is shown\n", cpuAtMain, cpuPainted, cpuProgram);
    std::printf("ops drawn: %zu at first paint (module outline), %zu with the ML Program (full import)\n", opsPainted,
                opsProgram);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc > 3 && std::strcmp(argv[argc - 1], "--epoch") == 0) return wholeProcess(argc, argv, argv[1], argv[2]);
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: graph_view_open MODEL.pt INPUT_SHAPE [RUNS] [--epoch] | --synthetic LAYERS [RUNS]\n");
        return 2;
    }
    const int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
    const bool synthetic = std::string(argv[1]) == "--synthetic";
    try {
        QElapsedTimer timer;
        timer.start();
        auto graph = synthetic ? syntheticTransformer(std::atoi(argv[2]))
                               : std::make_shared<ir::Graph>(importModel(argv[1]));
        const double importMs = timer.nsecsElapsed() / 1e6;
        ConversionSettings settings;
        if (!synthetic) settings.inputs.push_back(parseInputSpec(graph->inputNames.at(0) + ":" + argv[2]));
        timer.restart();
        // As the studio's worker does: lower and optimise, keeping the program for the ML Program pane.
        std::string lowering = synthetic ? "skipped (synthetic graph)" : "ok";
        std::shared_ptr<const mil::Program> program;
        try {
            if (!synthetic) program = std::make_shared<const mil::Program>(buildProgram(*graph, completeSettings(*graph, settings)));
        } catch (const Error& e) {
            // As in the studio: the graph is shown without shapes.
            lowering = "failed, no edge shapes (" + e.message().substr(0, e.message().find('\n')) + ")";
        }
        const double lowerMs = timer.nsecsElapsed() / 1e6;

        std::vector<double> firstPaint, modelAndLayout, expandMs, expandAllMs;
        size_t ops = 0, boxes = 0, groups = 0, expandedBoxes = 0, allBoxes = 0;
        FrameTimes panCollapsed, panExpanded, panExpandedFar;
        for (int run = 0; run < runs; ++run) {
            ui::GraphView view;
            view.resize(1280, 800);
            view.show();
            QCoreApplication::processEvents();
            timer.restart();
            view.setGraph(graph, {}, program);
            const double built = timer.nsecsElapsed() / 1e6;
            const QPixmap frame = view.grab();  // paints every widget, the canvas and minimap included
            firstPaint.push_back(timer.nsecsElapsed() / 1e6);
            modelAndLayout.push_back(built);
            ops = view.model()->nodes().size();
            groups = view.model()->groups().size() - 1;
            boxes = view.scene()->visible().items.size();
            const bool measurePan = run == runs - 1;
            if (measurePan) panCollapsed = panAcross(view.canvas(), 1.0);
            // Expanding the largest top-level group lays out only what becomes visible.
            int largest = -1;
            for (int g : view.model()->group(graphview::kRootGroup).groups)
                if (largest < 0 || view.model()->group(g).totalNodes > view.model()->group(largest).totalNodes)
                    largest = g;
            if (largest > 0) {
                timer.restart();
                view.scene()->setGroupExpanded(largest, true);
                view.grab();
                expandMs.push_back(timer.nsecsElapsed() / 1e6);
                expandedBoxes = view.scene()->visible().items.size();
            }
            // The worst case: every group open, every op laid out.
            timer.restart();
            view.scene()->expandAll();
            view.grab();
            expandAllMs.push_back(timer.nsecsElapsed() / 1e6);
            allBoxes = view.scene()->visible().items.size();
            if (measurePan) {
                panExpanded = panAcross(view.canvas(), 1.0);
                panExpandedFar = panAcross(view.canvas(), 0.3);
            }
        }
        std::printf("model: %s\n", synthetic ? ("synthetic transformer, " + std::string(argv[2]) + " layers").c_str() : argv[1]);
        std::printf("source nodes: %zu, displayed nodes (inputs and outputs included): %zu, groups: %zu\n", graph->nodeCount(), ops, groups);
        std::printf("import: %.0f ms, lowering and passes (for shapes and the ML Program): %.0f ms, %s\n", importMs,
                    lowerMs, lowering.c_str());
        std::printf("first paint, groups collapsed (%zu boxes): median %.1f ms of %d runs "
                    "(view models + layout + scene: %.1f ms)\n",
                    boxes, median(firstPaint), runs, median(modelAndLayout));
        if (!expandMs.empty())
            std::printf("expand the largest top-level group and repaint (%zu boxes): median %.1f ms\n", expandedBoxes,
                        median(expandMs));
        std::printf("expand all and repaint (%zu boxes): median %.1f ms\n", allBoxes, median(expandAllMs));
        printPan("collapsed, zoom 1.0", panCollapsed);
        printPan("all expanded, zoom 1.0", panExpanded);
        printPan("all expanded, zoom 0.3", panExpandedFar);
    } catch (const Error& e) {
        std::fprintf(stderr, "graph_view_open: %s\n", e.what());
        return 1;
    }
    return 0;
}
