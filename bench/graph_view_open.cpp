// Time to first paint of the graph view: builds the view model, lays out the visible graph
// (groups collapsed) and renders the whole view once, as the studio does when a model opens.
// Import and lowering run before this on the worker thread and are timed separately.
//
//   QT_QPA_PLATFORM=offscreen graph_view_open MODEL.pt INPUT_SHAPE [RUNS]
//   QT_QPA_PLATFORM=offscreen graph_view_open --synthetic LAYERS [RUNS]
// The synthetic graph is a transformer encoder with attention heads written out op by op (as a
// model traced with a hand-written attention is), ~108 ops per layer: 48 layers give 5,000+ nodes.
#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "common/error.h"
#include "converter.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "lower/lowering.h"

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

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: graph_view_open MODEL.pt INPUT_SHAPE [RUNS]\n");
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
        std::string lowering = synthetic ? "skipped (synthetic graph)" : "ok";
        try {
            if (!synthetic) lower::lowerGraph(*graph, completeSettings(*graph, settings));
        } catch (const Error& e) {
            // As in the studio: the graph is shown without shapes.
            lowering = "failed, no edge shapes (" + e.message().substr(0, e.message().find('\n')) + ")";
        }
        const double lowerMs = timer.nsecsElapsed() / 1e6;

        std::vector<double> firstPaint, modelAndLayout, expandMs, expandAllMs;
        size_t ops = 0, boxes = 0, groups = 0, expandedBoxes = 0, allBoxes = 0;
        for (int run = 0; run < runs; ++run) {
            ui::GraphView view;
            view.resize(1280, 800);
            view.show();
            QCoreApplication::processEvents();
            timer.restart();
            view.setGraph(graph);
            const double built = timer.nsecsElapsed() / 1e6;
            const QPixmap frame = view.grab();  // paints every widget, the canvas and minimap included
            firstPaint.push_back(timer.nsecsElapsed() / 1e6);
            modelAndLayout.push_back(built);
            ops = view.model()->nodes().size();
            groups = view.model()->groups().size() - 1;
            boxes = view.scene()->visible().items.size();
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
        }
        std::printf("model: %s\n", synthetic ? ("synthetic transformer, " + std::string(argv[2]) + " layers").c_str() : argv[1]);
        std::printf("source nodes: %zu, displayed nodes (inputs and outputs included): %zu, groups: %zu\n", graph->nodeCount(), ops, groups);
        std::printf("import: %.0f ms, lowering (for shapes): %.0f ms, %s\n", importMs, lowerMs, lowering.c_str());
        std::printf("first paint, groups collapsed (%zu boxes): median %.1f ms of %d runs "
                    "(view model + layout + scene: %.1f ms)\n",
                    boxes, median(firstPaint), runs, median(modelAndLayout));
        if (!expandMs.empty())
            std::printf("expand the largest top-level group and repaint (%zu boxes): median %.1f ms\n", expandedBoxes,
                        median(expandMs));
        std::printf("expand all and repaint (%zu boxes): median %.1f ms\n", allBoxes, median(expandAllMs));
    } catch (const Error& e) {
        std::fprintf(stderr, "graph_view_open: %s\n", e.what());
        return 1;
    }
    return 0;
}
