#pragma once
// The States box of the Inputs panel: buffers the model writes in place (KV caches) that the package keeps as
// Core ML states (iOS18), one row each with the buffer's name and shape, as --state NAME:SHAPE takes them.
// Every change is an undoable edit of the document's states.
#include <QWidget>

#include <vector>

#include "settings/conversion_settings.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace cms::ui {

class ProjectDocument;

class StatesEditor : public QWidget {
    Q_OBJECT
public:
    explicit StatesEditor(ProjectDocument* document, QWidget* parent = nullptr);

    QTableWidget* table() const { return table_; }  // Buffer, Shape
    QPushButton* addButton() const { return add_; }
    QPushButton* removeButton() const { return remove_; }
    // The buffers the opened model writes in place (ir::Graph::states): named above the table, with a button
    // declaring those not declared yet. Empty hides both.
    void setModelBuffers(const std::vector<StateSpec>& buffers);
    QLabel* modelBuffersLabel() const { return found_; }
    QPushButton* declareButton() const { return declare_; }

signals:
    // An edit was refused; the message names the state and what is wrong.
    void invalid(const QString& message);

private:
    void refresh();
    void onCellEdited(int row, int column);
    void removeSelected();

    ProjectDocument* document_;
    QTableWidget* table_;
    QPushButton* add_;
    QPushButton* remove_;
    QLabel* found_;
    QPushButton* declare_;
    std::vector<StateSpec> modelBuffers_;
    bool updating_ = false;
};

}  // namespace cms::ui
