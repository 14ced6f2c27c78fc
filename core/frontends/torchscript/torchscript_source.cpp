#include "frontends/torchscript/torchscript_source.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

namespace cms::frontends::tssource {

namespace {

struct Token {
    enum class Kind { Name, Number, String, Punct, Newline, End };
    Kind kind = Kind::End;
    std::string text;  // String: the decoded value
    size_t offset = 0;
    int indent = 0;    // Newline: the indentation of the line that follows
};

[[noreturn]] void refuse(const std::string& why) { throw NotUnderstood(why); }

constexpr int kMaxBrackets = 200;

// Tokens of source[begin, end): newlines only outside brackets, each with the next line's indentation.
std::vector<Token> tokenize(const std::string& s, size_t begin, size_t end) {
    std::vector<Token> out;
    int depth = 0;
    size_t i = begin;
    while (i < end) {
        const char c = s[i];
        if (c == '\n') {
            size_t j = i + 1;
            while (j < end && s[j] == ' ') ++j;
            if (depth == 0 && j < end && s[j] != '\n') {
                if (!out.empty() && out.back().kind == Token::Kind::Newline) out.pop_back();
                out.push_back({Token::Kind::Newline, "", i, static_cast<int>(j - i - 1)});
            }
            i = j;
            continue;
        }
        if (c == ' ') { ++i; continue; }
        if (c == '#' || c == '\t' || c == '\\' || c == ';') refuse("comments, tabs, continuations or ';'");
        if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t j = i;
            while (j < end && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_')) ++j;
            out.push_back({Token::Kind::Name, s.substr(i, j - i), i, 0});
            i = j;
            continue;
        }
        if (std::isdigit(static_cast<unsigned char>(c))) {
            size_t j = i;
            while (j < end && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '.' ||
                               ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
                ++j;
            out.push_back({Token::Kind::Number, s.substr(i, j - i), i, 0});
            i = j;
            continue;
        }
        if (c == '"' || c == '\'') {
            std::string value;
            size_t j = i + 1;
            for (;; ++j) {
                if (j >= end || s[j] == '\n') refuse("an unterminated string");
                if (s[j] == c) break;
                if (s[j] == '\\') {
                    if (++j >= end) refuse("an unterminated string");
                    switch (s[j]) {
                        case '\\': case '"': case '\'': value += s[j]; break;
                        case 'n': value += '\n'; break;
                        case 't': value += '\t'; break;
                        default: refuse("a string escape outside the subset");
                    }
                    continue;
                }
                value += s[j];
            }
            out.push_back({Token::Kind::String, value, i, 0});
            i = j + 1;
            continue;
        }
        if (s.compare(i, 2, "->") == 0) {
            out.push_back({Token::Kind::Punct, "->", i, 0});
            i += 2;
            continue;
        }
        if (std::string("()[],.:=-").find(c) == std::string::npos) refuse(std::string("the operator '") + c + "'");
        // The parser recurses once per bracket: a bound keeps hostile code from exhausting the stack.
        if ((c == '(' || c == '[') && ++depth > kMaxBrackets) refuse("brackets nested too deeply");
        if (c == ')' || c == ']') {
            if (--depth < 0) refuse("unbalanced brackets");
        }
        out.push_back({Token::Kind::Punct, std::string(1, c), i, 0});
        ++i;
    }
    if (depth != 0) refuse("unbalanced brackets");
    out.push_back({Token::Kind::End, "", end, 0});
    return out;
}

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : t_(std::move(tokens)) {}

    Method method(bool signatureOnly) {
        Method m;
        expectName("def");
        m.name = name();
        expect("(");
        while (!accept(")")) {
            Parameter p;
            p.name = name();
            if (accept(":")) p.type = type();
            else if (p.name != "self") refuse("a parameter without a type");
            if (is("=")) refuse("a parameter with a default");
            m.params.push_back(std::move(p));
            if (!accept(",")) {
                expect(")");
                break;
            }
        }
        if (accept("->")) m.returns = type();
        else m.returns.name = "None";
        expect(":");
        if (signatureOnly) return m;
        if (cur().kind != Token::Kind::Newline) refuse("a body on the def line");
        const int bodyIndent = cur().indent;
        while (cur().kind == Token::Kind::Newline) {
            if (cur().indent != bodyIndent) refuse("nested blocks");
            ++p_;
            if (cur().kind == Token::Kind::End) break;
            m.body.push_back(statement());
        }
        if (cur().kind != Token::Kind::End) refuse("text after the method");
        return m;
    }

    TypeExpr type() {
        TypeExpr t;
        t.name = name();
        while (accept(".")) t.name += "." + name();
        if (accept("[")) {
            do {
                t.args.push_back(type());
            } while (accept(","));
            expect("]");
        }
        return t;
    }

private:
    Statement statement() {
        Statement st;
        st.offset = cur().offset;
        if (cur().kind == Token::Kind::Name && cur().text == "return") {
            ++p_;
            st.value = expression();
        } else {
            st.targets.push_back(name());
            if (accept(",")) {
                while (!is("=")) {
                    st.targets.push_back(name());
                    if (!accept(",")) break;
                }
                if (st.targets.size() < 2) refuse("a one-element tuple assignment");
            }
            expect("=");
            st.value = expression();
        }
        if (cur().kind != Token::Kind::Newline && cur().kind != Token::Kind::End) refuse("more after a statement");
        return st;
    }

    Expr expression() {
        if (is("-")) {
            ++p_;
            Expr e = primary();
            if (e.kind == Expr::Kind::Int && e.integer != INT64_MIN) e.integer = -e.integer;
            else if (e.kind == Expr::Kind::Float) e.real = -e.real;
            else refuse("unary minus on something other than a number");
            return e;
        }
        Expr e = primary();
        for (;;) {
            if (accept(".")) {
                Expr a;
                a.kind = Expr::Kind::Attribute;
                a.offset = cur().offset;
                a.text = name();
                a.items.push_back(std::move(e));
                e = std::move(a);
            } else if (is("(")) {
                ++p_;
                Expr call;
                call.kind = Expr::Kind::Call;
                call.offset = e.offset;
                call.items.push_back(std::move(e));
                while (!accept(")")) {
                    if (cur().kind == Token::Kind::Name && t_[p_ + 1].text == "=" &&
                        t_[p_ + 1].kind == Token::Kind::Punct) {
                        std::string key = name();
                        expect("=");
                        call.keywords.emplace_back(std::move(key), expression());
                    } else {
                        if (!call.keywords.empty()) refuse("a positional argument after a keyword");
                        call.items.push_back(expression());
                    }
                    if (!accept(",")) {
                        expect(")");
                        break;
                    }
                }
                e = std::move(call);
            } else if (is("[")) {
                refuse("subscripts");
            } else {
                return e;
            }
        }
    }

    Expr primary() {
        const Token& tok = cur();
        Expr e;
        e.offset = tok.offset;
        switch (tok.kind) {
            case Token::Kind::Name:
                ++p_;
                if (tok.text == "None") e.kind = Expr::Kind::None;
                else if (tok.text == "True" || tok.text == "False") {
                    e.kind = Expr::Kind::Bool;
                    e.boolean = tok.text == "True";
                } else if (tok.text == "return" || tok.text == "def" || tok.text == "if" || tok.text == "for" ||
                           tok.text == "not" || tok.text == "and" || tok.text == "or" || tok.text == "lambda" ||
                           tok.text == "is" || tok.text == "in") {
                    refuse("the keyword " + tok.text);
                } else {
                    e.kind = Expr::Kind::Name;
                    e.text = tok.text;
                }
                return e;
            case Token::Kind::Number: {
                ++p_;
                const std::string& s = tok.text;
                char* stop = nullptr;
                errno = 0;
                if (s.find_first_of(".eE") == std::string::npos) {
                    e.kind = Expr::Kind::Int;
                    e.integer = std::strtoll(s.c_str(), &stop, 10);
                } else {
                    e.kind = Expr::Kind::Float;
                    e.real = std::strtod(s.c_str(), &stop);
                }
                if (errno != 0 || stop != s.c_str() + s.size()) refuse("the number " + s);
                return e;
            }
            case Token::Kind::String:
                ++p_;
                e.kind = Expr::Kind::String;
                e.text = tok.text;
                return e;
            case Token::Kind::Punct:
                if (tok.text == "[" || tok.text == "(") {
                    const std::string close = tok.text == "[" ? "]" : ")";
                    ++p_;
                    e.kind = tok.text == "[" ? Expr::Kind::List : Expr::Kind::Tuple;
                    bool comma = false;
                    while (!accept(close.c_str())) {
                        e.items.push_back(expression());
                        if (!accept(",")) {
                            expect(close.c_str());
                            break;
                        }
                        comma = true;
                    }
                    // (x) is x itself; (x,) and () are tuples.
                    if (e.kind == Expr::Kind::Tuple && e.items.size() == 1 && !comma) return std::move(e.items[0]);
                    return e;
                }
                break;
            default: break;
        }
        refuse("an expression starting with '" + tok.text + "'");
    }

    const Token& cur() const { return t_[p_]; }
    bool is(const char* punct) const { return cur().kind == Token::Kind::Punct && cur().text == punct; }
    bool accept(const char* punct) {
        if (!is(punct)) return false;
        ++p_;
        return true;
    }
    void expect(const char* punct) {
        if (!accept(punct)) refuse(std::string("'") + punct + "' expected");
    }
    void expectName(const char* word) {
        if (cur().kind != Token::Kind::Name || cur().text != word) refuse(std::string("'") + word + "' expected");
        ++p_;
    }
    std::string name() {
        if (cur().kind != Token::Kind::Name) refuse("a name expected");
        return t_[p_++].text;
    }

    std::vector<Token> t_;
    size_t p_ = 0;
};

size_t indentOf(const std::string& s, size_t lineStart, size_t lineEnd) {
    size_t i = lineStart;
    while (i < lineEnd && s[i] == ' ') ++i;
    return i - lineStart;
}

}  // namespace

std::optional<ClassSource> readClass(const std::string& source, const std::string& className,
                                     const std::string& methodName, bool signatureOnly) {
    const std::string header = "class " + className + "(";
    size_t pos = 0;
    size_t classLine = std::string::npos;
    while (pos < source.size()) {
        if (source.compare(pos, header.size(), header) == 0) {
            classLine = pos;
            break;
        }
        const size_t next = source.find('\n', pos);
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    if (classLine == std::string::npos) return std::nullopt;
    ClassSource cls;
    size_t line = source.find('\n', classLine);
    while (line != std::string::npos && line + 1 < source.size()) {
        const size_t start = line + 1;
        size_t stop = source.find('\n', start);
        if (stop == std::string::npos) stop = source.size();
        const size_t indent = indentOf(source, start, stop);
        if (indent == stop - start) {  // blank line
            line = stop < source.size() ? stop : std::string::npos;
            continue;
        }
        if (indent == 0) break;  // the next top-level definition
        const std::string text = source.substr(start + indent, stop - start - indent);
        if (indent == 2 && text.rfind("def " + methodName + "(", 0) == 0) {
            // The method runs to the next line indented 2 or less (its signature's continuation lines and its
            // body are indented 4).
            size_t end = stop;
            while (end < source.size()) {
                const size_t s = end + 1;
                size_t e = source.find('\n', s);
                if (e == std::string::npos) e = source.size();
                const size_t in = indentOf(source, s, e);
                if (in < e - s && in <= 2) break;
                end = e;
            }
            cls.method = Parser(tokenize(source, start + indent, end)).method(signatureOnly);
            line = end < source.size() ? end : std::string::npos;
            continue;
        }
        if (indent == 2 && text.rfind("__", 0) != 0 && text.rfind("def ", 0) != 0 && text[0] != '@') {
            const size_t colon = text.find(" : ");
            if (colon != std::string::npos) {
                auto tokens = tokenize(source, start + indent + colon + 3, stop);
                Parser p(std::move(tokens));
                cls.attributes[text.substr(0, colon)] = p.type();
            }
        }
        line = stop < source.size() ? stop : std::string::npos;
    }
    return cls;
}

}  // namespace cms::frontends::tssource
