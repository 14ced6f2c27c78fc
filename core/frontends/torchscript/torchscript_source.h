#pragma once
// The straight-line subset of TorchScript's serialized source (an archive's code/__torch__/*.py) that the
// module outline needs: a class's attribute annotations and one method's signature and statements
// (assignments, tuple unpacking, return) over calls, attribute reads, names, literals, lists and tuples.
// Anything else (control flow, operators, subscripts, defaults) is refused with NotUnderstood, so the caller
// can fall back to libtorch's own reader. Without libtorch, so the fuzz build covers it.
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cms::frontends::tssource {

struct NotUnderstood : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// An annotation: "Tensor", "List[int]" (name "List", one argument), "Optional[Tensor]", "Tuple[Tensor, int]",
// a class ("__torch__.torch.nn.modules.conv.Conv2d").
struct TypeExpr {
    std::string name;
    std::vector<TypeExpr> args;
};

struct Expr {
    enum class Kind { Name, Int, Float, String, None, Bool, Attribute, Call, List, Tuple };
    Kind kind = Kind::None;
    std::string text;  // Name: the name; Attribute: the attribute; String: the value
    int64_t integer = 0;
    double real = 0;
    bool boolean = false;
    std::vector<Expr> items;  // Attribute: {base}; Call: {callee, positional args...}; List/Tuple: elements
    std::vector<std::pair<std::string, Expr>> keywords;  // Call only
    // Byte offset in the file where libtorch's parser starts the range it gives the node this expression
    // becomes (a call's range is its callee's; an attribute's starts at the attribute's name).
    size_t offset = 0;
};

struct Statement {
    std::vector<std::string> targets;  // empty: return; one: x = ...; several: a, b, = ...
    Expr value;
    size_t offset = 0;
};

struct Parameter {
    std::string name;
    TypeExpr type;
};

struct Method {
    std::string name;
    std::vector<Parameter> params;  // self first
    TypeExpr returns;
    std::vector<Statement> body;    // empty when only the signature was asked for
};

struct ClassSource {
    std::map<std::string, TypeExpr> attributes;  // "  name : Type" lines
    std::optional<Method> method;               // the method asked for, when the class defines it
};

// Finds `class <className>` at the top level of `source` and reads its attribute annotations and the method
// `methodName` (only its signature when `signatureOnly`). nullopt when the class is not in `source`. Throws
// NotUnderstood when the class or method uses anything outside the subset.
std::optional<ClassSource> readClass(const std::string& source, const std::string& className,
                                     const std::string& methodName, bool signatureOnly);

}  // namespace cms::frontends::tssource
