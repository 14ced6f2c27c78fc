#include "swift_snippet_view.h"

#include <QClipboard>
#include <QFileInfo>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "analysis/swift_snippet.h"

namespace cms::ui {

SwiftSnippetView::SwiftSnippetView(QWidget* parent)
    : QWidget(parent), note_(new QLabel), text_(new QPlainTextEdit), copy_(new QPushButton(tr("&Copy"))) {
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    note_->setWordWrap(true);
    top->addWidget(note_, 1);
    top->addWidget(copy_);
    layout->addLayout(top);
    text_->setReadOnly(true);
    text_->setLineWrapMode(QPlainTextEdit::NoWrap);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setAccessibleName(tr("Swift code"));
    layout->addWidget(text_, 1);
    connect(copy_, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(text_->toPlainText());
        note_->setText(tr("Copied to the clipboard."));
    });
    clear();
}

void SwiftSnippetView::showPackage(const QString& packagePath, const package::ModelDescription& description,
                                   ComputeUnits units) {
    const QString name = QFileInfo(packagePath).completeBaseName();
    text_->setPlainText(QString::fromStdString(analysis::swiftSnippet(description, name.toStdString(), units)));
    note_->setText(tr("Swift code for %1 with its input and output names and types, compute units %2, and a "
                      "memory-efficient model cache.")
                       .arg(QFileInfo(packagePath).fileName(), QString::fromStdString(computeUnitsName(units))));
    copy_->setEnabled(true);
}

void SwiftSnippetView::clear() {
    text_->clear();
    note_->setText(tr("Convert the model to get Swift code for the package."));
    copy_->setEnabled(false);
}

QString SwiftSnippetView::snippet() const { return text_->toPlainText(); }

}  // namespace cms::ui
