// writePackage -> readPackage: the program (dumpProgram), description, provenance and the proto encoding.
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "package/package.h"
#include "package/program_proto.h"
#include "package/proto/model.pb.h"
#include "package/weight_blob.h"
#include "package_test_programs.h"
#include "support/test_support.h"

using namespace cms;
using namespace cms::package;
namespace fs = std::filesystem;

namespace {
std::string modelFile(const std::string& pkg) { return pkg + "/Data/com.apple.CoreML/model.mlmodel"; }

cms::coreml::Model loadModel(const std::string& pkg) {
    std::ifstream in(modelFile(pkg), std::ios::binary);
    cms::coreml::Model m;
    if (!m.ParseFromIstream(&in)) throw std::runtime_error("cannot parse " + modelFile(pkg));
    return m;
}

void saveModel(const std::string& pkg, const cms::coreml::Model& m) {
    std::ofstream out(modelFile(pkg), std::ios::binary | std::ios::trunc);
    m.SerializeToOstream(&out);
}

const pb::Operation* findOp(const pb::Block& b, const std::string& name) {
    for (const auto& op : b.operations())
        if (op.outputs_size() && op.outputs(0).name() == name) return &op;
    return nullptr;
}
}  // namespace

class TestPackageRoundTrip : public QObject {
    Q_OBJECT
private slots:
    void programAndDescriptionRoundTrip_data() {
        QTest::addColumn<int>("target");
        for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS16, mil::Target::iOS17, mil::Target::iOS18})
            QTest::newRow(mil::targetName(t).c_str()) << static_cast<int>(t);
    }
    void programAndDescriptionRoundTrip() {
        QFETCH(int, target);
        const auto t = static_cast<mil::Target>(target);
        test::ScratchDir dir;
        const std::string pkg = dir.path("small.mlpackage");
        const mil::Program p = test::smallProgram(t);
        const ModelDescription d = test::smallDescription();
        writePackage(p, d, pkg);

        const PackageContents back = readPackage(pkg);
        QCOMPARE(back.specificationVersion, mil::specificationVersion(t));
        QCOMPARE(QString::fromStdString(mil::dumpProgram(back.program)), QString::fromStdString(mil::dumpProgram(p)));
        QVERIFY(back.description == d);
        QCOMPARE(back.modelPath, modelFile(pkg));
        QCOMPARE(back.weightsPath, pkg + "/Data/com.apple.CoreML/weights/weight.bin");
        QCOMPARE(back.provenance.at("relu_0").moduleType, std::string("ReLU"));
        QCOMPARE(back.provenance.at("w").line, 12);
        // Every const value survives bit for bit, whether inline or in the weight file.
        const auto& ops = p.main().body.ops;
        const auto& backOps = back.program.main().body.ops;
        QCOMPARE(backOps.size(), ops.size());
        for (size_t i = 0; i < ops.size(); ++i) {
            QCOMPARE(backOps[i]->name, ops[i]->name);
            if (ops[i]->type == "const")
                QVERIFY2(backOps[i]->output()->constValue->equals(*ops[i]->output()->constValue), ops[i]->name.c_str());
            else
                QCOMPARE(backOps[i]->input("x")->name, ops[i]->input("x")->name);
        }
    }

    void writesValuesAsCoreMLDoes() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("enc.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg);
        const cms::coreml::Model m = loadModel(pkg);
        QCOMPARE(m.specificationversion(), 6);
        QVERIFY(m.has_mlprogram());
        QCOMPARE(m.mlprogram().version(), int64_t(1));
        const pb::Function& f = m.mlprogram().functions().at("main");
        QCOMPARE(f.opset(), std::string("CoreML5"));
        QCOMPARE(f.inputs(0).name(), std::string("x"));
        const pb::Block& b = f.block_specializations().at("CoreML5");
        QCOMPARE(b.outputs(0), std::string("relu_0"));

        // Non-const ops carry only their name attribute; inputs bound by name.
        const pb::Operation* relu = findOp(b, "relu_0");
        QVERIFY(relu);
        QCOMPARE(relu->attributes().size(), size_t(1));
        QCOMPARE(relu->attributes().at("name").immediatevalue().tensor().strings().values(0), std::string("relu_0"));
        QCOMPARE(relu->inputs(0).key(), std::string("x"));
        QCOMPARE(relu->inputs(0).value().arguments(0).name(), std::string("add_0"));
        const pb::Operation* add = findOp(b, "add_0");
        QCOMPARE(add->inputs(0).key(), std::string("x"));  // declaration order kept on the wire
        QCOMPARE(add->inputs(1).key(), std::string("y"));

        const auto val = [&](const std::string& name) -> const pb::Value& {
            const pb::Operation* op = findOp(b, name);
            if (!op || op->type() != "const" || op->attributes().size() != 2) throw std::runtime_error(name);
            return op->attributes().at("val");
        };
        using TV = pb::TensorValue;
        QCOMPARE(val("small_half").immediatevalue().tensor().value_case(), TV::kBytes);
        QCOMPARE(val("small_half").immediatevalue().tensor().bytes().values().size(), size_t(4));
        QCOMPARE(val("small_int8").immediatevalue().tensor().value_case(), TV::kBytes);
        QCOMPARE(val("small_uint8").immediatevalue().tensor().value_case(), TV::kBytes);
        QCOMPARE(val("ints").immediatevalue().tensor().value_case(), TV::kInts);
        QCOMPARE(val("ints").immediatevalue().tensor().ints().values(1), -2);
        QCOMPARE(val("flag").immediatevalue().tensor().value_case(), TV::kBools);
        QCOMPARE(val("flags").immediatevalue().tensor().bools().values_size(), 3);
        QCOMPARE(val("mode").immediatevalue().tensor().strings().values(0), std::string("same"));
        QCOMPARE(val("mode").type().tensortype().rank(), int64_t(0));
        QCOMPARE(val("scalar").immediatevalue().tensor().floats().values(0), 0.1f);
        // iOS15's weight file takes no int32/int16: those stay inline even when large.
        QCOMPARE(val("big_ints").immediatevalue().tensor().value_case(), TV::kInts);
        QCOMPARE(val("big_int16").immediatevalue().tensor().value_case(), TV::kInts);

        WeightBlobReader reader(pkg + "/Data/com.apple.CoreML/weights/weight.bin");
        for (const char* name : {"w", "big_half", "big_int8"}) {
            const pb::Value& v = val(name);
            QVERIFY2(v.has_blobfilevalue(), name);
            QCOMPARE(v.blobfilevalue().filename(), std::string("@model_path/weights/weight.bin"));
            QCOMPARE(v.blobfilevalue().offset() % 64, uint64_t(0));
            QCOMPARE(int(reader.info(v.blobfilevalue().offset()).dtype), int(v.type().tensortype().datatype()));
        }
        QCOMPARE(reader.count(), 3u);
    }

    void iOS18WeightFileTakesWiderIntegers() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("ios18.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS18), test::smallDescription(), pkg);
        const cms::coreml::Model m = loadModel(pkg);
        const pb::Block& b = m.mlprogram().functions().at("main").block_specializations().at("CoreML8");
        QVERIFY(findOp(b, "big_ints")->attributes().at("val").has_blobfilevalue());
        QVERIFY(findOp(b, "big_int16")->attributes().at("val").has_blobfilevalue());
    }

    void inlineLimitIsHonoured() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("inline.mlpackage");
        WriteOptions o;
        o.inlineElementLimit = 1000;
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg, o);
        QVERIFY(!fs::exists(pkg + "/Data/com.apple.CoreML/weights"));
        const PackageContents back = readPackage(pkg);
        QVERIFY(back.weightsPath.empty());
        QCOMPARE(mil::dumpProgram(back.program), mil::dumpProgram(test::smallProgram(mil::Target::iOS15)));
    }

    void imageInputsAndOutputDtypes() {
        test::ScratchDir dir;
        for (ColorLayout layout : {ColorLayout::RGB, ColorLayout::BGR, ColorLayout::Grayscale}) {
            const int64_t c = layout == ColorLayout::Grayscale ? 1 : 3;
            mil::Program p;
            mil::Function& f = p.addFunction("main", p.target);
            mil::Value* img = p.newValueNamed("image", {DType::Float32, {1, c, 8, 6}});
            f.inputs.push_back(img);
            mil::Builder b(p, f.body, p.target);
            f.body.outputs.push_back(b.add1("relu", {{"x", {img}}}, "out"));
            ModelDescription d;
            FeatureDescription in;
            in.name = "image";
            in.kind = FeatureDescription::Kind::Image;
            in.colorLayout = layout;
            in.shape = {1, c, 8, 6};
            d.inputs.push_back(in);
            FeatureDescription out;
            out.name = "out";
            out.dtype = DType::Float16;
            out.shape = {1, c, 8, 6};
            d.outputs.push_back(out);
            const std::string pkg = dir.path("img" + std::to_string(c) + colorLayoutName(layout) + ".mlpackage");
            writePackage(p, d, pkg);
            const cms::coreml::Model m = loadModel(pkg);
            const auto& image = m.description().input(0).type().imagetype();
            QCOMPARE(image.width(), int64_t(6));
            QCOMPARE(image.height(), int64_t(8));
            QCOMPARE(int(image.colorspace()), layout == ColorLayout::RGB ? 20 : layout == ColorLayout::BGR ? 30 : 10);
            QCOMPARE(int(m.description().output(0).type().multiarraytype().datatype()), 65552);
            QVERIFY(readPackage(pkg).description == d);
        }
    }

    void rejectsWhatCoreMLCannotDescribe() {
        test::ScratchDir dir;
        ModelDescription d = test::smallDescription();
        d.outputs[0].dtype = DType::Int64;
        QVERIFY_THROWS_EXCEPTION(Error, writePackage(test::smallProgram(mil::Target::iOS15), d, dir.path("a.mlpackage")));
        d = test::smallDescription();
        d.outputs[0].name = "not_an_output";
        QVERIFY_THROWS_EXCEPTION(Error, writePackage(test::smallProgram(mil::Target::iOS15), d, dir.path("b.mlpackage")));
        QVERIFY(!fs::exists(dir.path("a.mlpackage")));
        QVERIFY(!fs::exists(dir.path("b.mlpackage")));
    }

    void readsOpsWithoutDeclarations() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("future.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS17), test::smallDescription(), pkg);
        cms::coreml::Model m = loadModel(pkg);
        pb::Block& b = (*m.mutable_mlprogram()->mutable_functions())["main"].mutable_block_specializations()->at("CoreML7");
        for (auto& op : *b.mutable_operations())
            if (op.type() == "relu") op.set_type("some_op_from_the_future");
        saveModel(pkg, m);
        const PackageContents back = readPackage(pkg);
        const auto& last = back.program.main().body.ops.back();
        QCOMPARE(last->type, std::string("some_op_from_the_future"));
        QCOMPARE(last->input("x")->name, std::string("add_0"));
        QCOMPARE(last->output()->type.toString(), std::string("fp32[1,3,4,4]"));
    }

    void constexprParametersFollowTheOpset() {
        // Before iOS18 constexpr ops take parameters as attributes; from iOS18 as literal input values.
        for (mil::Target t : {mil::Target::iOS16, mil::Target::iOS18}) {
            mil::Program p;
            p.target = t;
            mil::Function& f = p.addFunction("main", t);
            mil::Value* x = p.newValueNamed("x", {DType::Float32, {4, 4}});
            f.inputs.push_back(x);
            mil::Builder b(p, f.body, t);
            std::vector<int64_t> q(16);
            for (int i = 0; i < 16; ++i) q[i] = i * 10;
            mil::Value* data = b.constant(Tensor::fromInts(q, {4, 4}, DType::UInt8), "qdata");
            mil::Value* scale = b.constFloat(0.5f, "qscale");
            auto op = std::make_unique<mil::Operation>();
            op->type = "constexpr_test_dequantize";
            op->name = p.uniqueName("w");
            op->inputs = {{"quantized_data", {data}}, {"scale", {scale}}};
            mil::Value* w = p.newValueNamed(op->name, {DType::Float32, {4, 4}});
            w->producer = op.get();
            op->outputs.push_back(w);
            f.body.ops.push_back(std::move(op));
            f.body.outputs.push_back(b.add1("add", {{"x", {x}}, {"y", {w}}}, "y"));
            ModelDescription d;
            FeatureDescription in, out;
            in.name = "x";
            in.shape = {4, 4};
            out.name = "y";
            out.shape = {4, 4};
            d.inputs = {in};
            d.outputs = {out};
            test::ScratchDir dir;
            writePackage(p, d, dir.path("q.mlpackage"));
            const auto m = loadModel(dir.path("q.mlpackage"));
            const pb::Block& blk = m.mlprogram().functions().at("main").block_specializations().at(mil::opsetName(t));
            QCOMPARE(blk.operations_size(), 2);  // the consts feeding only the constexpr op are left out
            const pb::Operation& cx = blk.operations(0);
            if (t == mil::Target::iOS16) {
                QCOMPARE(cx.inputs_size(), 0);
                QVERIFY(cx.attributes().at("quantized_data").has_blobfilevalue());
                QCOMPARE(cx.attributes().at("scale").immediatevalue().tensor().floats().values(0), 0.5f);
            } else {
                QCOMPARE(cx.inputs(0).key(), std::string("quantized_data"));
                QVERIFY(cx.inputs(0).value().arguments(0).value().has_blobfilevalue());
            }
            // Read back, the literals are explicit const ops again.
            const PackageContents back = readPackage(dir.path("q.mlpackage"));
            const auto& ops = back.program.main().body.ops;
            QCOMPARE(ops.size(), size_t(4));
            const mil::Operation& rcx = *ops[2];
            QCOMPARE(rcx.type, std::string("constexpr_test_dequantize"));
            QVERIFY(rcx.input("quantized_data")->constValue->equals(*data->constValue));
            QCOMPARE(rcx.input("scale")->constValue->scalarAsDouble(), 0.5);
            QCOMPARE(rcx.input("scale")->producer->type, std::string("const"));
        }
    }

    void reportsDamagedModels() {
        test::ScratchDir dir;
        const std::string pkg = dir.path("bad.mlpackage");
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg);
        cms::coreml::Model m = loadModel(pkg);
        pb::Block& b = (*m.mutable_mlprogram()->mutable_functions())["main"].mutable_block_specializations()->at("CoreML5");
        for (auto& op : *b.mutable_operations())
            if (op.type() == "relu") op.mutable_inputs(0)->mutable_value()->mutable_arguments(0)->set_name("nowhere");
        saveModel(pkg, m);
        try {
            readPackage(pkg);
            QFAIL("a dangling input was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.kind(), ErrorKind::Package);
            QCOMPARE(e.file(), modelFile(pkg));
            QVERIFY2(std::string(e.what()).find("nowhere") != std::string::npos, e.what());
        }
        // A damaged weight file is reported with the weight file and offset.
        writePackage(test::smallProgram(mil::Target::iOS15), test::smallDescription(), pkg);
        const std::string wb = pkg + "/Data/com.apple.CoreML/weights/weight.bin";
        fs::resize_file(wb, 100);
        try {
            readPackage(pkg);
            QFAIL("a truncated weight file was accepted");
        } catch (const Error& e) {
            QCOMPARE(e.file(), wb);
            QVERIFY2(std::string(e.what()).find("offset") != std::string::npos, e.what());
        }
        QVERIFY_THROWS_EXCEPTION(Error, readPackage(dir.path("missing.mlpackage")));
    }
};

QTEST_APPLESS_MAIN(TestPackageRoundTrip)
#include "test_package_roundtrip.moc"
