// Each shape/tensor/reduction/prim translator on a tiny TorchScript model (tests/models/
// gen_ops_shape.py): the MIL ops it lowers to, and the output shapes/dtypes libtorch produced.
#include "common/error.h"
#include "frontends/torchscript/torchscript_importer.h"
#include "lower/lowering.h"
#include "support/test_support.h"

#include <algorithm>
#include <fstream>

#include <nlohmann/json.hpp>

using namespace cms;

namespace {

using Ops = std::vector<std::string>;

// The non-const MIL ops each case must lower to (any order). Static shape arithmetic, identities
// in eval mode and small constant tensors must not appear.
const std::vector<std::pair<std::string, Ops>> kCases = {
    {"flatten", {"reshape"}},
    {"flatten_mid", {"reshape"}},
    {"view", {"reshape"}},
    {"view_size", {"reshape"}},
    {"reshape", {"reshape"}},
    {"permute", {"transpose"}},
    {"transpose", {"transpose"}},
    {"t", {"transpose"}},
    {"dropout_identities", {"transpose"}},
    {"stochastic_depth", {"transpose"}},
    {"clone", {"transpose"}},
    {"to_int", {"cast"}},
    {"to_long", {"cast"}},
    {"type_as", {"cast", "transpose"}},
    {"unsqueeze", {"expand_dims", "expand_dims"}},
    {"squeeze_all", {"squeeze"}},
    {"squeeze_dim", {"squeeze"}},
    {"squeeze_noop", {"transpose"}},
    {"expand", {"reshape", "tile"}},
    {"expand_as", {"tile"}},
    {"repeat", {"reshape", "tile"}},
    {"cat", {"concat"}},
    {"cat_negative_dim", {"concat"}},
    {"stack", {"stack"}},
    {"chunk", {"split"}},
    {"split", {"split"}},
    {"split_with_sizes", {"split"}},
    {"unbind", {"split", "squeeze", "squeeze", "squeeze"}},
    {"slice", {"slice_by_index"}},
    {"slice_step", {"slice_by_index"}},
    {"slice_negative", {"slice_by_index"}},
    {"slice_open_end", {"slice_by_index"}},
    {"slice_both_negative", {"slice_by_index"}},
    {"slice_full", {"transpose"}},
    {"select", {"slice_by_index"}},
    {"select_negative", {"slice_by_index"}},
    {"index_select", {"gather"}},
    {"narrow", {"slice_by_index"}},
    {"mean", {"reduce_mean"}},
    {"mean_one_dim", {"reduce_mean"}},
    {"sum", {"reduce_sum"}},
    {"sum_all", {"reduce_sum"}},
    {"amax", {"reduce_max"}},
    {"amin", {"reduce_min"}},
    {"max_dim", {"reduce_max", "reduce_argmax"}},
    {"min_dim", {"reduce_min", "reduce_argmin"}},
    {"argmax", {"reduce_argmax"}},
    {"argmax_flat", {"reshape", "reduce_argmax"}},
    {"prod", {"reduce_prod"}},
    {"softmax", {"softmax"}},
    {"log_softmax", {"reduce_log_sum_exp", "sub"}},
    {"channel_shuffle", {"reshape", "transpose", "reshape"}},
    {"zeros_cat", {"concat"}},
    {"ones_large_cat", {"concat"}},
    {"full_cat", {"concat"}},
    {"zeros_like_stack", {"stack"}},
    {"arange_index", {"gather"}},
    {"scripted_shape_math", {"slice_by_index", "reshape"}},
    // gen_ops_extended.py
    {"where", {"greater", "select"}},
    {"where_scalar", {"greater", "select"}},
    {"masked_fill_causal", {"fill", "select", "select", "softmax"}},
    {"masked_fill_input_mask", {"greater", "select"}},
    {"triu", {"band_part"}},
    {"triu_above", {"select"}},
    {"tril_below", {"select"}},
    {"tril_wide", {"band_part"}},
    {"embedding", {"gather"}},
    {"gather", {"gather_along_axis"}},
    {"flip", {"reverse"}},
    {"cumsum", {"cumsum"}},
    {"cumsum_int", {"cumsum"}},
    {"upsample_nearest_2x", {"upsample_nearest_neighbor"}},
    {"upsample_nearest_size", {"upsample_nearest_neighbor"}},
    {"upsample_bilinear_2x", {"upsample_bilinear"}},
    {"upsample_bilinear_align", {"upsample_bilinear"}},
};

// Core ML has no 64-bit tensors: torch's int64 results are int32 in the program.
DType milDtypeOf(const std::string& torchDtype) {
    if (torchDtype == "float32") return DType::Float32;
    if (torchDtype == "int64" || torchDtype == "int32") return DType::Int32;
    if (torchDtype == "bool") return DType::Bool;
    throw std::runtime_error("unexpected dtype in fixture: " + torchDtype);
}

nlohmann::json readJson(const std::string& path) {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
}

ConversionSettings settingsFor(const nlohmann::json& spec, mil::Target target) {
    ConversionSettings s;
    s.target = target;
    for (const auto& in : spec["inputs"]) {
        InputSpec i;
        i.name = in["name"].get<std::string>();
        i.shape = in["shape"].get<Shape>();
        i.dtype = milDtypeOf(in["dtype"].get<std::string>());
        s.inputs.push_back(i);
    }
    return s;
}

Ops nonConstOps(const mil::Program& p) {
    Ops out;
    for (const auto& op : p.main().body.ops)
        if (op->type != "const") out.push_back(op->type);
    std::sort(out.begin(), out.end());
    return out;
}

std::string join(const Ops& ops) {
    std::string s;
    for (const auto& o : ops) s += (s.empty() ? "" : ", ") + o;
    return s;
}

}  // namespace

class TestOpModels : public QObject {
    Q_OBJECT
private slots:
    void lowersOpModel_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("target");
        for (const auto& [name, ops] : kCases)
            for (mil::Target t : {mil::Target::iOS15, mil::Target::iOS18})
                QTest::newRow((name + "/" + mil::targetName(t)).c_str()) << QString::fromStdString(name) << int(t);
    }

    void lowersOpModel() {
        QFETCH(QString, name);
        QFETCH(int, target);
        const std::string n = name.toStdString();
        const Ops expected = [&] {
            for (const auto& [caseName, ops] : kCases)
                if (caseName == n) {
                    Ops sorted = ops;
                    std::sort(sorted.begin(), sorted.end());
                    return sorted;
                }
            return Ops{};
        }();
        const nlohmann::json spec = readJson(test::testModel("op_" + n + ".json"));
        ir::Graph graph = frontends::importTorchScript(test::testModel("op_" + n + ".pt"));
        mil::Program program;
        try {
            program = lower::lowerGraph(graph, settingsFor(spec, static_cast<mil::Target>(target)));
        } catch (const Error& e) {
            QFAIL(e.what());
        }
        const Ops actual = nonConstOps(program);
        QVERIFY2(actual == expected, ("ops: " + join(actual) + "; expected: " + join(expected) + "\n" +
                                      mil::dumpProgram(program)).c_str());

        const auto& outputs = program.main().body.outputs;
        const auto& want = spec["outputs"];
        QCOMPARE(outputs.size(), want.size());
        for (size_t i = 0; i < outputs.size(); ++i) {
            const mil::TensorType expectedType{milDtypeOf(want[i]["dtype"].get<std::string>()), want[i]["shape"].get<Shape>()};
            QVERIFY2(outputs[i]->type == expectedType,
                     ("output " + std::to_string(i) + " is " + outputs[i]->type.toString() + ", libtorch gave " +
                      expectedType.toString()).c_str());
            QVERIFY2(outputs[i]->producer != nullptr && !outputs[i]->isConst(), "every output is made by an op");
        }
        // Inferred types are written back into the graph for the graph view.
        for (const ir::Value* v : graph.top().inputs) QVERIFY(v->shapeKnown && v->dtype != DType::Invalid);
    }
};

QTEST_APPLESS_MAIN(TestOpModels)
#include "test_op_models.moc"
