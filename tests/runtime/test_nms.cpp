// Core ML's non_maximum_suppression: the declaration's type inference (iOS15 and its iOS17 re-version
// with boxes last and no count) and the interpreter kernel on a hand-worked example, including what
// torchvision::nms never uses (score_threshold, per_class_suppression, max_boxes below the box count).
#include "interpreter_test_util.h"
#include "support/op_decl_fixture.h"

using namespace cms;
using cms::test::ProgramMaker;
using mil::TensorType;
using test::fp32;

namespace {

// Four boxes in center form (x, y, w, h) with two class scores each. Box 1 overlaps box 0 (IoU 0.82)
// but its best class differs; box 3 overlaps box 2 (IoU 0.90) but scores under the 0.1 threshold.
const std::vector<float> kBoxes = {0.5f, 0.5f, 1, 1, 0.6f, 0.5f, 1, 1, 3, 3, 1, 1, 3.05f, 3, 1, 1};
const std::vector<float> kScores = {0.9f, 0.1f, 0.2f, 0.8f, 0.5f, 0.0f, 0.05f, 0.01f};

// Runs the iOS15 op on kBoxes/kScores: outputs boxes, scores, indices, count.
std::vector<Tensor> runIos15(bool perClass, int64_t maxBoxes) {
    ProgramMaker m(mil::Target::iOS15);
    std::vector<mil::OpInput> inputs = {{"boxes", {m.floats(kBoxes, {1, 4, 4})}},
                                        {"scores", {m.floats(kScores, {1, 4, 2})}},
                                        {"iou_threshold", {m.b().constFloat(0.5f)}},
                                        {"score_threshold", {m.b().constFloat(0.1f)}},
                                        {"max_boxes", {m.b().constInt(maxBoxes)}},
                                        {"per_class_suppression", {m.flag(perClass)}}};
    m.input("x", {1});  // a model has at least one input
    const std::vector<mil::Value*> outs = m.b().add("non_maximum_suppression", std::move(inputs), "nms");
    for (mil::Value* v : outs) m.output(v);
    test::ScratchDir dir;
    const auto results = m.load(dir).run({{"x", Tensor::fromFloats({0}, {1})}});
    std::vector<Tensor> out;
    for (mil::Value* v : outs) out.push_back(results.at(v->name));
    return out;
}

}  // namespace

class TestNms : public QObject {
    Q_OBJECT
private slots:
    void ios15InfersPaddedOutputsAndCount() {
        test::OpDeclFixture f(mil::Target::iOS15);
        mil::Value* boxes = f.input(fp32({2, 10, 4}));
        mil::Value* scores = f.input(fp32({2, 10, 3}));
        const auto types = f.types("non_maximum_suppression",
                                   {{"boxes", {boxes}}, {"scores", {scores}},
                                    {"iou_threshold", {f.builder->constFloat(0.5f)}},
                                    {"score_threshold", {f.builder->constFloat(0.0f)}},
                                    {"max_boxes", {f.builder->constInt(5)}}});
        QCOMPARE(types.size(), size_t{4});
        QCOMPARE(types[0], fp32({2, 5, 4}));
        QCOMPARE(types[1], fp32({2, 5, 3}));
        QCOMPARE(types[2], (TensorType{DType::Int32, {2, 5}}));
        QCOMPARE(types[3], (TensorType{DType::Int32, {2}}));
        // An unknown box count is fine: max_boxes fixes the output size.
        mil::Value* flexBoxes = f.input(fp32({1, mil::kUnknownDim, 4}));
        mil::Value* flexScores = f.input(fp32({1, mil::kUnknownDim, 1}));
        QCOMPARE(f.types("non_maximum_suppression",
                         {{"boxes", {flexBoxes}}, {"scores", {flexScores}},
                          {"iou_threshold", {f.builder->constFloat(0.5f)}},
                          {"score_threshold", {f.builder->constFloat(0.0f)}},
                          {"max_boxes", {f.builder->constInt(7)}}})[2],
                 (TensorType{DType::Int32, {1, 7}}));
    }
    void ios15RejectsMalformedInputs() {
        test::OpDeclFixture f(mil::Target::iOS15);
        auto nms = [&](TensorType b, TensorType s, int64_t maxBoxes, bool withScoreThreshold = true) {
            std::vector<mil::OpInput> in = {{"boxes", {f.input(b)}}, {"scores", {f.input(s)}},
                                            {"iou_threshold", {f.builder->constFloat(0.5f)}},
                                            {"max_boxes", {f.builder->constInt(maxBoxes)}}};
            if (withScoreThreshold) in.push_back({"score_threshold", {f.builder->constFloat(0.0f)}});
            return f.fails("non_maximum_suppression", std::move(in));
        };
        QVERIFY(!nms(fp32({1, 6, 4}), fp32({1, 6, 2}), 3));
        QVERIFY(nms(fp32({1, 6, 5}), fp32({1, 6, 2}), 3));                               // 5 coordinates
        QVERIFY(nms(fp32({6, 4}), fp32({1, 6, 2}), 3));                                  // no batch axis
        QVERIFY(nms(fp32({1, 6, 4}), fp32({1, 7, 2}), 3));                               // box counts differ
        QVERIFY(nms(fp32({1, 6, 4}), TensorType{DType::Float16, {1, 6, 2}}, 3));         // dtypes differ
        QVERIFY(nms(TensorType{DType::Int32, {1, 6, 4}}, TensorType{DType::Int32, {1, 6, 2}}, 3));
        QVERIFY(nms(fp32({1, 6, 4}), fp32({1, 6, 2}), 0));                               // max_boxes
        QVERIFY(nms(fp32({1, 6, 4}), fp32({1, 6, 2}), 3, false));                        // score_threshold required
    }
    void ios17PutsBoxesLastAndDropsTheCount() {
        test::OpDeclFixture f(mil::Target::iOS17);
        mil::Value* boxes = f.input(fp32({2, 4, 10}));
        mil::Value* scores = f.input(fp32({2, 3, 10}));
        const auto types = f.types("non_maximum_suppression",
                                   {{"boxes", {boxes}}, {"scores", {scores}},
                                    {"iou_threshold", {f.builder->constFloat(0.5f)}},
                                    {"max_boxes", {f.builder->constInt(5)}}});
        QCOMPARE(types.size(), size_t{3});
        QCOMPARE(types[0], fp32({2, 4, 5}));
        QCOMPARE(types[1], fp32({2, 3, 5}));
        QCOMPARE(types[2], (TensorType{DType::Int32, {2, 5}}));
        QVERIFY(f.fails("non_maximum_suppression",
                        {{"boxes", {boxes}}, {"scores", {scores}},
                         {"iou_threshold", {f.builder->constFloat(0.5f)}},
                         {"score_threshold", {f.builder->constFloat(0.0f)}},
                         {"max_boxes", {f.builder->constInt(5)}}}));
    }
    void keepsByBestScoreAndPads() {
        const std::vector<Tensor> out = runIos15(false, 4);
        QCOMPARE(out[2].toInts(), (std::vector<int64_t>{0, 2, -1, -1}));  // 1 suppressed by 0, 3 under threshold
        QCOMPARE(out[3].toInts(), (std::vector<int64_t>{2}));
        CHECK_FLOATS(out[0].toFloats(), {0.5f, 0.5f, 1, 1, 3, 3, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0});
        CHECK_FLOATS(out[1].toFloats(), {0.9f, 0.1f, 0.5f, 0.0f, 0, 0, 0, 0});
    }
    void perClassSuppressionComparesOnlyTheSameBestClass() {
        const std::vector<Tensor> out = runIos15(true, 4);
        QCOMPARE(out[2].toInts(), (std::vector<int64_t>{0, 1, 2, -1}));
        QCOMPARE(out[3].toInts(), (std::vector<int64_t>{3}));
    }
    void maxBoxesStopsTheSelection() {
        const std::vector<Tensor> out = runIos15(true, 2);
        QCOMPARE(out[2].toInts(), (std::vector<int64_t>{0, 1}));
        QCOMPARE(out[3].toInts(), (std::vector<int64_t>{2}));
    }
    void ios17KernelReadsBoxesLast() {
        ProgramMaker m(mil::Target::iOS17);
        // kBoxes [4 boxes, 4 coords] and kScores [4, 2] transposed; no score threshold, so box 3 survives
        // (its IoU with box 2 is 0.90, but box 2 is kept first and suppresses it).
        std::vector<float> boxes(16), scores(8);
        for (int i = 0; i < 4; ++i) {
            for (int c = 0; c < 4; ++c) boxes[static_cast<size_t>(c * 4 + i)] = kBoxes[static_cast<size_t>(i * 4 + c)];
            for (int k = 0; k < 2; ++k)
                scores[static_cast<size_t>(k * 4 + i)] = kScores[static_cast<size_t>(i * 2 + k)];
        }
        m.input("x", {1});  // a model has at least one input
        const std::vector<mil::Value*> outs = m.b().add("non_maximum_suppression",
                                                        {{"boxes", {m.floats(boxes, {1, 4, 4})}},
                                                         {"scores", {m.floats(scores, {1, 2, 4})}},
                                                         {"iou_threshold", {m.b().constFloat(0.5f)}},
                                                         {"max_boxes", {m.b().constInt(3)}}},
                                                        "nms");
        for (mil::Value* v : outs) m.output(v);
        test::ScratchDir dir;
        const auto results = m.load(dir).run({{"x", Tensor::fromFloats({0}, {1})}});
        QCOMPARE(results.at(outs[2]->name).toInts(), (std::vector<int64_t>{0, 2, -1}));
        CHECK_FLOATS(results.at(outs[0]->name).toFloats(), {0.5f, 3, 0, 0.5f, 3, 0, 1, 1, 0, 1, 1, 0});
    }
};

QTEST_APPLESS_MAIN(TestNms)
#include "test_nms.moc"
