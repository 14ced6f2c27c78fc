#include "lower/lowering.h"

#include <algorithm>
#include <map>

#include "common/cancellation.h"
#include "common/error.h"
#include "common/log.h"
#include "lower/composites/composite_library.h"
#include "lower/constant_folding.h"
#include "lower/constant_values.h"
#include "lower/function_io.h"
#include "lower/lower_context.h"
#include "lower/translators/complex_translators.h"
#include "lower/translators/translator_utils.h"
#include "lower/state_io.h"
#include "lower/view_writes.h"

namespace cms::lower {

namespace {

// The table of the conversion under way (built-in translators plus composites); nested blocks
// are translated through translateNodes, so the table travels with the thread, not the call.
thread_local const TranslatorTable* activeTable = nullptr;

class ActiveTable {
public:
    explicit ActiveTable(const TranslatorTable& t) : previous_(activeTable) { activeTable = &t; }
    ~ActiveTable() { activeTable = previous_; }

private:
    const TranslatorTable* previous_;
};

const TranslatorTable& currentTable() { return activeTable ? *activeTable : TranslatorTable::instance(); }

std::string unsupportedMessage(const std::vector<UnsupportedOp>& ops) {
    size_t total = 0;
    for (const auto& op : ops) total += op.occurrences.size();
    std::string msg = "the model uses " + std::to_string(ops.size()) + " operation type(s) that cannot be converted yet (" +
                      std::to_string(total) + " node(s)):";
    for (const auto& op : ops) {
        msg += "\n  " + op.kind + " x" + std::to_string(op.occurrences.size()) + ": ";
        for (size_t i = 0; i < op.occurrences.size(); ++i)
            msg += (i ? "; " : "") + op.occurrences[i].describe();
    }
    return msg;
}

// The provenance stamped on the node's ops; hand-built graphs may lack the source op.
ir::Provenance provenanceOf(const ir::Node& node) {
    ir::Provenance p = node.prov;
    if (p.sourceOp.empty()) p.sourceOp = node.kind;
    p.sourceNode = static_cast<long long>(node.id);
    return p;
}

// "input 'x' (1x3x224)" for each model input the node reads directly: when such a node fails, the
// given input shape is the likely cause.
std::string modelInputsRead(const LowerContext& ctx, const ir::Node& node) {
    const auto& inputs = ctx.graph().top().inputs;
    std::string out;
    for (const ir::Value* v : node.inputs) {
        auto it = std::find(inputs.begin(), inputs.end(), v);
        if (it == inputs.end() || !ctx.isLowered(v) || !ctx.lowered(v).tensor) continue;
        const size_t i = static_cast<size_t>(it - inputs.begin());
        const std::string name = i < ctx.graph().inputNames.size() ? ctx.graph().inputNames[i] : v->name;
        out += (out.empty() ? "" : ", ") + ("input '" + name + "' (" + shapeToString(ctx.lowered(v).tensor->type.shape) + ")");
    }
    return out;
}

void translateNode(LowerContext& ctx, const ir::Node& node) {
    checkCancelled();
    const ir::Provenance prov = provenanceOf(node);
    ctx.setCurrentNode(&node);
    ctx.builder().setProvenance(prov);
    try {
        if (foldScalarNode(ctx, node)) return;
        if (translateComplexNode(ctx, node)) return;
        Translator fn = currentTable().find(node.kind);
        if (!fn) ctx.fail("no translator for " + node.kind);
        fn(ctx, node);
    } catch (const Error& e) {
        // With flexible inputs, say which of the op's sizes are only known at run time: they are the
        // likely reason it cannot be converted.
        const std::string symbolic = e.kind() == ErrorKind::Conversion || e.kind() == ErrorKind::Unsupported
                                         ? symbolicDimsText(ctx, node) : std::string();
        if (!symbolic.empty() && e.message().find("only known at run time") == std::string::npos)
            throw Error(e.kind(), e.message() + " (sizes only known at run time, from the flexible input shapes: " + symbolic + ")",
                        ErrorLocation{e.file().empty() ? ctx.graph().sourcePath : e.file(), e.node().empty() ? prov.describe() : e.node()},
                        "this op needs those sizes at conversion time: give the flexible input a fixed size in the "
                        "dimensions that reach it (or convert one package per shape)" +
                            (e.hint().empty() || e.hint() == kGenericFailHint ? std::string() : "; " + e.hint()));
        const std::string inputs = modelInputsRead(ctx, node);
        if (!e.node().empty() && (inputs.empty() || e.hint() != kGenericFailHint)) throw;
        const std::string hint = inputs.empty() ? e.hint()
                                                : "this op reads " + inputs + "; check that its --input NAME:SHAPE has the "
                                                  "rank and sizes the model expects";
        throw Error(e.kind(), e.message(),
                    ErrorLocation{e.file().empty() ? ctx.graph().sourcePath : e.file(), e.node().empty() ? prov.describe() : e.node()},
                    hint);
    } catch (const std::exception& e) {
        // A translator that assumed fixed sizes and met run-time ones (flexible inputs).
        const std::string symbolic = symbolicDimsText(ctx, node);
        if (!symbolic.empty())
            throw Error(ErrorKind::Conversion,
                        node.kind + " cannot be converted with sizes only known at run time (from the flexible input "
                                    "shapes: " + symbolic + ")",
                        ErrorLocation{ctx.graph().sourcePath, prov.describe()},
                        "give the flexible input a fixed size in the dimensions that reach this op (or convert one "
                        "package per shape)");
        throw Error(ErrorKind::Conversion, std::string("lowering failed: ") + e.what(),
                    ErrorLocation{ctx.graph().sourcePath, prov.describe()},
                    "check this op's arguments and input shapes; if they look right, please report the model");
    }
}

// Labels the graph's values with what MIL inferred, for the graph view and reports.
void writeBackTypes(const LowerContext& ctx, ir::Graph& graph) {
    auto label = [&ctx](ir::Value* v) {
        if (!ctx.isLowered(v)) return;
        const Lowered& l = ctx.lowered(v);
        if (l.tensor) {
            v->dtype = l.tensor->type.dtype;
            v->shape = l.tensor->type.shape;
            v->shapeKnown = l.tensor->type.isStatic();
        } else if (v->kind == ir::ValueKind::Tensor && l.constant) {
            if (std::optional<Tensor> t = tensorOf(*l.constant)) {
                v->dtype = t->dtype() == DType::Int64 ? DType::Int32 : t->dtype() == DType::Float64 ? DType::Float32 : t->dtype();
                v->shape = t->shape();
                v->shapeKnown = true;
            }
        }
    };
    for (ir::Value* v : graph.top().inputs) label(v);
    for (const ir::Node* n : graph.allNodes())
        for (ir::Value* v : n->outputs) label(v);
}

}  // namespace

void translateNodes(LowerContext& ctx, const std::vector<ir::Node*>& nodes) {
    const ir::Node* outer = ctx.currentNode();
    ViewWrites views;  // a body's writes stay in the body (the tracker refuses writes to outer tensors)
    for (const ir::Node* node : nodes)
        views.translate(ctx, *node, &nodes, [&ctx](const ir::Node& n) { translateNode(ctx, n); });
    ctx.setCurrentNode(outer);
    if (outer) ctx.builder().setProvenance(provenanceOf(*outer));
}

namespace {

// "fp32[1,3,8,8]", "float 0.5" ...: what a report shows of one input of an unsupported node.
UnsupportedInput describeInput(const LowerContext& ctx, const ir::Value* v) {
    if (ctx.isConstant(v)) {
        const ir::Constant& c = ctx.constant(v);
        if (std::holds_alternative<ir::NoneValue>(c)) return {"None", ""};
        if (const auto* t = std::get_if<Tensor>(&c))
            return {mil::TensorType{t->dtype(), t->shape()}.toString() + " (constant)", ""};
        return {v->typeName.empty() ? ir::valueKindName(v->kind) : v->typeName, ir::constantToString(c)};
    }
    if (ctx.isLowered(v)) {
        const Lowered& l = ctx.lowered(v);
        if (l.tensor) return {l.tensor->type.toString(), ""};
        if (l.constant) return {v->typeName, ir::constantToString(*l.constant)};
        return {v->typeName.empty() ? "list" : v->typeName, ""};
    }
    return {"unknown", ""};
}

bool inputsAvailable(const LowerContext& ctx, const ir::Node& node) {
    return std::all_of(node.inputs.begin(), node.inputs.end(),
                       [&](const ir::Value* v) { return ctx.isLowered(v) || ctx.isConstant(v); });
}

}  // namespace

std::vector<UnsupportedOp> findUnsupportedOps(const ir::Graph& graph) {
    return findUnsupportedOps(graph, translatorTableFor({}));
}

std::vector<UnsupportedOp> findUnsupportedOps(const ir::Graph& graph, const TranslatorTable& table) {
    std::vector<UnsupportedOp> out;
    std::map<std::string, size_t> index;
    for (const ir::Node* n : graph.allNodes()) {
        if (table.find(n->kind)) continue;
        auto [it, fresh] = index.emplace(n->kind, out.size());
        if (fresh) out.push_back(UnsupportedOp{n->kind, {}});
        out[it->second].occurrences.push_back(n->prov);
    }
    return out;
}

std::vector<UnsupportedOp> surveyUnsupportedOps(ir::Graph& graph, const ConversionSettings& settings) {
    const TranslatorTable table = translatorTableFor(settings.composites);
    const ActiveTable active(table);
    std::vector<UnsupportedOp> ops = findUnsupportedOps(graph, table);
    std::map<const ir::Node*, std::pair<size_t, size_t>> where;  // node -> (op, occurrence)
    std::map<std::string, size_t> index, seen;
    for (size_t i = 0; i < ops.size(); ++i) {
        index[ops[i].kind] = i;
        ops[i].inputs.resize(ops[i].occurrences.size());
    }
    for (const ir::Node* n : graph.allNodes()) {
        const auto it = index.find(n->kind);
        if (it == index.end()) continue;
        const size_t k = seen[n->kind]++;
        where[n] = {it->second, k};
        ops[it->second].inputs[k].assign(n->inputs.size(), UnsupportedInput{"unknown", ""});
    }
    if (ops.empty()) return ops;

    mil::Program program;
    program.target = settings.target;
    mil::Function& fn = program.addFunction("main", settings.target);
    mil::Builder builder(program, fn.body, settings.target);
    LowerContext ctx(program, builder, graph);
    try {
        bindFunctionInputs(ctx, fn, settings);
        bindStateInputs(ctx, fn, settings);
    } catch (const Error&) {
        return ops;  // without usable input shapes, the types stay unknown
    }
    for (const ir::Node* node : graph.top().nodes) {
        if (!inputsAvailable(ctx, *node)) continue;  // depends on an op that did not lower
        if (const auto w = where.find(node); w != where.end()) {
            auto& inputs = ops[w->second.first].inputs[w->second.second];
            for (size_t i = 0; i < node->inputs.size(); ++i) inputs[i] = describeInput(ctx, node->inputs[i]);
            continue;
        }
        try {
            translateNode(ctx, *node);
        } catch (const Error&) {
            // Its outputs stay unknown; the nodes that read them are skipped.
        }
    }
    return ops;
}

mil::Program lowerGraph(ir::Graph& graph, const ConversionSettings& settings, std::vector<std::string>* warnings) {
    const TranslatorTable table = translatorTableFor(settings.composites);
    const ActiveTable active(table);
    const std::vector<UnsupportedOp> unsupported = findUnsupportedOps(graph, table);
    if (!unsupported.empty())
        throw Error(ErrorKind::Unsupported, unsupportedMessage(unsupported), ErrorLocation{graph.sourcePath, {}},
                    "replace these operations in the model with supported ones, or report them so they can be added");

    mil::Program program;
    program.target = settings.target;
    mil::Function& fn = program.addFunction("main", settings.target);
    mil::Builder builder(program, fn.body, settings.target);
    LowerContext ctx(program, builder, graph);

    bindFunctionInputs(ctx, fn, settings);
    const std::vector<BoundState> states = bindStateInputs(ctx, fn, settings);
    ViewWrites views;  // in-place ops, and writes through views of a tensor, reach the tensor read later
    for (const ir::Node* node : graph.top().nodes)
        views.translate(ctx, *node, nullptr, [&ctx](const ir::Node& n) { translateNode(ctx, n); });
    ctx.setCurrentNode(nullptr);
    writeBackStates(ctx, states);
    bindFunctionOutputs(ctx, fn, settings);
    writeBackTypes(ctx, graph);

    for (const std::string& w : ctx.warnings()) logger()->warn("{}", w);
    if (warnings) warnings->insert(warnings->end(), ctx.warnings().begin(), ctx.warnings().end());
    return program;
}

}  // namespace cms::lower
