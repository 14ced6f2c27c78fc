#pragma once
// The Quantization panel: the compression config as an editable table (global, per-op-type and
// per-op rows with method, mode, bits, granularity, block/group size and weight threshold; pruning
// rows edit threshold and minimum sparsity, or target sparsity, block size, n:m ratio and dim there),
// coremltools-style YAML load/save, "compress as…" for ops chosen in the graph, and the package's
// weight size estimated from the model's own weights as the rows change.
#include <QWidget>

#include <vector>

#include "settings/compressed_size.h"

class QLabel;
class QPushButton;
class QTableWidget;

namespace cms::ui {

class ProjectDocument;

class QuantizationPanel : public QWidget {
    Q_OBJECT
public:
    enum Column { ScopeColumn, NameColumn, MethodColumn, ModeColumn, BitsColumn, GranularityColumn, SizeColumn,
                  ThresholdColumn, ColumnCount };

    QuantizationPanel(ProjectDocument* document, QWidget* parent = nullptr);

    // The opened model's weights, for the size estimate.
    void setWeights(std::vector<ModelWeight> weights);
    // Adds per-op rows (op_name_configs) for these ops, by module path, with the method's defaults;
    // nullopt: keep their weights uncompressed.
    void compressAs(const QStringList& opNames, std::optional<CompressionMethod> method);

    QTableWidget* table() const { return table_; }
    QLabel* estimateLabel() const { return estimate_; }
    SizeEstimate estimate() const { return estimate_value_; }
    // Throw cms::Error naming the file; the studio shows it.
    void loadYaml(const QString& path);
    void saveYaml(const QString& path) const;

signals:
    void invalid(const QString& message);

private:
    struct RowKey {
        int scope = 0;  // 0 global, 1 op type, 2 op name
        std::string name;
    };
    void rebuild();
    void updateEstimate();
    void addRow(int scope);
    void removeSelectedRow();
    void onRowEdited(int row);
    void onNameEdited(int row, int column);
    void setRow(CompressionConfig& c, const RowKey& key, const std::optional<OpCompression>& op) const;

    ProjectDocument* document_;
    std::vector<ModelWeight> weights_;
    std::vector<RowKey> rows_;
    SizeEstimate estimate_value_;
    bool updating_ = false;
    QTableWidget* table_;
    QLabel* estimate_;
};

}  // namespace cms::ui
