// Elementwise arithmetic, comparisons, selection (where, masked_fill) and unary math with torch's
// broadcasting and type promotion: Python scalars and zero-dim tensors take the dtype of the tensor
// they meet unless they are of a higher kind (a float scalar with an int tensor gives fp32), as in torch.
#include <algorithm>
#include <cmath>
#include <limits>

#include "lower/constant_values.h"
#include "lower/lower_context.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

enum class Kind { Bool = 0, Int = 1, Float = 2 };
// Promotion categories, weakest first.
enum class Category { Number = 0, ZeroDim = 1, Tensor = 2 };

Kind kindOf(DType d) { return d == DType::Bool ? Kind::Bool : isFloat(d) ? Kind::Float : Kind::Int; }

struct Operand {
    const ir::Value* v = nullptr;
    Category category = Category::Tensor;
    Kind kind = Kind::Float;
    DType dtype = DType::Float32;  // of a tensor operand (Float32 for numbers)
};

Operand operandOf(LowerContext& ctx, const ir::Value* v) {
    Operand o;
    o.v = v;
    if (ctx.isConstant(v)) {
        const ir::Constant& c = ctx.constant(v);
        if (const Tensor* t = std::get_if<Tensor>(&c)) {
            o.category = t->rank() == 0 ? Category::ZeroDim : Category::Tensor;
            o.dtype = t->dtype() == DType::Float64 ? DType::Float32 : t->dtype();
            o.kind = kindOf(o.dtype);
            if (o.kind == Kind::Int) o.dtype = DType::Int32;
            return o;
        }
        std::optional<Scalar> s = scalarOf(c);
        if (!s) ctx.fail("operand '" + v->name + "' must be a tensor or a number, got " + ir::constantToString(c));
        o.category = Category::Number;
        o.kind = std::holds_alternative<bool>(c) ? Kind::Bool : s->isInt ? Kind::Int : Kind::Float;
        o.dtype = o.kind == Kind::Bool ? DType::Bool : o.kind == Kind::Int ? DType::Int32 : DType::Float32;
        return o;
    }
    const mil::TensorType& t = ctx.tensor(v)->type;
    o.category = t.rank() == 0 ? Category::ZeroDim : Category::Tensor;
    o.dtype = t.dtype;
    o.kind = kindOf(t.dtype);
    return o;
}

// The dtype torch computes a binary op in, as a MIL dtype.
DType promotedDtype(const Operand& a, const Operand& b) {
    const Operand& strong = a.category >= b.category ? a : b;
    const Operand& weak = a.category >= b.category ? b : a;
    if (strong.category == weak.category) {
        if (a.kind != b.kind) return a.kind > b.kind ? a.dtype : b.dtype;
        if (a.dtype == b.dtype) return a.dtype;
        return a.kind == Kind::Float ? DType::Float32 : a.dtype;  // fp16 with fp32: fp32
    }
    if (weak.kind > strong.kind) return weak.kind == Kind::Float ? DType::Float32 : DType::Int32;
    return strong.dtype;
}

struct Operands {
    mil::Value* x;
    mil::Value* y;
    DType dtype;
};

Operands promote(LowerContext& ctx, const ir::Value* a, const ir::Value* b) {
    const DType d = promotedDtype(operandOf(ctx, a), operandOf(ctx, b));
    return {ctx.tensorAs(a, d), ctx.tensorAs(b, d), d};
}

// Core ML's arithmetic and comparisons take fp16/fp32/int32; bools are computed as int32.
Operands numeric(LowerContext& ctx, const ir::Value* a, const ir::Value* b) {
    Operands o = promote(ctx, a, b);
    if (o.dtype != DType::Bool) return o;
    return {ctx.tensorAs(a, DType::Int32), ctx.tensorAs(b, DType::Int32), DType::Int32};
}

mil::Value* toDtype(LowerContext& ctx, mil::Value* v, DType d, const std::string& name) {
    if (v->type.dtype == d) return v;
    return ctx.builder().add1("cast", {{"x", {v}}, {"dtype", {ctx.builder().constString(dtypeName(d), name + "_dtype")}}}, name);
}

mil::Value* emitCast(LowerContext& ctx, mil::Value* v, DType d, const ir::Value* out) {
    if (v->type.dtype == d) {
        ctx.bind(out, v);
        return v;
    }
    return emit(ctx, "cast", {{"x", {v}}, {"dtype", {ctx.builder().constString(dtypeName(d), ctx.nameFor(out) + "_dtype")}}}, out);
}

double alphaOf(const LowerContext& ctx, const ir::Node& node, size_t i) {
    return hasArg(ctx, node, i) ? ctx.floatArg(node.inputs[i]) : 1.0;
}

// x + alpha * y and x - alpha * y; on bools add is logical or.
template <bool Subtract, bool Reversed>
void addSub(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* a = node.inputs.at(Reversed ? 1 : 0);
    const ir::Value* b = node.inputs.at(Reversed ? 0 : 1);
    const double alpha = alphaOf(ctx, node, 2);
    Operands o = promote(ctx, a, b);
    if (o.dtype == DType::Bool) {
        if (Subtract) ctx.fail("subtracting bool tensors is not defined in torch", "use logical_xor or cast to int");
        emit(ctx, "logical_or", {{"x", {o.x}}, {"y", {o.y}}}, node.outputs.at(0));
        return;
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* y = o.y;
    if (alpha != 1.0)
        y = ctx.builder().add1("mul", {{"x", {y}}, {"y", {scalarConst(ctx, alpha, o.dtype, name + "_alpha")}}}, name + "_scaled");
    emit(ctx, Subtract ? "sub" : "add", {{"x", {o.x}}, {"y", {y}}}, node.outputs[0]);
}

// x * y; on bools logical and.
void mul(LowerContext& ctx, const ir::Node& node) {
    Operands o = promote(ctx, node.inputs.at(0), node.inputs.at(1));
    emit(ctx, o.dtype == DType::Bool ? "logical_and" : "mul", {{"x", {o.x}}, {"y", {o.y}}}, node.outputs.at(0));
}

// div(x, y, rounding_mode=None|'trunc'|'floor'); true division always gives a float.
void div(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    const ir::Value* xv = node.inputs.at(0);
    const ir::Value* yv = node.inputs.at(1);
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const std::string mode = hasArg(ctx, node, 2) ? ctx.stringArg(node.inputs[2]) : "";
    Operands o = numeric(ctx, xv, yv);
    const bool integer = !isFloat(o.dtype);
    if (mode.empty()) {
        if (integer) o = {ctx.tensorAs(xv, DType::Float32), ctx.tensorAs(yv, DType::Float32), DType::Float32};
        emit(ctx, "real_div", {{"x", {o.x}}, {"y", {o.y}}}, node.outputs[0]);
        return;
    }
    if (mode == "floor") {
        emit(ctx, "floor_div", {{"x", {o.x}}, {"y", {o.y}}}, node.outputs[0]);
        return;
    }
    if (mode != "trunc") ctx.fail("unknown rounding_mode '" + mode + "' (expected None, 'trunc' or 'floor')");
    // trunc(q) = sign(q) * floor(|q|), computed in float.
    mil::Value* x = toDtype(ctx, o.x, integer ? DType::Float32 : o.dtype, name + "_x_float");
    mil::Value* y = toDtype(ctx, o.y, x->type.dtype, name + "_y_float");
    mil::Value* q = b.add1("real_div", {{"x", {x}}, {"y", {y}}}, name + "_quotient");
    mil::Value* s = b.add1("sign", {{"x", {q}}}, name + "_sign");
    mil::Value* mag = b.add1("floor", {{"x", {b.add1("abs", {{"x", {q}}}, name + "_abs")}}}, name + "_floor");
    if (!integer) {
        emit(ctx, "mul", {{"x", {mag}}, {"y", {s}}}, node.outputs[0]);
        return;
    }
    emitCast(ctx, b.add1("mul", {{"x", {mag}}, {"y", {s}}}, name + "_trunc"), o.dtype, node.outputs[0]);
}

template <const char* Type>
void binaryNumeric(LowerContext& ctx, const ir::Node& node) {
    Operands o = numeric(ctx, node.inputs.at(0), node.inputs.at(1));
    emit(ctx, Type, {{"x", {o.x}}, {"y", {o.y}}}, node.outputs.at(0));
}
constexpr char kFloorDiv[] = "floor_div";
constexpr char kMod[] = "mod";
constexpr char kPow[] = "pow";
constexpr char kMaximum[] = "maximum";
constexpr char kMinimum[] = "minimum";
constexpr char kEqual[] = "equal";
constexpr char kNotEqual[] = "not_equal";
constexpr char kLess[] = "less";
constexpr char kLessEqual[] = "less_equal";
constexpr char kGreater[] = "greater";
constexpr char kGreaterEqual[] = "greater_equal";

// Bool logic; bitwise ops on bool tensors are the same thing.
template <const char* Type>
void logical(LowerContext& ctx, const ir::Node& node) {
    const DType d = promote(ctx, node.inputs.at(0), node.inputs.at(1)).dtype;
    if (d != DType::Bool && node.kind.find("bitwise") != std::string::npos)
        ctx.fail(node.kind + " on integer tensors is not supported by Core ML", "apply it to bool tensors only");
    emit(ctx, Type, {{"x", {ctx.tensorAs(node.inputs[0], DType::Bool)}}, {"y", {ctx.tensorAs(node.inputs[1], DType::Bool)}}},
         node.outputs.at(0));
}
constexpr char kLogicalAnd[] = "logical_and";
constexpr char kLogicalOr[] = "logical_or";
constexpr char kLogicalXor[] = "logical_xor";

void logicalNot(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.dtype != DType::Bool && node.kind.find("bitwise") != std::string::npos)
        ctx.fail(node.kind + " on integer tensors is not supported by Core ML", "apply it to bool tensors only");
    emit(ctx, "logical_not", {{"x", {ctx.tensorAs(node.inputs[0], DType::Bool)}}}, node.outputs.at(0));
}

// Float-only unary math: integer inputs are promoted to fp32, as torch does.
template <const char* Type>
void unaryFloat(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) x = ctx.tensorAs(node.inputs[0], DType::Float32);
    emit(ctx, Type, {{"x", {x}}}, node.outputs.at(0));
}
constexpr char kExp[] = "exp";
constexpr char kLog[] = "log";
constexpr char kSqrt[] = "sqrt";
constexpr char kRsqrt[] = "rsqrt";
constexpr char kSin[] = "sin";
constexpr char kCos[] = "cos";
constexpr char kTan[] = "tan";
constexpr char kAsin[] = "asin";
constexpr char kAcos[] = "acos";
constexpr char kAtan[] = "atan";
constexpr char kSinh[] = "sinh";
constexpr char kCosh[] = "cosh";
constexpr char kAtanh[] = "atanh";
constexpr char kErf[] = "erf";

// Unary ops Core ML also runs on int32 (bools are counted as int32).
template <const char* Type>
void unaryNumeric(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.dtype == DType::Bool) x = ctx.tensorAs(node.inputs[0], DType::Int32);
    emit(ctx, Type, {{"x", {x}}}, node.outputs.at(0));
}
constexpr char kAbs[] = "abs";
constexpr char kSign[] = "sign";
constexpr char kSquare[] = "square";

// floor/ceil/round leave integers unchanged.
template <const char* Type>
void rounding(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) {
        bindSame(ctx, node);
        return;
    }
    if (hasArg(ctx, node, 1) && ctx.intArg(node.inputs[1]) != 0)
        ctx.fail("round with decimals is not supported", "scale, round and unscale explicitly");
    emit(ctx, Type, {{"x", {x}}}, node.outputs.at(0));
}
constexpr char kFloor[] = "floor";
constexpr char kCeil[] = "ceil";
constexpr char kRound[] = "round";

// neg(x) = x * -1
void neg(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.dtype == DType::Bool) ctx.fail("negating a bool tensor is not defined in torch", "use logical_not");
    emit(ctx, "mul", {{"x", {x}}, {"y", {scalarConst(ctx, -1.0, x->type.dtype, ctx.nameFor(node.outputs.at(0)) + "_minus_one")}}},
         node.outputs[0]);
}

// reciprocal(x) = 1 / x (Core ML's inverse adds an epsilon, which torch does not).
void reciprocal(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) x = ctx.tensorAs(node.inputs[0], DType::Float32);
    emit(ctx, "real_div", {{"x", {scalarConst(ctx, 1.0, x->type.dtype, ctx.nameFor(node.outputs.at(0)) + "_one")}}, {"y", {x}}},
         node.outputs[0]);
}

// The float tensor a unary math function works on: integers and bools are promoted to fp32, as in torch.
mil::Value* floatOperand(LowerContext& ctx, const ir::Value* v) {
    mil::Value* x = ctx.tensor(v);
    return isFloat(x->type.dtype) ? x : ctx.tensorAs(v, DType::Float32);
}

mil::Value* unaryOp(LowerContext& ctx, const std::string& type, mil::Value* x, const std::string& name) {
    return ctx.builder().add1(type, {{"x", {x}}}, name);
}
mil::Value* binaryOp(LowerContext& ctx, const std::string& type, mil::Value* x, mil::Value* y, const std::string& name) {
    return ctx.builder().add1(type, {{"x", {x}}, {"y", {y}}}, name);
}

// Core ML has no inverse hyperbolic sine/cosine: acosh(x) = log(x + sqrt(x^2 - 1)) and
// asinh(x) = sign(x) * log(|x| + sqrt(x^2 + 1)), written on |x| so large negative x does not cancel.
template <bool Sine>
void inverseHyperbolic(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatOperand(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType d = x->type.dtype;
    mil::Value* base = Sine ? unaryOp(ctx, "abs", x, name + "_abs") : x;
    mil::Value* sq = unaryOp(ctx, "square", base, name + "_square");
    mil::Value* shifted = binaryOp(ctx, Sine ? "add" : "sub", sq, scalarConst(ctx, 1.0, d, name + "_one"), name + "_shifted");
    mil::Value* root = unaryOp(ctx, "sqrt", shifted, name + "_sqrt");
    mil::Value* sum = binaryOp(ctx, "add", base, root, name + "_sum");
    if (!Sine) {
        emit(ctx, "log", {{"x", {sum}}}, node.outputs[0]);
        return;
    }
    mil::Value* magnitude = unaryOp(ctx, "log", sum, name + "_log");
    emit(ctx, "mul", {{"x", {magnitude}}, {"y", {unaryOp(ctx, "sign", x, name + "_sign")}}}, node.outputs[0]);
}

// atan2(input, other): the angle of the point (other, input). atan(input / other) is corrected by
// +-pi in the left half-plane; on the vertical axis (other == 0) the angle is sign(input) * pi/2.
void angleAtan2(LowerContext& ctx, const ir::Node& node) {
    Operands o = promote(ctx, node.inputs.at(0), node.inputs.at(1));
    if (!isFloat(o.dtype))
        o = {ctx.tensorAs(node.inputs[0], DType::Float32), ctx.tensorAs(node.inputs[1], DType::Float32), DType::Float32};
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Builder& b = ctx.builder();
    const DType d = o.dtype;
    mil::Value* zero = scalarConst(ctx, 0.0, d, name + "_zero");
    mil::Value* angle = unaryOp(ctx, "atan", binaryOp(ctx, "real_div", o.x, o.y, name + "_ratio"), name + "_atan");
    // select takes its shape from its values, so both turns are full tensors.
    mil::Value* upper = binaryOp(ctx, "greater_equal", o.x, zero, name + "_upper");
    mil::Value* pi = scalarConst(ctx, M_PI, d, name + "_pi");
    mil::Value* turned = b.add1("select", {{"cond", {upper}}, {"a", {binaryOp(ctx, "add", angle, pi, name + "_plus_pi")}},
                                           {"b", {binaryOp(ctx, "sub", angle, pi, name + "_minus_pi")}}}, name + "_turned");
    mil::Value* left = binaryOp(ctx, "less", o.y, zero, name + "_left");
    mil::Value* corrected = b.add1("select", {{"cond", {left}}, {"a", {turned}}, {"b", {angle}}}, name + "_corrected");
    mil::Value* vertical = binaryOp(ctx, "equal", o.y, zero, name + "_vertical");
    mil::Value* axis = binaryOp(ctx, "mul", unaryOp(ctx, "sign", o.x, name + "_sign"), scalarConst(ctx, M_PI / 2, d, name + "_half_pi"),
                                name + "_axis_angle");
    emit(ctx, "select", {{"cond", {vertical}}, {"a", {axis}}, {"b", {corrected}}}, node.outputs[0]);
}

void exp2Float(LowerContext& ctx, const ir::Node& node) {
    emit(ctx, "exp2", {{"x", {floatOperand(ctx, node.inputs.at(0))}}}, node.outputs.at(0));
}

// expm1(x) = exp(x) - 1
void expMinusOne(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatOperand(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "sub", {{"x", {unaryOp(ctx, "exp", x, name + "_exp")}}, {"y", {scalarConst(ctx, 1.0, x->type.dtype, name + "_one")}}},
         node.outputs[0]);
}

// log1p(x) = log(x + 1)
void logOnePlus(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatOperand(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "log", {{"x", {binaryOp(ctx, "add", x, scalarConst(ctx, 1.0, x->type.dtype, name + "_one"), name + "_shifted")}}},
         node.outputs[0]);
}

// log2 and log10: the natural log scaled by 1 / ln(base).
template <int Base>
void logBase(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = floatOperand(ctx, node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    emit(ctx, "mul", {{"x", {unaryOp(ctx, "log", x, name + "_ln")}}, {"y", {scalarConst(ctx, 1.0 / std::log(double(Base)), x->type.dtype, name + "_scale")}}},
         node.outputs[0]);
}

// frac(x) = x - trunc(x), trunc(x) = sign(x) * floor(|x|); integers have no fraction.
void frac(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    const std::string name = ctx.nameFor(node.outputs.at(0));
    if (!isFloat(x->type.dtype)) ctx.fail("frac is only defined for float tensors in torch", "cast the input to float first");
    mil::Value* whole = unaryOp(ctx, "floor", unaryOp(ctx, "abs", x, name + "_abs"), name + "_floor");
    mil::Value* trunc = binaryOp(ctx, "mul", whole, unaryOp(ctx, "sign", x, name + "_sign"), name + "_trunc");
    emit(ctx, "sub", {{"x", {x}}, {"y", {trunc}}}, node.outputs[0]);
}

// isnan(x): NaN is the only value not equal to itself.
void isNan(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.dtype == DType::Bool) x = ctx.tensorAs(node.inputs[0], DType::Int32);
    emit(ctx, "not_equal", {{"x", {x}}, {"y", {x}}}, node.outputs.at(0));
}

// nan_to_num(x, nan=0, posinf=None, neginf=None): None infinities become the largest finite value
// of x's dtype (fp32 here: the program is lowered in fp32).
void nanToNum(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (!isFloat(x->type.dtype)) {
        bindSame(ctx, node);
        return;
    }
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const DType d = x->type.dtype;
    const double largest = std::numeric_limits<float>::max();
    const double nan = hasArg(ctx, node, 1) ? ctx.floatArg(node.inputs[1]) : 0.0;
    const double posinf = hasArg(ctx, node, 2) ? ctx.floatArg(node.inputs[2]) : largest;
    const double neginf = hasArg(ctx, node, 3) ? ctx.floatArg(node.inputs[3]) : -largest;
    mil::Builder& b = ctx.builder();
    auto replace = [&](mil::Value* cond, double value, mil::Value* from, const std::string& what) {
        return b.add1("select", {{"cond", {cond}}, {"a", {scalarConst(ctx, value, d, name + "_" + what)}}, {"b", {from}}},
                      name + "_" + what + "_replaced");
    };
    mil::Value* y = replace(binaryOp(ctx, "not_equal", x, x, name + "_is_nan"), nan, x, "nan");
    const double inf = std::numeric_limits<double>::infinity();
    y = replace(binaryOp(ctx, "equal", y, scalarConst(ctx, inf, d, name + "_inf"), name + "_is_posinf"), posinf, y, "posinf");
    mil::Value* isNegInf = binaryOp(ctx, "equal", y, scalarConst(ctx, -inf, d, name + "_minus_inf"), name + "_is_neginf");
    emit(ctx, "select", {{"cond", {isNegInf}}, {"a", {scalarConst(ctx, neginf, d, name + "_neginf")}}, {"b", {y}}}, node.outputs[0]);
}

// A bound known at conversion time as one number.
bool constNumber(const LowerContext& ctx, const ir::Value* v, double& out) {
    if (!ctx.isConstant(v)) return false;
    const ir::Constant& c = ctx.constant(v);
    if (const Tensor* t = std::get_if<Tensor>(&c); t && t->rank() > 0) return false;
    std::optional<Scalar> s = scalarOf(c);
    if (!s) return false;
    out = s->value;
    return true;
}

// clamp(x, min=None, max=None), also with tensor bounds. Constant float bounds become clip.
void clamp(LowerContext& ctx, const ir::Node& node) {
    const ir::Value* xv = node.inputs.at(0);
    const bool hasMin = hasArg(ctx, node, 1), hasMax = hasArg(ctx, node, 2);
    if (!hasMin && !hasMax) ctx.fail("clamp needs at least one of min and max");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(xv);
    if (hasMin && hasMax && isFloat(x->type.dtype)) {
        double lo = 0, hi = 0;
        if (constNumber(ctx, node.inputs[1], lo) && constNumber(ctx, node.inputs[2], hi) && lo < hi) {
            const DType d = x->type.dtype;
            emit(ctx, "clip", {{"x", {x}}, {"alpha", {scalarConst(ctx, lo, d, name + "_min")}}, {"beta", {scalarConst(ctx, hi, d, name + "_max")}}},
                 node.outputs[0]);
            return;
        }
    }
    // min(max(x, lo), hi): with lo > hi this is hi everywhere, as in torch.
    mil::Value* y = nullptr;
    if (hasMin) {
        Operands o = numeric(ctx, xv, node.inputs[1]);
        std::vector<mil::OpInput> inputs = {{"x", {o.x}}, {"y", {o.y}}};
        if (!hasMax) {
            emit(ctx, "maximum", std::move(inputs), node.outputs[0]);
            return;
        }
        y = ctx.builder().add1("maximum", std::move(inputs), name + "_lower");
    }
    if (hasMax) {
        Operands o = numeric(ctx, xv, node.inputs[2]);
        mil::Value* base = y ? toDtype(ctx, y, o.dtype, name + "_lower_cast") : o.x;
        emit(ctx, "minimum", {{"x", {base}}, {"y", {o.y}}}, node.outputs[0]);
    }
}

// Core ML's select takes its output shape from a and b only: a condition that would widen the
// result (torch broadcasts all three) is refused rather than silently cut.
void requireConditionFits(LowerContext& ctx, const mil::Value* cond, const mil::Value* a, const mil::Value* b) {
    const Shape& c = cond->type.shape;
    const size_t rank = std::max(a->type.shape.size(), b->type.shape.size());
    auto dimOf = [rank](const Shape& s, size_t i) { return i + s.size() < rank ? int64_t(1) : s[i + s.size() - rank]; };
    bool fits = c.size() <= rank;
    for (size_t i = 0; fits && i < rank; ++i) {
        const int64_t cd = i + c.size() < rank ? 1 : c[i + c.size() - rank];
        const int64_t od = std::max(dimOf(a->type.shape, i), dimOf(b->type.shape, i));
        fits = cd == 1 || cd == od || od == mil::kUnknownDim || cd == mil::kUnknownDim;
    }
    if (!fits)
        ctx.fail("the condition " + cond->type.toString() + " is larger than both values " + a->type.toString() + " and " +
                     b->type.toString() + "; Core ML's select cannot broadcast it",
                 "expand one of the values to the condition's shape (x.expand_as(cond)) before torch.where");
}

// where(cond, x, y): x where cond holds, else y, in torch's promoted dtype.
void where(LowerContext& ctx, const ir::Node& node) {
    if (node.inputs.size() < 3)
        ctx.fail("torch.where(cond) with one argument returns the indices of true elements, whose count is only known "
                 "at run time",
                 "use torch.where(cond, x, y), or compute the indices outside the model");
    mil::Value* cond = ctx.tensorAs(node.inputs[0], DType::Bool);
    Operands o = promote(ctx, node.inputs[1], node.inputs[2]);
    requireConditionFits(ctx, cond, o.x, o.y);
    emit(ctx, "select", {{"cond", {cond}}, {"a", {o.x}}, {"b", {o.y}}}, node.outputs.at(0));
}

// masked_fill(x, mask, value): value where mask holds; the result keeps x's dtype.
void maskedFill(LowerContext& ctx, const ir::Node& node) {
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    mil::Value* mask = ctx.tensorAs(node.inputs.at(1), DType::Bool);
    mil::Value* value = ctx.tensorAs(node.inputs.at(2), x->type.dtype);
    if (value->type.rank() != 0) ctx.fail("masked_fill's value must be a number or a 0-dim tensor, got " + value->type.toString());
    requireConditionFits(ctx, mask, value, x);
    emit(ctx, "select", {{"cond", {mask}}, {"a", {value}}, {"b", {x}}}, node.outputs.at(0));
}

}  // namespace

void registerElementwiseTranslators(TranslatorTable& t) {
    t.add({"aten::add", "aten::add_"}, addSub<false, false>);
    t.add({"aten::sub", "aten::sub_", "aten::subtract"}, addSub<true, false>);
    t.add({"aten::rsub"}, addSub<true, true>);
    t.add({"aten::mul", "aten::mul_", "aten::multiply"}, mul);
    t.add({"aten::div", "aten::div_", "aten::divide", "aten::true_divide"}, div);
    t.add({"aten::floor_divide", "aten::floor_divide_"}, binaryNumeric<kFloorDiv>);
    t.add({"aten::pow", "aten::pow_"}, binaryNumeric<kPow>);
    t.add({"aten::maximum"}, binaryNumeric<kMaximum>);
    t.add({"aten::minimum"}, binaryNumeric<kMinimum>);
    t.add({"aten::eq", "aten::eq_"}, binaryNumeric<kEqual>);
    t.add({"aten::ne", "aten::ne_"}, binaryNumeric<kNotEqual>);
    t.add({"aten::lt", "aten::lt_"}, binaryNumeric<kLess>);
    t.add({"aten::le", "aten::le_"}, binaryNumeric<kLessEqual>);
    t.add({"aten::gt", "aten::gt_"}, binaryNumeric<kGreater>);
    t.add({"aten::ge", "aten::ge_"}, binaryNumeric<kGreaterEqual>);
    t.add({"aten::logical_and", "aten::bitwise_and", "aten::__and__"}, logical<kLogicalAnd>);
    t.add({"aten::logical_or", "aten::bitwise_or", "aten::__or__"}, logical<kLogicalOr>);
    t.add({"aten::logical_xor", "aten::bitwise_xor", "aten::__xor__"}, logical<kLogicalXor>);
    t.add({"aten::logical_not", "aten::bitwise_not"}, logicalNot);
    t.add({"aten::neg", "aten::neg_", "aten::negative"}, neg);
    t.add({"aten::abs", "aten::abs_"}, unaryNumeric<kAbs>);
    t.add({"aten::sign"}, unaryNumeric<kSign>);
    t.add({"aten::square"}, unaryNumeric<kSquare>);
    t.add({"aten::exp", "aten::exp_"}, unaryFloat<kExp>);
    t.add({"aten::log", "aten::log_"}, unaryFloat<kLog>);
    t.add({"aten::sqrt", "aten::sqrt_"}, unaryFloat<kSqrt>);
    t.add({"aten::rsqrt", "aten::rsqrt_"}, unaryFloat<kRsqrt>);
    t.add({"aten::sin"}, unaryFloat<kSin>);
    t.add({"aten::cos"}, unaryFloat<kCos>);
    t.add({"aten::tan"}, unaryFloat<kTan>);
    t.add({"aten::asin"}, unaryFloat<kAsin>);
    t.add({"aten::acos"}, unaryFloat<kAcos>);
    t.add({"aten::atan"}, unaryFloat<kAtan>);
    t.add({"aten::sinh"}, unaryFloat<kSinh>);
    t.add({"aten::cosh"}, unaryFloat<kCosh>);
    t.add({"aten::atanh"}, unaryFloat<kAtanh>);
    t.add({"aten::erf"}, unaryFloat<kErf>);
    t.add({"aten::floor"}, rounding<kFloor>);
    t.add({"aten::ceil"}, rounding<kCeil>);
    t.add({"aten::round"}, rounding<kRound>);
    t.add({"aten::reciprocal", "aten::reciprocal_"}, reciprocal);
    t.add({"aten::acosh", "aten::acosh_", "aten::arccosh"}, inverseHyperbolic<false>);
    t.add({"aten::asinh", "aten::asinh_", "aten::arcsinh"}, inverseHyperbolic<true>);
    t.add({"aten::atan2", "aten::atan2_", "aten::arctan2"}, angleAtan2);
    t.add({"aten::exp2", "aten::exp2_", "aten::special_exp2"}, exp2Float);
    t.add({"aten::expm1", "aten::expm1_", "aten::special_expm1"}, expMinusOne);
    t.add({"aten::log1p", "aten::log1p_", "aten::special_log1p"}, logOnePlus);
    t.add({"aten::log2", "aten::log2_"}, logBase<2>);
    t.add({"aten::log10", "aten::log10_"}, logBase<10>);
    t.add({"aten::frac", "aten::frac_"}, frac);
    t.add({"aten::isnan"}, isNan);
    t.add({"aten::nan_to_num", "aten::nan_to_num_"}, nanToNum);
    t.add({"aten::remainder", "aten::remainder_"}, binaryNumeric<kMod>);
    t.add({"aten::clamp", "aten::clamp_", "aten::clip", "aten::clip_"}, clamp);
    t.add({"aten::clamp_min", "aten::clamp_min_"}, binaryNumeric<kMaximum>);
    t.add({"aten::clamp_max", "aten::clamp_max_"}, binaryNumeric<kMinimum>);
    t.add({"aten::where"}, where);
    t.add({"aten::masked_fill", "aten::masked_fill_"}, maskedFill);
}

}  // namespace cms::lower
