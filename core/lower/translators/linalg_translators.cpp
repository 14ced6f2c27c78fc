// einsum written out as sums, transposes, reshapes and batched matmuls (any equation without a
// repeated label inside one operand), and linalg_inv of small matrices: folded at conversion time
// when constant, otherwise the adjugate over the determinant for sizes 1 to 4.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// One operand during an einsum: its tensor and one label per dim.
struct Term {
    mil::Value* v;
    std::string labels;
};

// Ellipsis dims get the labels '0', '1' ... aligned to the right, so they broadcast like numpy dims.
std::string ellipsisLabels(size_t count, size_t width) {
    std::string s;
    for (size_t i = width - count; i < width; ++i) s += static_cast<char>('0' + i);
    return s;
}

struct Equation {
    std::vector<std::string> inputs;
    std::string output;
};

Equation parseEquation(LowerContext& ctx, std::string eq, const std::vector<mil::Value*>& operands) {
    eq.erase(std::remove(eq.begin(), eq.end(), ' '), eq.end());
    Equation e;
    const size_t arrow = eq.find("->");
    const std::string lhs = eq.substr(0, arrow);
    for (size_t start = 0;;) {
        const size_t comma = lhs.find(',', start);
        e.inputs.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (e.inputs.size() != operands.size())
        ctx.fail("einsum equation '" + eq + "' names " + std::to_string(e.inputs.size()) + " operands but " +
                 std::to_string(operands.size()) + " tensors are given");
    size_t width = 0;
    std::vector<size_t> ellipsisDims(operands.size(), 0);
    for (size_t i = 0; i < operands.size(); ++i) {
        std::string& in = e.inputs[i];
        const size_t dots = in.find("...");
        const int64_t rank = operands[i]->type.rank();
        const int64_t named = static_cast<int64_t>(in.size()) - (dots == std::string::npos ? 0 : 3);
        if (dots == std::string::npos ? named != rank : named > rank)
            ctx.fail("einsum operand " + std::to_string(i) + " is " + operands[i]->type.toString() + " but its subscripts are '" +
                     in + "'");
        for (char c : in)
            if (c != '.' && !std::isalpha(static_cast<unsigned char>(c)))
                ctx.fail("einsum subscripts must be letters, got '" + in + "'");
        if (dots != std::string::npos) ellipsisDims[i] = static_cast<size_t>(rank - named);
        width = std::max(width, ellipsisDims[i]);
    }
    for (size_t i = 0; i < operands.size(); ++i) {
        const size_t dots = e.inputs[i].find("...");
        if (dots != std::string::npos) e.inputs[i].replace(dots, 3, ellipsisLabels(ellipsisDims[i], width));
    }
    if (arrow != std::string::npos) {
        e.output = eq.substr(arrow + 2);
        const size_t dots = e.output.find("...");
        if (dots != std::string::npos) e.output.replace(dots, 3, ellipsisLabels(width, width));
    } else {
        // Implicit output: the ellipsis dims, then every label used once, in alphabetical order.
        std::map<char, int> count;
        for (const std::string& in : e.inputs)
            for (char c : in) ++count[c];
        e.output = ellipsisLabels(width, width);
        for (const auto& [c, n] : count)
            if (n == 1 && std::isalpha(static_cast<unsigned char>(c))) e.output += c;
    }
    for (char c : e.output) {
        if (std::count(e.output.begin(), e.output.end(), c) > 1) ctx.fail("einsum output '" + e.output + "' repeats a label");
        bool found = false;
        for (const std::string& in : e.inputs) found = found || in.find(c) != std::string::npos;
        if (!found) ctx.fail("einsum output label '" + std::string(1, c) + "' is not in any operand");
    }
    return e;
}

class Einsum {
public:
    Einsum(LowerContext& ctx, const std::string& name) : ctx_(ctx), b_(ctx.builder()), name_(name) {}

    // Sums away the labels of t that `keep` does not hold.
    Term sumOut(Term t, const std::string& keep) {
        std::vector<int64_t> axes;
        std::string labels;
        for (size_t i = 0; i < t.labels.size(); ++i) {
            if (keep.find(t.labels[i]) == std::string::npos) axes.push_back(static_cast<int64_t>(i));
            else labels += t.labels[i];
        }
        if (axes.empty()) return t;
        const std::string n = next("sum");
        return {b_.add1("reduce_sum", {{"x", {t.v}}, {"axes", {b_.constInts(axes, n + "_axes")}}, {"keep_dims", {b_.constBool(false, n + "_keep_dims")}}}, n),
                labels};
    }

    // t with its dims in the order of `labels` (a permutation of t.labels).
    Term permute(Term t, const std::string& labels) {
        if (t.labels == labels) return t;
        std::vector<int64_t> perm;
        for (char c : labels) perm.push_back(static_cast<int64_t>(t.labels.find(c)));
        const std::string n = next("transpose");
        return {b_.add1("transpose", {{"x", {t.v}}, {"perm", {b_.constInts(perm, n + "_perm")}}}, n), labels};
    }

    // The product of a and b with every label outside `keep` contracted.
    Term contract(Term a, Term b, const std::string& keep) {
        a = sumOut(a, keep + b.labels);
        b = sumOut(b, keep + a.labels);
        std::string batch, left, inner, right;
        for (char c : a.labels) {
            const bool shared = b.labels.find(c) != std::string::npos;
            const bool kept = keep.find(c) != std::string::npos;
            (shared ? (kept ? batch : inner) : left) += c;
        }
        for (char c : b.labels)
            if (a.labels.find(c) == std::string::npos) right += c;
        for (char c : inner)
            if (size(a, c) != size(b, c))
                ctx_.fail("einsum label '" + std::string(1, c) + "' has size " + std::to_string(size(a, c)) + " in one operand and " +
                          std::to_string(size(b, c)) + " in the other");
        // [batch..., M, K] @ [batch..., K, N]: matmul broadcasts the batch dims (numpy rules).
        a = permute(a, batch + left + inner);
        b = permute(b, batch + inner + right);
        Shape as, bs, outShape;
        for (char c : batch) {
            as.push_back(size(a, c));
            bs.push_back(size(b, c));
            outShape.push_back(std::max(size(a, c), size(b, c)));
        }
        const int64_t m = product(a, left), k = product(a, inner), n = product(b, right);
        as.insert(as.end(), {m, k});
        bs.insert(bs.end(), {k, n});
        for (char c : left) outShape.push_back(size(a, c));
        for (char c : right) outShape.push_back(size(b, c));
        mil::Value* x = reshapeTo(ctx_, a.v, as, next("lhs"));
        mil::Value* y = reshapeTo(ctx_, b.v, bs, next("rhs"));
        mil::Value* p = b_.add1("matmul", {{"x", {x}}, {"y", {y}}}, next("matmul"));
        return {reshapeTo(ctx_, p, outShape, next("product")), batch + left + right};
    }

private:
    int64_t size(const Term& t, char c) const { return t.v->type.shape[t.labels.find(c)]; }
    int64_t product(const Term& t, const std::string& labels) const {
        int64_t p = 1;
        for (char c : labels) p *= size(t, c);
        return p;
    }
    std::string next(const std::string& what) { return name_ + "_" + what + "_" + std::to_string(counter_++); }

    LowerContext& ctx_;
    mil::Builder& b_;
    std::string name_;
    int counter_ = 0;
};

// einsum(equation, tensors, path=None): operands are contracted left to right, each step keeping
// the labels that the output or a later operand still needs.
void einsum(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    std::vector<mil::Value*> operands = tensorsOf(ctx, node.inputs.at(1));
    if (operands.empty()) ctx.fail("einsum needs at least one operand");
    bool anyFloat = false;
    for (mil::Value* v : operands) anyFloat = anyFloat || isFloat(v->type.dtype);
    const DType d = anyFloat ? DType::Float32 : DType::Int32;
    for (size_t i = 0; i < operands.size(); ++i) {
        if (!operands[i]->type.isStatic())
            ctx.fail("einsum needs operands of fixed shape, operand " + std::to_string(i) + " is " + operands[i]->type.toString(),
                     "give the inputs fixed shapes in the conversion settings");
        if (operands[i]->type.dtype != d)
            operands[i] = ctx.builder().add1("cast", {{"x", {operands[i]}}, {"dtype", {ctx.builder().constString(dtypeName(d), name + "_dtype")}}},
                                             name + "_operand" + std::to_string(i));
    }
    const Equation eq = parseEquation(ctx, ctx.stringArg(node.inputs.at(0)), operands);
    for (const std::string& in : eq.inputs)
        for (char c : in)
            if (std::count(in.begin(), in.end(), c) > 1)
                ctx.fail("einsum subscripts '" + in + "' repeat a label (a diagonal), which is not supported",
                         "take the diagonal with torch.diagonal before the einsum");
    Einsum e(ctx, name);
    Term acc{operands[0], eq.inputs[0]};
    for (size_t i = 1; i < operands.size(); ++i) {
        std::string keep = eq.output;
        for (size_t j = i + 1; j < operands.size(); ++j) keep += eq.inputs[j];
        acc = e.contract(acc, {operands[i], eq.inputs[i]}, keep);
    }
    acc = e.permute(e.sumOut(acc, eq.output), eq.output);
    ctx.bind(out, acc.v);
}

// The inverse of each n x n matrix of a constant, by Gauss-Jordan elimination with partial pivoting.
Tensor invertConstant(LowerContext& ctx, const Tensor& t) {
    const Shape& s = t.shape();
    const int64_t n = s.back();
    std::vector<double> a = t.toDoubles();
    std::vector<float> out(a.size());
    for (size_t base = 0; base < a.size(); base += static_cast<size_t>(n * n)) {
        std::vector<double> m(a.begin() + base, a.begin() + base + n * n), inv(n * n, 0.0);
        for (int64_t i = 0; i < n; ++i) inv[i * n + i] = 1.0;
        for (int64_t col = 0; col < n; ++col) {
            int64_t pivot = col;
            for (int64_t r = col + 1; r < n; ++r)
                if (std::abs(m[r * n + col]) > std::abs(m[pivot * n + col])) pivot = r;
            if (m[pivot * n + col] == 0.0) ctx.fail("linalg_inv of a constant singular matrix");
            for (int64_t c = 0; c < n; ++c) {
                std::swap(m[col * n + c], m[pivot * n + c]);
                std::swap(inv[col * n + c], inv[pivot * n + c]);
            }
            const double p = m[col * n + col];
            for (int64_t c = 0; c < n; ++c) {
                m[col * n + c] /= p;
                inv[col * n + c] /= p;
            }
            for (int64_t r = 0; r < n; ++r) {
                if (r == col || m[r * n + col] == 0.0) continue;
                const double f = m[r * n + col];
                for (int64_t c = 0; c < n; ++c) {
                    m[r * n + c] -= f * m[col * n + c];
                    inv[r * n + c] -= f * inv[col * n + c];
                }
            }
        }
        for (int64_t i = 0; i < n * n; ++i) out[base + i] = static_cast<float>(inv[i]);
    }
    return Tensor::fromFloats(out, s);
}

// Determinants of the square sub-matrices of one n x n operand, built from MIL ops by expansion
// along the first row and shared between cofactors (keyed by row and column masks).
class Minors {
public:
    Minors(LowerContext& ctx, mil::Value* x, const std::string& name) : ctx_(ctx), x_(x), name_(name) {}

    mil::Value* element(int64_t i, int64_t j) {
        auto key = std::make_pair(i, j);
        if (auto it = elements_.find(key); it != elements_.end()) return it->second;
        const int64_t rank = x_->type.rank();
        std::vector<int64_t> begin(rank, 0), size(rank, -1);
        begin[rank - 2] = i;
        begin[rank - 1] = j;
        size[rank - 2] = size[rank - 1] = 1;
        const std::string n = name_ + "_a" + std::to_string(i) + std::to_string(j);
        mil::Builder& b = ctx_.builder();
        return elements_[key] = b.add1("slice_by_size", {{"x", {x_}}, {"begin", {b.constInts(begin, n + "_begin")}}, {"size", {b.constInts(size, n + "_size")}}}, n);
    }

    // det of the rows and columns whose bits are set (equal counts).
    mil::Value* det(unsigned rows, unsigned cols) {
        auto key = std::make_pair(rows, cols);
        if (auto it = dets_.find(key); it != dets_.end()) return it->second;
        std::vector<int64_t> rs, cs;
        for (int64_t i = 0; i < 8; ++i) {
            if (rows & (1u << i)) rs.push_back(i);
            if (cols & (1u << i)) cs.push_back(i);
        }
        if (rs.size() == 1) return dets_[key] = element(rs[0], cs[0]);
        mil::Builder& b = ctx_.builder();
        const std::string n = name_ + "_det_" + std::to_string(rows) + "_" + std::to_string(cols);
        mil::Value* acc = nullptr;
        for (size_t k = 0; k < cs.size(); ++k) {
            mil::Value* term = b.add1("mul", {{"x", {element(rs[0], cs[k])}}, {"y", {det(rows & ~(1u << rs[0]), cols & ~(1u << cs[k]))}}},
                                      n + "_term" + std::to_string(k));
            if (!acc) acc = term;
            else acc = b.add1(k % 2 ? "sub" : "add", {{"x", {acc}}, {"y", {term}}}, n + "_acc" + std::to_string(k));
        }
        return dets_[key] = acc;
    }

private:
    LowerContext& ctx_;
    mil::Value* x_;
    std::string name_;
    std::map<std::pair<int64_t, int64_t>, mil::Value*> elements_;
    std::map<std::pair<unsigned, unsigned>, mil::Value*> dets_;
};

constexpr int64_t kLargestComputedInverse = 4;

// linalg_inv(A) / inverse(A) of [..., n, n]: a constant is inverted at conversion time; a computed
// matrix up to 4 x 4 as adjugate / det (cofactors from 2x2 and 3x3 minors), with no pivoting, so it
// is as accurate as Cramer's rule: fine for well-conditioned matrices.
void linalgInv(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* x = ctx.tensor(in);
    const int64_t rank = x->type.rank();
    if (rank < 2 || x->type.shape[rank - 1] != x->type.shape[rank - 2] || x->type.shape[rank - 1] == mil::kUnknownDim)
        ctx.fail("linalg_inv needs square matrices of fixed size, got " + x->type.toString());
    const int64_t n = x->type.shape[rank - 1];
    if (ctx.isConstant(in)) {
        std::optional<Tensor> t = tensorOf(ctx.constant(in));
        if (t) {
            ctx.bind(out, ctx.builder().constant(invertConstant(ctx, *t), name));
            return;
        }
    }
    if (n > kLargestComputedInverse)
        ctx.fail("linalg_inv of a computed " + std::to_string(n) + " x " + std::to_string(n) + " matrix is not supported (Core ML "
                 "has no matrix inverse; up to 4 x 4 is written out as adjugate / determinant)",
                 "invert the matrix outside the model, or make it a constant");
    if (!isFloat(x->type.dtype)) x = ctx.tensorAs(in, DType::Float32);
    mil::Builder& b = ctx.builder();
    const DType d = x->type.dtype;
    if (n == 1) {
        emit(ctx, "real_div", {{"x", {scalarConst(ctx, 1.0, d, name + "_one")}}, {"y", {x}}}, out);
        return;
    }
    Minors minors(ctx, x, name);
    const unsigned all = (1u << n) - 1;
    // cofactor(i, j) = (-1)^(i+j) det(A without row i and column j); inverse(i, j) = cofactor(j, i) / det(A).
    auto cofactor = [&](int64_t i, int64_t j) {
        mil::Value* m = minors.det(all & ~(1u << i), all & ~(1u << j));
        if ((i + j) % 2 == 0) return m;
        return b.add1("mul", {{"x", {m}}, {"y", {scalarConst(ctx, -1.0, d, name + "_minus_one")}}},
                      name + "_cofactor" + std::to_string(i) + std::to_string(j));
    };
    std::vector<mil::Value*> rows;
    for (int64_t i = 0; i < n; ++i) {
        std::vector<mil::Value*> row;
        for (int64_t j = 0; j < n; ++j) row.push_back(cofactor(j, i));
        rows.push_back(b.add1("concat", {{"values", row}, {"axis", {b.constInt(-1, name + "_row_axis")}}}, name + "_adj_row" + std::to_string(i)));
    }
    mil::Value* adj = b.add1("concat", {{"values", rows}, {"axis", {b.constInt(-2, name + "_col_axis")}}}, name + "_adjugate");
    emit(ctx, "real_div", {{"x", {adj}}, {"y", {minors.det(all, all)}}}, out);
}

}  // namespace

void registerLinalgTranslators(TranslatorTable& t) {
    t.add({"aten::einsum"}, einsum);
    t.add({"aten::linalg_inv", "aten::inverse"}, linalgInv);
}

}  // namespace cms::lower
