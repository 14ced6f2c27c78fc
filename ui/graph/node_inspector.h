#pragma once
// The inspector beside the graph: everything known about the selected op or group.
#include <QTextBrowser>

namespace cms::graphview {
class GraphViewModel;
}

namespace cms::ui {

class NodeInspector : public QTextBrowser {
    Q_OBJECT
public:
    explicit NodeInspector(QWidget* parent = nullptr);
    void showNode(const graphview::GraphViewModel& model, int nodeId);
    void showGroup(const graphview::GraphViewModel& model, int groupId);
    void showNothing();
};

}  // namespace cms::ui
