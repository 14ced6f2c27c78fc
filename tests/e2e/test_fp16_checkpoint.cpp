// A model saved with fp16 weights (tests/models/gen_fp16_checkpoint.py, a small Llama-style decoder) converts
// without fp32 copies of its weights: cat/stack of fp16 tensors and softmax of an fp16 tensor stay fp16, as in
// torch, so the lowered program's constants hold no more bytes than the checkpoint's weights (an accounting check,
// not a timing one). Before, the rotary halves' concat and the attention softmax turned every later op fp32 and
// lowering kept an fp32 copy of every later weight: a 1B-parameter checkpoint needed ~3.8x its fp16 bytes.
// The fp16 package's weights are the checkpoint's bytes, unchanged.
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

#include <set>

using namespace cms;

namespace {

// Bytes of the distinct float tensors the imported graph holds (the checkpoint's weights and buffers).
size_t sourceWeightBytes(const ir::Graph& g, std::set<std::string>* contents = nullptr) {
    std::set<const uint8_t*> seen;
    size_t bytes = 0;
    const auto visit = [&](const ir::Value* v) {
        if (!v->constant) return;
        const Tensor* t = std::get_if<Tensor>(&*v->constant);
        if (!t || !isFloat(t->dtype()) || t->numel() < 64 || !seen.insert(t->bytes()).second) return;
        QCOMPARE(t->dtype(), DType::Float16);
        bytes += t->nbytes();
        if (contents) contents->insert(std::string(reinterpret_cast<const char*>(t->bytes()), t->nbytes()));
    };
    for (const ir::Node* n : g.allNodes())
        for (const ir::Value* v : n->inputs) visit(v);
    return bytes;
}

// Bytes of the float constants (64 elements or more) the main function's ops hold, and their dtypes.
size_t programConstantBytes(const mil::Program& p, std::set<DType>& dtypes) {
    size_t bytes = 0;
    for (const auto& op : p.main().body.ops) {
        if (op->type != "const") continue;
        const mil::Value* v = op->output();
        if (!v->constValue || !isFloat(v->constValue->dtype()) || v->constValue->numel() < 64) continue;
        dtypes.insert(v->constValue->dtype());
        bytes += v->constValue->nbytes();
    }
    return bytes;
}

ConversionSettings settingsFor(Precision precision) {
    ConversionSettings s;
    s.modelPath = test::testModel("fp16_checkpoint_decoder.pt");
    s.inputs = {parseInputSpec("ids:1x8:dtype=int32")};
    s.precision = precision;
    s.target = mil::Target::iOS18;
    return s;
}

}  // namespace

class TestFp16Checkpoint : public QObject {
    Q_OBJECT
private slots:
    void loweringHoldsNoFp32CopiesOfFp16Weights() {
        for (Precision precision : {Precision::Float32, Precision::Float16}) {
            ir::Graph graph = importModel(settingsFor(precision).modelPath);
            const size_t source = sourceWeightBytes(graph);
            QVERIFY(source > 40000);  // embedding, qkv, o, gate/up/down, head: ~60k fp16 values
            const ConversionSettings settings = completeSettings(graph, settingsFor(precision));
            const mil::Program program = buildProgram(graph, settings);
            std::set<DType> dtypes;
            const size_t held = programConstantBytes(program, dtypes);
            QVERIFY2(held <= source, qPrintable(QString("constants hold %1 bytes, the checkpoint %2 (%3)")
                                                    .arg(held).arg(source).arg(QString::fromStdString(precisionName(precision)))));
            QVERIFY2(dtypes == std::set<DType>{DType::Float16}, qPrintable(QString::fromStdString(precisionName(precision))));
        }
    }

    void theFp16PackageStoresTheCheckpointsBytes() {
        test::ScratchDir dir;
        ConversionSettings settings = settingsFor(Precision::Float16);
        settings.outputPath = dir.path("decoder.mlpackage");
        convertModel(settings);
        std::set<std::string> checkpoint;
        sourceWeightBytes(importModel(settings.modelPath), &checkpoint);
        const package::PackageContents back = package::readPackage(settings.outputPath);
        size_t weights = 0;
        for (const auto& op : back.program.main().body.ops) {
            const mil::Value* v = op->output();
            if (op->type != "const" || !v->constValue || v->constValue->numel() < 64 || !isFloat(v->constValue->dtype()))
                continue;
            ++weights;
            const Tensor& t = *v->constValue;
            QVERIFY2(checkpoint.count(std::string(reinterpret_cast<const char*>(t.bytes()), t.nbytes())),
                     qPrintable(QString::fromStdString(v->name)));
        }
        QVERIFY(weights >= 7);
    }
};

QTEST_APPLESS_MAIN(TestFp16Checkpoint)
#include "test_fp16_checkpoint.moc"
