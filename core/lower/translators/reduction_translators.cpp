// Reductions (mean/sum/prod/amax/amin/max/min/argmax/argmin/all/any/var/std/logsumexp) with dim
// lists and keepdim, vector and matrix norms, and softmax/log_softmax and cumsum along a dim.
#include <algorithm>
#include <cmath>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

// Core ML reduces fp16/fp32/int32; torch also reduces bools (as integers).
mil::Value* reducible(LowerContext& ctx, const ir::Value* v) {
    mil::Value* x = ctx.tensor(v);
    return x->type.dtype == DType::Bool ? ctx.tensorAs(v, DType::Int32) : x;
}

// Emits reduce_<kind> over `dims` (empty: every dim) and binds `out`, cast to `dtype` if given.
void reduceOver(LowerContext& ctx, const std::string& type, mil::Value* x, std::vector<int64_t> dims, bool keepdim,
                const ir::Value* out, std::optional<DType> dtype = std::nullopt) {
    const std::string name = ctx.nameFor(out);
    mil::Builder& b = ctx.builder();
    if (x->type.rank() == 0) dims.clear();
    for (int64_t& d : dims) d = normalizeDim(ctx, d, x->type.rank());
    std::sort(dims.begin(), dims.end());
    dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
    std::vector<mil::OpInput> inputs = {{"x", {x}}};
    if (!dims.empty()) inputs.push_back({"axes", {b.constInts(dims, name + "_axes")}});
    inputs.push_back({"keep_dims", {b.constBool(keepdim, name + "_keep_dims")}});
    if (!dtype || *dtype == x->type.dtype) {
        emit(ctx, type, std::move(inputs), out);
        return;
    }
    mil::Value* r = b.add1(type, std::move(inputs), name + "_" + type);
    emit(ctx, "cast", {{"x", {r}}, {"dtype", {b.constString(dtypeName(*dtype), name + "_dtype")}}}, out);
}

std::optional<DType> optionalDtype(LowerContext& ctx, const ir::Node& node, size_t index) {
    if (index >= node.inputs.size() || ctx.isNone(node.inputs[index])) return std::nullopt;
    return dtypeFromTorchScalarType(ctx, ctx.intArg(node.inputs[index]));
}

// mean/sum(x, dims, keepdim, dtype) or mean/sum(x, dtype). A None or empty dim list reduces all.
template <const char* Type>
void reduceDims(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() <= 2) {
        reduceOver(ctx, Type, x, {}, false, node.outputs.at(0), optionalDtype(ctx, node, 1));
        return;
    }
    const std::vector<int64_t> dims = ctx.isNone(node.inputs[1]) ? std::vector<int64_t>{} : ctx.intsArg(node.inputs[1]);
    reduceOver(ctx, Type, x, dims, ctx.boolArg(node.inputs.at(2)), node.outputs.at(0), optionalDtype(ctx, node, 3));
}

// amax/amin(x, dims=[], keepdim=False): an empty list reduces every dim.
template <const char* Type>
void reduceAmax(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const std::vector<int64_t> dims = node.inputs.size() > 1 ? ctx.intsArg(node.inputs[1]) : std::vector<int64_t>{};
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    reduceOver(ctx, Type, x, dims, keepdim, node.outputs.at(0));
}

// prod(x, dtype) or prod(x, dim, keepdim, dtype).
void prod(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() <= 2) {
        reduceOver(ctx, "reduce_prod", x, {}, false, node.outputs.at(0), optionalDtype(ctx, node, 1));
        return;
    }
    reduceOver(ctx, "reduce_prod", x, {ctx.intArg(node.inputs[1])}, ctx.boolArg(node.inputs.at(2)), node.outputs.at(0),
               optionalDtype(ctx, node, 3));
}

// argmax/argmin(x, dim=None, keepdim=False). Without a dim torch looks at the flattened tensor.
template <const char* Type>
void argReduce(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    int64_t axis = 0;
    if (node.inputs.size() < 2 || ctx.isNone(node.inputs[1])) {
        if (!x->type.isStatic()) ctx.fail("argmax/argmin without a dim needs a fixed input shape");
        x = reshapeTo(ctx, x, {shapeNumel(x->type.shape)}, name + "_flat");
        if (keepdim) ctx.fail("argmax/argmin without a dim but with keepdim=True is not supported");
    } else {
        axis = normalizeDim(ctx, ctx.intArg(node.inputs[1]), x->type.rank());
    }
    emit(ctx, Type,
         {{"x", {x}}, {"axis", {ctx.builder().constInt(axis, name + "_axis")}},
          {"keep_dims", {ctx.builder().constBool(keepdim, name + "_keep_dims")}}},
         out);
}

// max/min: max(x) reduces all; max(x, dim, keepdim) returns (values, indices); max(x, other) is
// elementwise.
template <const char* Reduce, const char* Arg, const char* Elementwise>
void maxMin(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    if (node.inputs.size() == 1) {
        reduceOver(ctx, Reduce, x, {}, false, node.outputs.at(0));
        return;
    }
    if (node.inputs.size() == 2) {
        mil::Value* y = ctx.tensorAs(node.inputs[1], x->type.dtype);
        emit(ctx, Elementwise, {{"x", {x}}, {"y", {y}}}, node.outputs.at(0));
        return;
    }
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs[1]), x->type.rank());
    const bool keepdim = ctx.boolArg(node.inputs[2]);
    reduceOver(ctx, Reduce, x, {dim}, keepdim, node.outputs.at(0));
    if (node.outputs.size() > 1) {
        const std::string name = ctx.nameFor(node.outputs[1]);
        emit(ctx, Arg,
             {{"x", {x}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}},
              {"keep_dims", {ctx.builder().constBool(keepdim, name + "_keep_dims")}}},
             node.outputs[1]);
    }
}

// softmax(x, dim, dtype) / _softmax(x, dim, half_to_float).
void softmax(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* in = node.inputs.at(0);
    // Computed in fp32; fp16 input gives fp16 output, as in torch (else an fp16 model's attention, and a copy of
    // every weight after it, would turn fp32).
    const bool half = !ctx.isConstant(in) && ctx.tensor(in)->type.dtype == DType::Float16;
    mil::Value* x = ctx.tensorAs(in, DType::Float32);
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    if (!half) {
        emit(ctx, "softmax", {{"x", {x}}, {"axis", {b.constInt(dim, name + "_axis")}}}, node.outputs.at(0));
        return;
    }
    mil::Value* y = b.add1("softmax", {{"x", {x}}, {"axis", {b.constInt(dim, name + "_axis")}}}, name + "_fp32");
    emit(ctx, "cast", {{"x", {y}}, {"dtype", {b.constString(dtypeName(DType::Float16), name + "_dtype")}}},
         node.outputs.at(0));
}

// log_softmax as x - logsumexp(x): one stable reduction instead of log(softmax(x)), which
// underflows to -inf for very negative logits in fp16.
void logSoftmax(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    mil::Value* lse = b.add1("reduce_log_sum_exp",
                             {{"x", {x}}, {"axes", {b.constInts({dim}, name + "_axes")}}, {"keep_dims", {b.constBool(true, name + "_keep_dims")}}},
                             name + "_logsumexp");
    emit(ctx, "sub", {{"x", {x}}, {"y", {lse}}}, node.outputs.at(0));
}

constexpr char kReduceMean[] = "reduce_mean";
constexpr char kReduceSum[] = "reduce_sum";
constexpr char kReduceMax[] = "reduce_max";
constexpr char kReduceMin[] = "reduce_min";
constexpr char kArgmax[] = "reduce_argmax";
constexpr char kArgmin[] = "reduce_argmin";
constexpr char kMaximum[] = "maximum";
constexpr char kMinimum[] = "minimum";

// cumsum(x, dim, dtype): bools and integers sum as int32 (torch gives int64).
void cumsum(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = reducible(ctx, node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(1)), x->type.rank());
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::optional<DType> dtype = optionalDtype(ctx, node, 2);
    if (dtype && *dtype != x->type.dtype) x = ctx.tensorAs(node.inputs[0], *dtype);
    emit(ctx, "cumsum", {{"x", {x}}, {"axis", {ctx.builder().constInt(dim, name + "_axis")}}}, node.outputs[0]);
}

std::vector<int64_t> allDims(int64_t rank) {
    std::vector<int64_t> dims;
    for (int64_t d = 0; d < rank; ++d) dims.push_back(d);
    return dims;
}

// The dims a reduction names: None or an empty list means every dim (as in torch's dim=None).
std::vector<int64_t> dimsArg(LowerContext& ctx, const ir::Node& node, size_t index, int64_t rank) {
    std::vector<int64_t> dims;
    if (index < node.inputs.size() && !ctx.isNone(node.inputs[index])) dims = ctx.intsArg(node.inputs[index]);
    if (dims.empty()) return allDims(rank);
    for (int64_t& d : dims) d = normalizeDim(ctx, d, rank);
    std::sort(dims.begin(), dims.end());
    dims.erase(std::unique(dims.begin(), dims.end()), dims.end());
    return dims;
}

mil::Value* reduceTo(LowerContext& ctx, const std::string& type, mil::Value* x, const std::vector<int64_t>& dims,
                     bool keepdim, const std::string& name) {
    mil::Builder& b = ctx.builder();
    std::vector<mil::OpInput> inputs = {{"x", {x}}};
    if (x->type.rank() > 0) inputs.push_back({"axes", {b.constInts(dims, name + "_axes")}});
    inputs.push_back({"keep_dims", {b.constBool(keepdim, name + "_keep_dims")}});
    return b.add1(type, std::move(inputs), name);
}

mil::Value* castTo(LowerContext& ctx, mil::Value* v, DType d, const std::string& name) {
    if (v->type.dtype == d) return v;
    return ctx.builder().add1("cast", {{"x", {v}}, {"dtype", {ctx.builder().constString(dtypeName(d), name + "_dtype")}}}, name);
}

mil::Value* floatTensor(LowerContext& ctx, const ir::Value* v) {
    mil::Value* x = ctx.tensor(v);
    return isFloat(x->type.dtype) ? x : ctx.tensorAs(v, DType::Float32);
}

// all/any(x), all/any(x, dim, keepdim), all/any(x, dims, keepdim): truth as int32 0/1, reduced with
// min (all) or max (any), back to bool.
template <bool All>
void allAny(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    mil::Value* truth = x->type.dtype == DType::Bool
                            ? x
                            : ctx.builder().add1("not_equal", {{"x", {x}}, {"y", {scalarConst(ctx, 0, x->type.dtype, name + "_zero")}}},
                                                 name + "_nonzero");
    truth = castTo(ctx, truth, DType::Int32, name + "_int");
    const std::vector<int64_t> dims = dimsArg(ctx, node, 1, x->type.rank());
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    mil::Value* r = reduceTo(ctx, All ? "reduce_min" : "reduce_max", truth, dims, keepdim, name + "_reduced");
    emit(ctx, "cast", {{"x", {r}}, {"dtype", {ctx.builder().constString("bool", name + "_dtype")}}}, out);
}

// The element count of the reduced dims, which must be known at conversion time.
int64_t reducedCount(LowerContext& ctx, const mil::Value* x, const std::vector<int64_t>& dims, const std::string& what) {
    int64_t n = 1;
    for (int64_t d : dims) {
        if (x->type.shape[d] == mil::kUnknownDim)
            ctx.fail(what + " over a dimension whose size is only known at run time is not supported",
                     "give the input a fixed shape in the conversion settings");
        n *= x->type.shape[d];
    }
    return n;
}

// var/std in their three forms: (x, unbiased), (x, dim, unbiased, keepdim) and
// (x, dim, *, correction, keepdim). Sum of squared deviations over (N - correction).
template <bool Std>
void varStd(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* out = node.outputs.at(0);
    const std::string name = ctx.nameFor(out);
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const DType d = x->type.dtype;
    double correction = 1.0;
    std::vector<int64_t> dims;
    bool keepdim = false;
    if (node.inputs.size() <= 2) {
        if (node.inputs.size() == 2 && !ctx.boolArg(node.inputs[1])) correction = 0.0;
        dims = allDims(x->type.rank());
    } else {
        dims = dimsArg(ctx, node, 1, x->type.rank());
        const ir::Value* c = node.inputs.at(2);
        if (!ctx.isNone(c))
            correction = std::holds_alternative<bool>(ctx.constant(c)) ? (ctx.boolArg(c) ? 1.0 : 0.0) : ctx.floatArg(c);
        keepdim = node.inputs.size() > 3 && ctx.boolArg(node.inputs[3]);
    }
    if (x->type.rank() == 0) dims.clear();
    const int64_t n = reducedCount(ctx, x, dims, Std ? "std" : "var");
    mil::Builder& b = ctx.builder();
    mil::Value* mean = reduceTo(ctx, "reduce_mean", x, dims, true, name + "_mean");
    mil::Value* dev = b.add1("sub", {{"x", {x}}, {"y", {mean}}}, name + "_deviation");
    mil::Value* ss = reduceTo(ctx, "reduce_sum_square", dev, dims, keepdim, name + "_sum_square");
    // N - correction <= 0 divides by zero, giving inf or nan as torch does.
    const double denom = std::max(0.0, double(n) - correction);
    if (!Std) {
        emit(ctx, "real_div", {{"x", {ss}}, {"y", {scalarConst(ctx, denom, d, name + "_count")}}}, out);
        return;
    }
    mil::Value* var = b.add1("real_div", {{"x", {ss}}, {"y", {scalarConst(ctx, denom, d, name + "_count")}}}, name + "_var");
    emit(ctx, "sqrt", {{"x", {var}}}, out);
}

// logsumexp(x, dim, keepdim)
void logsumexp(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const std::vector<int64_t> dims = dimsArg(ctx, node, 1, x->type.rank());
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    ctx.bind(node.outputs.at(0), reduceTo(ctx, "reduce_log_sum_exp", x, dims, keepdim, ctx.nameFor(node.outputs[0])));
}

// The vector p-norm over dims: (sum |x|^p)^(1/p); p = inf/-inf is the largest/smallest |x|, p = 0
// counts the non-zero elements.
mil::Value* vectorNorm(LowerContext& ctx, mil::Value* x, double p, const std::vector<int64_t>& dims, bool keepdim,
                       const std::string& name) {
    mil::Builder& b = ctx.builder();
    const DType d = x->type.dtype;
    if (p == 2) return reduceTo(ctx, "reduce_l2_norm", x, dims, keepdim, name);
    if (p == 1) return reduceTo(ctx, "reduce_l1_norm", x, dims, keepdim, name);
    mil::Value* a = b.add1("abs", {{"x", {x}}}, name + "_abs");
    if (std::isinf(p)) return reduceTo(ctx, p > 0 ? "reduce_max" : "reduce_min", a, dims, keepdim, name);
    if (p == 0) {
        mil::Value* nz = b.add1("not_equal", {{"x", {x}}, {"y", {scalarConst(ctx, 0, d, name + "_zero")}}}, name + "_nonzero");
        return reduceTo(ctx, "reduce_sum", castTo(ctx, nz, d, name + "_count"), dims, keepdim, name);
    }
    mil::Value* powered = b.add1("pow", {{"x", {a}}, {"y", {scalarConst(ctx, p, d, name + "_p")}}}, name + "_pow");
    mil::Value* sum = reduceTo(ctx, "reduce_sum", powered, dims, keepdim, name + "_sum");
    return b.add1("pow", {{"x", {sum}}, {"y", {scalarConst(ctx, 1.0 / p, d, name + "_inv_p")}}}, name);
}

// The matrix norm over the two dims (rows, cols): 'fro', 1/-1 (max/min column sum of |x|),
// inf/-inf (max/min row sum). Norms from singular values need an SVD, which Core ML lacks.
mil::Value* matrixNorm(LowerContext& ctx, mil::Value* x, const std::string& ord, std::vector<int64_t> dims, bool keepdim,
                       const std::string& name) {
    if (dims.size() != 2) ctx.fail("a matrix norm needs exactly two dims, got " + listText(dims));
    if (dims[0] == dims[1]) ctx.fail("a matrix norm needs two different dims, got " + listText(dims));
    if (ord == "fro") return reduceTo(ctx, "reduce_l2_norm", x, dims, keepdim, name);
    if (ord == "nuc" || ord == "2" || ord == "-2")
        ctx.fail("the matrix norm ord=" + ord + " needs singular values (an SVD), which Core ML has no op for",
                 "use ord='fro', 1, -1, inf or -inf, or compute this norm outside the model");
    const bool colSums = ord == "1" || ord == "-1";
    const bool largest = ord == "1" || ord == "inf";
    if (!colSums && ord != "inf" && ord != "-inf") ctx.fail("unsupported matrix norm ord=" + ord);
    mil::Value* a = ctx.builder().add1("abs", {{"x", {x}}}, name + "_abs");
    // Sum along the rows for column sums, then take the extreme over the remaining dim.
    mil::Value* sums = reduceTo(ctx, "reduce_sum", a, {colSums ? dims[0] : dims[1]}, true, name + "_sums");
    std::vector<int64_t> both = {std::min(dims[0], dims[1]), std::max(dims[0], dims[1])};
    return reduceTo(ctx, largest ? "reduce_max" : "reduce_min", sums, both, keepdim, name);
}

std::string ordText(double p) {
    if (std::isinf(p)) return p > 0 ? "inf" : "-inf";
    if (p == std::floor(p)) return std::to_string(int64_t(p));
    return std::to_string(p);
}

// norm(x, p=2) / norm(x, p, dim, keepdim[, dtype]): the vector p-norm over dims (all when none).
void norm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const double p = node.inputs.size() > 1 && !ctx.isNone(node.inputs[1]) ? ctx.floatArg(node.inputs[1]) : 2.0;
    const std::vector<int64_t> dims = dimsArg(ctx, node, 2, x->type.rank());
    const bool keepdim = node.inputs.size() > 3 && ctx.boolArg(node.inputs[3]);
    ctx.bind(node.outputs.at(0), vectorNorm(ctx, x, p, dims, keepdim, ctx.nameFor(node.outputs[0])));
}

// frobenius_norm(x) / frobenius_norm(x, dim, keepdim): the 2-norm over the dims.
void frobeniusNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const std::vector<int64_t> dims = dimsArg(ctx, node, 1, x->type.rank());
    const bool keepdim = node.inputs.size() > 2 && ctx.boolArg(node.inputs[2]);
    ctx.bind(node.outputs.at(0), vectorNorm(ctx, x, 2.0, dims, keepdim, ctx.nameFor(node.outputs[0])));
}

// linalg_vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None)
void linalgVectorNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const double p = node.inputs.size() > 1 ? ctx.floatArg(node.inputs[1]) : 2.0;
    const std::vector<int64_t> dims = dimsArg(ctx, node, 2, x->type.rank());
    const bool keepdim = node.inputs.size() > 3 && ctx.boolArg(node.inputs[3]);
    ctx.bind(node.outputs.at(0), vectorNorm(ctx, x, p, dims, keepdim, ctx.nameFor(node.outputs[0])));
}

// The ord argument of a matrix norm as text: 'fro', 'nuc', or a number.
std::string matrixOrd(LowerContext& ctx, const ir::Value* v) {
    if (std::holds_alternative<std::string>(ctx.constant(v))) return ctx.stringArg(v);
    return ordText(ctx.floatArg(v));
}

// linalg_matrix_norm(x, ord='fro', dim=[-2, -1], keepdim=False, dtype=None)
void linalgMatrixNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const std::string ord = node.inputs.size() > 1 ? matrixOrd(ctx, node.inputs[1]) : "fro";
    std::vector<int64_t> dims = node.inputs.size() > 2 ? ctx.intsArg(node.inputs[2]) : std::vector<int64_t>{-2, -1};
    for (int64_t& d : dims) d = normalizeDim(ctx, d, x->type.rank());
    const bool keepdim = node.inputs.size() > 3 && ctx.boolArg(node.inputs[3]);
    ctx.bind(node.outputs.at(0), matrixNorm(ctx, x, ord, dims, keepdim, ctx.nameFor(node.outputs[0])));
}

// linalg_norm(x, ord=None, dim=None, keepdim=False, dtype=None), ord a number or 'fro'/'nuc': a
// vector norm over one dim (or a 1-D input), a matrix norm over two (or a 2-D input); with neither
// ord nor dim, the 2-norm of all elements.
void linalgNorm(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatTensor(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t rank = x->type.rank();
    const bool hasOrd = node.inputs.size() > 1 && !ctx.isNone(node.inputs[1]);
    const bool hasDim = node.inputs.size() > 2 && !ctx.isNone(node.inputs[2]);
    const bool keepdim = node.inputs.size() > 3 && ctx.boolArg(node.inputs[3]);
    std::vector<int64_t> dims;
    if (hasDim) {
        dims = ctx.intsArg(node.inputs[2]);
        for (int64_t& d : dims) d = normalizeDim(ctx, d, rank);
    }
    if (!hasOrd) {
        if (!hasDim) dims = allDims(rank);
        ctx.bind(node.outputs[0], vectorNorm(ctx, x, 2.0, dims, keepdim, name));
        return;
    }
    if (!hasDim) {
        if (rank != 1 && rank != 2)
            ctx.fail("linalg.norm with ord but without dim needs a 1-D or 2-D input, got " + x->type.toString(),
                     "pass dim to choose the dims the norm is taken over");
        dims = allDims(rank);
    }
    const bool isString = std::holds_alternative<std::string>(ctx.constant(node.inputs[1]));
    if (dims.size() == 1 && !isString) {
        ctx.bind(node.outputs[0], vectorNorm(ctx, x, ctx.floatArg(node.inputs[1]), dims, keepdim, name));
        return;
    }
    if (dims.size() != 2)
        ctx.fail("linalg.norm takes one dim (a vector norm) or two (a matrix norm), got " + listText(dims) +
                 (isString ? " for ord='" + ctx.stringArg(node.inputs[1]) + "'" : ""));
    ctx.bind(node.outputs[0], matrixNorm(ctx, x, matrixOrd(ctx, node.inputs[1]), dims, keepdim, name));
}

}  // namespace

void registerReductionTranslators(TranslatorTable& t) {
    t.add({"aten::mean"}, reduceDims<kReduceMean>);
    t.add({"aten::sum"}, reduceDims<kReduceSum>);
    t.add({"aten::prod"}, prod);
    t.add({"aten::amax"}, reduceAmax<kReduceMax>);
    t.add({"aten::amin"}, reduceAmax<kReduceMin>);
    t.add({"aten::max"}, maxMin<kReduceMax, kArgmax, kMaximum>);
    t.add({"aten::min"}, maxMin<kReduceMin, kArgmin, kMinimum>);
    t.add({"aten::argmax"}, argReduce<kArgmax>);
    t.add({"aten::argmin"}, argReduce<kArgmin>);
    t.add({"aten::cumsum", "aten::cumsum_"}, cumsum);
    t.add({"aten::softmax", "aten::_softmax", "aten::special_softmax"}, softmax);
    t.add({"aten::log_softmax", "aten::_log_softmax", "aten::special_log_softmax"}, logSoftmax);
    t.add({"aten::all"}, allAny<true>);
    t.add({"aten::any"}, allAny<false>);
    t.add({"aten::var"}, varStd<false>);
    t.add({"aten::std"}, varStd<true>);
    t.add({"aten::logsumexp", "aten::special_logsumexp"}, logsumexp);
    t.add({"aten::norm"}, norm);
    t.add({"aten::frobenius_norm"}, frobeniusNorm);
    t.add({"aten::linalg_vector_norm"}, linalgVectorNorm);
    t.add({"aten::linalg_matrix_norm"}, linalgMatrixNorm);
    t.add({"aten::linalg_norm"}, linalgNorm);
}

}  // namespace cms::lower
