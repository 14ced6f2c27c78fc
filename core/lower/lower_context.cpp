#include "lower/lower_context.h"

#include <cctype>

#include "common/error.h"
#include "lower/constant_values.h"
#include "lower/translators/all_translators.h"

namespace cms::lower {

const char* const kGenericFailHint =
    "check this op's arguments and input shapes; if they look right, the op form is not supported yet";

namespace {
std::string nodeLabel(const ir::Node* n) {
    if (!n) return {};
    if (!n->prov.sourceOp.empty()) return n->prov.describe();
    return n->kind + " at " + n->prov.describe();
}
}  // namespace

LowerContext::LowerContext(mil::Program& program, mil::Builder& builder, const ir::Graph& graph)
    : program_(program), builder_(&builder), graph_(graph) {}

mil::Builder& LowerContext::setBuilder(mil::Builder& b) {
    mil::Builder& previous = *builder_;
    builder_ = &b;
    return previous;
}

void LowerContext::restoreBindings(Bindings b) {
    values_ = std::move(b.values);
    typed_ = std::move(b.typed);
}

// A value bound again (an unrolled loop body, a mutated list) must not keep the casts of its old binding.
void LowerContext::forgetTyped(const ir::Value* v) {
    for (auto it = typed_.lower_bound({v, DType::Invalid}); it != typed_.end() && it->first.first == v;) it = typed_.erase(it);
}

const Lowered& LowerContext::lowered(const ir::Value* v) const {
    auto it = values_.find(v);
    if (it != values_.end()) return it->second;
    if (v->constant) {
        Lowered l;
        l.constant = *v->constant;
        return values_.emplace(v, std::move(l)).first->second;
    }
    fail("value '" + v->name + "' is used before it is produced",
         "this is a converter bug or an unsupported graph form; please report it with the model");
}

mil::Value* LowerContext::tensor(const ir::Value* v) {
    Lowered& l = const_cast<Lowered&>(lowered(v));
    if (l.tensor) return l.tensor;
    if (l.constant) {
        std::optional<Tensor> t = tensorOf(*l.constant);
        if (!t)
            fail("expected a tensor for '" + v->name + "', got the constant " + ir::constantToString(*l.constant));
        l.tensor = builder_->constant(*t, nameFor(v));
        return l.tensor;
    }
    if (l.complex)
        fail("input '" + v->name + "' is a complex value (made by " + l.complex->producer + "), and Core ML has no complex tensors",
             "take torch.view_as_real(x), x.abs(), x.real or x.imag before this op");
    fail("expected a tensor for '" + v->name + "', got a " + std::string(l.isList ? "list" : "value without a tensor"));
}

mil::Value* LowerContext::tensorAs(const ir::Value* v, DType dtype) {
    auto key = std::make_pair(v, dtype);
    if (auto it = typed_.find(key); it != typed_.end()) return it->second;
    const Lowered& l = lowered(v);
    mil::Value* out = nullptr;
    if (l.constant) {  // converted at conversion time, never by a cast op
        std::optional<Tensor> t = tensorOf(*l.constant);
        if (!t)
            fail("expected a tensor for '" + v->name + "', got the constant " + ir::constantToString(*l.constant));
        out = t->dtype() == dtype ? tensor(v) : builder_->constant(t->castTo(dtype), nameFor(v));
    } else {
        mil::Value* t = tensor(v);
        out = t->type.dtype == dtype
                  ? t
                  : builder_->add1("cast", {{"x", {t}}, {"dtype", {builder_->constString(dtypeName(dtype), t->name + "_dtype")}}},
                                  t->name + "_" + dtypeName(dtype));
    }
    typed_[key] = out;
    return out;
}

bool LowerContext::isConstant(const ir::Value* v) const {
    auto it = values_.find(v);
    if (it != values_.end()) return it->second.constant.has_value();
    return v->constant.has_value();
}

const ir::Constant& LowerContext::constant(const ir::Value* v) const {
    const Lowered& l = lowered(v);
    if (!l.constant)
        fail("argument '" + v->name + "' must be known at conversion time",
             "this op is only supported with constant arguments here; avoid computing this argument from tensor values");
    return *l.constant;
}

bool LowerContext::isNone(const ir::Value* v) const {
    if (v->kind == ir::ValueKind::None) return true;
    return isConstant(v) && std::holds_alternative<ir::NoneValue>(constant(v));
}

int64_t LowerContext::intArg(const ir::Value* v) const {
    std::optional<Scalar> s = scalarOf(constant(v));
    if (!s || (!s->isInt && s->value != static_cast<double>(s->intValue())))
        fail("argument '" + v->name + "' must be an integer, got " + ir::constantToString(constant(v)));
    return s->intValue();
}

double LowerContext::floatArg(const ir::Value* v) const {
    std::optional<Scalar> s = scalarOf(constant(v));
    if (!s) fail("argument '" + v->name + "' must be a number, got " + ir::constantToString(constant(v)));
    return s->value;
}

bool LowerContext::boolArg(const ir::Value* v) const {
    std::optional<Scalar> s = scalarOf(constant(v));
    if (!s) fail("argument '" + v->name + "' must be a bool, got " + ir::constantToString(constant(v)));
    return s->value != 0;
}

std::string LowerContext::stringArg(const ir::Value* v) const {
    const auto* s = std::get_if<std::string>(&constant(v));
    if (!s) fail("argument '" + v->name + "' must be a string, got " + ir::constantToString(constant(v)));
    return *s;
}

std::vector<int64_t> LowerContext::intsArg(const ir::Value* v) const {
    const Lowered& l = lowered(v);
    if (l.constant) {
        if (auto ints = intsOf(*l.constant)) return *ints;
        fail("argument '" + v->name + "' must be a list of integers, got " + ir::constantToString(*l.constant));
    }
    if (l.isList) {
        std::vector<int64_t> out;
        for (const Lowered& item : l.items) {
            std::optional<Scalar> s = item.constant ? scalarOf(*item.constant) : std::nullopt;
            if (!s || !s->isInt)
                fail("argument '" + v->name + "' must be a list of integers known at conversion time",
                     "shapes computed from run-time tensor values are not supported; give the input a fixed shape");
            out.push_back(s->intValue());
        }
        return out;
    }
    fail("argument '" + v->name + "' must be a list of integers known at conversion time",
         "shapes computed from run-time tensor values are not supported; give the input a fixed shape");
}

void LowerContext::bind(const ir::Value* v, mil::Value* t) {
    Lowered l;
    l.tensor = t;
    forgetTyped(v);
    values_[v] = std::move(l);
}

void LowerContext::bindConstant(const ir::Value* v, ir::Constant c) {
    Lowered l;
    l.constant = std::move(c);
    forgetTyped(v);
    values_[v] = std::move(l);
}

void LowerContext::bindLowered(const ir::Value* v, Lowered l) {
    forgetTyped(v);
    values_[v] = std::move(l);
}

std::string LowerContext::nameFor(const ir::Value* v) const {
    // TorchScript numbers anonymous values ("123"); prefix those with the op that makes them.
    const std::string& name = v->name;
    if (!name.empty() && !std::isdigit(static_cast<unsigned char>(name.front()))) return name;
    std::string op = current_ ? current_->kind : std::string("value");
    if (auto colon = op.rfind(':'); colon != std::string::npos) op = op.substr(colon + 1);
    while (!op.empty() && op.back() == '_') op.pop_back();
    return name.empty() ? op : op + "_" + name;
}

void LowerContext::fail(const std::string& message, const std::string& hint) const {
    throw Error(ErrorKind::Conversion, message, ErrorLocation{graph_.sourcePath, nodeLabel(current_)},
                hint.empty() ? kGenericFailHint : hint);
}

const TranslatorTable& TranslatorTable::instance() {
    static const TranslatorTable table = [] {
        TranslatorTable t;
        registerAllTranslators(t);
        return t;
    }();
    return table;
}

void TranslatorTable::add(std::initializer_list<const char*> names, Translator fn) {
    for (const char* n : names) {
        table_[n] = fn;
        registrations_[n] = nextRegistration_;
    }
    ++nextRegistration_;
}

const std::string* TranslatorTable::resolve(const std::string& kind) const {
    if (auto it = table_.find(kind); it != table_.end()) return &it->first;
    // "aten::add.Tensor" -> "aten::add": overloads share the op's translator unless registered apart.
    const auto colon = kind.find("::");
    const auto dot = kind.find('.', colon == std::string::npos ? 0 : colon);
    std::string base = dot == std::string::npos ? kind : kind.substr(0, dot);
    if (auto it = table_.find(base); it != table_.end()) return &it->first;
    // "aten::foo_" -> "aten::foo": an in-place variant computes the same value ("__and__" is not one).
    if (base.size() > 2 && base.back() == '_' && base[base.size() - 2] != '_') {
        base.pop_back();
        if (auto it = table_.find(base); it != table_.end()) return &it->first;
    }
    return nullptr;
}

Translator TranslatorTable::find(const std::string& kind) const {
    const std::string* name = resolve(kind);
    return name ? table_.at(*name) : nullptr;
}

long long TranslatorTable::registration(const std::string& kind) const {
    const std::string* name = resolve(kind);
    return name ? registrations_.at(*name) : -1;
}

std::vector<std::string> TranslatorTable::names() const {
    std::vector<std::string> out;
    for (const auto& [name, fn] : table_) out.push_back(name);
    return out;
}

}  // namespace cms::lower
