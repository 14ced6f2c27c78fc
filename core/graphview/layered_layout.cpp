// The only file that talks to Graphviz.
#include "graphview/layered_layout.h"

#include <graphviz/gvc.h>

#include <mutex>
#include <string>

#include "common/error.h"

namespace cms::graphview {

namespace {

// libgvc keeps global state: one context for the process, one layout at a time.
std::mutex& layoutMutex() {
    static std::mutex m;
    return m;
}

GVC_t* context() {
    static GVC_t* gvc = [] {
        agseterr(AGERR);  // warnings (e.g. about label sizes) are not the user's business
        return gvContext();
    }();
    return gvc;
}

void set(void* object, const char* name, const std::string& value) {
    agsafeset(object, const_cast<char*>(name), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

std::string inches(double points) { return std::to_string(points / 72.0); }

// Above this many nodes dot's edge labels (each a virtual node) make layout take seconds, so
// labels are placed on the finished curves instead, and crossing minimisation works less hard.
constexpr size_t kLargeGraph = 150;

// The middle of a Bezier path: the midpoint of its middle segment.
LayoutPoint curveMiddle(const std::vector<LayoutPoint>& c) {
    if (c.size() < 4) return c.empty() ? LayoutPoint{} : c.front();
    const size_t segments = (c.size() - 1) / 3, k = 3 * (segments / 2);
    const auto mix = [](LayoutPoint a, LayoutPoint b, double t) { return LayoutPoint{a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}; };
    // de Casteljau at t = 0.5
    const LayoutPoint p01 = mix(c[k], c[k + 1], 0.5), p12 = mix(c[k + 1], c[k + 2], 0.5), p23 = mix(c[k + 2], c[k + 3], 0.5);
    return mix(mix(p01, p12, 0.5), mix(p12, p23, 0.5), 0.5);
}

}  // namespace

LayoutResult layoutLayered(const LayoutRequest& request) {
    std::lock_guard<std::mutex> lock(layoutMutex());
    GVC_t* gvc = context();
    Agraph_t* g = agopen(const_cast<char*>("g"), Agdirected, nullptr);
    if (!gvc || !g)
        throw Error(ErrorKind::Internal, "Graphviz could not be initialised", {},
                    "check that the Graphviz libraries and their dot layout plugin are installed");
    set(g, "rankdir", "TB");
    set(g, "nodesep", "0.25");
    set(g, "ranksep", "0.35");
    set(g, "fontsize", "11");
    const bool large = request.nodes.size() > kLargeGraph;
    if (large) {
        set(g, "mclimit", "0.3");
        set(g, "nslimit", "3");
        set(g, "nslimit1", "3");
    }

    std::vector<Agraph_t*> clusters;
    for (size_t i = 0; i < request.clusters.size(); ++i) {
        const auto& c = request.clusters[i];
        Agraph_t* parent = c.parent >= 0 ? clusters.at(c.parent) : g;
        Agraph_t* sub = agsubg(parent, const_cast<char*>(("cluster_" + std::to_string(i)).c_str()), 1);
        set(sub, "label", c.label);
        set(sub, "labeljust", "l");
        // Larger than the view draws it: Graphviz's text width estimate runs narrow for UI fonts.
        set(sub, "fontsize", "14");
        set(sub, "margin", "10");
        clusters.push_back(sub);
    }
    std::vector<Agnode_t*> nodes;
    for (size_t i = 0; i < request.nodes.size(); ++i) {
        const auto& n = request.nodes[i];
        Agraph_t* owner = n.cluster >= 0 ? clusters.at(n.cluster) : g;
        Agnode_t* node = agnode(owner, const_cast<char*>(("n" + std::to_string(i)).c_str()), 1);
        set(node, "shape", "box");
        set(node, "fixedsize", "true");
        set(node, "label", "");
        set(node, "width", inches(n.width));
        set(node, "height", inches(n.height));
        nodes.push_back(node);
    }
    std::vector<Agedge_t*> edges;
    for (size_t i = 0; i < request.edges.size(); ++i) {
        const auto& e = request.edges[i];
        Agedge_t* edge = agedge(g, nodes.at(e.from), nodes.at(e.to), const_cast<char*>(("e" + std::to_string(i)).c_str()), 1);
        if (!e.label.empty() && !large) {
            set(edge, "label", e.label);
            set(edge, "fontsize", "10");
        }
        edges.push_back(edge);
    }

    if (gvLayout(gvc, g, "dot") != 0) {
        agclose(g);
        throw Error(ErrorKind::Internal, "Graphviz's dot layout failed", {},
                    "check that Graphviz's dot layout plugin is installed (libgvplugin_dot_layout)");
    }

    const boxf bb = GD_bb(g);
    // Graphviz's y axis points up; flip it so the first layer is at the top.
    const auto point = [&](pointf p) { return LayoutPoint{p.x - bb.LL.x, bb.UR.y - p.y}; };
    LayoutResult out;
    out.bounds = {0.0, 0.0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y};
    for (Agnode_t* n : nodes) out.nodeCenters.push_back(point(ND_coord(n)));
    for (Agraph_t* c : clusters) {
        const boxf r = GD_bb(c);
        const LayoutPoint topLeft = point({r.LL.x, r.UR.y});
        out.clusterRects.push_back({topLeft.x, topLeft.y, r.UR.x - r.LL.x, r.UR.y - r.LL.y});
    }
    for (Agedge_t* e : edges) {
        LayoutResult::EdgePath path;
        if (const splines* spl = ED_spl(e); spl && spl->size > 0) {
            const bezier& bz = spl->list[0];
            for (int i = 0; i < bz.size; ++i) path.curve.push_back(point(bz.list[i]));
            if (bz.eflag) {
                path.hasArrow = true;
                path.arrowTip = point(bz.ep);
            }
        }
        if (const textlabel_t* label = ED_label(e); label && label->set) {
            path.hasLabel = true;
            path.labelCenter = point(label->pos);
        } else if (large && !path.curve.empty()) {
            path.hasLabel = true;
            const LayoutPoint mid = curveMiddle(path.curve);
            path.labelCenter = {mid.x + 34.0, mid.y};  // beside the line, not across it
        }
        out.edges.push_back(std::move(path));
    }
    gvFreeLayout(gvc, g);
    agclose(g);
    return out;
}

}  // namespace cms::graphview
