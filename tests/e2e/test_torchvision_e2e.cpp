// Every torchvision classification architecture the foundation covers converts in fp16 and fp32
// for iOS15 and iOS18, and the package reads back identically: same description, same program
// (op by op, with provenance), same constant data.
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;

namespace {

const char* const kModels[] = {
    "resnet18", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_b0",
    "squeezenet1_1", "shufflenet_v2_x1_0", "densenet121", "regnet_y_400mf", "convnext_tiny",
};

void collectConsts(const mil::Block& b, std::vector<const mil::Value*>& out) {
    for (const auto& op : b.ops) {
        if (op->type == "const") out.push_back(op->output());
        for (const auto& nested : op->blocks) collectConsts(*nested, out);
    }
}

}  // namespace

class TestTorchvisionE2E : public QObject {
    Q_OBJECT
private slots:
    void convertsAndReadsBackIdentically_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<int>("precision");
        QTest::addColumn<int>("target");
        for (const char* m : kModels)
            for (Precision p : {Precision::Float16, Precision::Float32})
                for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS18})
                    QTest::newRow((std::string(m) + "/" + precisionName(p) + "/" + mil::targetName(t)).c_str())
                        << QString(m) << int(p) << int(t);
    }
    void convertsAndReadsBackIdentically() {
        QFETCH(QString, model);
        QFETCH(int, precision);
        QFETCH(int, target);
        test::ScratchDir dir;
        ConversionSettings s;
        s.modelPath = test::testModel("tv_" + model.toStdString() + ".pt");
        s.outputPath = dir.path("out.mlpackage");
        s.inputs = {parseInputSpec("x:1x3x224x224")};
        s.precision = Precision(precision);
        s.target = mil::Target(target);

        ir::Graph graph = importModel(s.modelPath);
        s = completeSettings(graph, s);
        const mil::Program program = buildProgram(graph, s);
        QCOMPARE(program.target, s.target);
        const package::ModelDescription description = describeProgram(program, s);
        QCOMPARE(description.outputs.size(), size_t(1));
        QCOMPARE(description.outputs[0].shape, (Shape{1, 1000}));
        QCOMPARE(description.outputs[0].dtype, DType::Float32);
        package::writePackage(program, description, s.outputPath);

        const package::PackageContents back = package::readPackage(s.outputPath);
        QCOMPARE(back.specificationVersion, mil::specificationVersion(s.target));
        QVERIFY(back.description == description);
        QCOMPARE(mil::dumpProgram(back.program), mil::dumpProgram(program));
        std::vector<const mil::Value*> written, read;
        collectConsts(program.main().body, written);
        collectConsts(back.program.main().body, read);
        QCOMPARE(read.size(), written.size());
        for (size_t i = 0; i < written.size(); ++i)
            QVERIFY2(read[i]->constValue->equals(*written[i]->constValue), written[i]->name.c_str());
        // fp16 conversions store their large weights in fp16, fp32 ones never do.
        size_t fp16Weights = 0;
        for (const mil::Value* v : written)
            if (v->type.dtype == DType::Float16 && v->constValue->numel() > 1000) ++fp16Weights;
        QCOMPARE(fp16Weights > 0, s.precision == Precision::Float16);
    }
};

QTEST_APPLESS_MAIN(TestTorchvisionE2E)
#include "test_torchvision_e2e.moc"
