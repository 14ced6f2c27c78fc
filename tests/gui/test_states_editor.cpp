// The States box of the Inputs panel: a row typed in becomes a state of the document, edits are undoable,
// a malformed shape is refused with a message naming the state, and removing a row removes the state.
#include "support/test_support.h"

#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QUndoStack>

#include "settings/states_editor.h"
#include "workspace/project_document.h"

using namespace cms;
using namespace cms::ui;

class TestStatesEditor : public QObject {
    Q_OBJECT
private slots:
    void editsAreUndoableStates() {
        ProjectDocument document;
        StatesEditor editor(&document);
        QTableWidget* table = editor.table();
        QCOMPARE(table->rowCount(), 0);
        QVERIFY(!editor.removeButton()->isEnabled());

        editor.addButton()->click();
        QCOMPARE(table->rowCount(), 1);
        table->setItem(0, 0, new QTableWidgetItem("k_cache"));
        QVERIFY(document.settings().states.empty());  // the shape is still missing
        table->setItem(0, 1, new QTableWidgetItem("6x1x8x64x64"));
        QCOMPARE(document.settings().states.size(), size_t(1));
        QCOMPARE(document.settings().states[0].name, std::string("k_cache"));
        QCOMPARE(document.settings().states[0].shape, (Shape{6, 1, 8, 64, 64}));
        QVERIFY(editor.removeButton()->isEnabled());

        editor.addButton()->click();
        table->setItem(1, 0, new QTableWidgetItem("v_cache"));
        table->setItem(1, 1, new QTableWidgetItem("6x1x8x64x64"));
        QCOMPARE(document.settings().states.size(), size_t(2));
        document.undoStack()->undo();
        QCOMPARE(document.settings().states.size(), size_t(1));
        QCOMPARE(table->rowCount(), 1);
        document.undoStack()->redo();
        QCOMPARE(table->rowCount(), 2);

        QSignalSpy refused(&editor, &StatesEditor::invalid);
        table->item(1, 1)->setText("6x1x?x64");
        QCOMPARE(refused.count(), 1);
        const QString message = refused.first().first().toString();
        QVERIFY2(message.contains("v_cache"), qPrintable(message));
        QCOMPARE(table->item(1, 1)->text(), QString("6x1x8x64x64"));  // back to the document's value

        table->setCurrentCell(0, 0);
        editor.removeButton()->click();
        QCOMPARE(document.settings().states.size(), size_t(1));
        QCOMPARE(document.settings().states[0].name, std::string("v_cache"));
        document.undoStack()->undo();
        QCOMPARE(document.settings().states.size(), size_t(2));
    }

    // The opened model's buffers written in place are named, and one click declares those missing (and raises
    // the target to iOS18), as one undoable edit.
    void declaresTheModelsBuffers() {
        ProjectDocument document;
        StatesEditor editor(&document);
        QVERIFY(editor.modelBuffersLabel()->isHidden());
        editor.setModelBuffers({parseStateSpec("k_cache:6x1x8x64x64"), parseStateSpec("v_cache:6x1x8x64x64")});
        QVERIFY(!editor.modelBuffersLabel()->isHidden());
        QVERIFY(editor.modelBuffersLabel()->text().contains("v_cache:6x1x8x64x64"));
        QVERIFY(editor.declareButton()->isEnabled());
        editor.declareButton()->click();
        QCOMPARE(document.settings().states.size(), size_t(2));
        QCOMPARE(document.settings().target, mil::Target::iOS18);
        QVERIFY(!editor.declareButton()->isEnabled());
        QCOMPARE(editor.table()->rowCount(), 2);
        document.undoStack()->undo();
        QVERIFY(document.settings().states.empty());
        QVERIFY(document.settings().target < mil::Target::iOS18);
        QVERIFY(editor.declareButton()->isEnabled());
        editor.setModelBuffers({});
        QVERIFY(editor.modelBuffersLabel()->isHidden());
    }
};

QTEST_MAIN(TestStatesEditor)
#include "test_states_editor.moc"
