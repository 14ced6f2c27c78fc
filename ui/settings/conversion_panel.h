#pragma once
// The Conversion panel: output package, precision (with op types or module paths kept in fp32),
// deployment target, compute units, whether checks may run the model's code, and the package metadata.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace cms::ui {

class ProjectDocument;

class ConversionPanel : public QWidget {
    Q_OBJECT
public:
    ConversionPanel(ProjectDocument* document, QWidget* parent = nullptr);

    QLineEdit* outputEdit() const { return output_; }
    QComboBox* precisionBox() const { return precision_; }
    QLineEdit* fp32OpsEdit() const { return fp32Ops_; }  // comma-separated
    QComboBox* targetBox() const { return target_; }
    QComboBox* computeUnitsBox() const { return computeUnits_; }
    QLineEdit* authorEdit() const { return author_; }
    QCheckBox* noReferenceBox() const { return noReference_; }

private:
    void refresh();
    void chooseOutput();
    // Reads every control into a copy of the document and records the edit.
    void commit(const QString& text, const QString& field);

    ProjectDocument* document_;
    bool updating_ = false;
    QLineEdit* output_;
    QComboBox* precision_;
    QLineEdit* fp32Ops_;
    QComboBox* target_;
    QComboBox* computeUnits_;
    QCheckBox* noReference_;
    QLineEdit* author_;
    QLineEdit* license_;
    QLineEdit* description_;
    QLineEdit* version_;
};

}  // namespace cms::ui
