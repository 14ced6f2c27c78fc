#pragma once
// The Inputs panel: every model input in a table (name, shape in the --input form, options),
// and for the selected one its kind (tensor or image), dtype, shape editor (fixed, ranges,
// enumerated) and image preprocessing; below, the names the outputs get in the package.
#include <QStringList>
#include <QWidget>

#include "settings/conversion_settings.h"

class QComboBox;
class QGroupBox;
class QLabel;
class QTableWidget;

namespace cms::ui {

class ImagePreprocessingEditor;
class ProjectDocument;
class ShapeEditor;
class StatesEditor;

class InputsPanel : public QWidget {
    Q_OBJECT
public:
    InputsPanel(ProjectDocument* document, QWidget* parent = nullptr);

    // The opened model's interface: rows for its inputs and outputs.
    void setModelInterface(const QStringList& inputNames, const QStringList& outputNames);

    QTableWidget* inputsTable() const { return table_; }  // Name, Shape, Options
    QTableWidget* outputsTable() const { return outputs_; }  // Output, Name in the package
    QComboBox* kindBox() const { return kind_; }
    QComboBox* dtypeBox() const { return dtype_; }
    ShapeEditor* shapeEditor() const { return shape_; }
    ImagePreprocessingEditor* imageEditor() const { return image_; }
    QLabel* flexibleNote() const { return flexibleNote_; }
    StatesEditor* statesEditor() const { return states_; }
    void selectInput(int row);

signals:
    // An edit was refused; the message names the input and what is wrong.
    void invalid(const QString& message);

private:
    void refresh();
    void refreshDetails();
    void onCellEdited(int row, int column);
    void onOutputEdited(int row, int column);
    // Replaces (or adds) the spec of one input in the document.
    void editInput(const InputSpec& in, const QString& text, const QString& field);
    const InputSpec* specFor(const QString& name) const;
    QString currentName() const;

    ProjectDocument* document_;
    QStringList inputNames_;
    QStringList outputNames_;
    bool updating_ = false;
    QTableWidget* table_;
    QGroupBox* details_;
    QComboBox* kind_;
    QComboBox* dtype_;
    ShapeEditor* shape_;
    QGroupBox* imageBox_;
    ImagePreprocessingEditor* image_;
    QLabel* flexibleNote_;
    QTableWidget* outputs_;
    StatesEditor* states_;
};

}  // namespace cms::ui
