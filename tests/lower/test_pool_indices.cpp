// max_poolNd_with_indices converts when only the pooled values are read (op_max_pool_with_indices,
// lower.test_op_numerics); a model reading the indices gets a clear error naming the node, not an
// internal "used before it is produced" (Core ML's max_pool returns no indices).
#include <QtTest>

#include "common/error.h"
#include "converter.h"
#include "support/test_support.h"

using namespace cms;

class TestPoolIndices : public QObject {
    Q_OBJECT
private slots:
    void usedIndicesAreRefusedClearly() {
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("err_max_pool_indices_used.pt");
        s.outputPath = dir.path("pool.mlpackage");
        InputSpec x;
        x.name = "x";
        x.shape = {1, 2, 4, 4};
        s.inputs = {x};
        try {
            convertModel(s);
            QFAIL("converted a model that reads max pooling's indices");
        } catch (const Error& e) {
            const std::string what = e.what();
            QCOMPARE(e.kind(), ErrorKind::Conversion);
            QVERIFY2(what.find("aten::max_pool2d_with_indices") != std::string::npos, what.c_str());
            QVERIFY2(what.find("indices of max pooling (return_indices=True) are used") != std::string::npos, what.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestPoolIndices)
#include "test_pool_indices.moc"
