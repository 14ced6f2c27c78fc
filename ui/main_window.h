#pragma once
// The studio's main window (minimal for now): the opened model's graph in the centre; beside it,
// set input shapes, precision and target, convert on a worker thread with per-stage progress, and
// show the result.
#include <QMainWindow>

#include <map>

#include "conversion_runner.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTimer;

namespace cms::ui {

class GraphView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    void openModel(const QString& path);
    // Widgets tests drive.
    QTableWidget* inputsTable() const { return inputs_; }
    QPushButton* convertButton() const { return convertButton_; }
    QPlainTextEdit* resultPanel() const { return result_; }
    QLineEdit* outputEdit() const { return output_; }
    ConversionRunner* runner() const { return runner_; }
    GraphView* graphView() const { return graphView_; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    QWidget* buildCentralWidget();
    QWidget* buildSettingsPanel();
    void chooseModel();
    void chooseOutput();
    void startConversion();
    void onModelOpened(const ModelInfo& info);
    void onProgress(Stage stage, double fraction, const QString& message);
    void onConverted(const ConversionReport& report);
    void onFailed(const QString& message, bool cancelled);
    void onBusyChanged(bool busy);
    // Input shapes edited: after a pause, re-import and lower on a second worker so the graph's
    // edges show the new shapes. Conversions keep their own worker.
    void scheduleShapeRefresh();
    void refreshShapes();
    void resetStages();
    void showMessage(const QString& text, bool error);
    // Settings from the widgets; throws cms::Error when a shape cell is not a valid shape.
    ConversionSettings settingsFromWidgets() const;

    ConversionRunner* runner_;
    ConversionRunner* shapeRunner_;
    QTimer* shapeTimer_;
    QString modelPath_;
    ModelInfo model_;
    ConversionSettings defaults_;  // from a <model>.settings.json next to the model, when present

    GraphView* graphView_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QTableWidget* inputs_ = nullptr;
    QComboBox* precision_ = nullptr;
    QComboBox* target_ = nullptr;
    QLineEdit* output_ = nullptr;
    QPushButton* convertButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    std::map<Stage, QProgressBar*> stageBars_;
    std::map<Stage, QLabel*> stageLabels_;
    QPlainTextEdit* result_ = nullptr;
};

}  // namespace cms::ui
