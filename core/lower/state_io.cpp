#include "lower/state_io.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "common/error.h"
#include "lower/view_writes.h"

namespace cms::lower {

namespace {

const std::set<std::string> kViewKinds = {
    "aten::slice",   "aten::select",    "aten::narrow",   "aten::view",      "aten::reshape",    "aten::_unsafe_view",
    "aten::_reshape_alias", "aten::view_as", "aten::reshape_as", "aten::flatten", "aten::unflatten", "aten::squeeze",
    "aten::unsqueeze", "aten::transpose", "aten::permute", "aten::t",         "aten::numpy_T",    "aten::expand",
    "aten::expand_as", "aten::contiguous", "aten::detach", "aten::alias",     "aten::as_strided"};

// The first node writing into `buffer` directly or through a view of it.
const ir::Node* firstWriter(const ir::Graph& graph, const ir::Value* buffer) {
    std::set<const ir::Value*> aliases = {buffer};
    for (const ir::Node* n : graph.allNodes()) {
        if (n->inputs.empty() || !aliases.count(n->inputs[0])) continue;
        if (isInPlaceOp(n->kind)) return n;
        std::string kind = n->kind;
        if (const auto dot = kind.find('.', kind.find("::") + 2); dot != std::string::npos) kind.resize(dot);
        if (kViewKinds.count(kind))
            for (const ir::Value* out : n->outputs) aliases.insert(out);
    }
    return nullptr;
}

bool namesBuffer(const std::string& given, const std::string& path) {
    return given == path || given == stateFeatureName(path);
}

[[noreturn]] void stateError(const LowerContext& ctx, const std::string& message, const std::string& hint) {
    throw Error(ErrorKind::Settings, message, ErrorLocation{ctx.graph().sourcePath, {}}, hint);
}

std::string declaredForms(const ir::Graph& graph) {
    std::string s;
    for (const auto& st : graph.states)
        s += (s.empty() ? "" : " ") + ("--state " + st.name + ":" + shapeToString(st.value->shape));
    return s;
}

}  // namespace

std::string stateFeatureName(const std::string& bufferPath) {
    std::string id = bufferPath;
    for (char& c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "_" + id;
    return id;
}

std::vector<BoundState> bindStateInputs(LowerContext& ctx, mil::Function& fn, const ConversionSettings& settings) {
    const ir::Graph& graph = ctx.graph();
    for (const StateSpec& spec : settings.states) {
        bool found = false;
        for (const auto& st : graph.states) found = found || namesBuffer(spec.name, st.name);
        if (found) continue;
        stateError(ctx,
                   "--state \"" + spec.name + "\": the model writes no buffer of that name in place" +
                       (graph.states.empty() ? std::string(" (it writes none)")
                                             : "; the buffers it writes are: " + declaredForms(graph)),
                   graph.states.empty() ? "drop the --state option" : "name one of those buffers");
    }
    // In the order the settings declare them (the package's state order); undeclared ones first, to be reported.
    const auto declaredAt = [&](const ir::Graph::StateBuffer& st) {
        for (size_t i = 0; i < settings.states.size(); ++i)
            if (namesBuffer(settings.states[i].name, st.name)) return static_cast<long>(i);
        return -1L;
    };
    // Undeclared ones in the order the model writes them.
    const auto writtenAt = [&](const ir::Graph::StateBuffer& st) {
        const ir::Node* writer = firstWriter(graph, st.value);
        return writer ? writer->id : SIZE_MAX;
    };
    std::vector<ir::Graph::StateBuffer> ordered = graph.states;
    std::stable_sort(ordered.begin(), ordered.end(), [&](const auto& a, const auto& b) {
        const long da = declaredAt(a), db = declaredAt(b);
        return da != db ? da < db : (da < 0 && writtenAt(a) < writtenAt(b));
    });
    // Every buffer written but not declared, in one report.
    std::string undeclared, declareAll;
    size_t undeclaredCount = 0;
    for (const auto& st : ordered) {
        if (declaredAt(st) >= 0) continue;
        ++undeclaredCount;
        const ir::Node* writer = firstWriter(graph, st.value);
        undeclared += (undeclared.empty() ? "'" : ", '") + st.name + "'" +
                      (writer ? " (" + writer->prov.describe() + ")" : std::string());
        declareAll += (declareAll.empty() ? "" : " ") + ("--state " + st.name + ":" + shapeToString(st.value->shape));
    }
    if (!undeclared.empty())
        stateError(ctx,
                   "the model writes " + std::string(undeclaredCount > 1 ? "buffers " : "buffer ") + undeclared +
                       " in place, but " + (undeclaredCount > 1 ? "they are" : "it is") +
                       " not declared as a state: converted as a constant, the write would be lost between predictions",
                   std::string(undeclaredCount > 1 ? "declare them as Core ML states with "
                                                   : "declare it as a Core ML state with ") +
                       declareAll +
                       " (settings file: \"states\") and convert for iOS18 or later (--target iOS18)");
    std::vector<BoundState> bound;
    for (const auto& st : ordered) {
        const StateSpec* spec = nullptr;
        for (const StateSpec& s : settings.states)
            if (namesBuffer(s.name, st.name)) spec = &s;
        const std::string declare = "--state " + st.name + ":" + shapeToString(st.value->shape);
        if (spec->shape != st.value->shape)
            stateError(ctx,
                       "state '" + spec->name + "' is declared with shape " + shapeToString(spec->shape) +
                           " but buffer '" + st.name + "' has shape " + shapeToString(st.value->shape),
                       "declare it with " + declare);
        if (ctx.target() < mil::Target::iOS18)
            stateError(ctx,
                       "buffer '" + st.name + "' is declared as a state, and Core ML has states only from iOS18 on "
                       "(the deployment target is " + mil::targetName(ctx.target()) + ")",
                       "raise the target with --target iOS18, or drop the state (the model then cannot keep "
                       "its cache between predictions)");
        // Core ML keeps states in fp16 only.
        if (st.value->dtype != DType::Float16 && st.value->dtype != DType::Float32)
            stateError(ctx,
                       "buffer '" + st.name + "' is " + dtypeName(st.value->dtype) +
                           ", and Core ML states hold fp16 tensors only",
                       "make the buffer a float16 (or float32) tensor");
        if (st.value->dtype == DType::Float32)
            ctx.warnings().push_back("state '" + st.name + "' is float32 in the model; Core ML keeps states in fp16, "
                                     "so its values are rounded to fp16 between predictions (register the buffer as "
                                     "float16 to make the source model behave the same)");
        const std::string name = stateFeatureName(st.name);
        ctx.program().reserveName(name);
        mil::Value* state = ctx.program().newValueNamed(name, mil::TensorType{DType::Float16, st.value->shape, true});
        fn.inputs.push_back(state);
        mil::Builder& b = ctx.builder();
        mil::Value* read = b.add1("read_state", {{"input", {state}}}, name + "_read");
        if (st.value->dtype == DType::Float32)
            read = b.add1("cast", {{"x", {read}}, {"dtype", {b.constString("fp32", name + "_read_dtype")}}},
                          name + "_read_fp32");
        ctx.bind(st.value, read);
        bound.push_back({st.value, state, read});
    }
    return bound;
}

void writeBackStates(LowerContext& ctx, const std::vector<BoundState>& states) {
    for (const BoundState& st : states) {
        mil::Value* final = ctx.tensor(st.buffer);
        if (final == st.read) continue;
        mil::Builder& b = ctx.builder();
        if (final->type.dtype != DType::Float16)
            final = b.add1("cast", {{"x", {final}}, {"dtype", {b.constString("fp16",
                                                                              st.state->name + "_final_dtype")}}},
                           st.state->name + "_final");
        b.add1("coreml_update_state", {{"state", {st.state}}, {"value", {final}}}, st.state->name + "_update");
    }
}

}  // namespace cms::lower
