#include "composite_editor.h"

#include <QFontDatabase>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

#include "common/error.h"
#include "lower/composites/composite_library.h"
#include "lower/composites/composite_loader.h"

namespace cms::ui {

namespace {

constexpr int kCheckDelayMs = 300;
const char* const kEditorFile = "composite editor";

// Composite errors name "FILE:LINE:COLUMN" as their file; other errors (YAML syntax) say "line N".
int lineOf(const Error& e) {
    static const QRegularExpression position(QStringLiteral(":(\\d+):(\\d+)$"));
    static const QRegularExpression words(QStringLiteral("line (\\d+)"));
    if (const auto m = position.match(QString::fromStdString(e.file())); m.hasMatch()) return m.captured(1).toInt();
    if (const auto m = words.match(QString::fromStdString(e.what())); m.hasMatch()) return m.captured(1).toInt();
    return 0;
}

}  // namespace

CompositeEditor::CompositeEditor(QWidget* parent)
    : QWidget(parent), edit_(new QPlainTextEdit), list_(new QListWidget), status_(new QLabel), timer_(new QTimer(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    edit_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit_->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit_->setPlaceholderText(tr("composites:\n  - op: \"aten::name(Tensor self) -> Tensor\"\n    output: …"));
    edit_->setAccessibleName(tr("Composite definitions"));
    layout->addWidget(edit_, 3);
    status_->setWordWrap(true);
    layout->addWidget(status_);
    list_->setAccessibleName(tr("Problems"));
    list_->setMaximumHeight(110);
    layout->addWidget(list_, 1);
    timer_->setSingleShot(true);
    timer_->setInterval(kCheckDelayMs);
    connect(timer_, &QTimer::timeout, this, &CompositeEditor::check);
    connect(edit_, &QPlainTextEdit::textChanged, timer_, qOverload<>(&QTimer::start));
    // A problem's row moves the cursor to its line.
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0 || row >= problems_.size() || problems_[row].line <= 0) return;
        const QTextBlock block = edit_->document()->findBlockByNumber(problems_[row].line - 1);
        if (!block.isValid()) return;
        QTextCursor cursor(block);
        edit_->setTextCursor(cursor);
        edit_->centerCursor();
    });
    check();
}

void CompositeEditor::setExpectedOps(const QStringList& ops) {
    expected_ = ops;
    check();
}

void CompositeEditor::setText(const QString& text) {
    edit_->setPlainText(text);
    check();
}

QString CompositeEditor::text() const { return edit_->toPlainText(); }

void CompositeEditor::check() {
    timer_->stop();
    problems_.clear();
    covered_.clear();
    if (edit_->toPlainText().trimmed().isEmpty()) {
        status_->setText(tr("Write a composite for one of the unsupported ops, or start from an op's template."));
        showProblems();
        emit checked(false);
        return;
    }
    std::vector<lower::CompositePtr> composites;
    try {
        for (lower::Composite& c : lower::parseComposites(edit_->toPlainText().toStdString(), kEditorFile, kEditorFile))
            composites.push_back(std::make_shared<const lower::Composite>(std::move(c)));
    } catch (const Error& e) {
        problems_.push_back({lineOf(e), QString::fromStdString(e.message()) +
                                            (e.hint().empty() ? QString()
                                                              : tr(" (what to do: %1)").arg(QString::fromStdString(e.hint())))});
    }
    if (problems_.isEmpty()) {
        for (const QString& op : expected_)
            if (lower::findComposite(composites, op.toStdString())) covered_ << op;
        if (covered_.isEmpty()) {
            QStringList defined;
            for (const lower::CompositePtr& c : composites) defined << QString::fromStdString(c->schema.op);
            problems_.push_back({composites.empty() ? 0 : composites.front()->pos.line,
                                 tr("this file defines %1, but the ops this model cannot convert are %2")
                                     .arg(defined.join(QStringLiteral(", ")), expected_.join(QStringLiteral(", ")))});
        }
    }
    if (problems_.isEmpty())
        status_->setText(tr("Checked: defines %1 of the %2 unsupported op(s): %3.")
                             .arg(covered_.size())
                             .arg(expected_.size())
                             .arg(covered_.join(QStringLiteral(", "))));
    else
        status_->setText(tr("%n problem(s).", nullptr, int(problems_.size())));
    showProblems();
    emit checked(valid());
}

void CompositeEditor::showProblems() {
    list_->clear();
    QList<QTextEdit::ExtraSelection> marks;
    for (const Problem& p : problems_) {
        list_->addItem(p.line > 0 ? tr("line %1: %2").arg(p.line).arg(p.message) : p.message);
        if (p.line <= 0) continue;
        const QTextBlock block = edit_->document()->findBlockByNumber(p.line - 1);
        if (!block.isValid()) continue;
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(block);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.format.setBackground(palette().color(QPalette::Highlight).lighter(170));
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(Qt::red);
        marks << mark;
    }
    edit_->setExtraSelections(marks);
    status_->setStyleSheet(problems_.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
}

}  // namespace cms::ui
