// TorchScript import: graph structure, constants, provenance, training-mode handling and bad inputs.
#include "common/error.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "support/test_support.h"

#include <algorithm>
#include <fstream>

using namespace cms;

namespace {

std::vector<const ir::Node*> nodesOfKind(const ir::Graph& g, const std::string& kind) {
    std::vector<const ir::Node*> out;
    for (const ir::Node* n : g.allNodes())
        if (n->kind == kind) out.push_back(n);
    return out;
}

const ir::Node* nodeAt(const ir::Graph& g, const std::string& modulePath, const std::string& kind) {
    for (const ir::Node* n : g.allNodes())
        if (n->prov.modulePath == modulePath && n->kind == kind) return n;
    return nullptr;
}

const Tensor* tensorConstant(const ir::Value* v) {
    if (!v->constant) return nullptr;
    return std::get_if<Tensor>(&*v->constant);
}

bool endsWith(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

class TestTorchScriptImporter : public QObject {
    Q_OBJECT
private slots:
    void outlinesTheRootModuleWithoutInlining() {
        frontends::TorchScriptImportOptions options;
        options.outline = true;
        const ir::Graph g = frontends::importTorchScript(test::testModel("demo_cnn.pt"), options);
        QCOMPARE(g.inputNames, std::vector<std::string>{"image"});
        QCOMPARE(g.top().outputs.size(), size_t(1));
        // forward(): classifier(flatten(pool(block2(block1(stem(image)))), 1)), one node per call.
        std::vector<std::string> calls;
        const ir::Value* flowing = g.top().inputs.at(0);
        for (const ir::Node* n : g.top().nodes) {
            if (n->kind != "prim::CallMethod" && n->kind != "aten::flatten") continue;
            if (n->kind == "prim::CallMethod") calls.push_back(n->prov.modulePath);
            else QCOMPARE(n->prov.modulePath, std::string());
            QCOMPARE(n->inputs.at(0), flowing);  // the module object itself is no input
            QCOMPARE(n->outputs.size(), size_t(1));
            flowing = n->outputs[0];
        }
        QCOMPARE(calls, (std::vector<std::string>{"stem", "block1", "block2", "pool", "classifier"}));
        QCOMPARE(g.top().outputs[0], flowing);
        QCOMPARE(nodeAt(g, "block1", "prim::CallMethod")->prov.moduleType, std::string("BasicBlock"));
        QCOMPARE(nodeAt(g, "stem", "prim::CallMethod")->prov.moduleType, std::string("Sequential"));
        for (const ir::Node* n : g.allNodes()) {
            QVERIFY2(n->kind != "prim::GetAttr" && n->kind != "aten::_convolution", n->kind.c_str());
            for (const ir::Value* in : n->inputs) QVERIFY(!tensorConstant(in));  // no weight is read
        }
    }

    void importsTracedDemoModel() {
        const std::string path = test::testModel("demo_cnn.pt");
        QVERIFY(frontends::looksLikeTorchScript(path));
        const ir::Graph g = frontends::importTorchScript(path);
        QCOMPARE(g.framework, std::string("torchscript"));
        QCOMPARE(g.sourcePath, path);
        QVERIFY(g.warnings.empty());
        QCOMPARE(g.inputNames, std::vector<std::string>{"image"});
        QCOMPARE(g.top().inputs.size(), size_t(1));
        QCOMPARE(g.top().inputs[0]->kind, ir::ValueKind::Tensor);
        QCOMPARE(g.top().outputs.size(), size_t(1));
        QCOMPARE(g.outputNames.size(), size_t(1));

        // stem conv, block1 (conv1, conv2, downsample), block2 (same): 7 convolutions and batch norms.
        QCOMPARE(nodesOfKind(g, "aten::_convolution").size(), size_t(7));
        QCOMPARE(nodesOfKind(g, "aten::batch_norm").size(), size_t(7));
        for (const char* kind : {"aten::relu_", "aten::max_pool2d", "aten::add", "aten::adaptive_avg_pool2d",
                                 "aten::flatten", "aten::linear"})
            QVERIFY2(!nodesOfKind(g, kind).empty(), kind);
        for (const ir::Node* n : g.allNodes()) {
            QVERIFY(n->kind.find("prim::Constant") == std::string::npos);
            QVERIFY(n->kind != "prim::GetAttr" && n->kind != "prim::CallMethod");  // frozen and inlined
            QCOMPARE(n->prov.sourceOp, n->kind);
        }

        const ir::Node* conv = nodeAt(g, "block1.conv1", "aten::_convolution");
        QVERIFY(conv);
        QCOMPARE(conv->prov.moduleType, std::string("Conv2d"));
        QVERIFY2(endsWith(conv->prov.file, "resources/demo/make_demo_model.py"), conv->prov.file.c_str());
        QVERIFY(conv->prov.line > 0);
        const Tensor* weight = tensorConstant(conv->inputs[1]);
        QVERIFY(weight);
        QCOMPARE(weight->dtype(), DType::Float32);
        QCOMPARE(weight->shape(), (Shape{32, 16, 3, 3}));
        QCOMPARE(conv->inputs[1]->kind, ir::ValueKind::Tensor);
        QCOMPARE(conv->inputs[0], nodeAt(g, "stem.3", "aten::max_pool2d")->outputs[0]);

        const ir::Node* downsample = nodeAt(g, "block2.downsample.0", "aten::_convolution");
        QVERIFY(downsample);
        QCOMPARE(tensorConstant(downsample->inputs[1])->shape(), (Shape{64, 32, 1, 1}));

        // Batch norm keeps its randomised statistics (the importer must not fold or reset them).
        const ir::Node* bn = nodeAt(g, "block1.bn1", "aten::batch_norm");
        QVERIFY(bn);
        QCOMPARE(bn->prov.moduleType, std::string("BatchNorm2d"));
        const Tensor* runningVar = tensorConstant(bn->inputs[4]);
        QVERIFY(runningVar);
        QCOMPARE(runningVar->shape(), (Shape{32}));
        const std::vector<float> var = runningVar->toFloats();
        QVERIFY(std::any_of(var.begin(), var.end(), [](float v) { return v != 1.0f; }));
        QVERIFY(std::all_of(var.begin(), var.end(), [](float v) { return v >= 0.5f && v <= 1.5f; }));

        const ir::Node* linear = nodeAt(g, "classifier", "aten::linear");
        QVERIFY(linear);
        QCOMPARE(linear->prov.moduleType, std::string("Linear"));
        QCOMPARE(tensorConstant(linear->inputs[1])->shape(), (Shape{10, 64}));
        QCOMPARE(linear->outputs[0], g.top().outputs[0]);

        // Scalar and list arguments are typed constants, not nodes.
        const ir::Node* pool = nodeAt(g, "stem.3", "aten::max_pool2d");
        QVERIFY(pool->inputs[1]->constant);
        QCOMPARE(std::get<std::vector<int64_t>>(*pool->inputs[1]->constant), (std::vector<int64_t>{3, 3}));
        QCOMPARE(pool->inputs[1]->kind, ir::ValueKind::List);
        QCOMPARE(pool->inputs[1]->typeName, std::string("int[]"));
        const ir::Node* flatten = nodesOfKind(g, "aten::flatten")[0];
        QCOMPARE(flatten->prov.modulePath, std::string());
        QCOMPARE(flatten->prov.moduleType, std::string("DemoCNN"));
        QCOMPARE(std::get<int64_t>(*flatten->inputs[1]->constant), int64_t(1));
    }

    void importsTorchvisionResnet18WithModulePaths() {
        const ir::Graph g = frontends::importTorchScript(test::testModel("tv_resnet18.pt"));
        QCOMPARE(g.inputNames, std::vector<std::string>{"x"});
        QCOMPARE(nodesOfKind(g, "aten::_convolution").size(), size_t(20));
        QCOMPARE(nodesOfKind(g, "aten::batch_norm").size(), size_t(20));

        const ir::Node* conv = nodeAt(g, "layer1.0.conv1", "aten::_convolution");
        QVERIFY(conv);
        QCOMPARE(conv->prov.moduleType, std::string("Conv2d"));
        QVERIFY2(endsWith(conv->prov.file, "torchvision/models/resnet.py"), conv->prov.file.c_str());
        QVERIFY(conv->prov.line > 0);
        QVERIFY(contains(conv->prov.describe(), "layer1.0.conv1 (aten::_convolution, resnet.py:"));
        QCOMPARE(tensorConstant(conv->inputs[1])->shape(), (Shape{64, 64, 3, 3}));

        QVERIFY(nodeAt(g, "layer2.0.downsample.0", "aten::_convolution"));
        QVERIFY(nodeAt(g, "layer4.1.bn2", "aten::batch_norm"));
        const ir::Node* fc = nodeAt(g, "fc", "aten::linear");
        QVERIFY(fc);
        const Tensor* fcWeight = tensorConstant(fc->inputs[1]);
        QCOMPARE(fcWeight->shape(), (Shape{1000, 512}));
        QCOMPARE(fcWeight->nbytes(), size_t(1000 * 512 * 4));
        for (const ir::Node* n : g.allNodes()) {
            if (n->kind == "aten::_convolution" || n->kind == "aten::batch_norm") {
                QVERIFY(!n->prov.modulePath.empty());
                QVERIFY(!n->prov.file.empty());
            }
        }
    }

    void importsScriptedControlFlow() {
        const ir::Graph g = frontends::importTorchScript(test::testModel("scripted_control_flow.pt"));
        QCOMPARE(g.inputNames, (std::vector<std::string>{"x", "steps"}));
        QCOMPARE(g.top().inputs[0]->kind, ir::ValueKind::Tensor);
        QCOMPARE(g.top().inputs[1]->kind, ir::ValueKind::Int);

        const auto ifs = nodesOfKind(g, "prim::If");
        QCOMPARE(ifs.size(), size_t(1));
        QCOMPARE(ifs[0]->blocks.size(), size_t(2));
        QCOMPARE(ifs[0]->outputs.size(), ifs[0]->blocks[0]->outputs.size());
        const auto loops = nodesOfKind(g, "prim::Loop");
        QCOMPARE(loops.size(), size_t(1));
        QCOMPARE(loops[0]->blocks.size(), size_t(1));
        QCOMPARE(loops[0]->inputs[0], g.top().inputs[1]);  // trip count is `steps`
        QVERIFY(!loops[0]->blocks[0]->inputs.empty());       // iteration counter and carried x

        // The linear layer is called in both branches; both calls are traced back to it and its source.
        const auto linears = nodesOfKind(g, "aten::linear");
        QCOMPARE(linears.size(), size_t(2));
        for (const ir::Node* n : linears) {
            QCOMPARE(n->prov.modulePath, std::string("linear"));
            QCOMPARE(n->prov.moduleType, std::string("Linear"));
            QVERIFY2(endsWith(n->prov.file, "tests/models/gen_basic.py"), n->prov.file.c_str());
            QVERIFY(n->prov.line > 0);
            QCOMPARE(tensorConstant(n->inputs[1])->shape(), (Shape{8, 8}));
        }
    }

    void keepsTupleOutputConstruction() {
        const ir::Graph g = frontends::importTorchScript(test::testModel("tuple_output.pt"));
        QCOMPARE(g.top().outputs.size(), size_t(1));
        QCOMPARE(g.outputNames.size(), size_t(1));
        const ir::Value* result = g.top().outputs[0];
        QCOMPARE(result->kind, ir::ValueKind::Tuple);
        QVERIFY(result->producer);
        QCOMPARE(result->producer->kind, std::string("prim::TupleConstruct"));
        QCOMPARE(result->producer->inputs.size(), size_t(2));
        QCOMPARE(result->producer->inputs[0]->producer->kind, std::string("aten::linear"));
        QCOMPARE(result->producer->inputs[1]->producer->kind, std::string("aten::relu"));
        // Graph input and output names never collide.
        QVERIFY(g.outputNames[0] != g.inputNames[0]);
    }

    void switchesTrainingModelToEvalWithWarning() {
        const ir::Graph g = frontends::importTorchScript(test::testModel("training_mode.pt"));
        QCOMPARE(g.warnings.size(), size_t(1));
        QVERIFY2(contains(g.warnings[0], "training mode") && contains(g.warnings[0], "eval mode"),
                 g.warnings[0].c_str());
        // Freezing after eval() folds `self.training` into the ops: dropout and batch norm run as at inference.
        size_t checked = 0;
        for (const ir::Node* n : g.allNodes()) {
            if (n->kind == "aten::dropout") {
                QCOMPARE(std::get<bool>(*n->inputs[2]->constant), false);
                ++checked;
            }
            if (n->kind == "aten::batch_norm") {
                QCOMPARE(std::get<bool>(*n->inputs[5]->constant), false);
                ++checked;
            }
        }
        QCOMPARE(checked, size_t(2));
    }

    void warnsWhenTracedInTrainingMode() {
        const ir::Graph g = frontends::importTorchScript(test::testModel("traced_training_mode.pt"));
        QCOMPARE(g.warnings.size(), size_t(2));
        QVERIFY(contains(g.warnings[0], "training mode"));
        QVERIFY2(contains(g.warnings[1], "re-trace it after model.eval()"), g.warnings[1].c_str());
        QVERIFY2(contains(g.warnings[1], "2 dropout/normalization op(s)"), g.warnings[1].c_str());
    }

    void loadsArchiveTaggedWithCudaOnCpu() {
        const std::string path = test::testModel("cuda_tagged.pt");
        QVERIFY(frontends::looksLikeTorchScript(path));
        const ir::Graph g = frontends::importTorchScript(path);
        const ir::Node* fc = nodeAt(g, "fc", "aten::linear");
        QVERIFY(fc);
        const Tensor* weight = tensorConstant(fc->inputs[1]);
        QCOMPARE(weight->shape(), (Shape{4, 16}));
        const std::vector<float> w = weight->toFloats();
        QVERIFY(std::any_of(w.begin(), w.end(), [](float v) { return v != 0.0f; }));
    }

    void rejectsBadFiles_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("looksLikeTorchScript");
        QTest::newRow("state_dict") << QString::fromStdString(test::testModel("not_torchscript.pt"))
                                    << "this is a state_dict/pickle" << false;
        QTest::newRow("legacy pickle") << QString::fromStdString(test::testModel("not_torchscript_legacy.pt"))
                                       << "this is a state_dict/pickle" << false;
        QTest::newRow("truncated") << QString::fromStdString(test::testModel("truncated.pt")) << "truncated" << false;
        QTest::newRow("random bytes") << QString::fromStdString(test::testModel("random_bytes.pt"))
                                      << "not a TorchScript archive" << false;
        QTest::newRow("corrupt code") << QString::fromStdString(test::testModel("corrupt_archive.pt"))
                                      << "could not load the archive" << true;
        QTest::newRow("no forward") << QString::fromStdString(test::testModel("no_forward.pt"))
                                    << "no forward() method" << true;
    }

    void rejectsBadFiles() {
        QFETCH(QString, file);
        QFETCH(QString, expected);
        QFETCH(bool, looksLikeTorchScript);
        const std::string path = file.toStdString();
        QCOMPARE(frontends::looksLikeTorchScript(path), looksLikeTorchScript);
        expectInputError(path, expected.toStdString());
    }

    void rejectsMissingAndEmptyFiles() {
        test::ScratchDir dir;
        const std::string missing = dir.path("no_such_model.pt");
        QVERIFY(!frontends::looksLikeTorchScript(missing));
        expectInputError(missing, "does not exist");
        const std::string empty = dir.path("empty.pt");
        std::ofstream(empty).close();
        QVERIFY(!frontends::looksLikeTorchScript(empty));
        expectInputError(empty, "empty");
    }

private:
    void expectInputError(const std::string& path, const std::string& expected) {
        try {
            frontends::importTorchScript(path);
            QFAIL(("no error for " + path).c_str());
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Input);
            QCOMPARE(e.file(), path);
            QVERIFY2(contains(e.message(), expected), e.message().c_str());
            QVERIFY2(contains(e.what(), path), e.what());
            QVERIFY2(!e.hint().empty(), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestTorchScriptImporter)
#include "test_torchscript_importer.moc"
