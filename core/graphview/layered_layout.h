#pragma once
// Layered (Sugiyama) layout of a directed graph with nested clusters, behind a small interface so
// the engine (Graphviz's dot, through libgvc) stays in one file. Units are points, y grows down.
#include <string>
#include <vector>

namespace cms::graphview {

struct LayoutPoint {
    double x = 0.0;
    double y = 0.0;
};

struct LayoutRect {
    double x = 0.0;  // top-left
    double y = 0.0;
    double width = 0.0;
    double height = 0.0;
};

struct LayoutRequest {
    struct Node {
        double width = 0.0;
        double height = 0.0;
        int cluster = -1;  // index into clusters, -1: top level
    };
    struct Cluster {
        int parent = -1;  // index into clusters (must come earlier), -1: top level
        std::string label;
    };
    struct Edge {
        int from = 0;
        int to = 0;
        std::string label;
    };
    std::vector<Node> nodes;
    std::vector<Cluster> clusters;
    std::vector<Edge> edges;
};

struct LayoutResult {
    struct EdgePath {
        // A cubic B-spline in Bezier form: the start point, then three points per segment.
        std::vector<LayoutPoint> curve;
        bool hasArrow = false;
        LayoutPoint arrowTip;
        bool hasLabel = false;
        LayoutPoint labelCenter;
    };
    std::vector<LayoutPoint> nodeCenters;
    std::vector<LayoutRect> clusterRects;
    std::vector<EdgePath> edges;
    LayoutRect bounds;
};

// Top-to-bottom layered layout. Throws cms::Error(Internal) when the engine fails.
LayoutResult layoutLayered(const LayoutRequest& request);

}  // namespace cms::graphview
