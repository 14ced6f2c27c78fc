#pragma once
// The Swift integration snippet of the converted package (core/analysis/swift_snippet.h), read-only and
// copyable with one button.
#include <QWidget>

#include "package/model_description.h"
#include "settings/conversion_settings.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace cms::ui {

class SwiftSnippetView : public QWidget {
    Q_OBJECT
public:
    explicit SwiftSnippetView(QWidget* parent = nullptr);

    // The package at `packagePath` with this description, loaded with these compute units.
    void showPackage(const QString& packagePath, const package::ModelDescription& description, ComputeUnits units);
    void clear();
    QString snippet() const;

    QPlainTextEdit* textView() const { return text_; }
    QPushButton* copyButton() const { return copy_; }

private:
    QLabel* note_;
    QPlainTextEdit* text_;
    QPushButton* copy_;
};

}  // namespace cms::ui
