#pragma once
// Edits an image input's preprocessing: colour layout, scale and per-channel bias, with presets
// (ImageNet mean/std, [-1, 1], [0, 1]) that fill in scale and bias.
#include <QWidget>

#include "settings/conversion_settings.h"

class QComboBox;
class QLineEdit;

namespace cms::ui {

class ImagePreprocessingEditor : public QWidget {
    Q_OBJECT
public:
    explicit ImagePreprocessingEditor(QWidget* parent = nullptr);

    void setImage(const ImageSpec& spec);  // no signal
    QComboBox* layoutBox() const { return layout_; }
    QComboBox* presetBox() const { return preset_; }  // item 0 is "Custom"
    QLineEdit* scaleEdit() const { return scale_; }
    QLineEdit* biasEdit(int channel) const { return bias_[channel]; }
    // Applies a preset as if chosen from the box.
    void applyPreset(int presetIndex);

signals:
    void edited(const cms::ImageSpec& spec, const QString& field);
    void invalid(const QString& message);

private:
    void onLayoutChanged();
    void onNumbersEdited(const QString& field);

    ImageSpec spec_;
    bool updating_ = false;
    QComboBox* layout_;
    QComboBox* preset_;
    QLineEdit* scale_;
    QLineEdit* bias_[3];
};

}  // namespace cms::ui
