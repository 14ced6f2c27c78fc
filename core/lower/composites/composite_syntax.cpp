#include "lower/composites/composite_syntax.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "common/error.h"

namespace cms::lower {

std::string SourcePos::describe() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

bool SchemaArg::isTensor() const { return type == "Tensor" || type == "Tensor?"; }

const SchemaArg* OpSchema::arg(const std::string& name) const {
    const int i = indexOf(name);
    return i < 0 ? nullptr : &args[static_cast<size_t>(i)];
}

int OpSchema::indexOf(const std::string& name) const {
    for (size_t i = 0; i < args.size(); ++i)
        if (args[i].name == name) return static_cast<int>(i);
    return -1;
}

std::string OpSchema::toString() const {
    std::string s = op + "(";
    for (size_t i = 0; i < args.size(); ++i) {
        s += (i ? ", " : "") + args[i].type + " " + args[i].name;
        if (args[i].value) s += "=" + *args[i].value;
    }
    s += ") -> ";
    if (returns.size() == 1) return s + returns[0];
    s += "(";
    for (size_t i = 0; i < returns.size(); ++i) s += (i ? ", " : "") + returns[i];
    return s + ")";
}

void compositeError(const SourcePos& pos, const std::string& message, const std::string& hint) {
    throw Error(ErrorKind::Settings, message, ErrorLocation{pos.describe(), {}},
                hint.empty() ? "fix the composite file (the syntax is in docs/composites.md)" : hint);
}

namespace {

bool identStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A hand-written scanner shared by both grammars: they are small and need exact positions.
class Scanner {
public:
    Scanner(const std::string& text, const PosMap& pos) : s_(text), pos_(pos) {}

    void skipSpace() {
        while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
    }
    bool atEnd() {
        skipSpace();
        return i_ >= s_.size();
    }
    char peek() {
        skipSpace();
        return i_ < s_.size() ? s_[i_] : '\0';
    }
    bool accept(char c) {
        if (peek() != c) return false;
        ++i_;
        return true;
    }
    bool accept(const std::string& word) {
        skipSpace();
        if (s_.compare(i_, word.size(), word) != 0) return false;
        i_ += word.size();
        return true;
    }
    void expect(char c, const std::string& what) {
        if (!accept(c)) fail(std::string("expected '") + c + "' " + what + ", found " + found());
    }
    std::string ident(const std::string& what) {
        skipSpace();
        if (i_ >= s_.size() || !identStart(s_[i_])) fail("expected " + what + ", found " + found());
        const size_t start = i_;
        while (i_ < s_.size() && identChar(s_[i_])) ++i_;
        return s_.substr(start, i_ - start);
    }
    SourcePos here() {
        skipSpace();
        return pos_(i_);
    }
    size_t offset() const { return i_; }
    void seek(size_t i) { i_ = i; }
    int depth = 0;  // calls and lists open around the current position (see parseExpr)
    const std::string& text() const { return s_; }
    std::string found() {
        skipSpace();
        if (i_ >= s_.size()) return "the end of the text";
        if (identStart(s_[i_])) {
            size_t j = i_;
            while (j < s_.size() && identChar(s_[j])) ++j;
            return "'" + s_.substr(i_, j - i_) + "'";
        }
        return std::string("'") + s_[i_] + "'";
    }
    [[noreturn]] void fail(const std::string& message) { compositeError(here(), "syntax error: " + message); }

private:
    const std::string& s_;
    const PosMap& pos_;
    size_t i_ = 0;
};

// A schema type: Tensor, Scalar, int[], int[2], Tensor?, float[]? ...
std::string schemaType(Scanner& sc) {
    std::string t = sc.ident("an argument type (Tensor, Scalar, int, float, bool, int[], str ...)");
    if (sc.accept('[')) {
        std::string n;
        while (std::isdigit(static_cast<unsigned char>(sc.peek()))) {
            n += sc.peek();
            sc.accept(sc.peek());
        }
        sc.expect(']', "closing the list type");
        t += "[" + n + "]";
    }
    if (sc.accept('?')) t += "?";
    return t;
}

// A default value as written, up to the next top-level ',' or ')'.
std::string defaultText(Scanner& sc) {
    sc.skipSpace();
    const std::string& s = sc.text();
    size_t i = sc.offset();
    int depth = 0;
    const size_t start = i;
    for (; i < s.size(); ++i) {
        if (s[i] == '[' || s[i] == '(') ++depth;
        else if ((s[i] == ']' || s[i] == ')') && depth > 0) --depth;
        else if ((s[i] == ',' || s[i] == ')') && depth == 0) break;
    }
    std::string v = s.substr(start, i - start);
    while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
    if (v.empty()) sc.fail("expected a default value after '='");
    sc.seek(i);
    return v;
}

}  // namespace

OpSchema parseSchema(const std::string& text, const PosMap& pos) {
    Scanner sc(text, pos);
    OpSchema schema;
    std::string ns = sc.ident("the source op's name, e.g. aten::hardshrink");
    if (sc.accept("::")) schema.op = ns + "::" + sc.ident("the op name after '::'");
    else schema.op = "aten::" + ns;
    if (sc.accept('.')) schema.op += "." + sc.ident("the overload name after '.'");
    sc.expect('(', "after the op name (the schema lists the op's arguments, like PyTorch's)");
    bool first = true;
    while (!sc.accept(')')) {
        if (!first) sc.expect(',', "between arguments");
        first = false;
        if (sc.accept('*')) continue;  // keyword-only marker: positions are what TorchScript graphs carry
        SchemaArg a;
        const SourcePos at = sc.here();
        a.type = schemaType(sc);
        a.name = sc.ident("an argument name after its type");
        if (sc.accept('=')) a.value = defaultText(sc);
        if (schema.indexOf(a.name) >= 0) compositeError(at, "argument '" + a.name + "' is declared twice");
        schema.args.push_back(a);
    }
    if (sc.accept("->")) {
        if (sc.accept('(')) {
            do schema.returns.push_back(schemaType(sc));
            while (sc.accept(','));
            sc.expect(')', "closing the return types");
        } else {
            schema.returns.push_back(schemaType(sc));
        }
    } else {
        schema.returns.push_back("Tensor");
    }
    if (!sc.atEnd()) sc.fail("unexpected " + sc.found() + " after the schema");
    for (const std::string& r : schema.returns)
        if (r != "Tensor") compositeError(pos(0), "a composite returns tensors only; the schema returns " + r);
    return schema;
}

namespace {

std::unique_ptr<Expr> parseExpr(Scanner& sc);

std::unique_ptr<Expr> parseNumber(Scanner& sc) {
    auto e = std::make_unique<Expr>();
    e->pos = sc.here();
    const std::string& s = sc.text();
    const size_t start = sc.offset();
    size_t i = start;
    if (s[i] == '-' || s[i] == '+') ++i;
    bool digits = false, real = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
    if (i < s.size() && s[i] == '.') {
        real = true;
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i, digits = true;
    }
    if (digits && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '-' || s[j] == '+')) ++j;
        if (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) {
            real = true;
            i = j;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
        }
    }
    if (!digits) sc.fail("expected a number, found " + sc.found());
    const std::string lit = s.substr(start, i - start);
    e->kind = Expr::Kind::Number;
    e->number = std::strtod(lit.c_str(), nullptr);
    e->isInteger = !real;
    // Integers become int32 constants (and are converted from this double): out of range, they do not convert.
    if (!std::isfinite(e->number)) sc.fail("the number " + lit + " is out of range");
    if (e->isInteger && std::fabs(e->number) > 2147483647.0)
        sc.fail("the integer " + lit + " does not fit in 32 bits (Core ML's int32)");
    sc.seek(i);
    return e;
}

std::unique_ptr<Expr> parsePrimary(Scanner& sc) {
    const char c = sc.peek();
    if (c == '\0') sc.fail("expected an expression, found the end of the text");
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') return parseNumber(sc);
    auto e = std::make_unique<Expr>();
    e->pos = sc.here();
    if (c == '"' || c == '\'') {
        const std::string& s = sc.text();
        size_t i = sc.offset() + 1;
        const size_t start = i;
        while (i < s.size() && s[i] != c) ++i;
        if (i >= s.size()) sc.fail("unterminated string");
        e->kind = Expr::Kind::String;
        e->text = s.substr(start, i - start);
        sc.seek(i + 1);
        return e;
    }
    if (sc.accept('[')) {
        e->kind = Expr::Kind::List;
        if (!sc.accept(']')) {
            do e->items.push_back(parseExpr(sc));
            while (sc.accept(','));
            sc.expect(']', "closing the list");
        }
        return e;
    }
    if (!identStart(c)) sc.fail("expected an expression, found " + sc.found());
    const std::string name = sc.ident("a name");
    if (name == "true" || name == "false") {
        e->kind = Expr::Kind::Bool;
        e->boolean = name == "true";
        return e;
    }
    if (!sc.accept('(')) {
        e->kind = Expr::Kind::Name;
        e->text = name;
        return e;
    }
    e->kind = Expr::Kind::Call;
    e->text = name;
    if (!sc.accept(')')) {
        do {
            const SourcePos argAt = sc.here();
            const size_t argStart = sc.offset();
            sc.skipSpace();
            if (!identStart(sc.peek())) sc.fail("expected a named argument (NAME=expression), found " + sc.found());
            const std::string arg = sc.ident("an argument name");
            if (!sc.accept(':') && !sc.accept('=')) {
                sc.seek(argStart);
                sc.fail("arguments are named: write " + name + "(x=...), found " + sc.found() + " without '='");
            }
            for (const auto& [seen, _] : e->args)
                if (seen == arg) compositeError(argAt, "argument '" + arg + "' of " + name + " is given twice");
            e->argPos.push_back(argAt);
            e->args.emplace_back(arg, parseExpr(sc));
        } while (sc.accept(','));
        sc.expect(')', "closing the arguments of " + name);
    }
    return e;
}

// Parsing, checking and emitting all recurse over the expression: a hostile nesting depth would overflow the
// stack, and no composite needs more than a few levels.
constexpr int kMaxExprDepth = 64;

std::unique_ptr<Expr> parseExpr(Scanner& sc) {
    if (sc.depth >= kMaxExprDepth)
        compositeError(sc.here(), "the expression nests more than " + std::to_string(kMaxExprDepth) + " levels deep",
                       "simplify the expression");
    ++sc.depth;
    std::unique_ptr<Expr> e = parsePrimary(sc);
    --sc.depth;
    while (sc.peek() == '[') {
        auto idx = std::make_unique<Expr>();
        idx->pos = sc.here();
        sc.accept('[');
        idx->kind = Expr::Kind::Index;
        std::unique_ptr<Expr> n = parseNumber(sc);
        // (bounded before the conversion: a double beyond int64's range does not convert)
        if (!n->isInteger || n->number < 0 || n->number > 1e9)
            compositeError(n->pos, "an output index is a non-negative integer");
        idx->index = static_cast<int64_t>(n->number);
        sc.expect(']', "closing the output index");
        idx->items.push_back(std::move(e));
        e = std::move(idx);
    }
    return e;
}

}  // namespace

std::unique_ptr<Expr> parseExpression(const std::string& text, const PosMap& pos) {
    Scanner sc(text, pos);
    std::unique_ptr<Expr> e = parseExpr(sc);
    if (!sc.atEnd()) sc.fail("unexpected " + sc.found() + " after the expression");
    return e;
}

mil::TensorType parseTensorType(const std::string& text, const SourcePos& pos) {
    const size_t open = text.find('[');
    const std::string hint = "write an example type like fp32[1,3,8,8] (int32[] for a scalar)";
    if (open == std::string::npos || text.back() != ']') compositeError(pos, "'" + text + "' is not a tensor type", hint);
    const auto dtype = dtypeFromName(text.substr(0, open));
    if (!dtype) compositeError(pos, "unknown element type '" + text.substr(0, open) + "'", hint);
    mil::TensorType t;
    t.dtype = *dtype;
    const std::string dims = text.substr(open + 1, text.size() - open - 2);
    size_t i = 0;
    while (i < dims.size()) {
        size_t j = dims.find(',', i);
        if (j == std::string::npos) j = dims.size();
        const std::string d = dims.substr(i, j - i);
        char* end = nullptr;
        const long long v = std::strtoll(d.c_str(), &end, 10);
        if (d.empty() || *end != '\0' || v <= 0) compositeError(pos, "'" + d + "' is not a dimension in '" + text + "'", hint);
        t.shape.push_back(v);
        i = j + 1;
    }
    return t;
}

}  // namespace cms::lower
