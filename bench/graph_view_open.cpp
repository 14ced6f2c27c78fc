// Time to first paint of the graph view: builds the view model, lays out the visible graph
// (groups collapsed) and renders the whole view once, as the studio does when a model opens.
// Import and lowering run before this on the worker thread and are timed separately.
//
//   QT_QPA_PLATFORM=offscreen graph_view_open MODEL.pt INPUT_SHAPE [RUNS]
#include <QApplication>
#include <QElapsedTimer>
#include <QPixmap>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "common/error.h"
#include "converter.h"
#include "graph/graph_scene.h"
#include "graph/graph_view.h"
#include "graphview/graph_view_model.h"
#include "lower/lowering.h"

using namespace cms;

namespace {

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
    try {
        QElapsedTimer timer;
        timer.start();
        auto graph = std::make_shared<ir::Graph>(importModel(argv[1]));
        const double importMs = timer.nsecsElapsed() / 1e6;
        ConversionSettings settings;
        settings.inputs.push_back(parseInputSpec(graph->inputNames.at(0) + ":" + argv[2]));
        timer.restart();
        lower::lowerGraph(*graph, completeSettings(*graph, settings));
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
        std::printf("model: %s\n", argv[1]);
        std::printf("source nodes: %zu, displayed nodes (inputs and outputs included): %zu, groups: %zu\n", graph->nodeCount(), ops, groups);
        std::printf("import: %.0f ms, lowering (for shapes): %.0f ms\n", importMs, lowerMs);
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
