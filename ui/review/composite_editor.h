#pragma once
// An editor for composite definitions (docs/composites.md) that checks as you type: the text is parsed
// and each composite built on its example signature by the MIL ops' own type inference, and it must
// define at least one of the ops the model cannot convert. Problems are listed with their line numbers
// and the offending lines are marked in the text.
#include <QStringList>
#include <QWidget>

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QTimer;

namespace cms::ui {

class CompositeEditor : public QWidget {
    Q_OBJECT
public:
    explicit CompositeEditor(QWidget* parent = nullptr);

    struct Problem {
        int line = 0;  // 1-based; 0 when the message names no line
        QString message;
    };

    // The model's unsupported ops ("aten::erfinv"); a composite file must define one of them.
    void setExpectedOps(const QStringList& ops);
    void setText(const QString& text);
    QString text() const;
    // Checks the text now (it is also checked shortly after each edit).
    void check();
    // The last check found no problem.
    bool valid() const { return problems_.isEmpty() && !covered_.isEmpty(); }
    const QList<Problem>& problems() const { return problems_; }
    // The expected ops the text defines a composite for (last check).
    const QStringList& coveredOps() const { return covered_; }

    QPlainTextEdit* textEdit() const { return edit_; }
    QListWidget* problemList() const { return list_; }
    QLabel* statusLabel() const { return status_; }

signals:
    void checked(bool valid);

private:
    void showProblems();

    QPlainTextEdit* edit_;
    QListWidget* list_;
    QLabel* status_;
    QTimer* timer_;
    QStringList expected_;
    QStringList covered_;
    QList<Problem> problems_;
};

}  // namespace cms::ui
