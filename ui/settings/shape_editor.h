#pragma once
// Edits one input's shape: fixed, per-dimension ranges (Core ML's RangeDim: lower, upper and the
// default size) or a list of enumerated shapes (the first is the default).
#include <QWidget>

#include "settings/conversion_settings.h"

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace cms::ui {

class ShapeEditor : public QWidget {
    Q_OBJECT
public:
    enum class Mode { Fixed, Ranges, Enumerated };
    explicit ShapeEditor(QWidget* parent = nullptr);

    // Shows a spec's shape (no signal).
    void setInput(const InputSpec& in);
    QComboBox* modeBox() const { return mode_; }
    QTableWidget* dimensionsTable() const { return dims_; }  // Size, Lower, Upper per dimension
    QTableWidget* enumeratedTable() const { return enums_; }  // one shape per row
    QPushButton* addShapeButton() const { return addShape_; }

signals:
    // The edited spec (shape, ranges, enumeratedShapes changed), and the field for undo merging.
    void edited(const cms::InputSpec& in, const QString& field);
    // A cell the user typed is not valid; the message says why (the document is left unchanged).
    void invalid(const QString& message);

private:
    void onModeChanged();
    void onDimensionEdited(int row, int column);
    void onEnumeratedEdited();
    void fillDimensions();
    void fillEnumerated();

    InputSpec in_;
    bool updating_ = false;
    QComboBox* mode_;
    QStackedWidget* pages_;
    QTableWidget* dims_;
    QTableWidget* enums_;
    QPushButton* addShape_;
    QPushButton* removeShape_;
};

}  // namespace cms::ui
