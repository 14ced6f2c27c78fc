#include "frontends/torchscript/archive_outline.h"

// Only libtorch's operator registry and type system: op schemas for defaults and result types.
#include <ATen/core/jit_type.h>
#include <torch/csrc/jit/runtime/operator.h>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/safe_pickle.h"
#include "frontends/torchscript/source_frames.h"
#include "frontends/torchscript/torchscript_source.h"
#include "frontends/torchscript/value_kind.h"

namespace cms::frontends {

namespace {

namespace pk = pickle;
namespace src = tssource;
using src::NotUnderstood;

[[noreturn]] void refuse(const std::string& why) { throw NotUnderstood(why); }

constexpr size_t kMaxCodeBytes = size_t(64) << 20;
constexpr size_t kMaxPickleBytes = size_t(256) << 20;

// "__torch__.torch.nn.modules.conv.___torch_mangle_3 Conv2d" -> {"__torch__.torch...___torch_mangle_3", "Conv2d"}.
std::pair<std::string, std::string> splitGlobal(const std::string& global) {
    const auto space = global.find(' ');
    if (space == std::string::npos) return {};
    return {global.substr(0, space), global.substr(space + 1)};
}

// A module object of data.pkl: a __torch__ class built with a dict of attributes that include `training`.
const pk::Value* moduleState(const pk::Value& v) {
    if (!v.is(pk::Kind::Object) || v.items.size() != 2) return nullptr;
    if (v.globalName().rfind("__torch__", 0) != 0) return nullptr;
    const pk::Value* state = v.items[1].get();
    if (!state->is(pk::Kind::Dict) || !state->find("training")) return nullptr;
    return state;
}

// The annotations serialized code uses, as libtorch's types.
c10::TypePtr typeOf(const src::TypeExpr& t) {
    const auto one = [&] {
        if (t.args.size() != 1) refuse("the type " + t.name + " with " + std::to_string(t.args.size()) + " arguments");
        return typeOf(t.args[0]);
    };
    if (t.name == "Tensor") return c10::TensorType::get();
    if (t.name == "int") return c10::IntType::get();
    if (t.name == "float") return c10::FloatType::get();
    if (t.name == "bool") return c10::BoolType::get();
    if (t.name == "str") return c10::StringType::get();
    if (t.name == "None" || t.name == "NoneType") return c10::NoneType::get();
    if (t.name == "Device") return c10::DeviceObjType::get();
    if (t.name == "List") return c10::ListType::create(one());
    if (t.name == "Optional") return c10::OptionalType::create(one());
    if (t.name == "Tuple") {
        std::vector<c10::TypePtr> elements;
        for (const auto& a : t.args) elements.push_back(typeOf(a));
        return c10::TupleType::create(std::move(elements));
    }
    refuse("the type " + t.name);
}

std::optional<DType> storageDType(const std::string& global) {
    static const std::map<std::string, DType> kinds = {
        {"torch FloatStorage", DType::Float32}, {"torch DoubleStorage", DType::Float64},
        {"torch HalfStorage", DType::Float16},  {"torch BFloat16Storage", DType::BFloat16},
        {"torch LongStorage", DType::Int64},    {"torch IntStorage", DType::Int32},
        {"torch ShortStorage", DType::Int16},   {"torch CharStorage", DType::Int8},
        {"torch ByteStorage", DType::UInt8},    {"torch BoolStorage", DType::Bool}};
    const auto it = kinds.find(global);
    if (it == kinds.end()) return std::nullopt;
    return it->second;
}

int64_t intOf(const pk::Value& v) {
    if (!v.is(pk::Kind::Int)) refuse("an integer expected in a tensor record");
    return v.integer;
}

// One record of a .debug_pkl: where in the code file the printer started writing a node, and the source
// range (the user's code or the trace-time stack) that node came from.
struct DebugRecord {
    int64_t offset = 0;
    std::vector<SourceFrame> frames;
};

std::string textOf(const pk::Value& v, const std::vector<std::string>& table) {
    if (v.is(pk::Kind::String)) return v.text;
    // String-table form: torch.jit._pickle.build_intlist([indices]), the pieces joined.
    if (v.is(pk::Kind::Call) && v.globalName() == "torch.jit._pickle build_intlist" && v.items[1]->items.size() == 1 &&
        v.items[1]->items[0]->is(pk::Kind::List)) {
        std::string text;
        for (const auto& i : v.items[1]->items[0]->items) {
            const int64_t index = intOf(*i);
            if (index < 0 || static_cast<size_t>(index) >= table.size()) refuse("a debug record outside its table");
            text += table[static_cast<size_t>(index)];
            if (text.size() > kMaxCodeBytes) refuse("a debug record too long");
        }
        return text;
    }
    if (v.is(pk::Kind::Int)) {
        if (v.integer < 0 || static_cast<size_t>(v.integer) >= table.size()) refuse("a debug record outside its table");
        return table[static_cast<size_t>(v.integer)];
    }
    if (v.is(pk::Kind::None)) return {};
    refuse("a debug record of an unknown form");
}

std::vector<DebugRecord> readDebugRecords(const std::string& bytes, const std::string& what) {
    const pk::ValuePtr top = pk::parse(bytes, what);
    std::vector<std::string> table;
    const pk::Value* records = top.get();
    if (top->is(pk::Kind::Tuple) && top->items.size() == 3 && top->items[0]->is(pk::Kind::String) &&
        top->items[0]->text == "FORMAT_WITH_STRING_TABLE") {
        for (const auto& s : top->items[1]->items) {
            if (!s->is(pk::Kind::String)) refuse("a debug string table with a non-string");
            table.push_back(s->text);
        }
        records = top->items[2].get();
    }
    if (!records->is(pk::Kind::Tuple) && !records->is(pk::Kind::List)) refuse("debug records of an unknown form");
    std::vector<DebugRecord> out;
    // Records share sources: compute each source's text once.
    std::unordered_map<const pk::Value*, std::string> texts;
    for (const auto& r : records->items) {
        if (!r->is(pk::Kind::Tuple) || r->items.size() < 2) refuse("a debug record of an unknown form");
        const pk::Value& range = *r->items[1];
        if (!range.is(pk::Kind::Tuple) || range.items.size() != 3) refuse("a debug range of an unknown form");
        const pk::Value& source = *range.items[0];
        if (!source.is(pk::Kind::Tuple) || source.items.size() != 3) refuse("a debug source of an unknown form");
        auto [it, fresh] = texts.try_emplace(source.items[0].get());
        if (fresh) it->second = textOf(*source.items[0], table);
        const std::string& text = it->second;
        const std::string file = textOf(*source.items[1], table);
        const int64_t startLine = intOf(*source.items[2]);
        // Ranges may reach past their text (torch records 0..1 over an empty one): clamped, as libtorch reads them.
        const int64_t size = static_cast<int64_t>(text.size());
        const int64_t end = std::clamp<int64_t>(intOf(*range.items[2]), 0, size);
        const int64_t start = std::clamp<int64_t>(intOf(*range.items[1]), 0, end);
        DebugRecord record;
        record.offset = intOf(*r->items[0]);
        record.frames = parseTraceStack(text.substr(static_cast<size_t>(start), static_cast<size_t>(end - start)));
        if (record.frames.empty() && !file.empty()) {
            const auto newlines = std::count(text.begin(), text.begin() + start, '\n');
            record.frames.push_back({file, static_cast<int>(startLine + newlines)});
        }
        out.push_back(std::move(record));
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const DebugRecord& a, const DebugRecord& b) { return a.offset < b.offset; });
    return out;
}

std::optional<ir::Constant> constantOf(const c10::IValue& iv) {
    if (iv.isNone()) return ir::NoneValue{};
    if (iv.isBool()) return iv.toBool();
    if (iv.isInt()) return static_cast<int64_t>(iv.toInt());
    if (iv.isDouble()) return iv.toDouble();
    if (iv.isString()) return iv.toStringRef();
    if (iv.isIntList()) {
        const auto ints = iv.toIntVector();
        return std::vector<int64_t>(ints.begin(), ints.end());
    }
    if (iv.isDoubleList()) return iv.toDoubleVector();
    if (iv.isBoolList()) {
        std::vector<bool> bools;
        for (bool b : iv.toBoolList()) bools.push_back(b);
        return bools;
    }
    return std::nullopt;
}

class OutlineReader {
public:
    OutlineReader(const std::string& path, const ArchiveProbe& probe) : entries_(path, probe), path_(path) {}

    ArchiveOutline read() {
        const auto dataPkl = entries_.read("data.pkl", kMaxPickleBytes);
        if (!dataPkl) refuse("no data.pkl");
        const pk::ValuePtr root = pk::parse(*dataPkl, "data.pkl");
        if (!moduleState(*root)) refuse("the root object is not a module");
        const auto [rootModule, rootClass] = splitGlobal(root->globalName());
        rootType_ = rootClass;
        const std::string rootFile = codeFile(rootModule);
        const auto cls = classSource(rootModule, rootClass, "forward", false);
        if (!cls.method) refuse("the root class has no forward()");
        rootFile_ = rootFile;
        // Archives saved without debug records point at the serialized code itself.
        if (const auto debug = entries_.read(rootFile + ".debug_pkl", kMaxPickleBytes))
            records_ = readDebugRecords(*debug, rootFile + ".debug_pkl");

        ArchiveOutline outline;
        collectTraining(*root, "", outline.trainingModules, 0);
        // libtorch's import switches them to eval mode before the outline reads any attribute.
        evalMode_ = !outline.trainingModules.empty();
        build(*root, cls, *cls.method, outline.graph);
        return outline;
    }

private:
    struct Binding {
        const pk::Value* module = nullptr;  // a module handle, or
        std::string path;
        ir::Value* value = nullptr;         // a value, or
        std::vector<ir::Value*> results;    // the results of an op with several, for a tuple assignment
    };

    static std::string codeFile(const std::string& module) {
        std::string file = "code/" + module;
        std::replace(file.begin(), file.end(), '.', '/');
        return file + ".py";
    }

    const std::string& code(const std::string& file) {
        auto it = files_.find(file);
        if (it == files_.end()) {
            auto bytes = entries_.read(file, kMaxCodeBytes);
            if (!bytes) refuse("no " + file);
            it = files_.emplace(file, std::move(*bytes)).first;
        }
        return it->second;
    }

    src::ClassSource classSource(const std::string& module, const std::string& cls, const std::string& method,
                                 bool signatureOnly) {
        auto parsed = src::readClass(code(codeFile(module)), cls, method, signatureOnly);
        if (!parsed) refuse("no class " + cls + " in " + codeFile(module));
        return std::move(*parsed);
    }

    // libtorch's named_modules(): depth first, children in attribute order, the root as "".
    void collectTraining(const pk::Value& module, const std::string& path, std::vector<std::string>& out, int depth) {
        const pk::Value* state = moduleState(module);
        if (depth > pk::kMaxDepth) refuse("modules nested too deeply");
        // Shared submodules are visited once per path, as libtorch lists them: bounded, against a hostile
        // tree of shared modules that doubles at every level.
        if (++modulesVisited_ > 1000000) refuse("too many module paths");
        const pk::Value* training = state->find("training");
        if (!training->is(pk::Kind::Bool)) refuse("a module's training flag is not a bool");
        if (training->boolean) out.push_back(path.empty() ? "<top>" : path);
        for (size_t i = 0; i + 1 < state->items.size(); i += 2) {
            if (!moduleState(*state->items[i + 1])) continue;
            const std::string& name = state->items[i]->text;
            collectTraining(*state->items[i + 1], path.empty() ? name : path + "." + name, out, depth + 1);
        }
    }

    void build(const pk::Value& root, const src::ClassSource& cls, const src::Method& forward, ir::Graph& g) {
        g_ = &g;
        rootAttributes_ = cls.attributes;
        std::unordered_map<std::string, Binding> env;
        if (forward.params.empty() || forward.params[0].name != "self") refuse("forward() without self");
        env["self"] = {&root, "", nullptr};
        for (size_t i = 1; i < forward.params.size(); ++i) {
            const auto& p = forward.params[i];
            const c10::TypePtr type = typeOf(p.type);
            ir::Value* v = g.newValue(uniqueValueName(p.name), valueKindOf(type), type->str());
            types_[v] = type;
            g.top().inputs.push_back(v);
            g.inputNames.push_back(uniqueUserName(p.name, "input_" + std::to_string(g.inputNames.size())));
            named_.insert(v);
            env[p.name] = {nullptr, "", v};
        }
        for (const src::Statement& st : forward.body) {
            if (st.targets.empty()) {
                const Binding result = evaluate(st.value, env);
                if (!result.value) refuse("forward() returns a module");
                g.top().outputs.push_back(result.value);
                const bool named = named_.count(result.value) != 0;
                g.outputNames.push_back(uniqueUserName(named ? userName(result.value) : "", "output"));
                finish();
                return;
            }
            Binding value = evaluate(st.value, env);
            if (st.targets.size() == 1) {
                nameValue(value, st.targets[0]);
                env[st.targets[0]] = value;
                continue;
            }
            // a, b, = op(): the op's results themselves.
            if (value.results.size() == st.targets.size()) {
                for (size_t i = 0; i < st.targets.size(); ++i) {
                    Binding result{nullptr, "", value.results[i], {}};
                    nameValue(result, st.targets[i]);
                    env[st.targets[i]] = result;
                }
                continue;
            }
            // a, b, = call(): one prim::TupleUnpack of a tuple that is not a tuple literal (those libtorch folds).
            if (!value.value || value.value->kind != ir::ValueKind::Tuple || !value.value->producer ||
                value.value->producer->kind == "prim::TupleConstruct")
                refuse("a tuple assignment of something other than a call's tuple");
            const auto tuple = types_.at(value.value)->cast<c10::TupleType>();
            if (!tuple || tuple->elements().size() != st.targets.size()) refuse("a tuple assignment of the wrong size");
            ir::Node* node = newNode("prim::TupleUnpack", st.value.offset);
            node->inputs.push_back(value.value);
            for (size_t i = 0; i < st.targets.size(); ++i) {
                Binding element{nullptr, "", output(node, tuple->elements()[i], st.targets[i])};
                nameValue(element, st.targets[i]);
                env[st.targets[i]] = element;
            }
            g.top().nodes.push_back(node);
        }
        refuse("forward() does not end with return");
    }

    // libtorch names a value after the first variable it is assigned to, unless that name is "_<digits>".
    void nameValue(const Binding& b, const std::string& name) {
        const bool temporary =
            name.empty() || (name[0] == '_' && name.find_first_not_of("0123456789", 1) == std::string::npos);
        if (!b.value || named_.count(b.value) || temporary) return;
        if (b.value->producer == nullptr && !b.value->constant) return;  // a graph input keeps its own name
        named_.insert(b.value);
        userNames_[b.value] = name;
    }
    std::string userName(const ir::Value* v) const {
        const auto it = userNames_.find(v);
        if (it != userNames_.end()) return it->second;
        for (size_t i = 0; i < g_->top().inputs.size(); ++i)
            if (g_->top().inputs[i] == v) return g_->inputNames[i];
        return {};
    }

    // What libtorch's clean-up passes after compiling would change: dead code removed, constant scalar
    // arithmetic folded. The outline refuses rather than guess.
    void finish() {
        std::unordered_set<const ir::Value*> used(g_->top().outputs.begin(), g_->top().outputs.end());
        for (const ir::Node* n : g_->top().nodes)
            for (const ir::Value* in : n->inputs) used.insert(in);
        for (const ir::Node* n : g_->top().nodes) {
            if (n->kind == "prim::CallMethod") continue;
            bool anyUsed = false;
            for (const ir::Value* out : n->outputs) anyUsed = anyUsed || used.count(out);
            if (!anyUsed) refuse("an unused " + n->kind + " (libtorch would remove it)");
            if (n->kind == "prim::ListConstruct") continue;
            bool allConstant = true;
            for (const ir::Value* in : n->inputs) allConstant = allConstant && in->constant.has_value();
            bool mutableOutput = false;
            for (const ir::Value* out : n->outputs)
                mutableOutput = mutableOutput || out->kind == ir::ValueKind::Tensor || out->kind == ir::ValueKind::List;
            if (allConstant && !mutableOutput) refuse(n->kind + " of constants (libtorch would fold it)");
        }
    }

    Binding evaluate(const src::Expr& e, std::unordered_map<std::string, Binding>& env) {
        using K = src::Expr::Kind;
        switch (e.kind) {
            case K::Name: {
                const auto it = env.find(e.text);
                if (it == env.end()) refuse("the name " + e.text);
                return it->second;
            }
            case K::Int: return literal(static_cast<int64_t>(e.integer), c10::IntType::get());
            case K::Float: return literal(e.real, c10::FloatType::get());
            case K::Bool: return literal(e.boolean, c10::BoolType::get());
            case K::String: return literal(e.text, c10::StringType::get());
            case K::None: return literal(ir::NoneValue{}, c10::NoneType::get());
            case K::Attribute: {
                const src::Expr& base = e.items[0];
                if (base.kind == K::Name && base.text == "CONSTANTS") return archiveConstant(e.text);
                const Binding object = evaluate(base, env);
                if (!object.module) refuse("an attribute of something other than a module");
                return attribute(object, e.text);
            }
            case K::List: return construct(e, env, "prim::ListConstruct");
            case K::Tuple: return construct(e, env, "prim::TupleConstruct");
            case K::Call: return call(e, env);
        }
        refuse("an unknown expression");
    }

    template <class T>
    Binding literal(T value, const c10::TypePtr& type) {
        ir::Value* v = g_->newConstant(uniqueValueName("c"), ir::Constant(std::move(value)));
        v->kind = valueKindOf(type);
        v->typeName = type->str();
        types_[v] = type;
        return {nullptr, "", v};
    }

    Binding construct(const src::Expr& e, std::unordered_map<std::string, Binding>& env, const std::string& kind) {
        std::vector<ir::Value*> elements;
        std::vector<c10::TypePtr> types;
        for (const src::Expr& item : e.items) {
            const Binding b = evaluate(item, env);
            if (!b.value) refuse("a module inside a list or tuple");
            elements.push_back(b.value);
            types.push_back(types_.at(b.value));
        }
        c10::TypePtr type;
        if (kind == "prim::TupleConstruct") {
            type = c10::TupleType::create(types);
        } else {
            // A list literal's element type is its elements' common type; [] is libtorch's special case.
            if (types.empty()) refuse("an empty list literal");
            for (const auto& t : types)
                if (*t != *types[0]) refuse("a list of mixed types");
            type = c10::ListType::create(types[0]);
        }
        ir::Node* node = newNode(kind, e.offset);
        node->inputs = elements;
        output(node, type, "");
        g_->top().nodes.push_back(node);
        return {nullptr, "", node->outputs[0]};
    }

    Binding call(const src::Expr& e, std::unordered_map<std::string, Binding>& env) {
        using K = src::Expr::Kind;
        const src::Expr& callee = e.items[0];
        const std::vector<src::Expr> args(e.items.begin() + 1, e.items.end());
        if (callee.kind == K::Name && callee.text == "getattr") {
            if (args.size() != 2 || !e.keywords.empty() || args[1].kind != K::String)
                refuse("getattr of an unknown form");
            const Binding object = evaluate(args[0], env);
            if (!object.module) refuse("getattr on something other than a module");
            return attribute(object, args[1].text);
        }
        std::string op;
        if (callee.kind == K::Name && (callee.text == "int" || callee.text == "float" || callee.text == "bool")) {
            if (args.size() != 1 || !e.keywords.empty()) refuse("a cast of an unknown form");
            const Binding value = evaluate(args[0], env);
            if (!value.value) refuse("a cast of a module");
            const c10::TypePtr target = callee.text == "int"     ? c10::TypePtr(c10::IntType::get())
                                        : callee.text == "float" ? c10::TypePtr(c10::FloatType::get())
                                                                 : c10::TypePtr(c10::BoolType::get());
            if (types_.at(value.value)->isSubtypeOf(*target)) return value;  // libtorch casts only when needed
            op = callee.text == "int" ? "aten::Int" : callee.text == "float" ? "aten::Float" : "aten::Bool";
            return builtin(op, callee.offset, {value.value}, {});
        }
        if (callee.kind != K::Attribute) refuse("a call of an unknown form");
        const src::Expr& base = callee.items[0];
        if (base.kind == K::Name && base.text == "torch") {
            op = "aten::" + callee.text;
        } else if (base.kind == K::Attribute && base.items[0].kind == K::Name && base.items[0].text == "ops") {
            op = base.text + "::" + callee.text;
        } else {
            const Binding object = evaluate(base, env);
            if (!object.module) refuse("a method call on something other than a module");
            return methodCall(object, callee.text, callee.offset, args, e, env);
        }
        std::vector<ir::Value*> positional;
        for (const src::Expr& a : args) {
            const Binding b = evaluate(a, env);
            if (!b.value) refuse("a module passed to " + op);
            positional.push_back(b.value);
        }
        std::vector<std::pair<std::string, ir::Value*>> keywords;
        for (const auto& [key, value] : e.keywords) {
            const Binding b = evaluate(value, env);
            if (!b.value) refuse("a module passed to " + op);
            keywords.emplace_back(key, b.value);
        }
        return builtin(op, callee.offset, positional, keywords);
    }

    Binding methodCall(const Binding& object, const std::string& method, size_t offset,
                       const std::vector<src::Expr>& args, const src::Expr& e,
                       std::unordered_map<std::string, Binding>& env) {
        if (!e.keywords.empty()) refuse("keyword arguments to a method");
        const auto [module, cls] = splitGlobal(object.module->globalName());
        const auto signature = classSource(module, cls, method, true);
        if (!signature.method) refuse("no method " + method + " in " + cls);
        if (signature.method->params.size() != args.size() + 1) refuse("a method call with a different arity");
        ir::Node* node = newNode("prim::CallMethod", offset);
        for (const src::Expr& a : args) {
            const Binding b = evaluate(a, env);
            if (!b.value) refuse("a module passed to a method");
            node->inputs.push_back(b.value);
        }
        // The call stands for the whole submodule: the view draws it as that module's group.
        node->prov.modulePath = object.path;
        node->prov.moduleType = object.path.empty() ? rootType_ : cls;
        output(node, typeOf(signature.method->returns), "");
        g_->top().nodes.push_back(node);
        return {nullptr, "", node->outputs[0]};
    }

    // An op call as libtorch's compiler resolves it: the first overload (in registration order) whose
    // arguments take these values as they are, with its defaults filled in.
    Binding builtin(const std::string& op, size_t offset, const std::vector<ir::Value*>& positional,
                    const std::vector<std::pair<std::string, ir::Value*>>& keywords) {
        // torch.device("...") of a constant is folded by libtorch's compiler; the outline reads every device as
        // the CPU, where the import puts everything.
        if (op == "aten::device" && positional.size() == 1 && keywords.empty() && positional[0]->constant &&
            positional[0]->kind == ir::ValueKind::String) {
            const Binding device = literal(std::string("cpu"), c10::DeviceObjType::get());
            return device;
        }
        std::vector<std::shared_ptr<torch::jit::Operator>> overloads;
        try {
            overloads = torch::jit::getAllOperatorsFor(c10::Symbol::fromQualString(op));
        } catch (const std::exception&) {
            refuse("the op " + op);
        }
        for (const auto& overload : overloads) {
            const c10::FunctionSchema& schema = overload->schema();
            if (schema.is_vararg() || schema.is_varret()) continue;
            const auto& formals = schema.arguments();
            if (positional.size() > formals.size()) continue;
            c10::TypeEnv env;
            std::vector<std::variant<ir::Value*, c10::IValue>> inputs;
            size_t keywordsUsed = 0;
            bool ok = true;
            for (size_t i = 0; ok && i < formals.size(); ++i) {
                const c10::Argument& formal = formals[i];
                ir::Value* actual = nullptr;
                if (i < positional.size()) {
                    if (formal.kwarg_only()) { ok = false; break; }
                    actual = positional[i];
                } else {
                    for (const auto& [key, value] : keywords)
                        if (key == formal.name()) actual = value;
                    if (actual) ++keywordsUsed;
                }
                if (!actual) {
                    if (!formal.default_value()) { ok = false; break; }
                    inputs.emplace_back(*formal.default_value());
                    continue;
                }
                c10::TypePtr expected = formal.type();
                if (expected->hasFreeVariables()) {
                    if (!c10::matchTypeVariables(expected, types_.at(actual), env).success()) { ok = false; break; }
                    expected = c10::tryEvalTypeVariables(expected, env);
                }
                if (expected->hasFreeVariables() || !types_.at(actual)->isSubtypeOf(*expected)) { ok = false; break; }
                inputs.emplace_back(actual);
            }
            if (!ok || keywordsUsed != keywords.size()) continue;
            std::vector<c10::TypePtr> results;
            for (const c10::Argument& r : schema.returns()) {
                c10::TypePtr t = r.type()->hasFreeVariables() ? c10::tryEvalTypeVariables(r.type(), env) : r.type();
                if (t->hasFreeVariables()) refuse("the result type of " + op);
                results.push_back(t);
            }
            ir::Node* node = newNode(op, offset);
            for (auto& input : inputs) {
                if (auto* v = std::get_if<ir::Value*>(&input)) {
                    node->inputs.push_back(*v);
                    continue;
                }
                const c10::IValue& d = std::get<c10::IValue>(input);
                const auto constant = constantOf(d);
                if (!constant) refuse("a default of " + op + " of type " + d.type()->str());
                ir::Value* v = g_->newConstant(uniqueValueName("c"), *constant);
                v->kind = valueKindOf(d.type());
                v->typeName = d.type()->str();
                types_[v] = d.type();
                node->inputs.push_back(v);
            }
            for (const auto& t : results) output(node, t, "");
            g_->top().nodes.push_back(node);
            if (node->outputs.size() != 1) return {nullptr, "", nullptr, node->outputs};
            return {nullptr, "", node->outputs[0]};
        }
        refuse("no overload of " + op + " takes these arguments as they are");
    }

    // A module's attribute: a submodule becomes a handle for the calls on it; anything else a constant, like
    // the libtorch outline's frozen reads (with the attribute's declared type).
    Binding attribute(const Binding& object, const std::string& name) {
        const pk::Value* state = moduleState(*object.module);
        if (!state) refuse("an attribute of an object that is not a module");
        const pk::Value* value = state->find(name);
        if (!value) refuse("the module has no attribute " + name);
        const std::string path = object.path.empty() ? name : object.path + "." + name;
        if (moduleState(*value)) return {value, path, nullptr};
        // Only the root's own reads become constants; their declared types are in the root class.
        if (!object.path.empty()) refuse("a submodule's attribute " + path + " read by the root");
        const auto declared = rootAttributes_.find(name);
        if (declared == rootAttributes_.end()) refuse("the attribute " + name + " without a declared type");
        const c10::TypePtr type = typeOf(declared->second);
        ir::Value* v = nullptr;
        if (name == "training" && value->is(pk::Kind::Bool)) {
            v = g_->newConstant(uniqueValueName(path), value->boolean && !evalMode_);
        } else if (value->is(pk::Kind::Call)) {
            v = g_->newConstant(uniqueValueName(path), tensorOf(*value, "data/"));
        } else if (value->is(pk::Kind::Int)) {
            v = g_->newConstant(uniqueValueName(path), value->integer);
        } else if (value->is(pk::Kind::Float)) {
            v = g_->newConstant(uniqueValueName(path), value->real);
        } else if (value->is(pk::Kind::Bool)) {
            v = g_->newConstant(uniqueValueName(path), value->boolean);
        } else if (value->is(pk::Kind::None)) {
            v = g_->newConstant(uniqueValueName(path), ir::NoneValue{});
        } else if (value->is(pk::Kind::String)) {
            v = g_->newConstant(uniqueValueName(path), value->text);
        } else {
            refuse("the attribute " + name + " of an unsupported kind");
        }
        v->kind = valueKindOf(type);
        v->typeName = type->str();
        types_[v] = type;
        return {nullptr, "", v};
    }

    Binding archiveConstant(const std::string& name) {
        if (name.size() < 2 || name[0] != 'c' || name.find_first_not_of("0123456789", 1) != std::string::npos ||
            name.size() > 10)
            refuse("the constant " + name);
        if (!constants_) {
            const auto bytes = entries_.read("constants.pkl", kMaxPickleBytes);
            if (!bytes) refuse("no constants.pkl");
            constants_ = pk::parse(*bytes, "constants.pkl");
            if (!constants_->is(pk::Kind::Tuple)) refuse("constants.pkl is not a tuple");
        }
        const size_t index = std::stoul(name.substr(1));
        if (index >= constants_->items.size()) refuse("the constant " + name + " is not in constants.pkl");
        const auto type = c10::TensorType::get();
        ir::Value* v = g_->newConstant(uniqueValueName(name), tensorOf(*constants_->items[index], "constants/"));
        v->kind = valueKindOf(type);
        v->typeName = type->str();
        types_[v] = type;
        return {nullptr, "", v};
    }

    // torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...) over a stored storage, borrowed like
    // a frozen weight (the storage's bytes shared by every tensor on it).
    Tensor tensorOf(const pk::Value& v, const std::string& folder) {
        if (!v.is(pk::Kind::Call)) refuse("an object other than a plain tensor");
        if (v.globalName() == "torch._utils _rebuild_parameter" && v.items[1]->items.size() >= 1)
            return tensorOf(*v.items[1]->items[0], folder);
        if (v.globalName() != "torch._utils _rebuild_tensor_v2" || v.items[1]->items.size() < 4)
            refuse("an object other than a plain tensor (" + v.globalName() + ")");
        const auto& args = v.items[1]->items;
        const pk::Value& pid = *args[0];
        if (!pid.is(pk::Kind::PersistentId) || !pid.items[0]->is(pk::Kind::Tuple) || pid.items[0]->items.size() != 5)
            refuse("a tensor without a storage record");
        const auto& record = pid.items[0]->items;
        if (!record[0]->is(pk::Kind::String) || record[0]->text != "storage" || !record[2]->is(pk::Kind::String))
            refuse("a storage record of an unknown form");
        const auto dtype = storageDType(record[1]->globalName());
        if (!dtype) refuse("a storage of type " + record[1]->globalName());
        const size_t elementBytes = static_cast<size_t>(dtypeBits(*dtype) / 8);
        const int64_t storageElements = intOf(*record[4]);
        if (storageElements < 0 || storageElements > (int64_t(1) << 40)) refuse("a storage of a hostile size");
        const int64_t offset = intOf(*args[1]);
        if (!args[2]->is(pk::Kind::Tuple) || !args[3]->is(pk::Kind::Tuple) ||
            args[2]->items.size() != args[3]->items.size())
            refuse("a tensor's sizes and strides do not match");
        Shape shape;
        int64_t numel = 1, expectedStride = 1;
        for (size_t i = args[2]->items.size(); i-- > 0;) {
            const int64_t size = intOf(*args[2]->items[i]), stride = intOf(*args[3]->items[i]);
            if (size < 0 || size > (int64_t(1) << 40)) refuse("a tensor of a hostile size");
            if (size != 1 && stride != expectedStride) refuse("a strided tensor");
            expectedStride *= size;
            numel *= size;
            if (numel > (int64_t(1) << 40)) refuse("a tensor of a hostile size");
        }
        for (const auto& s : args[2]->items) shape.push_back(s->integer);
        if (offset < 0 || storageElements < 0 || offset > storageElements || numel > storageElements - offset)
            refuse("a tensor outside its storage");
        const std::string entry = folder + record[2]->text;
        auto& bytes = storages_[entry];
        if (!bytes) {
            auto read = entries_.read(entry, static_cast<size_t>(storageElements) * elementBytes);
            if (!read) refuse("no storage " + entry);
            bytes = std::make_shared<const std::string>(std::move(*read));
        }
        if (bytes->size() != static_cast<size_t>(storageElements) * elementBytes) refuse("a storage of the wrong size");
        const auto* data = reinterpret_cast<const uint8_t*>(bytes->data()) + static_cast<size_t>(offset) * elementBytes;
        return Tensor(*dtype, std::move(shape), std::shared_ptr<const void>(bytes, bytes.get()), data,
                      static_cast<size_t>(numel) * elementBytes);
    }

    ir::Node* newNode(const std::string& kind, size_t offset) {
        ir::Provenance prov;
        prov.sourceOp = kind;
        prov.moduleType = rootType_;
        // libtorch's compiler gives the unpacking of a tuple assignment no source range.
        if (kind == "prim::TupleUnpack") return g_->newNode(kind, prov);
        // The record the printer wrote last at or before this offset (libtorch's findSourceRangeThatGenerated).
        auto it = std::upper_bound(records_.begin(), records_.end(), static_cast<int64_t>(offset),
                                   [](int64_t o, const DebugRecord& r) { return o < r.offset; });
        std::vector<SourceFrame> frames;
        if (it != records_.begin()) {
            frames = std::prev(it)->frames;
        } else {
            const std::string& text = code(rootFile_);
            const size_t at = std::min(offset, text.size());
            const auto newlines = std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
            frames.push_back({rootFile_, static_cast<int>(1 + newlines)});
        }
        for (const SourceFrame& f : frames) {
            if (isUserVisible(f.file)) {
                prov.file = f.file;
                prov.line = f.line;
                break;
            }
        }
        if (prov.file.empty() && !frames.empty()) {
            prov.file = frames.front().file;
            prov.line = frames.front().line;
        }
        return g_->newNode(kind, prov);
    }

    ir::Value* output(ir::Node* node, const c10::TypePtr& type, const std::string& name) {
        ir::Value* v = g_->newValue(uniqueValueName(name.empty() ? "v" : name), valueKindOf(type), type->str());
        v->producer = node;
        types_[v] = type;
        node->outputs.push_back(v);
        return v;
    }

    std::string uniqueValueName(const std::string& name) {
        std::string candidate = name;
        for (int i = 1; !usedValueNames_.insert(candidate).second; ++i) candidate = name + "_" + std::to_string(i);
        return candidate;
    }

    std::string uniqueUserName(const std::string& preferred, const std::string& fallback) {
        if (!preferred.empty() && usedUserNames_.insert(preferred).second) return preferred;
        if (usedUserNames_.insert(fallback).second) return fallback;
        for (int i = 1;; ++i) {
            const std::string candidate = fallback + "_" + std::to_string(i);
            if (usedUserNames_.insert(candidate).second) return candidate;
        }
    }

    ArchiveEntries entries_;
    std::string path_;
    std::string rootType_;
    std::string rootFile_;
    size_t modulesVisited_ = 0;
    bool evalMode_ = false;
    ir::Graph* g_ = nullptr;
    std::map<std::string, src::TypeExpr> rootAttributes_;
    std::map<std::string, std::string> files_;
    std::map<std::string, std::shared_ptr<const std::string>> storages_;
    std::vector<DebugRecord> records_;
    pk::ValuePtr constants_;
    std::unordered_map<const ir::Value*, c10::TypePtr> types_;
    std::unordered_set<const ir::Value*> named_;
    std::unordered_map<const ir::Value*, std::string> userNames_;
    std::unordered_set<std::string> usedValueNames_;
    std::unordered_set<std::string> usedUserNames_;
};

}  // namespace

std::optional<ArchiveOutline> readArchiveOutline(const std::string& path, const ArchiveProbe& probe,
                                                 std::string* whyNot) {
    try {
        return OutlineReader(path, probe).read();
    } catch (const NotUnderstood& e) {
        if (whyNot) *whyNot = e.what();
    } catch (const Error& e) {
        if (whyNot) *whyNot = e.what();
    }
    return std::nullopt;
}

}  // namespace cms::frontends
