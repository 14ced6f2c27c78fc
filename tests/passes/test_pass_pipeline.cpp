// The pass registry, pipelines (naming, editing, unknown names) and the program check.
#include "common/error.h"
#include "pass_test_util.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::test;

class TestPassPipeline : public QObject {
    Q_OBJECT
private slots:
    void registryListsEveryPass() {
        const auto names = passes::availablePasses();
        for (const char* n : {"constant_folding", "dead_code_elimination", "fuse_conv_batchnorm", "remove_identity_ops",
                              "fp16_cast_placement", "fold_casts"}) {
            QVERIFY2(std::find(names.begin(), names.end(), n) != names.end(), n);
            auto pass = passes::createPass(n);
            QVERIFY(pass);
            QCOMPARE(pass->name(), std::string(n));
        }
        QVERIFY(!passes::createPass("no_such_pass"));
    }

    void unknownNameIsASettingsErrorListingTheChoices() {
        try {
            passes::PassPipeline({"constant_folding", "fold_constants"});
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Settings);
            QVERIFY(e.message().find("fold_constants") != std::string::npos);
            QVERIFY(e.hint().find("dead_code_elimination") != std::string::npos);
        }
    }

    void defaultPipelineDependsOnPrecision() {
        passes::PassContext ctx;
        ctx.precision = Precision::Float32;
        const auto fp32 = passes::PassPipeline::defaultPipeline(ctx).names();
        QVERIFY(std::find(fp32.begin(), fp32.end(), "fp16_cast_placement") == fp32.end());
        QCOMPARE(fp32.front(), std::string("constant_folding"));
        QCOMPARE(fp32.back(), std::string("dead_code_elimination"));
        ctx.precision = Precision::Float16;
        const auto fp16 = passes::PassPipeline::defaultPipeline(ctx).names();
        auto place = std::find(fp16.begin(), fp16.end(), "fp16_cast_placement");
        QVERIFY(place != fp16.end());
        // fusion happens before precision is lowered, cleanup after it
        QVERIFY(std::find(fp16.begin(), place, "fuse_conv_batchnorm") != place);
        QVERIFY(std::find(place, fp16.end(), "fold_casts") != fp16.end());
        QCOMPARE(fp16.back(), std::string("dead_code_elimination"));
    }

    void printsParsesAndEdits() {
        auto p = passes::PassPipeline::fromString(" constant_folding, dead_code_elimination ,fold_casts");
        QCOMPARE(p.names(), (std::vector<std::string>{"constant_folding", "dead_code_elimination", "fold_casts"}));
        QCOMPARE(p.toString(), std::string("constant_folding,dead_code_elimination,fold_casts"));
        // Bisecting: a prefix is a pipeline too.
        std::vector<std::string> prefix(p.names().begin(), p.names().begin() + 1);
        QCOMPARE(passes::PassPipeline(prefix).toString(), std::string("constant_folding"));
        QVERIFY_THROWS_EXCEPTION(Error, passes::PassPipeline::fromString("constant_folding,,bogus"));
    }

    void runReportsEachPassInOrder() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2}));
        mil::Value* c = f.b.add1("add", {{"x", {f.b.constFloats({1, 2})}}, {"y", {f.b.constFloats({3, 4})}}}, "c");
        f.b.add1("relu", {{"x", {x}}}, "unused");
        mil::Value* y = f.b.add1("mul", {{"x", {x}}, {"y", {c}}}, "y");
        f.output(y);
        std::vector<std::pair<std::string, bool>> seen;
        passes::PassContext ctx;
        ctx.precision = Precision::Float32;
        passes::PassPipeline({"constant_folding", "dead_code_elimination", "dead_code_elimination"})
            .run(f.p, ctx, [&](const std::string& n, bool changed) { seen.emplace_back(n, changed); });
        QCOMPARE(seen.size(), size_t(3));
        QCOMPARE(seen[0], std::make_pair(std::string("constant_folding"), true));
        QCOMPARE(seen[1], std::make_pair(std::string("dead_code_elimination"), true));
        QCOMPARE(seen[2], std::make_pair(std::string("dead_code_elimination"), false));
        QCOMPARE(opTypes(f.p), std::vector<std::string>{"mul"});
        QCOMPARE(valuesOf(firstOf(f.p, "mul")->input("y")), (std::vector<double>{4, 6}));
    }

    void programCheckNamesTheBrokenOp() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2}));
        mil::Value* y = f.b.add1("relu", {{"x", {x}}}, "act");
        f.output(y);
        passes::verifyProgram(f.p);
        y->type = fp32({3});  // a pass that forgot to update a type
        try {
            passes::verifyProgram(f.p);
            QFAIL("expected an error");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Internal);
            QVERIFY(e.message().find("'act'") != std::string::npos);
            QVERIFY(e.message().find("fp32[2]") != std::string::npos);
        }
    }

    void programCheckCatchesUseBeforeDefinition() {
        ProgramFixture f;
        mil::Value* x = f.input("x", fp32({2}));
        mil::Value* a = f.b.add1("relu", {{"x", {x}}}, "a");
        mil::Value* b = f.b.add1("relu", {{"x", {a}}}, "b");
        f.output(b);
        std::swap(f.body().ops[0], f.body().ops[1]);
        QVERIFY_THROWS_EXCEPTION(Error, passes::verifyProgram(f.p));
    }
};

QTEST_APPLESS_MAIN(TestPassPipeline)
#include "test_pass_pipeline.moc"
