#include "states_editor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "workspace/project_document.h"

namespace cms::ui {

namespace {

enum Column { NameColumn, ShapeColumn };

QString cellText(const QTableWidget* t, int row, int column) {
    const QTableWidgetItem* item = t->item(row, column);
    return item ? item->text().trimmed() : QString();
}

}  // namespace

StatesEditor::StatesEditor(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), table_(new QTableWidget(0, 2)), add_(new QPushButton(tr("Add state"))),
      remove_(new QPushButton(tr("Remove"))), found_(new QLabel), declare_(new QPushButton(tr("Declare them"))) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    found_->setWordWrap(true);
    auto* foundRow = new QHBoxLayout;
    foundRow->addWidget(found_, 1);
    foundRow->addWidget(declare_);
    layout->addLayout(foundRow);
    found_->hide();
    declare_->hide();
    table_->setHorizontalHeaderLabels({tr("Buffer"), tr("Shape")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setMaximumHeight(110);
    table_->setToolTip(tr("Buffers the model writes in place (a KV cache), kept by Core ML between predictions. "
                          "Name as in the model (k_cache or layers.0.k_cache), shape like 6x1x8x64x64. "
                          "States need iOS18."));
    layout->addWidget(table_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add_);
    buttons->addWidget(remove_);
    buttons->addStretch();
    layout->addLayout(buttons);

    connect(table_, &QTableWidget::cellChanged, this, &StatesEditor::onCellEdited);
    connect(add_, &QPushButton::clicked, this, [this] {
        // A blank row to fill in; it becomes a state once both cells hold text.
        const QSignalBlocker quiet(table_);
        const int row = table_->rowCount();
        table_->insertRow(row);
        table_->setItem(row, NameColumn, new QTableWidgetItem);
        table_->setItem(row, ShapeColumn, new QTableWidgetItem);
        table_->setCurrentCell(row, NameColumn);
        if (table_->isVisible()) table_->editItem(table_->item(row, NameColumn));
    });
    connect(remove_, &QPushButton::clicked, this, &StatesEditor::removeSelected);
    connect(declare_, &QPushButton::clicked, this, [this] {
        ConversionSettings next = document_->settings();
        for (const StateSpec& buffer : modelBuffers_) {
            bool declared = false;
            for (const StateSpec& st : next.states) declared = declared || st.name == buffer.name;
            if (!declared) next.states.push_back(buffer);
        }
        if (next.target < mil::Target::iOS18) next.target = mil::Target::iOS18;  // states exist from iOS18 on
        document_->edit(next, tr("Declare the model's states"));
    });
    connect(document_, &ProjectDocument::changed, this, &StatesEditor::refresh);
    refresh();
}

void StatesEditor::setModelBuffers(const std::vector<StateSpec>& buffers) {
    modelBuffers_ = buffers;
    QStringList forms;
    for (const StateSpec& b : buffers) forms << QString::fromStdString(formatStateSpec(b));
    found_->setText(tr("The model writes these buffers in place: %1").arg(forms.join(", ")));
    refresh();
}

void StatesEditor::refresh() {
    updating_ = true;
    const QSignalBlocker quiet(table_);
    const auto& states = document_->settings().states;
    table_->setRowCount(int(states.size()));
    for (int r = 0; r < int(states.size()); ++r) {
        table_->setItem(r, NameColumn, new QTableWidgetItem(QString::fromStdString(states[size_t(r)].name)));
        const QString shape = QString::fromStdString(shapeToString(states[size_t(r)].shape));
        table_->setItem(r, ShapeColumn, new QTableWidgetItem(shape));
    }
    remove_->setEnabled(!states.empty());
    bool allDeclared = true;
    for (const StateSpec& buffer : modelBuffers_) {
        bool declared = false;
        for (const StateSpec& st : states) declared = declared || st.name == buffer.name;
        allDeclared = allDeclared && declared;
    }
    found_->setVisible(!modelBuffers_.empty());
    declare_->setVisible(!modelBuffers_.empty());
    declare_->setEnabled(!allDeclared);
    updating_ = false;
}

void StatesEditor::onCellEdited(int row, int column) {
    if (updating_) return;
    Q_UNUSED(column);
    const QString name = cellText(table_, row, NameColumn);
    const QString shape = cellText(table_, row, ShapeColumn);
    if (name.isEmpty() || shape.isEmpty()) return;  // not complete yet
    StateSpec spec;
    try {
        spec = parseStateSpec((name + ":" + shape).toStdString());
    } catch (const Error& e) {
        emit invalid(tr("State \"%1\": %2\nWhat to do: %3")
                         .arg(name, QString::fromStdString(e.message()), QString::fromStdString(e.hint())));
        refresh();
        return;
    }
    ConversionSettings next = document_->settings();
    for (size_t i = 0; i < next.states.size(); ++i)
        if (next.states[i].name == spec.name && int(i) != row) {
            emit invalid(tr("State \"%1\" is listed twice.").arg(name));
            refresh();
            return;
        }
    if (row < int(next.states.size())) next.states[size_t(row)] = spec;
    else next.states.push_back(spec);
    document_->edit(next, tr("Set state %1").arg(name), QStringLiteral("states.%1").arg(row));
}

void StatesEditor::removeSelected() {
    const int row = table_->currentRow();
    ConversionSettings next = document_->settings();
    if (row < 0 || row >= int(next.states.size())) return;
    const QString name = QString::fromStdString(next.states[size_t(row)].name);
    next.states.erase(next.states.begin() + row);
    document_->edit(next, tr("Remove state %1").arg(name));
}

}  // namespace cms::ui
