#pragma once
// State shared by the translators while one IR graph is lowered to a MIL program.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "mil/builder.h"

namespace cms::lower {

// A complex value (torch.complex64). Core ML has no complex tensors: the lowering carries the real
// and imaginary parts as two fp32 tensors of one shape, and only real values may leave the model.
struct ComplexParts {
    mil::Value* real = nullptr;
    mil::Value* imag = nullptr;
    std::string producer;  // the node that made it (Provenance::describe()), for errors
};

// What an IR value became: a MIL tensor, a value known at conversion time (shape arithmetic,
// scalars, lists of ints), a list/tuple of such values, or a complex value.
struct Lowered {
    mil::Value* tensor = nullptr;
    std::optional<ir::Constant> constant;
    std::vector<Lowered> items;
    bool isList = false;
    std::optional<ComplexParts> complex;
};

class LowerContext {
public:
    LowerContext(mil::Program& program, mil::Builder& builder, const ir::Graph& graph);

    mil::Builder& builder() { return *builder_; }
    mil::Program& program() { return program_; }
    mil::Target target() const { return builder_->target(); }
    const ir::Graph& graph() const { return graph_; }

    // Inputs. tensor() materialises conversion-time constants as const ops (once per value).
    mil::Value* tensor(const ir::Value* v);
    // The same with element type `dtype`: constants are materialised in that type, tensors of
    // another type get a cast op (once per value and type).
    mil::Value* tensorAs(const ir::Value* v, DType dtype);
    // Type of the tensor v lowers to (materialising a constant if needed).
    const mil::TensorType& typeOf(const ir::Value* v) { return tensor(v)->type; }
    bool isConstant(const ir::Value* v) const;  // known at conversion time (incl. folded values)
    const ir::Constant& constant(const ir::Value* v) const;
    bool isNone(const ir::Value* v) const;
    int64_t intArg(const ir::Value* v) const;
    double floatArg(const ir::Value* v) const;
    bool boolArg(const ir::Value* v) const;
    std::string stringArg(const ir::Value* v) const;
    std::vector<int64_t> intsArg(const ir::Value* v) const;  // an int list, or one int as a list of one
    const Lowered& lowered(const ir::Value* v) const;
    bool isLowered(const ir::Value* v) const { return values_.count(v) != 0; }

    // Outputs of the node being translated.
    void bind(const ir::Value* v, mil::Value* t);
    void bindConstant(const ir::Value* v, ir::Constant c);
    void bindLowered(const ir::Value* v, Lowered l);

    // A MIL name derived from the IR value's name.
    std::string nameFor(const ir::Value* v) const;
    // Fails the current node with a message and a hint for the user.
    [[noreturn]] void fail(const std::string& message, const std::string& hint = {}) const;

    void setCurrentNode(const ir::Node* n) { current_ = n; }
    const ir::Node* currentNode() const { return current_; }
    std::vector<std::string>& warnings() { return warnings_; }

    // Control flow. Ops go to the builder set here (a nested block's) until it is set back; the
    // bindings saved before a nested or tentative region are restored after it, so values made
    // inside it (materialised constants and casts included) are not visible outside.
    mil::Builder& setBuilder(mil::Builder& b);  // returns the previous builder
    struct Bindings {
        std::map<const ir::Value*, Lowered> values;
        std::map<std::pair<const ir::Value*, DType>, mil::Value*> typed;
    };
    Bindings saveBindings() const { return {values_, typed_}; }
    void restoreBindings(Bindings b);

private:
    void forgetTyped(const ir::Value* v);

    mil::Program& program_;
    mil::Builder* builder_;
    const ir::Graph& graph_;
    // Mutable: IR constants are looked up lazily, and materialised const ops are cached.
    mutable std::map<const ir::Value*, Lowered> values_;
    std::map<std::pair<const ir::Value*, DType>, mil::Value*> typed_;
    const ir::Node* current_ = nullptr;
    std::vector<std::string> warnings_;
};

// A callable, so stateful translators (composites loaded from files) register like the built-in functions.
// The hint of LowerContext::fail() when none is given; lowering replaces only this one with a hint
// about the model inputs the failing node reads (a translator's own hint says more).
extern const char* const kGenericFailHint;

using Translator = std::function<void(LowerContext& ctx, const ir::Node& node)>;

// Source op name -> translator. Overloads ("aten::add.Tensor") and aliases ("aten::add_") map to
// one entry. Filled by explicit registration functions, one per op family.
class TranslatorTable {
public:
    static const TranslatorTable& instance();
    void add(std::initializer_list<const char*> names, Translator fn);
    Translator find(const std::string& kind) const;  // null when unsupported
    std::vector<std::string> names() const;
    // Which add() call registered the translator `kind` resolves to (names added together share
    // it), or -1 when unsupported: std::function has no identity to compare translators by.
    long long registration(const std::string& kind) const;

private:
    const std::string* resolve(const std::string& kind) const;  // the registered name `kind` uses
    std::map<std::string, Translator> table_;
    std::map<std::string, long long> registrations_;
    long long nextRegistration_ = 0;
};

}  // namespace cms::lower
