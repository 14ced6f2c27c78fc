#include "lower/composites/composite_loader.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "common/error.h"
#include "lower/composites/composite_check.h"
#include "lower/composites/composite_syntax.h"

namespace cms::lower {

namespace {

// Offsets in the file -> line and column, and scalar text -> file offsets.
class FileText {
public:
    FileText(const std::string& text, std::string path) : text_(text), path_(std::move(path)) {
        starts_.push_back(0);
        for (size_t i = 0; i < text_.size(); ++i)
            if (text_[i] == '\n') starts_.push_back(i + 1);
    }
    SourcePos at(size_t offset) const {
        const auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
        const size_t line = static_cast<size_t>(it - starts_.begin());  // 1-based
        return SourcePos{path_, static_cast<int>(line), static_cast<int>(offset - starts_[line - 1] + 1)};
    }
    SourcePos at(const YAML::Node& n) const { return at(static_cast<size_t>(std::max(0, n.Mark().pos))); }
    SourcePos atMark(const YAML::Mark& m) const { return SourcePos{path_, m.line + 1, m.column + 1}; }

    // The scalar's characters as written in the file, whatever its style (plain, quoted, block):
    // non-space characters are matched in order from the node's mark; folded line breaks and
    // indentation are the spaces between them.
    PosMap scalarMap(const YAML::Node& n) const {
        const std::string value = n.Scalar();
        std::vector<size_t> offsets(value.size() + 1, 0);
        size_t f = static_cast<size_t>(std::max(0, n.Mark().pos));
        for (size_t k = 0; k < value.size(); ++k) {
            const char c = value[k];
            if (std::isspace(static_cast<unsigned char>(c))) {
                offsets[k] = f;
                continue;
            }
            size_t g = f;
            while (g < text_.size() && g < f + 400 && text_[g] != c) ++g;
            if (g < text_.size() && text_[g] == c) f = g;
            offsets[k] = f;
            if (f < text_.size()) ++f;
        }
        offsets[value.size()] = f;
        return [this, offsets](size_t k) { return at(offsets[std::min(k, offsets.size() - 1)]); };
    }
    const std::string& path() const { return path_; }

private:
    const std::string& text_;
    std::string path_;
    std::vector<size_t> starts_;
};

void expectKeys(const FileText& f, const YAML::Node& map, const std::set<std::string>& allowed, const std::string& what) {
    if (!map.IsMap()) compositeError(f.at(map), what + " must be a mapping (KEY: value lines)");
    for (const auto& kv : map) {
        const std::string key = kv.first.Scalar();
        if (allowed.count(key)) continue;
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        compositeError(f.at(kv.first), "unknown key '" + key + "' in " + what, "the keys allowed here are: " + list);
    }
}

std::string scalarOf(const FileText& f, const YAML::Node& n, const std::string& what) {
    if (!n.IsScalar()) compositeError(f.at(n), what + " must be a single value (text)");
    return n.Scalar();
}

std::shared_ptr<Expr> expressionOf(const FileText& f, const YAML::Node& n, const std::string& what) {
    const std::string text = scalarOf(f, n, what);
    return std::shared_ptr<Expr>(parseExpression(text, f.scalarMap(n)));
}

std::vector<std::pair<std::string, std::shared_ptr<Expr>>> namedExpressions(const FileText& f, const YAML::Node& map,
                                                                            const std::string& what,
                                                                            const OpSchema& schema,
                                                                            std::set<std::string>& taken) {
    std::vector<std::pair<std::string, std::shared_ptr<Expr>>> out;
    if (!map.IsMap()) compositeError(f.at(map), what + " must be a mapping (NAME: expression lines)");
    for (const auto& kv : map) {
        const std::string name = kv.first.Scalar();
        const bool ident = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_') &&
                           std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
        if (!ident) compositeError(f.at(kv.first), "'" + name + "' is not a valid name (letters, digits, _)");
        if (schema.indexOf(name) >= 0)
            compositeError(f.at(kv.first), "'" + name + "' is already an argument of " + schema.op);
        if (!taken.insert(name).second) compositeError(f.at(kv.first), "'" + name + "' is defined twice");
        out.emplace_back(name, expressionOf(f, kv.second, what + "." + name));
    }
    return out;
}

void readExample(const FileText& f, const YAML::Node& node, Composite& c) {
    expectKeys(f, node, {"inputs", "outputs"}, "example");
    if (const YAML::Node inputs = node["inputs"]) {
        if (!inputs.IsMap()) compositeError(f.at(inputs), "example.inputs must map argument names to example values");
        for (const auto& kv : inputs) {
            const std::string name = kv.first.Scalar();
            const SchemaArg* arg = c.schema.arg(name);
            if (!arg)
                compositeError(f.at(kv.first), "example.inputs names '" + name + "', which is not an argument of " +
                                                   c.schema.op);
            ExampleValue ex;
            if (arg->isTensor()) {
                ex.isTensor = true;
                ex.type = parseTensorType(scalarOf(f, kv.second, "example.inputs." + name), f.at(kv.second));
            } else {
                ex.value = expressionOf(f, kv.second, "example.inputs." + name);
            }
            c.exampleInputs[name] = ex;
        }
    }
    if (const YAML::Node outputs = node["outputs"]) {
        if (!outputs.IsSequence()) compositeError(f.at(outputs), "example.outputs must be a list of tensor types");
        c.expectedPos = f.at(outputs);
        for (const auto& o : outputs) c.expectedOutputs.push_back(parseTensorType(scalarOf(f, o, "example.outputs"), f.at(o)));
    }
}

Composite readComposite(const FileText& f, const YAML::Node& node, const std::string& origin) {
    expectKeys(f, node, {"op", "summary", "target", "constants", "let", "output", "outputs", "example"}, "a composite");
    Composite c;
    c.pos = f.at(node);
    c.origin = origin;
    const YAML::Node op = node["op"];
    if (!op) compositeError(c.pos, "a composite needs 'op:', the source op's schema",
                            "e.g. op: \"aten::hardshrink(Tensor self, Scalar lambd=0.5) -> Tensor\"");
    c.schema = parseSchema(scalarOf(f, op, "op"), f.scalarMap(op));
    if (const YAML::Node s = node["summary"]) c.summary = scalarOf(f, s, "summary");
    if (const YAML::Node t = node["target"]) {
        const auto target = mil::targetFromName(scalarOf(f, t, "target"));
        if (!target) compositeError(f.at(t), "unknown target '" + t.Scalar() + "' (iOS15, iOS16, iOS17 or iOS18)");
        c.target = *target;
    }
    std::set<std::string> taken;
    if (const YAML::Node k = node["constants"]; k && !k.IsNull()) {
        c.constants = namedExpressions(f, k, "constants", c.schema, taken);
        for (const auto& [name, e] : c.constants)
            if (e->kind == Expr::Kind::Call || e->kind == Expr::Kind::Name || e->kind == Expr::Kind::Index)
                compositeError(e->pos, "constant '" + name + "' must be a literal (number, true/false, string or list)",
                               "put computed values under let:");
    }
    if (const YAML::Node l = node["let"]; l && !l.IsNull()) c.lets = namedExpressions(f, l, "let", c.schema, taken);
    const YAML::Node one = node["output"], many = node["outputs"];
    if (one && many) compositeError(f.at(many), "give either output: or outputs:, not both");
    if (one) c.outputs.push_back(expressionOf(f, one, "output"));
    if (many) {
        if (!many.IsSequence()) compositeError(f.at(many), "outputs must be a list of expressions");
        for (const auto& o : many) c.outputs.push_back(expressionOf(f, o, "outputs"));
    }
    if (c.outputs.empty()) compositeError(c.pos, "composite " + c.schema.op + " has no output: expression");
    if (c.outputs.size() != c.schema.returns.size())
        compositeError(c.outputs.front()->pos, "the schema of " + c.schema.op + " returns " +
                                                   std::to_string(c.schema.returns.size()) + " tensor(s) but " +
                                                   std::to_string(c.outputs.size()) + " output expression(s) are given");
    c.expectedPos = c.outputs.front()->pos;
    if (const YAML::Node ex = node["example"]) readExample(f, ex, c);
    return c;
}

}  // namespace

std::vector<Composite> parseComposites(const std::string& text, const std::string& path, const std::string& origin) {
    const FileText f(text, path);
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        compositeError(f.atMark(e.mark), "YAML syntax error: " + e.msg);
    }
    if (!root.IsMap() || !root["composites"])
        compositeError(SourcePos{path, 1, 1}, "a composite file is a mapping with a 'composites:' list",
                       "start the file with `composites:` and list one entry per source op (docs/composites.md)");
    expectKeys(f, root, {"composites"}, "the file");
    const YAML::Node list = root["composites"];
    if (!list.IsSequence()) compositeError(f.at(list), "'composites' must be a list (entries start with '- op:')");
    std::vector<Composite> out;
    std::set<std::string> ops;
    try {
        for (const auto& node : list) {
            Composite c = readComposite(f, node, origin);
            if (!ops.insert(c.schema.op).second)
                compositeError(c.pos, c.schema.op + " is defined twice in this file");
            checkComposite(c);
            out.push_back(std::move(c));
        }
    } catch (const YAML::Exception& e) {
        compositeError(f.atMark(e.mark), "YAML error: " + e.msg);
    }
    return out;
}

std::vector<Composite> loadCompositeFile(const std::string& path, const std::string& origin) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Settings, "cannot read the composite file", ErrorLocation{path, {}},
                    "check the path given to --composites (or the settings' \"composites\" list)");
    std::stringstream ss;
    ss << in.rdbuf();
    return parseComposites(ss.str(), path, origin);
}

}  // namespace cms::lower
