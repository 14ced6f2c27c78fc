#include "conversion_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

#include "workspace/project_document.h"

namespace cms::ui {

ConversionPanel::ConversionPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), document_(document), output_(new QLineEdit), precision_(new QComboBox), fp32Ops_(new QLineEdit),
      target_(new QComboBox), computeUnits_(new QComboBox), noReference_(new QCheckBox), author_(new QLineEdit), license_(new QLineEdit),
      description_(new QLineEdit), version_(new QLineEdit) {
    auto* form = new QFormLayout(this);
    auto* outputRow = new QHBoxLayout;
    output_->setPlaceholderText(tr("Model.mlpackage"));
    auto* browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, &ConversionPanel::chooseOutput);
    outputRow->addWidget(output_);
    outputRow->addWidget(browse);
    form->addRow(tr("Output package:"), outputRow);

    precision_->addItem(tr("fp16 (fp32 inputs/outputs)"), int(Precision::Float16));
    precision_->addItem(tr("fp32"), int(Precision::Float32));
    form->addRow(tr("Precision:"), precision_);
    fp32Ops_->setPlaceholderText(tr("e.g. softmax, layer_norm, encoder.layer.11"));
    fp32Ops_->setToolTip(tr("With fp16 precision: MIL op types or module paths (comma-separated) computed in fp32."));
    form->addRow(tr("Keep in fp32:"), fp32Ops_);
    for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS16, mil::Target::iOS17, mil::Target::iOS18})
        target_->addItem(QString::fromStdString(mil::targetName(t)), int(t));
    form->addRow(tr("Deployment target:"), target_);
    for (ComputeUnits c : {ComputeUnits::All, ComputeUnits::CpuAndNeuralEngine, ComputeUnits::CpuAndGpu, ComputeUnits::CpuOnly})
        computeUnits_->addItem(QString::fromStdString(computeUnitsName(c)), int(c));
    computeUnits_->setToolTip(tr("Recorded in the project for loading the model; Core ML picks the units at load time."));
    form->addRow(tr("Compute units:"), computeUnits_);
    noReference_->setText(tr("Never run the model's code (untrusted model)"));
    noReference_->setToolTip(tr("Accuracy checks normally run the TorchScript model with libtorch, which executes "
                                "its code. When set, they compare with the model's own fp32 conversion instead."));
    form->addRow(tr("Accuracy check:"), noReference_);
    form->addRow(tr("Author:"), author_);
    form->addRow(tr("License:"), license_);
    form->addRow(tr("Description:"), description_);
    form->addRow(tr("Version:"), version_);

    connect(precision_, &QComboBox::activated, this, [this] { commit(tr("Set precision"), {}); });
    connect(target_, &QComboBox::activated, this, [this] { commit(tr("Set deployment target"), {}); });
    connect(computeUnits_, &QComboBox::activated, this, [this] { commit(tr("Set compute units"), {}); });
    connect(noReference_, &QCheckBox::toggled, this, [this](bool on) {
        commit(on ? tr("Never run the model's code") : tr("Allow running the model's code"), {});
    });
    const std::pair<QLineEdit*, const char*> edits[] = {{output_, "output"}, {fp32Ops_, "fp32Ops"}, {author_, "author"},
                                                        {license_, "license"}, {description_, "description"},
                                                        {version_, "version"}};
    for (const auto& [edit, field] : edits)
        connect(edit, &QLineEdit::editingFinished, this, [this, f = QString::fromLatin1(field)] { commit(tr("Edit %1").arg(f), f); });
    connect(document_, &ProjectDocument::changed, this, &ConversionPanel::refresh);
    refresh();
}

void ConversionPanel::refresh() {
    updating_ = true;
    const ConversionSettings& s = document_->settings();
    const auto setText = [](QLineEdit* e, const std::string& v) {
        if (e->text() != QString::fromStdString(v)) e->setText(QString::fromStdString(v));
    };
    setText(output_, s.outputPath);
    precision_->setCurrentIndex(precision_->findData(int(s.precision)));
    QStringList ops;
    for (const std::string& o : s.fp32Ops) ops << QString::fromStdString(o);
    if (fp32Ops_->text() != ops.join(", ")) fp32Ops_->setText(ops.join(", "));
    fp32Ops_->setEnabled(s.precision == Precision::Float16);
    target_->setCurrentIndex(target_->findData(int(s.target)));
    computeUnits_->setCurrentIndex(computeUnits_->findData(int(s.computeUnits)));
    noReference_->setChecked(s.noReference);
    setText(author_, s.metadata.author);
    setText(license_, s.metadata.license);
    setText(description_, s.metadata.shortDescription);
    setText(version_, s.metadata.version);
    updating_ = false;
}

void ConversionPanel::chooseOutput() {
    // A package is a folder, but users name it like a file.
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Core ML Package"), output_->text(),
                                                      tr("Core ML package (*.mlpackage)"));
    if (path.isEmpty()) return;
    output_->setText(path.endsWith(".mlpackage") ? path : path + ".mlpackage");
    commit(tr("Choose the output package"), {});
}

void ConversionPanel::commit(const QString& text, const QString& field) {
    if (updating_) return;
    ConversionSettings s = document_->settings();
    s.outputPath = output_->text().trimmed().toStdString();
    s.precision = Precision(precision_->currentData().toInt());
    s.fp32Ops.clear();
    for (const QString& op : fp32Ops_->text().split(',', Qt::SkipEmptyParts))
        if (!op.trimmed().isEmpty()) s.fp32Ops.push_back(op.trimmed().toStdString());
    s.target = mil::Target(target_->currentData().toInt());
    s.computeUnits = ComputeUnits(computeUnits_->currentData().toInt());
    s.noReference = noReference_->isChecked();
    s.metadata.author = author_->text().toStdString();
    s.metadata.license = license_->text().toStdString();
    s.metadata.shortDescription = description_->text().toStdString();
    s.metadata.version = version_->text().toStdString();
    document_->edit(s, text, field.isEmpty() ? QString() : QStringLiteral("conversion.") + field);
}

}  // namespace cms::ui
