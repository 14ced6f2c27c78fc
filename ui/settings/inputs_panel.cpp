#include "inputs_panel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "image_preprocessing_editor.h"
#include "settings/input_check.h"
#include "shape_editor.h"
#include "states_editor.h"
#include "workspace/project_document.h"

namespace cms::ui {

namespace {

enum Column { NameColumn, ShapeColumn, OptionsColumn };

// The --input form's option groups for a spec ("image,scale=...,layout=RGB:dtype=fp16").
QString optionsText(const InputSpec& in) {
    const QStringList parts = QString::fromStdString(formatInputSpec(in)).split(':');
    // NAME : SHAPE : options...; an enum(...) shape holds no ':', so the split is by group.
    return parts.mid(2).join(':');
}

QTableWidgetItem* readOnly(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

void setCell(QTableWidget* t, int row, int column, const QString& text, bool editable = true) {
    if (QTableWidgetItem* item = t->item(row, column)) {
        if (item->text() != text) item->setText(text);
        return;
    }
    t->setItem(row, column, editable ? new QTableWidgetItem(text) : readOnly(text));
}

}  // namespace

InputsPanel::InputsPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), table_(new QTableWidget(0, 3)), details_(new QGroupBox),
      kind_(new QComboBox), dtype_(new QComboBox), shape_(new ShapeEditor), imageBox_(new QGroupBox(tr("Image preprocessing"))),
      image_(new ImagePreprocessingEditor), flexibleNote_(new QLabel), outputs_(new QTableWidget(0, 2)) {
    auto* layout = new QVBoxLayout(this);
    table_->setHorizontalHeaderLabels({tr("Name"), tr("Shape"), tr("Options")});
    table_->horizontalHeader()->setSectionResizeMode(OptionsColumn, QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setMaximumHeight(130);
    table_->setToolTip(tr("Shape like 1x3x224x224, 1x3x(64..512)x(64..512) or enum(1x3x224x224,1x3x256x256). "
                          "Options: image,scale=1/255,bias=R,G,B,layout=RGB or dtype=fp16|int32"));
    layout->addWidget(table_);

    auto* form = new QFormLayout(details_);
    kind_->addItem(tr("Tensor"));
    kind_->addItem(tr("Image"));
    form->addRow(tr("Kind:"), kind_);
    for (DType d : {DType::Float32, DType::Float16, DType::Int32}) dtype_->addItem(QString::fromStdString(dtypeName(d)), int(d));
    form->addRow(tr("Data type:"), dtype_);
    form->addRow(tr("Shape:"), shape_);
    flexibleNote_->setWordWrap(true);
    flexibleNote_->setStyleSheet(QStringLiteral("color: #8a5a00;"));
    flexibleNote_->setText(tr("The package accepts every shape allowed here; the program computes the varying sizes at "
                              "run time. An op that needs one of them fixed stops Convert with an error naming the op and "
                              "the dimension."));
    form->addRow(flexibleNote_);
    auto* imageLayout = new QVBoxLayout(imageBox_);
    imageLayout->addWidget(image_);
    form->addRow(imageBox_);
    layout->addWidget(details_);

    auto* outputsBox = new QGroupBox(tr("Output names"));
    auto* outputsLayout = new QVBoxLayout(outputsBox);
    outputs_->setHorizontalHeaderLabels({tr("Model output"), tr("Name in the package")});
    outputs_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    outputs_->verticalHeader()->hide();
    outputs_->setMaximumHeight(110);
    outputsLayout->addWidget(outputs_);
    layout->addWidget(outputsBox);
    auto* statesBox = new QGroupBox(tr("States (iOS18)"));
    auto* statesLayout = new QVBoxLayout(statesBox);
    states_ = new StatesEditor(document_);
    statesLayout->addWidget(states_);
    connect(states_, &StatesEditor::invalid, this, &InputsPanel::invalid);
    layout->addWidget(statesBox);
    layout->addStretch();

    connect(table_, &QTableWidget::cellChanged, this, &InputsPanel::onCellEdited);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &InputsPanel::refreshDetails);
    connect(outputs_, &QTableWidget::cellChanged, this, &InputsPanel::onOutputEdited);
    connect(kind_, &QComboBox::activated, this, [this](int index) {
        const InputSpec* spec = specFor(currentName());
        if (!spec) return;
        InputSpec next = *spec;
        if (index == 1 && !next.image) next.image = ImageSpec{};
        if (index == 0) next.image.reset();
        editInput(next, tr("Make %1 %2").arg(currentName(), index ? tr("an image") : tr("a tensor")), {});
    });
    connect(dtype_, &QComboBox::activated, this, [this] {
        const InputSpec* spec = specFor(currentName());
        if (!spec) return;
        InputSpec next = *spec;
        next.dtype = DType(dtype_->currentData().toInt());
        editInput(next, tr("Set the data type of %1").arg(currentName()), {});
    });
    connect(shape_, &ShapeEditor::edited, this, [this](const InputSpec& in, const QString& field) {
        editInput(in, tr("Edit the shape of %1").arg(QString::fromStdString(in.name)),
                  field.isEmpty() ? QString() : QStringLiteral("inputs.%1.%2").arg(QString::fromStdString(in.name), field));
    });
    connect(shape_, &ShapeEditor::invalid, this, &InputsPanel::invalid);
    connect(image_, &ImagePreprocessingEditor::edited, this, [this](const ImageSpec& img, const QString& field) {
        const InputSpec* spec = specFor(currentName());
        if (!spec) return;
        InputSpec next = *spec;
        next.image = img;
        editInput(next, tr("Edit the preprocessing of %1").arg(currentName()),
                  field.isEmpty() ? QString() : QStringLiteral("inputs.%1.%2").arg(currentName(), field));
    });
    connect(image_, &ImagePreprocessingEditor::invalid, this, &InputsPanel::invalid);
    connect(document_, &ProjectDocument::changed, this, &InputsPanel::refresh);
    refresh();
}

void InputsPanel::setModelInterface(const QStringList& inputNames, const QStringList& outputNames) {
    inputNames_ = inputNames;
    outputNames_ = outputNames;
    refresh();
    if (!inputNames_.isEmpty()) selectInput(0);
}

void InputsPanel::selectInput(int row) { table_->selectRow(row); }

const InputSpec* InputsPanel::specFor(const QString& name) const {
    for (const InputSpec& in : document_->settings().inputs)
        if (QString::fromStdString(in.name) == name) return &in;
    return nullptr;
}

QString InputsPanel::currentName() const {
    const int row = table_->currentRow() >= 0 ? table_->currentRow() : (table_->rowCount() ? 0 : -1);
    return row >= 0 && table_->item(row, NameColumn) ? table_->item(row, NameColumn)->text() : QString();
}

void InputsPanel::refresh() {
    updating_ = true;
    {
        const QSignalBlocker quiet(table_);
        // Inputs the document names that the model does not (a project opened before its model) still show.
        QStringList names = inputNames_;
        for (const InputSpec& in : document_->settings().inputs)
            if (!names.contains(QString::fromStdString(in.name))) names << QString::fromStdString(in.name);
        if (table_->rowCount() != names.size()) table_->setRowCount(int(names.size()));
        for (int r = 0; r < names.size(); ++r) {
            setCell(table_, r, NameColumn, names[r], false);
            const InputSpec* spec = specFor(names[r]);
            setCell(table_, r, ShapeColumn, spec ? QString::fromStdString(formatInputShape(*spec)) : QString());
            setCell(table_, r, OptionsColumn, spec ? optionsText(*spec) : QString());
        }
        table_->resizeColumnToContents(NameColumn);
    }
    {
        const QSignalBlocker quiet(outputs_);
        const auto& outs = document_->settings().outputs;
        const int rows = int(std::max<qsizetype>(outputNames_.size(), qsizetype(outs.size())));
        outputs_->setRowCount(rows);
        for (int r = 0; r < rows; ++r) {
            setCell(outputs_, r, 0, r < outputNames_.size() ? outputNames_[r] : tr("output %1").arg(r), false);
            const QString name = r < int(outs.size()) ? QString::fromStdString(outs[size_t(r)].name) : QString();
            setCell(outputs_, r, 1, name);
        }
    }
    updating_ = false;
    refreshDetails();
}

void InputsPanel::refreshDetails() {
    const InputSpec* spec = specFor(currentName());
    details_->setTitle(currentName().isEmpty() ? tr("No input selected") : tr("Input \"%1\"").arg(currentName()));
    details_->setEnabled(spec != nullptr);
    if (!spec) {
        details_->setToolTip(tr("Enter a shape in the table first."));
        flexibleNote_->hide();
        imageBox_->hide();
        return;
    }
    details_->setToolTip({});
    kind_->setCurrentIndex(spec->image ? 1 : 0);
    dtype_->setCurrentIndex(dtype_->findData(int(spec->dtype)));
    shape_->setInput(*spec);
    flexibleNote_->setVisible(spec->isFlexible());
    imageBox_->setVisible(spec->image.has_value());
    if (spec->image) image_->setImage(*spec->image);
}

void InputsPanel::onCellEdited(int row, int column) {
    if (updating_ || column == NameColumn) return;
    const QString name = table_->item(row, NameColumn)->text();
    const QString shape = table_->item(row, ShapeColumn) ? table_->item(row, ShapeColumn)->text().trimmed() : QString();
    const QString options = table_->item(row, OptionsColumn) ? table_->item(row, OptionsColumn)->text().trimmed() : QString();
    ConversionSettings next = document_->settings();
    auto& inputs = next.inputs;
    const auto it = std::find_if(inputs.begin(), inputs.end(), [&](const InputSpec& in) { return QString::fromStdString(in.name) == name; });
    if (shape.isEmpty()) {
        if (it != inputs.end()) inputs.erase(it);
        document_->edit(next, tr("Clear the shape of %1").arg(name));
        return;
    }
    InputSpec spec;
    try {
        spec = parseInputSpec((name + ":" + shape + (options.isEmpty() ? QString() : ":" + options)).toStdString());
    } catch (const Error& e) {
        emit invalid(tr("Input \"%1\": %2\nWhat to do: %3")
                         .arg(name, QString::fromStdString(e.message()), QString::fromStdString(e.hint())));
        refresh();  // back to the document's value
        return;
    }
    editInput(spec, tr("Edit %1").arg(name), QStringLiteral("inputs.%1.cell%2").arg(name).arg(column));
}

void InputsPanel::onOutputEdited(int row, int column) {
    if (updating_ || column != 1) return;
    ConversionSettings next = document_->settings();
    const QString name = outputs_->item(row, 1)->text().trimmed();
    // Output names go by position; unnamed ones before an edited one keep the model's names.
    if (next.outputs.size() <= size_t(row)) {
        for (int r = int(next.outputs.size()); r <= row; ++r)
            next.outputs.push_back({r < outputNames_.size() ? outputNames_[r].toStdString() : std::string()});
    }
    next.outputs[size_t(row)].name = name.isEmpty() && row < outputNames_.size() ? outputNames_[row].toStdString() : name.toStdString();
    for (const OutputSpec& o : next.outputs)
        if (o.name.empty()) {
            emit invalid(tr("Output %1 needs a name.").arg(row));
            refresh();
            return;
        }
    document_->edit(next, tr("Rename output %1").arg(row), QStringLiteral("outputs.%1").arg(row));
}

void InputsPanel::editInput(const InputSpec& in, const QString& text, const QString& field) {
    if (auto problem = settings_detail::checkInputSpec(in)) {
        emit invalid(tr("Input \"%1\": %2: %3")
                         .arg(QString::fromStdString(in.name), QString::fromStdString(problem->key),
                              QString::fromStdString(problem->message)));
        refresh();
        return;
    }
    ConversionSettings next = document_->settings();
    bool replaced = false;
    for (InputSpec& existing : next.inputs)
        if (existing.name == in.name) existing = in, replaced = true;
    if (!replaced) next.inputs.push_back(in);
    document_->edit(next, text, field);
}

}  // namespace cms::ui
