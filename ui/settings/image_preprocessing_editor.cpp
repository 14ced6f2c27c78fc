#include "image_preprocessing_editor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>

#include <cmath>

#include "image_presets.h"
#include "settings/input_check.h"

namespace cms::ui {

namespace {

const ImagePreset kPresets[] = {ImagePreset::ImageNet, ImagePreset::MinusOneToOne, ImagePreset::ZeroToOne};

QString number(double v) { return QString::number(v, 'g', 10); }

// "1/255" reads as a fraction, like the --input form.
std::optional<double> parseNumber(const QString& text) {
    const QString t = text.trimmed();
    if (const int slash = t.indexOf('/'); slash > 0) {
        const auto num = parseNumber(t.left(slash));
        const auto den = parseNumber(t.mid(slash + 1));
        if (!num || !den || *den == 0.0) return std::nullopt;
        return *num / *den;
    }
    bool ok = false;
    const double v = t.toDouble(&ok);
    if (!ok || !std::isfinite(v)) return std::nullopt;
    return v;
}

}  // namespace

ImagePreprocessingEditor::ImagePreprocessingEditor(QWidget* parent)
    : QWidget(parent), layout_(new QComboBox), preset_(new QComboBox), scale_(new QLineEdit) {
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    for (ColorLayout l : {ColorLayout::RGB, ColorLayout::BGR, ColorLayout::Grayscale})
        layout_->addItem(QString::fromStdString(colorLayoutName(l)), int(l));
    form->addRow(tr("Colour layout:"), layout_);
    preset_->addItem(tr("Custom"));
    for (ImagePreset p : kPresets) preset_->addItem(QString::fromStdString(imagePresetLabel(p)), int(p));
    preset_->setToolTip(tr("Fills in scale and bias: Core ML computes scale × pixel + bias per channel, pixels 0–255."));
    form->addRow(tr("Preset:"), preset_);
    scale_->setToolTip(tr("A number or a fraction such as 1/255"));
    form->addRow(tr("Scale:"), scale_);
    auto* biasRow = new QHBoxLayout;
    for (int c = 0; c < 3; ++c) {
        bias_[c] = new QLineEdit;
        biasRow->addWidget(bias_[c]);
        connect(bias_[c], &QLineEdit::editingFinished, this, [this, c] { onNumbersEdited(QStringLiteral("bias%1").arg(c)); });
    }
    form->addRow(tr("Bias per channel:"), biasRow);

    connect(layout_, &QComboBox::currentIndexChanged, this, &ImagePreprocessingEditor::onLayoutChanged);
    connect(preset_, &QComboBox::activated, this, &ImagePreprocessingEditor::applyPreset);
    connect(scale_, &QLineEdit::editingFinished, this, [this] { onNumbersEdited(QStringLiteral("scale")); });
}

void ImagePreprocessingEditor::setImage(const ImageSpec& spec) {
    updating_ = true;
    spec_ = spec;
    layout_->setCurrentIndex(layout_->findData(int(spec.layout)));
    const auto preset = matchingPreset(spec);
    preset_->setCurrentIndex(preset ? preset_->findData(int(*preset)) : 0);
    scale_->setText(number(spec.scale));
    const int channels = settings_detail::imageChannels(spec.layout);
    const char* const names[] = {"R", "G", "B"};
    for (int c = 0; c < 3; ++c) {
        bias_[c]->setVisible(c < channels);
        bias_[c]->setPlaceholderText(channels == 1 ? QStringLiteral("gray") : QString::fromLatin1(names[spec.layout == ColorLayout::BGR ? 2 - c : c]));
        bias_[c]->setText(c < int(spec.bias.size()) ? number(spec.bias[size_t(c)]) : QStringLiteral("0"));
    }
    updating_ = false;
}

void ImagePreprocessingEditor::applyPreset(int index) {
    if (index <= 0) return;
    const auto spec = imagePreset(ImagePreset(preset_->itemData(index).toInt()), spec_.layout);
    if (!spec) {
        setImage(spec_);
        emit invalid(tr("The %1 preset is for colour (RGB or BGR) images.").arg(preset_->itemText(index)));
        return;
    }
    emit edited(*spec, QString());
}

void ImagePreprocessingEditor::onLayoutChanged() {
    if (updating_) return;
    ImageSpec next = spec_;
    next.layout = ColorLayout(layout_->currentData().toInt());
    // Keep a preset when there is one for the new layout; otherwise resize the bias to its channels.
    if (const auto preset = matchingPreset(spec_)) {
        if (const auto mapped = imagePreset(*preset, next.layout)) next = *mapped;
    }
    const size_t channels = size_t(settings_detail::imageChannels(next.layout));
    if (!next.bias.empty() && next.bias.size() != channels) next.bias.assign(channels, next.bias.front());
    emit edited(next, QString());
}

void ImagePreprocessingEditor::onNumbersEdited(const QString& field) {
    if (updating_) return;
    ImageSpec next = spec_;
    const auto scale = parseNumber(scale_->text());
    if (!scale) {
        emit invalid(tr("Scale: \"%1\" is not a number").arg(scale_->text()));
        setImage(spec_);
        return;
    }
    next.scale = *scale;
    const int channels = settings_detail::imageChannels(next.layout);
    next.bias.clear();
    bool allZero = true;
    for (int c = 0; c < channels; ++c) {
        const auto v = parseNumber(bias_[c]->text().isEmpty() ? QStringLiteral("0") : bias_[c]->text());
        if (!v) {
            emit invalid(tr("Bias: \"%1\" is not a number").arg(bias_[c]->text()));
            setImage(spec_);
            return;
        }
        next.bias.push_back(*v);
        allZero &= *v == 0.0;
    }
    if (allZero && spec_.bias.empty()) next.bias.clear();  // unchanged zeros stay implicit
    if (next == spec_) return;
    emit edited(next, QStringLiteral("image.") + field);
}

}  // namespace cms::ui
