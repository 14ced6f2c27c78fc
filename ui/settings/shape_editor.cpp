#include "shape_editor.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "settings/input_check.h"

namespace cms::ui {

namespace {

enum DimColumn { SizeColumn, LowerColumn, UpperColumn };

QTableWidgetItem* numberItem(const QString& text, bool editable = true) {
    auto* item = new QTableWidgetItem(text);
    if (!editable) item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

std::optional<int64_t> positive(const QString& text) {
    bool ok = false;
    const qlonglong v = text.trimmed().toLongLong(&ok);
    if (!ok || v <= 0) return std::nullopt;
    return v;
}

}  // namespace

ShapeEditor::ShapeEditor(QWidget* parent)
    : QWidget(parent), mode_(new QComboBox), pages_(new QStackedWidget), dims_(new QTableWidget(0, 3)),
      enums_(new QTableWidget(0, 1)), addShape_(new QPushButton(tr("Add shape"))),
      removeShape_(new QPushButton(tr("Remove"))) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    mode_->addItem(tr("Fixed shape"), int(Mode::Fixed));
    mode_->addItem(tr("Ranges per dimension"), int(Mode::Ranges));
    mode_->addItem(tr("Enumerated shapes"), int(Mode::Enumerated));
    layout->addWidget(mode_);

    dims_->setHorizontalHeaderLabels({tr("Size (default)"), tr("Lower"), tr("Upper")});
    dims_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    dims_->setToolTip(tr("Ranges: leave Lower and Upper empty to keep a dimension fixed; an empty Upper is unbounded."));
    dims_->setMaximumHeight(150);
    pages_->addWidget(dims_);

    auto* enumPage = new QWidget;
    auto* enumLayout = new QVBoxLayout(enumPage);
    enumLayout->setContentsMargins(0, 0, 0, 0);
    enums_->setHorizontalHeaderLabels({tr("Shape (the first is the default)")});
    enums_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    enums_->setMaximumHeight(150);
    enumLayout->addWidget(enums_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addShape_);
    buttons->addWidget(removeShape_);
    buttons->addStretch();
    enumLayout->addLayout(buttons);
    pages_->addWidget(enumPage);
    layout->addWidget(pages_);

    connect(mode_, &QComboBox::currentIndexChanged, this, &ShapeEditor::onModeChanged);
    connect(dims_, &QTableWidget::cellChanged, this, &ShapeEditor::onDimensionEdited);
    connect(enums_, &QTableWidget::cellChanged, this, &ShapeEditor::onEnumeratedEdited);
    connect(addShape_, &QPushButton::clicked, this, [this] {
        InputSpec next = in_;
        if (next.enumeratedShapes.empty()) next.enumeratedShapes.push_back(next.shape);
        next.enumeratedShapes.push_back(next.shape);  // a copy to edit
        emit edited(next, QStringLiteral("enumerated.add"));
    });
    connect(removeShape_, &QPushButton::clicked, this, [this] {
        const int row = enums_->currentRow();
        if (row < 0 || in_.enumeratedShapes.size() <= 1) return;
        InputSpec next = in_;
        next.enumeratedShapes.erase(next.enumeratedShapes.begin() + row);
        if (next.shape == in_.enumeratedShapes[size_t(row)]) next.shape = next.enumeratedShapes.front();
        emit edited(next, QString());
    });
}

void ShapeEditor::setInput(const InputSpec& in) {
    updating_ = true;
    in_ = in;
    const Mode mode = !in.enumeratedShapes.empty() ? Mode::Enumerated : in.hasRanges() ? Mode::Ranges : Mode::Fixed;
    mode_->setCurrentIndex(mode_->findData(int(mode)));
    pages_->setCurrentIndex(mode == Mode::Enumerated ? 1 : 0);
    dims_->setColumnHidden(LowerColumn, mode != Mode::Ranges);
    dims_->setColumnHidden(UpperColumn, mode != Mode::Ranges);
    fillDimensions();
    fillEnumerated();
    updating_ = false;
}

void ShapeEditor::fillDimensions() {
    dims_->setRowCount(int(in_.shape.size()));
    for (int i = 0; i < int(in_.shape.size()); ++i) {
        const std::optional<DimRange> r = in_.hasRanges() ? in_.ranges[size_t(i)] : std::nullopt;
        dims_->setItem(i, SizeColumn, numberItem(QString::number(in_.shape[size_t(i)])));
        dims_->setItem(i, LowerColumn, numberItem(r ? QString::number(r->lower) : QString()));
        dims_->setItem(i, UpperColumn, numberItem(r && r->upper >= 0 ? QString::number(r->upper) : QString()));
    }
}

void ShapeEditor::fillEnumerated() {
    enums_->setRowCount(int(in_.enumeratedShapes.size()));
    for (int i = 0; i < int(in_.enumeratedShapes.size()); ++i)
        enums_->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(shapeToString(in_.enumeratedShapes[size_t(i)]))));
    removeShape_->setEnabled(in_.enumeratedShapes.size() > 1);
}

void ShapeEditor::onModeChanged() {
    if (updating_) return;
    InputSpec next = in_;
    next.ranges.clear();
    next.enumeratedShapes.clear();
    switch (Mode(mode_->currentData().toInt())) {
        case Mode::Fixed: break;
        case Mode::Ranges:
            // Start with the spatial dimensions (the last two) free from their size up to 4x it.
            next.ranges.assign(next.shape.size(), std::nullopt);
            for (size_t i = next.shape.size() >= 3 ? next.shape.size() - 2 : next.shape.size() - 1; i < next.shape.size(); ++i)
                next.ranges[i] = DimRange{1, next.shape[i] * 4};
            break;
        case Mode::Enumerated: next.enumeratedShapes = {next.shape}; break;
    }
    if (next.shape.empty()) {
        setInput(in_);
        emit invalid(tr("Enter a shape for \"%1\" first.").arg(QString::fromStdString(in_.name)));
        return;
    }
    emit edited(next, QString());
}

void ShapeEditor::onDimensionEdited(int row, int column) {
    if (updating_) return;
    InputSpec next = in_;
    const QString text = dims_->item(row, column)->text().trimmed();
    const QString dim = tr("dimension %1").arg(row);
    if (column == SizeColumn) {
        const auto v = positive(text);
        if (!v) {
            setInput(in_);
            emit invalid(tr("%1: the size must be a positive integer, got \"%2\"").arg(dim, text));
            return;
        }
        next.shape[size_t(row)] = *v;
    } else {
        if (next.ranges.size() != next.shape.size()) next.ranges.assign(next.shape.size(), std::nullopt);
        std::optional<DimRange>& r = next.ranges[size_t(row)];
        const QString lower = dims_->item(row, LowerColumn)->text().trimmed();
        const QString upper = dims_->item(row, UpperColumn)->text().trimmed();
        if (lower.isEmpty() && upper.isEmpty()) {
            r.reset();
        } else {
            const auto lo = lower.isEmpty() ? std::optional<int64_t>(1) : positive(lower);
            const auto hi = upper.isEmpty() ? std::optional<int64_t>(-1) : positive(upper);
            if (!lo || !hi) {
                setInput(in_);
                emit invalid(tr("%1: bounds must be positive integers (an empty upper bound is unbounded)").arg(dim));
                return;
            }
            r = DimRange{*lo, *hi};
        }
    }
    if (auto problem = settings_detail::checkFlexibleShape(next)) {
        setInput(in_);
        emit invalid(tr("Input \"%1\": %2").arg(QString::fromStdString(in_.name), QString::fromStdString(problem->message)));
        return;
    }
    emit edited(next, QStringLiteral("shape.%1.%2").arg(row).arg(column));
}

void ShapeEditor::onEnumeratedEdited() {
    if (updating_) return;
    InputSpec next = in_;
    next.enumeratedShapes.clear();
    for (int r = 0; r < enums_->rowCount(); ++r) {
        const QString text = enums_->item(r, 0) ? enums_->item(r, 0)->text().trimmed() : QString();
        InputSpec one;
        one.name = in_.name;
        try {
            parseInputShape(text.toStdString(), one);
        } catch (const Error& e) {
            setInput(in_);
            emit invalid(QString::fromStdString(e.message()));
            return;
        }
        if (one.isFlexible()) {
            setInput(in_);
            emit invalid(tr("An enumerated shape is a fixed shape like 1x3x224x224, got \"%1\"").arg(text));
            return;
        }
        next.enumeratedShapes.push_back(one.shape);
    }
    if (next.enumeratedShapes.empty()) return;
    next.shape = next.enumeratedShapes.front();  // the first is the default
    if (auto problem = settings_detail::checkFlexibleShape(next)) {
        setInput(in_);
        emit invalid(tr("Input \"%1\": %2").arg(QString::fromStdString(in_.name), QString::fromStdString(problem->message)));
        return;
    }
    emit edited(next, QStringLiteral("enumerated"));
}

}  // namespace cms::ui
