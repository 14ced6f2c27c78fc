// linear, matmul and the two einsum equations Core ML implements.
#include <map>

#include "mil/op_registry.h"
#include "mil/ops/all_ops.h"
#include "mil/ops/nn_shape_rules.h"
#include "mil/ops/shape_inference.h"

namespace cms::mil {

namespace {
const std::vector<DType> kNumeric = {DType::Float16, DType::Float32, DType::Int32};
const std::vector<DType> kBool = {DType::Bool};
const std::vector<DType> kString = {DType::String};

std::string str(int64_t v) { return std::to_string(v); }
bool known(int64_t d) { return d != kUnknownDim; }

std::vector<TensorType> inferLinear(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& w = ctx.type("weight");
    if (w.rank() != 2) ctx.fail("weight must be a matrix [D_out, D_in], got " + w.toString());
    if (x.rank() < 1) ctx.fail("x must have rank 1 or more");
    if (known(x.shape.back()) && known(w.shape[1]) && x.shape.back() != w.shape[1])
        ctx.fail("the last dimension of x " + x.toString() + " does not match the last dimension of weight " + w.toString());
    if (ctx.has("bias")) {
        const TensorType& b = ctx.type("bias");
        if (b.rank() != 1 || b.shape[0] != w.shape[0])
            ctx.fail("bias " + b.toString() + " must hold one value per output feature (" + str(w.shape[0]) + ")");
    }
    Shape out = x.shape;
    out.back() = w.shape[0];
    return {TensorType{x.dtype, out}};
}

Shape matmulShape(const InferContext& ctx) {
    const TensorType& x = ctx.type("x");
    const TensorType& y = ctx.type("y");
    const bool tx = ctx.boolOr("transpose_x", false);
    const bool ty = ctx.boolOr("transpose_y", false);
    if (x.rank() == 0 || y.rank() == 0) ctx.fail("x and y must have rank 1 or more");
    if (x.rank() == 1 && tx) ctx.fail("x is rank 1, so transpose_x must be false");
    if (y.rank() == 1 && ty) ctx.fail("y is rank 1, so transpose_y must be false");
    Shape xs = x.shape, ys = y.shape;
    if (tx) std::swap(xs[xs.size() - 1], xs[xs.size() - 2]);
    if (ty) std::swap(ys[ys.size() - 1], ys[ys.size() - 2]);
    if (x.rank() == 1) xs.insert(xs.begin(), 1);
    if (y.rank() == 1) ys.push_back(1);
    const int64_t inner = xs.back(), innerY = ys[ys.size() - 2];
    if (known(inner) && known(innerY) && inner != innerY)
        ctx.fail("x " + x.toString() + " and y " + y.toString() + " cannot be multiplied");
    Shape out = broadcastShapes(ctx, Shape(xs.begin(), xs.end() - 2), Shape(ys.begin(), ys.end() - 2));
    out.push_back(xs[xs.size() - 2]);
    out.push_back(ys.back());
    if (y.rank() == 1) out.pop_back();
    if (x.rank() == 1) out.erase(out.end() - (y.rank() != 1 ? 2 : 1));
    return out;
}

// Core ML's einsum parser numbers letters in order of first appearance over both inputs and the output.
void parseEquation(const InferContext& ctx, const std::string& eq, std::vector<int>& a, std::vector<int>& b,
                   std::vector<int>& out) {
    const size_t arrow = eq.find("->");
    const size_t comma = eq.find(',');
    if (arrow == std::string::npos || comma == std::string::npos || comma > arrow)
        ctx.fail("einsum equation '" + eq + "' must have the form 'in1,in2->out'");
    std::map<char, int> ids;
    auto number = [&](const std::string& s, std::vector<int>& v) {
        for (char c : s) {
            if (c == ' ') continue;
            auto it = ids.emplace(c, static_cast<int>(ids.size())).first;
            v.push_back(it->second);
        }
    };
    number(eq.substr(0, comma), a);
    number(eq.substr(comma + 1, arrow - comma - 1), b);
    number(eq.substr(arrow + 2), out);
}

std::vector<TensorType> inferEinsum(const InferContext& ctx) {
    if (ctx.listSize("values") != 2) ctx.fail("einsum takes exactly two values");
    const TensorType& x = ctx.listValue("values", 0).type;
    const TensorType& y = ctx.listValue("values", 1).type;
    if (x.dtype != y.dtype) ctx.fail("einsum values must have the same dtype");
    if (x.rank() != y.rank() || (x.rank() != 3 && x.rank() != 4))
        ctx.fail("einsum values must both have rank 3 or both rank 4");
    const int64_t r = x.rank();
    auto dim = [&](const Shape& s, int64_t i) { return s[static_cast<size_t>(r + i)]; };
    if (known(dim(x.shape, -1)) && known(dim(y.shape, -3)) && dim(x.shape, -1) != dim(y.shape, -3))
        ctx.fail("einsum input shapes " + x.toString() + " and " + y.toString() + " are incompatible");
    if (dim(x.shape, -2) != 1 && dim(y.shape, -2) != 1 && dim(x.shape, -2) != dim(y.shape, -2))
        ctx.fail("einsum input shapes " + x.toString() + " and " + y.toString() + " are incompatible");
    if (r == 4 && dim(x.shape, -4) != 1 && dim(y.shape, -4) != 1 && dim(x.shape, -4) != dim(y.shape, -4))
        ctx.fail("einsum input shapes " + x.toString() + " and " + y.toString() + " are incompatible");
    std::vector<int> a, b, o;
    const std::string eq = ctx.stringValue("equation");
    parseEquation(ctx, eq, a, b, o);
    const bool batched = a == std::vector<int>{0, 1, 2, 3} && b == std::vector<int>{0, 3, 2, 4} && o == std::vector<int>{0, 1, 2, 4};
    const bool plain = a == std::vector<int>{0, 1, 2} && b == std::vector<int>{2, 1, 3} && o == std::vector<int>{0, 1, 3};
    if (!batched && !plain) ctx.fail("unsupported einsum equation '" + eq + "'");
    auto merged = [&](int64_t i) {
        const int64_t p = dim(x.shape, i), q = dim(y.shape, i);
        if (!known(p)) return p;
        if (!known(q)) return q;
        return std::max(p, q);
    };
    Shape out(static_cast<size_t>(r), 1);
    out[static_cast<size_t>(r - 1)] = dim(y.shape, -1);
    out[static_cast<size_t>(r - 3)] = dim(x.shape, -3);
    out[static_cast<size_t>(r - 2)] = merged(-2);
    if (r == 4) out[0] = merged(-4);
    return {TensorType{x.dtype, out}};
}

bool producedByConst(const Value& v) { return v.producer && v.producer->type == "const"; }
}  // namespace

void registerLinearOps(OpRegistry& r) {
    const std::vector<InputDecl> linearInputs = {{"x", false, false, false, kNumeric},
                                                 {"weight", false, false, true, kNumeric},
                                                 {"bias", true, false, true, kNumeric}};
    r.add({"linear", Target::iOS15, linearInputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "weight", "bias"});
               return inferLinear(ctx);
           },
           "x multiplied by the transposed weight matrix, plus bias"});
    r.add({"linear", Target::iOS17, linearInputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"weight", "bias"});
               return inferLinear(ctx);
           },
           "x multiplied by the transposed weight matrix, plus bias; weight may use its own dtype"});

    const std::vector<InputDecl> matmulInputs = {{"x", false, false, false, kNumeric},
                                                 {"y", false, false, false, kNumeric},
                                                 {"transpose_x", true, false, true, kBool},
                                                 {"transpose_y", true, false, true, kBool}};
    r.add({"matmul", Target::iOS15, matmulInputs,
           [](const InferContext& ctx) {
               requireSameDtype(ctx, {"x", "y"});
               return std::vector<TensorType>{TensorType{ctx.type("x").dtype, matmulShape(ctx)}};
           },
           "batched matrix product with numpy broadcasting of the batch dimensions"});
    r.add({"matmul", Target::iOS17, matmulInputs,
           [](const InferContext& ctx) {
               // A const operand may have its own dtype; the result takes the non-const operand's.
               const bool xConst = producedByConst(ctx.value("x"));
               const bool yConst = producedByConst(ctx.value("y"));
               const DType dx = ctx.type("x").dtype, dy = ctx.type("y").dtype;
               if (xConst == yConst && dx != dy)
                   ctx.fail(std::string("x and y are both ") + (xConst ? "const" : "non-const") +
                            ", so their dtypes must match (got " + dtypeName(dx) + " and " + dtypeName(dy) + ")");
               const DType result = xConst != yConst ? (yConst ? dx : dy) : dx;
               return std::vector<TensorType>{TensorType{result, matmulShape(ctx)}};
           },
           "batched matrix product; a const operand may have its own dtype"});

    r.add({"einsum", Target::iOS15, {{"values", false, true, false, {}}, {"equation", false, false, true, kString}},
           inferEinsum, "Einstein summation over two tensors (two batched-matmul equations are supported)"});
}

}  // namespace cms::mil
