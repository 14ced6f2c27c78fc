#pragma once
// The studio's main window. A start page until something is open; then the model's graph in the
// centre and beside it the settings panels (Inputs, Conversion, Quantization), convert/cancel,
// per-stage progress and the results/errors panel. A dropped or opened .mlpackage shows its summary.
// The settings are one project document with undo/redo, saved as a project file.
#include <QMainWindow>

#include <map>

#include "conversion_runner.h"

class QLabel;
class QLineEdit;
class QMenu;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace cms::ui {

class Autosave;
class ConversionProgress;
class ResultsPanel;

class ConversionPanel;
class GraphView;
class InputsPanel;
class PackageSummary;
class ProjectDocument;
class QuantizationPanel;
class RecentFiles;
class ReviewController;
class ReportsController;
class StartPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a model (.pt/.pth/.ts …), a package folder (.mlpackage) or a project (.cmsproj / settings .json).
    void openPath(const QString& path);
    void openModel(const QString& path);
    void openPackage(const QString& path);
    void openProject(const QString& path);
    // Returns false (and says why in the results panel) when the project cannot be written.
    bool saveProject(const QString& path);
    // Crash recovery: the project as last saved (if any), then `settings` over it as one undoable edit,
    // and opens their model. False (said in the results panel) while a job runs.
    bool restoreSettings(const ConversionSettings& settings, const QString& projectPath);
    // Autosaves the project settings into `directory` from now on (ui/workspace/autosave.h).
    void enableAutosave(const QString& directory, int intervalMs);
    Autosave* autosave() const { return autosave_; }

    // Widgets tests drive.
    QTableWidget* inputsTable() const;
    QPushButton* convertButton() const { return convertButton_; }
    QPushButton* cancelButton() const { return cancelButton_; }
    QPlainTextEdit* resultPanel() const { return result_; }
    ConversionProgress* conversionProgress() const { return progress_; }
    ResultsPanel* resultsPanel() const { return results_; }
    QLineEdit* outputEdit() const;
    ConversionRunner* runner() const { return runner_; }
    // Re-lowers the open model when input shapes change, so the graph shows the new shapes.
    ConversionRunner* shapeRunner() const { return shapeRunner_; }
    GraphView* graphView() const { return graphView_; }
    ProjectDocument* document() const { return document_; }
    InputsPanel* inputsPanel() const { return inputsPanel_; }
    ConversionPanel* conversionPanel() const { return conversionPanel_; }
    QuantizationPanel* quantizationPanel() const { return quantizationPanel_; }
    StartPage* startPage() const { return startPage_; }
    PackageSummary* packageSummary() const { return packageSummary_; }
    RecentFiles* recentFiles() const { return recent_; }
    QMenu* openRecentMenu() const { return recentMenu_; }
    QStackedWidget* pages() const { return pages_; }
    QTabWidget* settingsTabs() const { return tabs_; }
    // The module paths of the ops with weights selected in the graph, for "compress as…".
    QStringList selectedWeightOps() const;
    GraphView* packageGraphView() const { return packageGraph_; }
    // The unsupported-op review, production checklist, Swift code and report export (ui/review).
    ReviewController* review() const { return review_; }
    // The report views (size, accuracy, placement, comparison, sensitivity) and the session's runs.
    ReportsController* reports() const { return reports_; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    QWidget* buildWorkspace();
    QWidget* buildSettingsSide();
    void rebuildRecentMenu();
    void chooseFile();
    bool saveProjectAs();
    // Asks to save unsaved changes; false when the user cancels.
    bool maybeSave();
    void updateTitle();
    void startConversion();
    void onModelOpened(const ModelInfo& info);
    // The graph lowered after opening (or after new input shapes): tensor shapes and the ML Program.
    void showModelSummary(const ModelInfo& info);
    void onProgramReady(const ModelInfo& info);
    void onProgress(Stage stage, double fraction, const QString& message);
    void onConverted(const ConversionReport& report);
    void onFailed(const QString& message, bool cancelled);
    void onBusyChanged(bool busy);
    void showGraphContextMenu(const QPoint& pos);
    // Input shapes edited: after a pause, re-import and lower on a second worker so the graph's
    // edges show the new shapes. Conversions keep their own worker.
    void onDocumentChanged();
    void refreshShapes();
    void resetStages();
    void showMessage(const QString& text, bool error);
    // The document's settings for a conversion; throws cms::Error when an input has no shape.
    ConversionSettings settingsForConversion() const;

    ProjectDocument* document_;
    Autosave* autosave_ = nullptr;
    RecentFiles* recent_;
    ConversionRunner* runner_;
    ConversionRunner* shapeRunner_;
    QTimer* shapeTimer_;
    QString modelPath_;
    ModelInfo model_;
    std::vector<InputSpec> shapedInputs_;  // the inputs the graph's shapes were computed with
    bool keepDocumentOnOpen_ = false;      // a project is opening its model: keep its settings

    QStackedWidget* pages_ = nullptr;
    StartPage* startPage_ = nullptr;
    PackageSummary* packageSummary_ = nullptr;
    GraphView* graphView_ = nullptr;
    GraphView* packageGraph_ = nullptr;
    QLabel* modelLabel_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    InputsPanel* inputsPanel_ = nullptr;
    ConversionPanel* conversionPanel_ = nullptr;
    QuantizationPanel* quantizationPanel_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QPushButton* convertButton_ = nullptr;
    QPushButton* cancelButton_ = nullptr;
    ConversionProgress* progress_ = nullptr;  // a bar per stage, Cancel (ui/results)
    ResultsPanel* results_ = nullptr;         // the finished conversion's package, ops and warnings
    QPlainTextEdit* result_ = nullptr;
    ReviewController* review_ = nullptr;
    ReportsController* reports_ = nullptr;
};

}  // namespace cms::ui
