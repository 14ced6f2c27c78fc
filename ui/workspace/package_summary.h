#pragma once
// A read .mlpackage in words: its description and metadata, inputs and outputs, the ML Program's
// target and op counts. Shown beside (or instead of) the program's graph when a package is opened.
#include <QWidget>

class QPlainTextEdit;

namespace cms::package {
struct PackageContents;
}

namespace cms::ui {

class PackageSummary : public QWidget {
    Q_OBJECT
public:
    explicit PackageSummary(QWidget* parent = nullptr);

    void showPackage(const QString& path, const package::PackageContents& contents);
    QString text() const;

private:
    QPlainTextEdit* text_;
};

// The summary as plain text (also what the widget shows).
QString describePackage(const QString& path, const package::PackageContents& contents);

}  // namespace cms::ui
