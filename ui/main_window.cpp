#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "common/error.h"
#include "graph/graph_view.h"

namespace cms::ui {

namespace {

const Stage kStages[] = {Stage::Import, Stage::Lower, Stage::Passes, Stage::Write, Stage::Verify};
enum Column { NameColumn, ShapeColumn, OptionsColumn };

QString stageTitle(Stage s) {
    QString name = QString::fromLatin1(stageName(s));
    name[0] = name[0].toUpper();
    return name;
}

QString humanBytes(uint64_t bytes) { return QLocale().formattedDataSize(qint64(bytes), 1, QLocale::DataSizeSIFormat); }

// A settings file next to the model (demo_cnn.pt -> demo_cnn.settings.json) supplies defaults.
QString sidecarSettingsPath(const QString& modelPath) {
    const QFileInfo fi(modelPath);
    return fi.dir().filePath(fi.completeBaseName() + ".settings.json");
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), runner_(new ConversionRunner(this)), shapeRunner_(new ConversionRunner(this)),
      shapeTimer_(new QTimer(this)) {
    setWindowTitle(tr("Core ML Conversion Studio"));
    setAcceptDrops(true);
    buildMenus();
    setCentralWidget(buildCentralWidget());
    resize(1360, 820);

    connect(runner_, &ConversionRunner::modelOpened, this, &MainWindow::onModelOpened);
    connect(runner_, &ConversionRunner::progress, this, &MainWindow::onProgress);
    connect(runner_, &ConversionRunner::converted, this, &MainWindow::onConverted);
    connect(runner_, &ConversionRunner::failed, this, &MainWindow::onFailed);
    connect(runner_, &ConversionRunner::busyChanged, this, &MainWindow::onBusyChanged);
    shapeTimer_->setSingleShot(true);
    shapeTimer_->setInterval(500);
    connect(shapeTimer_, &QTimer::timeout, this, &MainWindow::refreshShapes);
    connect(inputs_, &QTableWidget::itemChanged, this, &MainWindow::scheduleShapeRefresh);
    connect(shapeRunner_, &ConversionRunner::modelOpened, this, [this](const ModelInfo& info) {
        if (info.path == modelPath_) graphView_->setGraph(info.graph, info.graphNote, info.program);
    });
    onBusyChanged(false);
}

MainWindow::~MainWindow() {
    runner_->stopAndWait();
    shapeRunner_->stopAndWait();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open Model…"), this, &MainWindow::chooseModel);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About"), this, [this] {
        QMessageBox::about(this, tr("About Core ML Conversion Studio"),
                           tr("Core ML Conversion Studio %1\nConverts TorchScript models to Core ML packages.")
                               .arg(QString::fromStdString(converterVersion())));
    });
}

QWidget* MainWindow::buildCentralWidget() {
    auto* splitter = new QSplitter(Qt::Horizontal);
    graphView_ = new GraphView;
    splitter->addWidget(graphView_);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(buildSettingsPanel());
    scroll->setMinimumWidth(360);
    splitter->addWidget(scroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({960, 400});
    return splitter;
}

QWidget* MainWindow::buildSettingsPanel() {
    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);

    modelLabel_ = new QLabel(tr("No model open. Use File > Open or drop a TorchScript file here."));
    modelLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    modelLabel_->setWordWrap(true);
    layout->addWidget(modelLabel_);

    auto* inputsBox = new QGroupBox(tr("Inputs"));
    auto* inputsLayout = new QVBoxLayout(inputsBox);
    inputs_ = new QTableWidget(0, 3);
    inputs_->setHorizontalHeaderLabels({tr("Name"), tr("Shape"), tr("Options")});
    inputs_->horizontalHeader()->setSectionResizeMode(OptionsColumn, QHeaderView::Stretch);
    inputs_->verticalHeader()->hide();
    inputs_->setMaximumHeight(160);
    inputs_->setToolTip(tr("Shape like 1x3x224x224. Options (optional): image,scale=1/255,bias=R,G,B,layout=RGB "
                           "or dtype=fp16|int32"));
    inputsLayout->addWidget(inputs_);
    layout->addWidget(inputsBox);

    auto* form = new QFormLayout;
    precision_ = new QComboBox;
    precision_->addItem(tr("fp16 (fp32 inputs/outputs)"), int(Precision::Float16));
    precision_->addItem(tr("fp32"), int(Precision::Float32));
    form->addRow(tr("Precision:"), precision_);
    target_ = new QComboBox;
    for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS16, mil::Target::iOS17, mil::Target::iOS18})
        target_->addItem(QString::fromStdString(mil::targetName(t)), int(t));
    form->addRow(tr("Deployment target:"), target_);
    auto* outputRow = new QHBoxLayout;
    output_ = new QLineEdit;
    output_->setPlaceholderText(tr("Model.mlpackage"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, &MainWindow::chooseOutput);
    outputRow->addWidget(output_);
    outputRow->addWidget(browse);
    form->addRow(tr("Output package:"), outputRow);
    layout->addLayout(form);

    auto* buttons = new QHBoxLayout;
    convertButton_ = new QPushButton(tr("Convert"));
    convertButton_->setDefault(true);
    cancelButton_ = new QPushButton(tr("Cancel"));
    connect(convertButton_, &QPushButton::clicked, this, &MainWindow::startConversion);
    connect(cancelButton_, &QPushButton::clicked, runner_, &ConversionRunner::cancel);
    buttons->addStretch();
    buttons->addWidget(convertButton_);
    buttons->addWidget(cancelButton_);
    layout->addLayout(buttons);

    auto* stagesBox = new QGroupBox(tr("Progress"));
    auto* grid = new QGridLayout(stagesBox);
    int row = 0;
    for (Stage s : kStages) {
        grid->addWidget(new QLabel(stageTitle(s)), row, 0);
        auto* bar = new QProgressBar;
        bar->setRange(0, 100);
        grid->addWidget(bar, row, 1);
        auto* label = new QLabel;
        label->setMinimumWidth(150);
        grid->addWidget(label, row, 2);
        stageBars_[s] = bar;
        stageLabels_[s] = label;
        ++row;
    }
    layout->addWidget(stagesBox);

    result_ = new QPlainTextEdit;
    result_->setReadOnly(true);
    result_->setPlaceholderText(tr("Results and errors appear here."));
    layout->addWidget(result_, 1);
    return central;
}

void MainWindow::chooseModel() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open TorchScript Model"), QFileInfo(modelPath_).path(),
                                                      tr("TorchScript (*.pt *.pth *.ptl *.torchscript);;All files (*)"));
    if (!path.isEmpty()) openModel(path);
}

void MainWindow::chooseOutput() {
    // A package is a folder, but users name it like a file.
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Core ML Package"), output_->text(),
                                                      tr("Core ML package (*.mlpackage)"));
    if (!path.isEmpty()) output_->setText(path.endsWith(".mlpackage") ? path : path + ".mlpackage");
}

void MainWindow::openModel(const QString& path) {
    if (runner_->busy()) {
        showMessage(tr("A job is running; cancel it or wait before opening another model."), true);
        return;
    }
    resetStages();
    showMessage(tr("Opening %1 …").arg(path), false);
    // The settings file's input shapes let the worker lower the graph, so edges show shapes.
    ConversionSettings shapeSettings;
    const QString sidecar = sidecarSettingsPath(path);
    if (QFileInfo::exists(sidecar)) {
        try {
            shapeSettings = loadSettings(sidecar.toStdString());
        } catch (const Error&) {
            // onModelOpened reports the broken file.
        }
    }
    runner_->openModel(path, shapeSettings);
}

void MainWindow::onModelOpened(const ModelInfo& info) {
    model_ = info;
    modelPath_ = info.path;
    graphView_->setGraph(info.graph, info.graphNote, info.program);
    defaults_ = ConversionSettings{};
    QStringList notes;
    const QString sidecar = sidecarSettingsPath(info.path);
    if (QFileInfo::exists(sidecar)) {
        try {
            defaults_ = loadSettings(sidecar.toStdString());
            notes << tr("Defaults read from %1").arg(sidecar);
        } catch (const Error& e) {
            notes << tr("Ignored %1: %2").arg(sidecar, QString::fromStdString(e.what()));
        }
    }

    modelLabel_->setText(tr("Model: %1 (%2 source ops; outputs: %3)")
                             .arg(info.path)
                             .arg(info.nodeCount)
                             .arg(info.outputNames.join(", ")));
    // Filling the table is not an edit: the graph already has the shapes these settings give.
    const QSignalBlocker quiet(inputs_);
    shapeTimer_->stop();
    inputs_->setRowCount(0);
    for (const QString& name : info.inputNames) {
        const int row = inputs_->rowCount();
        inputs_->insertRow(row);
        auto* nameItem = new QTableWidgetItem(name);
        nameItem->setFlags(nameItem->flags() & ~Qt::ItemIsEditable);
        inputs_->setItem(row, NameColumn, nameItem);
        QString shape, options;
        for (const InputSpec& in : defaults_.inputs) {
            if (QString::fromStdString(in.name) != name) continue;
            // The --input form carries everything; split it into the table's columns.
            const QStringList parts = QString::fromStdString(formatInputSpec(in)).split(':');
            shape = parts.value(1);
            options = parts.mid(2).join(':');
        }
        inputs_->setItem(row, ShapeColumn, new QTableWidgetItem(shape));
        inputs_->setItem(row, OptionsColumn, new QTableWidgetItem(options));
    }
    inputs_->resizeColumnToContents(NameColumn);
    precision_->setCurrentIndex(precision_->findData(int(defaults_.precision)));
    target_->setCurrentIndex(target_->findData(int(defaults_.target)));

    QString output;
    if (!defaults_.outputPath.empty()) {
        const QString p = QString::fromStdString(defaults_.outputPath);
        output = QFileInfo(p).isAbsolute() ? p : QFileInfo(sidecar).dir().filePath(p);
    } else {
        const QFileInfo fi(info.path);
        output = fi.dir().filePath(fi.completeBaseName() + ".mlpackage");
    }
    output_->setText(output);

    for (const QString& w : info.warnings) notes << tr("warning: %1").arg(w);
    bool shapesMissing = false;
    for (int r = 0; r < inputs_->rowCount(); ++r) shapesMissing |= inputs_->item(r, ShapeColumn)->text().isEmpty();
    if (shapesMissing) notes << tr("Enter a shape for each input (TorchScript files do not record them), e.g. 1x3x224x224.");
    showMessage(tr("Opened %1.\n").arg(info.path) + notes.join('\n'), false);
}

ConversionSettings MainWindow::settingsFromWidgets() const {
    ConversionSettings s = defaults_;
    s.modelPath = modelPath_.toStdString();
    s.outputPath = output_->text().trimmed().toStdString();
    s.precision = Precision(precision_->currentData().toInt());
    s.target = mil::Target(target_->currentData().toInt());
    s.inputs.clear();
    for (int r = 0; r < inputs_->rowCount(); ++r) {
        const QString name = inputs_->item(r, NameColumn)->text();
        const QString shape = inputs_->item(r, ShapeColumn) ? inputs_->item(r, ShapeColumn)->text().trimmed() : "";
        const QString options = inputs_->item(r, OptionsColumn) ? inputs_->item(r, OptionsColumn)->text().trimmed() : "";
        if (shape.isEmpty())
            throw Error(ErrorKind::Settings, "input \"" + name.toStdString() + "\" has no shape", {s.modelPath, {}},
                        "enter its shape in the Inputs table, e.g. 1x3x224x224");
        s.inputs.push_back(parseInputSpec((name + ":" + shape + (options.isEmpty() ? "" : ":" + options)).toStdString()));
    }
    return s;
}

void MainWindow::startConversion() {
    if (modelPath_.isEmpty()) {
        showMessage(tr("Open a model first (File > Open, or drop a file on the window)."), true);
        return;
    }
    ConversionSettings settings;
    try {
        settings = settingsFromWidgets();
    } catch (const Error& e) {
        showMessage(QString::fromStdString(e.what()), true);
        return;
    }
    resetStages();
    showMessage(tr("Converting %1 …").arg(modelPath_), false);
    runner_->convert(settings);
}

void MainWindow::onProgress(Stage stage, double fraction, const QString& message) {
    // Stages run in order: everything before this one is complete.
    for (Stage s : kStages) {
        if (s == stage) break;
        if (stageBars_.count(s)) stageBars_[s]->setValue(100);
    }
    if (!stageBars_.count(stage)) return;
    stageBars_[stage]->setValue(int(fraction * 100.0 + 0.5));
    stageLabels_[stage]->setText(message);
}

void MainWindow::onConverted(const ConversionReport& r) {
    for (Stage s : kStages) stageBars_[s]->setValue(100);
    QStringList lines;
    lines << tr("Wrote %1").arg(QString::fromStdString(r.packagePath));
    lines << tr("Size: %1").arg(humanBytes(r.packageBytes));
    lines << tr("Ops: %1 (excluding constants)").arg(r.opCount);
    QStringList times;
    for (Stage s : kStages) {
        const auto it = r.stageSeconds.find(stageName(s));
        if (it != r.stageSeconds.end()) times << QStringLiteral("%1 %2 s").arg(stageName(s)).arg(it->second, 0, 'f', 2);
    }
    lines << tr("Stage times: %1").arg(times.join(", "));
    if (r.warnings.empty()) lines << tr("No warnings.");
    for (const std::string& w : r.warnings) lines << tr("warning: %1").arg(QString::fromStdString(w));
    showMessage(lines.join('\n'), false);
}

void MainWindow::onFailed(const QString& message, bool cancelled) {
    showMessage(cancelled ? tr("Cancelled. No package was written.") : message, !cancelled);
}

void MainWindow::onBusyChanged(bool busy) {
    convertButton_->setEnabled(!busy);
    cancelButton_->setEnabled(busy);
    inputs_->setEnabled(!busy);
}

void MainWindow::scheduleShapeRefresh() {
    if (!modelPath_.isEmpty()) shapeTimer_->start();
}

void MainWindow::refreshShapes() {
    if (shapeRunner_->busy()) {
        shapeTimer_->start();  // the running refresh may be for older shapes; try again after it
        return;
    }
    ConversionSettings settings;
    try {
        settings = settingsFromWidgets();
    } catch (const Error&) {
        return;  // an incomplete shape while typing; Convert reports it if it stays
    }
    shapeRunner_->openModel(modelPath_, settings);
}

void MainWindow::resetStages() {
    for (Stage s : kStages) {
        stageBars_[s]->setValue(0);
        stageLabels_[s]->clear();
    }
}

void MainWindow::showMessage(const QString& text, bool error) {
    result_->setPlainText(text);
    result_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().value(0).isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QString path = event->mimeData()->urls().value(0).toLocalFile();
    if (!path.isEmpty()) openModel(path);
    event->acceptProposedAction();
}

void MainWindow::closeEvent(QCloseEvent* event) {
    runner_->stopAndWait();
    event->accept();
}

}  // namespace cms::ui
