#include "quantization_panel.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QDoubleValidator>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include "common/error.h"
#include "labels/user_labels.h"
#include "workspace/project_document.h"

namespace cms::ui {

namespace {

const CompressionMethod kMethods[] = {CompressionMethod::LinearQuantize, CompressionMethod::Palettize,
                                      CompressionMethod::ThresholdPrune, CompressionMethod::MagnitudePrune};
const char* const kScopes[] = {QT_TRANSLATE_NOOP("cms::ui::QuantizationPanel", "Global"),
                               QT_TRANSLATE_NOOP("cms::ui::QuantizationPanel", "Op type"),
                               QT_TRANSLATE_NOOP("cms::ui::QuantizationPanel", "Op name")};

QString bytes(uint64_t n) { return QLocale().formattedDataSize(qint64(n), 2, QLocale::DataSizeSIFormat); }

QTableWidgetItem* fixedItem(const QString& text) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(item->flags() & ~Qt::ItemIsEditable);
    return item;
}

}  // namespace

QuantizationPanel::QuantizationPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), table_(new QTableWidget(0, ColumnCount)), estimate_(new QLabel) {
    auto* layout = new QVBoxLayout(this);
    auto* note = new QLabel(tr("Convert applies these rows to the weights (more specific rows win: op, then op type, "
                               "then global). Compressed weights need iOS16 or later (4-bit and per-block "
                               "quantization: iOS18); Convert names any row the deployment target cannot run."));
    note->setWordWrap(true);
    layout->addWidget(note);

    table_->setHorizontalHeaderLabels({tr("Scope"), tr("Name"), tr("Method"), tr("Mode"), tr("Bits"), tr("Granularity"),
                                       tr("Block/group"), tr("Min. elements")});
    table_->verticalHeader()->hide();
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeaderItem(ThresholdColumn)->setToolTip(tr("weight_threshold: smaller weights stay uncompressed"));
    layout->addWidget(table_, 1);

    auto* rowButtons = new QHBoxLayout;
    auto* addGlobal = new QPushButton(tr("Global"));
    auto* addType = new QPushButton(tr("Add op type"));
    auto* addName = new QPushButton(tr("Add op"));
    auto* remove = new QPushButton(tr("Remove"));
    addGlobal->setObjectName("addGlobal");
    addType->setObjectName("addOpType");
    addName->setObjectName("addOpName");
    remove->setObjectName("removeRow");
    for (QPushButton* b : {addGlobal, addType, addName, remove}) rowButtons->addWidget(b);
    rowButtons->addStretch();
    layout->addLayout(rowButtons);
    auto* fileButtons = new QHBoxLayout;
    auto* load = new QPushButton(tr("Load YAML…"));
    auto* save = new QPushButton(tr("Save YAML…"));
    auto* clear = new QPushButton(tr("Clear"));
    clear->setObjectName("clearCompression");
    for (QPushButton* b : {load, save, clear}) fileButtons->addWidget(b);
    fileButtons->addStretch();
    layout->addLayout(fileButtons);
    estimate_->setWordWrap(true);
    layout->addWidget(estimate_);

    connect(addGlobal, &QPushButton::clicked, this, [this] { addRow(0); });
    connect(addType, &QPushButton::clicked, this, [this] { addRow(1); });
    connect(addName, &QPushButton::clicked, this, [this] { addRow(2); });
    connect(remove, &QPushButton::clicked, this, &QuantizationPanel::removeSelectedRow);
    connect(clear, &QPushButton::clicked, this, [this] {
        ConversionSettings s = document_->settings();
        s.compression = {};
        document_->edit(s, tr("Clear compression settings"));
    });
    connect(load, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load Compression Config"), {},
                                                          tr("YAML (*.yaml *.yml);;All files (*)"));
        if (path.isEmpty()) return;
        try {
            loadYaml(path);
        } catch (const Error& e) {
            emit invalid(QString::fromStdString(e.what()));
        }
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save Compression Config"), QStringLiteral("compression.yaml"),
                                                          tr("YAML (*.yaml *.yml)"));
        if (path.isEmpty()) return;
        try {
            saveYaml(path);
        } catch (const Error& e) {
            emit invalid(QString::fromStdString(e.what()));
        }
    });
    connect(table_, &QTableWidget::cellChanged, this, &QuantizationPanel::onNameEdited);
    // Queued: an edit made from a cell's combo box must not delete that box while it is signalling.
    connect(document_, &ProjectDocument::changed, this, &QuantizationPanel::rebuild, Qt::QueuedConnection);
    rebuild();
}

void QuantizationPanel::setWeights(std::vector<ModelWeight> weights) {
    weights_ = std::move(weights);
    updateEstimate();
}

void QuantizationPanel::loadYaml(const QString& path) {
    ConversionSettings s = document_->settings();
    s.compression = loadCompressionYaml(path.toStdString());
    document_->edit(s, tr("Load %1").arg(path));
}

void QuantizationPanel::saveYaml(const QString& path) const {
    saveCompressionYaml(document_->settings().compression, path.toStdString());
}

void QuantizationPanel::compressAs(const QStringList& opNames, std::optional<CompressionMethod> method) {
    if (opNames.isEmpty()) return;
    ConversionSettings s = document_->settings();
    for (const QString& name : opNames)
        s.compression.opNames[name.toStdString()] = method ? std::optional<OpCompression>(OpCompression::defaults(*method))
                                                           : std::nullopt;
    document_->edit(s, tr("Compress %n op(s)", nullptr, int(opNames.size())));
}

void QuantizationPanel::setRow(CompressionConfig& c, const RowKey& key, const std::optional<OpCompression>& op) const {
    if (key.scope == 0) c.global = op;
    else (key.scope == 1 ? c.opTypes : c.opNames)[key.name] = op;
}

void QuantizationPanel::addRow(int scope) {
    ConversionSettings s = document_->settings();
    CompressionConfig& c = s.compression;
    const OpCompression defaults = OpCompression::defaults(CompressionMethod::LinearQuantize);
    if (scope == 0) {
        if (c.global) return;
        c.global = defaults;
    } else {
        auto& table = scope == 1 ? c.opTypes : c.opNames;
        std::string name = scope == 1 ? "conv" : "weight";
        for (int i = 2; table.count(name); ++i) name = (scope == 1 ? "op_type_" : "weight_") + std::to_string(i);
        table[name] = defaults;
    }
    document_->edit(s, tr("Add a compression row"));
}

void QuantizationPanel::removeSelectedRow() {
    const int row = table_->currentRow();
    if (row < 0 || row >= int(rows_.size())) return;
    ConversionSettings s = document_->settings();
    const RowKey& key = rows_[size_t(row)];
    if (key.scope == 0) s.compression.global.reset();
    else (key.scope == 1 ? s.compression.opTypes : s.compression.opNames).erase(key.name);
    document_->edit(s, tr("Remove a compression row"));
}

void QuantizationPanel::rebuild() {
    updating_ = true;
    const QSignalBlocker quiet(table_);
    const int current = table_->currentRow();
    const CompressionConfig& c = document_->settings().compression;
    rows_.clear();
    std::vector<std::optional<OpCompression>> ops;
    if (c.global) rows_.push_back({0, {}}), ops.push_back(c.global);
    for (const auto& [name, op] : c.opTypes) rows_.push_back({1, name}), ops.push_back(op);
    for (const auto& [name, op] : c.opNames) rows_.push_back({2, name}), ops.push_back(op);
    table_->setRowCount(0);
    table_->setRowCount(int(rows_.size()));
    for (int r = 0; r < int(rows_.size()); ++r) {
        const RowKey& key = rows_[size_t(r)];
        const std::optional<OpCompression>& op = ops[size_t(r)];
        table_->setItem(r, ScopeColumn, fixedItem(tr(kScopes[key.scope])));
        auto* nameItem = new QTableWidgetItem(key.scope == 0 ? tr("(all weights)") : QString::fromStdString(key.name));
        if (key.scope == 0) nameItem->setFlags(nameItem->flags() & ~Qt::ItemIsEditable);
        table_->setItem(r, NameColumn, nameItem);

        auto* method = new QComboBox;
        method->addItem(tr("None (keep)"), -1);
        for (CompressionMethod m : kMethods) method->addItem(compressionMethodTitle(m), int(m));
        method->setCurrentIndex(op ? method->findData(int(op->method)) : 0);
        table_->setCellWidget(r, MethodColumn, method);
        connect(method, &QComboBox::activated, this, [this, r] { onRowEdited(r); });
        if (!op) {
            for (int col : {ModeColumn, BitsColumn, GranularityColumn, SizeColumn, ThresholdColumn}) table_->setItem(r, col, fixedItem(QStringLiteral("—")));
            continue;
        }
        const bool quantizer = op->method == CompressionMethod::LinearQuantize;
        const bool palettizer = op->method == CompressionMethod::Palettize;
        if (quantizer || palettizer) {
            auto* mode = new QComboBox;
            for (const char* m : quantizer ? std::vector<const char*>{"linear_symmetric", "linear"}
                                           : std::vector<const char*>{"kmeans", "uniform", "unique"})
                mode->addItem(QString::fromLatin1(m));
            mode->setCurrentText(QString::fromStdString(op->mode));
            table_->setCellWidget(r, ModeColumn, mode);
            connect(mode, &QComboBox::activated, this, [this, r] { onRowEdited(r); });

            auto* bits = new QComboBox;
            if (quantizer)
                for (const char* d : {"int8", "uint8", "int4", "uint4"}) bits->addItem(QString::fromLatin1(d));
            else
                for (int b : {1, 2, 3, 4, 6, 8}) bits->addItem(QString::number(b));
            bits->setCurrentText(quantizer ? QStringLiteral("%1int%2").arg(op->isSigned ? "" : "u").arg(op->bits)
                                           : QString::number(op->bits));
            bits->setEnabled(!(palettizer && op->mode == "unique"));
            table_->setCellWidget(r, BitsColumn, bits);
            connect(bits, &QComboBox::activated, this, [this, r] { onRowEdited(r); });

            auto* granularity = new QComboBox;
            for (CompressionGranularity g : quantizer ? std::vector<CompressionGranularity>{CompressionGranularity::PerTensor,
                                                                                          CompressionGranularity::PerChannel,
                                                                                          CompressionGranularity::PerBlock}
                                                      : std::vector<CompressionGranularity>{CompressionGranularity::PerTensor,
                                                                                          CompressionGranularity::PerGroupedChannel})
                granularity->addItem(QString::fromStdString(granularityName(g)), int(g));
            granularity->setCurrentIndex(granularity->findData(int(op->granularity)));
            table_->setCellWidget(r, GranularityColumn, granularity);
            connect(granularity, &QComboBox::activated, this, [this, r] { onRowEdited(r); });

            auto* size = new QSpinBox;
            size->setRange(quantizer ? 0 : 1, 65536);
            size->setValue(quantizer ? op->blockSize : op->groupSize);
            size->setEnabled(op->granularity == CompressionGranularity::PerBlock ||
                             op->granularity == CompressionGranularity::PerGroupedChannel);
            size->setToolTip(quantizer ? tr("block_size (input-axis elements per scale)") : tr("group_size (channels per table)"));
            table_->setCellWidget(r, SizeColumn, size);
            connect(size, &QSpinBox::editingFinished, this, [this, r] { onRowEdited(r); });
        } else if (op->method == CompressionMethod::ThresholdPrune) {
            table_->setItem(r, ModeColumn, fixedItem(QStringLiteral("—")));
            // Thresholds are often tiny (1e-12): typed, in any notation, rather than spun.
            auto* threshold = new QLineEdit(QString::number(op->threshold, 'g', 6));
            threshold->setObjectName(QStringLiteral("pruneThreshold"));
            threshold->setValidator(new QDoubleValidator(0.0, 1e300, 12, threshold));
            threshold->setToolTip(tr("threshold: weights with |w| at or below it become zero"));
            table_->setCellWidget(r, BitsColumn, threshold);
            connect(threshold, &QLineEdit::editingFinished, this, [this, r] { onRowEdited(r); });
            auto* sparsity = new QDoubleSpinBox;
            sparsity->setObjectName(QStringLiteral("pruneMinimumSparsity"));
            sparsity->setRange(0.0, 1.0);
            sparsity->setSingleStep(0.05);
            sparsity->setDecimals(3);
            sparsity->setPrefix(tr("min. sparsity "));
            sparsity->setValue(op->minimumSparsity);
            sparsity->setToolTip(tr("minimum_sparsity_percentile: a weight is pruned only if at least this fraction "
                                    "of it falls under the threshold"));
            table_->setCellWidget(r, GranularityColumn, sparsity);
            connect(sparsity, &QDoubleSpinBox::editingFinished, this, [this, r] { onRowEdited(r); });
            table_->setItem(r, SizeColumn, fixedItem(QStringLiteral("—")));
        } else {
            // Magnitude pruning: a target sparsity (optionally in blocks) or an n:m pattern.
            auto* mode = new QComboBox;
            mode->setObjectName(QStringLiteral("pruneMode"));
            mode->addItem(tr("target sparsity"));
            mode->addItem(tr("n:m"));
            mode->setCurrentIndex(op->nmRatio ? 1 : 0);
            table_->setCellWidget(r, ModeColumn, mode);
            connect(mode, &QComboBox::activated, this, [this, r] { onRowEdited(r); });
            if (op->nmRatio) {
                auto* ratio = new QLineEdit(QStringLiteral("%1:%2").arg(op->nmRatio->first).arg(op->nmRatio->second));
                ratio->setObjectName(QStringLiteral("pruneNmRatio"));
                ratio->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d+:\\d+")), ratio));
                ratio->setToolTip(tr("n_m_ratio: n of every m consecutive weights become zero (e.g. 2:4)"));
                table_->setCellWidget(r, BitsColumn, ratio);
                connect(ratio, &QLineEdit::editingFinished, this, [this, r] { onRowEdited(r); });
            } else {
                auto* sparsity = new QDoubleSpinBox;
                sparsity->setObjectName(QStringLiteral("pruneTargetSparsity"));
                sparsity->setRange(0.0, 1.0);
                sparsity->setSingleStep(0.05);
                sparsity->setDecimals(3);
                sparsity->setValue(op->targetSparsity.value_or(0.5));
                sparsity->setToolTip(tr("target_sparsity: the fraction of weights (smallest magnitudes) set to zero"));
                table_->setCellWidget(r, BitsColumn, sparsity);
                connect(sparsity, &QDoubleSpinBox::editingFinished, this, [this, r] { onRowEdited(r); });
            }
            auto* dim = new QComboBox;
            dim->setObjectName(QStringLiteral("pruneDim"));
            dim->addItem(tr("dim: default"), -1);
            dim->addItem(tr("dim 0"), 0);
            dim->addItem(tr("dim 1"), 1);
            dim->setCurrentIndex(dim->findData(op->pruneDim.value_or(-1)));
            dim->setEnabled(op->nmRatio || op->pruneBlockSize);
            dim->setToolTip(tr("dim: the axis blocks and n:m groups run along"));
            table_->setCellWidget(r, GranularityColumn, dim);
            connect(dim, &QComboBox::activated, this, [this, r] { onRowEdited(r); });
            auto* block = new QSpinBox;
            block->setObjectName(QStringLiteral("pruneBlockSize"));
            block->setRange(1, 65536);  // 1: no blocks (coremltools needs > 1 when given)
            block->setSpecialValueText(tr("no blocks"));
            block->setValue(op->pruneBlockSize.value_or(1));
            block->setEnabled(!op->nmRatio);
            block->setToolTip(tr("block_size: weights are zeroed in blocks of this many along dim"));
            table_->setCellWidget(r, SizeColumn, block);
            connect(block, &QSpinBox::editingFinished, this, [this, r] { onRowEdited(r); });
        }
        auto* threshold = new QSpinBox;
        threshold->setRange(-1, std::numeric_limits<int>::max());
        threshold->setSpecialValueText(tr("none"));
        threshold->setValue(op->weightThreshold ? int(std::min<int64_t>(*op->weightThreshold, std::numeric_limits<int>::max())) : -1);
        table_->setCellWidget(r, ThresholdColumn, threshold);
        connect(threshold, &QSpinBox::editingFinished, this, [this, r] { onRowEdited(r); });
    }
    if (current >= 0 && current < table_->rowCount()) table_->selectRow(current);
    updating_ = false;
    updateEstimate();
}

void QuantizationPanel::onRowEdited(int row) {
    if (updating_ || row >= int(rows_.size())) return;
    const RowKey key = rows_[size_t(row)];
    ConversionSettings s = document_->settings();
    const auto* method = qobject_cast<QComboBox*>(table_->cellWidget(row, MethodColumn));
    const int methodValue = method->currentData().toInt();
    if (methodValue < 0) {
        setRow(s.compression, key, std::nullopt);
        document_->edit(s, tr("Keep weights uncompressed"));
        return;
    }
    const CompressionMethod m = CompressionMethod(methodValue);
    const std::optional<OpCompression> before = key.scope == 0 ? s.compression.global
                                                : (key.scope == 1 ? s.compression.opTypes : s.compression.opNames)[key.name];
    OpCompression op = before && before->method == m ? *before : OpCompression::defaults(m);
    if (before && before->method == m && (m == CompressionMethod::LinearQuantize || m == CompressionMethod::Palettize)) {
        const auto* mode = qobject_cast<QComboBox*>(table_->cellWidget(row, ModeColumn));
        const auto* bits = qobject_cast<QComboBox*>(table_->cellWidget(row, BitsColumn));
        const auto* granularity = qobject_cast<QComboBox*>(table_->cellWidget(row, GranularityColumn));
        const auto* size = qobject_cast<QSpinBox*>(table_->cellWidget(row, SizeColumn));
        op.mode = mode->currentText().toStdString();
        const QString b = bits->currentText();
        if (m == CompressionMethod::LinearQuantize) {
            op.isSigned = !b.startsWith('u');
            op.bits = b.endsWith('8') ? 8 : 4;
            op.blockSize = size->value();
        } else {
            op.bits = b.toInt();
            op.groupSize = size->value();
        }
        op.granularity = CompressionGranularity(granularity->currentData().toInt());
    }
    if (before && before->method == m && m == CompressionMethod::ThresholdPrune) {
        const auto* threshold = qobject_cast<QLineEdit*>(table_->cellWidget(row, BitsColumn));
        bool ok = false;
        const double value = QLocale().toDouble(threshold->text(), &ok);
        const double plain = ok ? value : threshold->text().toDouble(&ok);
        if (!ok || plain < 0) {
            emit invalid(tr("The pruning threshold must be a number of 0 or more, e.g. 1e-3."));
            QMetaObject::invokeMethod(this, &QuantizationPanel::rebuild, Qt::QueuedConnection);
            return;
        }
        op.threshold = plain;
        op.minimumSparsity = qobject_cast<QDoubleSpinBox*>(table_->cellWidget(row, GranularityColumn))->value();
    }
    if (before && before->method == m && m == CompressionMethod::MagnitudePrune) {
        const bool nm = qobject_cast<QComboBox*>(table_->cellWidget(row, ModeColumn))->currentIndex() == 1;
        if (nm && !before->nmRatio) {  // switched to n:m: 2:4, the pattern hardware accelerates
            op.targetSparsity.reset();
            op.pruneBlockSize.reset();
            op.nmRatio = std::make_pair(2, 4);
        } else if (!nm && before->nmRatio) {
            op.nmRatio.reset();
            op.targetSparsity = 0.5;
            op.pruneDim.reset();
        } else if (nm) {
            const QStringList parts = qobject_cast<QLineEdit*>(table_->cellWidget(row, BitsColumn))->text().split(':');
            const int n = parts.value(0).toInt(), mm = parts.value(1).toInt();
            if (parts.size() != 2 || mm < 1 || n > mm) {
                emit invalid(tr("An n:m ratio needs 0 <= n <= m and m >= 1, e.g. 2:4."));
                QMetaObject::invokeMethod(this, &QuantizationPanel::rebuild, Qt::QueuedConnection);
                return;
            }
            op.nmRatio = std::make_pair(n, mm);
        } else {
            op.targetSparsity = qobject_cast<QDoubleSpinBox*>(table_->cellWidget(row, BitsColumn))->value();
            const int block = qobject_cast<QSpinBox*>(table_->cellWidget(row, SizeColumn))->value();
            op.pruneBlockSize = block > 1 ? std::optional<int>(block) : std::nullopt;
        }
        const int dim = qobject_cast<QComboBox*>(table_->cellWidget(row, GranularityColumn))->currentData().toInt();
        op.pruneDim = dim >= 0 && (op.nmRatio || op.pruneBlockSize) ? std::optional<int>(dim) : std::nullopt;
    }
    if (before && before->method == m) {
        const int threshold = qobject_cast<QSpinBox*>(table_->cellWidget(row, ThresholdColumn))->value();
        op.weightThreshold = threshold < 0 ? std::nullopt : std::optional<int64_t>(threshold);
    }
    setRow(s.compression, key, op);
    document_->edit(s, tr("Edit compression of %1").arg(key.scope == 0 ? tr("all weights") : QString::fromStdString(key.name)));
}

void QuantizationPanel::onNameEdited(int row, int column) {
    if (updating_ || column != NameColumn || row >= int(rows_.size())) return;
    const RowKey key = rows_[size_t(row)];
    const std::string name = table_->item(row, NameColumn)->text().trimmed().toStdString();
    if (key.scope == 0 || name == key.name) return;
    ConversionSettings s = document_->settings();
    auto& table = key.scope == 1 ? s.compression.opTypes : s.compression.opNames;
    if (name.empty() || table.count(name)) {
        emit invalid(name.empty() ? tr("A compression row needs a name.")
                                  : tr("\"%1\" already has a row.").arg(QString::fromStdString(name)));
        QMetaObject::invokeMethod(this, &QuantizationPanel::rebuild, Qt::QueuedConnection);
        return;
    }
    auto node = table.extract(key.name);
    node.key() = name;
    table.insert(std::move(node));
    document_->edit(s, tr("Rename compression row"));
}

void QuantizationPanel::updateEstimate() {
    const ConversionSettings& s = document_->settings();
    if (weights_.empty()) {
        estimate_->setText(tr("Open a model to see the estimated weight size."));
        estimate_value_ = {};
        return;
    }
    estimate_value_ = estimateCompressedSize(weights_, s.compression, s.precision);
    const SizeEstimate& e = estimate_value_;
    const double ratio = e.estimatedBytes ? double(e.uncompressedBytes) / double(e.estimatedBytes) : 1.0;
    estimate_->setText(tr("Estimated weights: %1 at %2 → %3 with these settings (%4× smaller; %5 of %6 weights compressed).")
                           .arg(bytes(e.uncompressedBytes), QString::fromStdString(precisionName(s.precision)),
                                bytes(e.estimatedBytes))
                           .arg(ratio, 0, 'f', 2)
                           .arg(e.compressedCount)
                           .arg(e.weightCount));
}

}  // namespace cms::ui
