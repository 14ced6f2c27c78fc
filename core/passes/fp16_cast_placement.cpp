// fp16 compute precision with fp32 model inputs and outputs, as Core ML converters do it: fp32
// inputs get one cast to fp16, fp32 weights become fp16 constants, ops compute in fp16, and each
// fp32 output gets a cast back (taking over the output's name). Ops that must stay fp32 (requested
// by the user, unable to take fp16 per their declaration, or holding constants beyond fp16's
// range) read fp32 through casts. Casts are shared per value and dtype, and a value is never cast
// back and forth: an fp32 consumer of an fp16 result reads one cast of it, and an fp16 consumer of
// a cast result reads a single cast of the cast's source.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/error.h"
#include "common/half.h"
#include "mil/builder.h"
#include "mil/op_registry.h"
#include "passes/all_passes.h"
#include "passes/cast_rules.h"
#include "passes/pass_utils.h"

namespace cms::passes {

using namespace mil;

namespace {

// Ops whose semantics depend on their element types or that hold state/control flow.
const std::set<std::string> kNeverFp16 = {
    "cast",      "while_loop", "cond",        "make_list",  "list_gather",        "list_scatter",
    "list_read", "list_write", "list_length", "read_state", "coreml_update_state"};

// From iOS17 these parameters may stay fp32 next to fp16 data, which keeps them exact.
bool keepsFp32ParamFromIOS17(const std::string& opType, const std::string& param) {
    static const std::set<std::string> alphaOps = {"elu", "leaky_relu", "prelu", "thresholded_relu"};
    static const std::set<std::string> alphaBetaOps = {"clamped_relu", "linear_activation", "scaled_tanh",
                                                       "sigmoid_hard", "softplus_parametric"};
    static const std::set<std::string> epsilonOps = {"inverse", "log", "rsqrt"};
    if (alphaOps.count(opType)) return param == "alpha";
    if (alphaBetaOps.count(opType)) return param == "alpha" || param == "beta";
    if (epsilonOps.count(opType)) return param == "epsilon";
    return false;
}

// fp32 -> fp16 for weights: finite values beyond fp16's range saturate instead of becoming inf
// (masks built from -FLT_MAX stay finite), and in small tensors (epsilons, scales) a non-zero value
// never becomes zero.
Tensor toFp16(const Tensor& t) {
    const int64_t n = t.numel();
    std::vector<float> decoded;
    const float* v = t.dtype() == DType::Float32 ? t.data<float>() : (decoded = t.toFloats()).data();
    std::vector<uint8_t> bytes(static_cast<size_t>(n) * 2);
    auto* h = reinterpret_cast<uint16_t*>(bytes.data());
    const bool small = n < 400;
    for (int64_t i = 0; i < n; ++i) {
        h[i] = floatToHalf(v[i]);
        const float back = halfToFloat(h[i]);
        if (std::isfinite(v[i]) && std::isinf(back))
            h[i] = v[i] > 0 ? 0x7BFF : 0xFBFF;  // +-65504
        else if (small && v[i] != 0.0f && back == 0.0f)
            h[i] = v[i] > 0 ? 0x0001 : 0x8001;  // smallest subnormal
    }
    return Tensor(DType::Float16, t.shape(), std::move(bytes));
}

bool overflowsFp16(const Tensor& t) {
    const float* v = t.data<float>();  // callers pass fp32 tensors only
    for (int64_t i = 0; i < t.numel(); ++i) {
        const float a = std::fabs(v[i]);
        if (a > 65504.0f && a < 1e38f) return true;  // huge values are sentinels for -inf; they saturate
    }
    return false;
}

class Placement {
public:
    Placement(Program& program, Function& fn, const PassContext& ctx) : program_(program), fn_(fn), ctx_(ctx) {}

    void block(Block& b) {
        caches_.emplace_back();
        for (Operation* op : opsOf(b)) {  // a snapshot: the casts we insert are not visited
            for (auto& sub : op->blocks) block(*sub);
            if (op->type == "const") continue;
            if (eligible(*op) && computeInFp16(b, *op)) continue;
            keepFp32(b, *op);
        }
        // Outputs keep their dtype and their name: a cast back to fp32 takes the name over.
        for (size_t i = 0; i < b.outputs.size(); ++i) {
            Value* out = b.outputs[i];
            if (!lowered_.count(out)) continue;
            Value* back = cached(out, DType::Float32);
            if (!back) back = castBefore(b, nullptr, out, DType::Float32, out->name + "_fp16");
            for (Value*& o : b.outputs)
                if (o == out) o = back;
            // The cast takes over the output's name; the fp16 value and its op become "<name>_fp16".
            std::swap(back->name, out->name);
            if (out->producer->name == back->name) std::swap(out->producer->name, back->producer->name);
        }
        caches_.pop_back();
    }

    bool changed() const { return changed_; }
    size_t fp16Ops() const { return fp16Ops_; }
    const std::map<std::string, size_t>& requested() const { return requested_; }
    const std::vector<Operation*>& replacedConsts() const { return replacedConsts_; }

private:
    bool eligible(const Operation& op) {
        if (kNeverFp16.count(op.type) || !op.blocks.empty()) return false;
        for (const auto& entry : ctx_.fp32Ops)
            if (matchesOpFilter(entry, op)) {
                ++requested_[entry];
                return false;
            }
        for (const auto& in : op.inputs)
            for (const Value* v : in.values)
                if (v->constValue && v->constValue->dtype() == DType::Float32 && overflowsFp16(*v->constValue)) {
                    note(ctx_, "fp16_cast_placement: kept " + describe(op) + " in fp32: constant '" + v->name +
                                   "' exceeds the fp16 range");
                    return false;
                }
        return true;
    }

    static std::string describe(const Operation& op) {
        return op.type + " '" + (op.prov.empty() ? op.name : op.prov.describe()) + "'";
    }

    bool isFp32Data(const Value* v) const { return v->type.dtype == DType::Float32 && !lowered_.count(v); }

    // The fp16 twin of an fp32 value's placeholder for a trial run of the op's type inference.
    struct Trial {
        std::vector<std::unique_ptr<Value>> placeholders;
        std::map<const Value*, Tensor> halfConsts;  // converted once, used by trial and commit
    };

    // Rewrites `op` to read fp16 where its declaration allows; false (and no change) when the op
    // would not type-check that way or has nothing to compute in fp16.
    bool computeInFp16(Block& b, Operation& op) {
        const OpDecl* decl = OpRegistry::instance().find(op.type, fn_.opset);
        if (!decl) return false;
        auto allowsFp16 = [&](const std::string& param) {
            auto it = std::find_if(decl->inputs.begin(), decl->inputs.end(),
                                   [&](const InputDecl& d) { return d.name == param; });
            if (it == decl->inputs.end()) return false;
            return it->dtypes.empty() ||
                   std::find(it->dtypes.begin(), it->dtypes.end(), DType::Float16) != it->dtypes.end();
        };
        Trial trial;
        std::vector<TensorType> types;
        std::set<std::string> toHalf;
        for (bool mixed : {true, false}) {
            if (!mixed && fn_.opset < Target::iOS17) break;
            toHalf.clear();
            bool any = false;
            for (const auto& in : op.inputs) {
                const bool keep32 = mixed && fn_.opset >= Target::iOS17 && keepsFp32ParamFromIOS17(op.type, in.name);
                const bool half = !keep32 && allowsFp16(in.name);
                if (half) toHalf.insert(in.name);
                for (const Value* v : in.values)
                    if ((half && isFp32Data(v)) || (half && lowered_.count(v))) any = true;
            }
            if (!any) return false;
            if (tryTypes(op, toHalf, trial, types)) break;
            types.clear();
        }
        if (types.empty()) return false;

        for (auto& in : op.inputs) {
            const bool half = toHalf.count(in.name) != 0;
            for (Value*& v : in.values) {
                if (half && isFp32Data(v))
                    v = fp16Of(b, &op, v, trial);
                else if (!half && lowered_.count(v))
                    v = fp32Of(b, &op, v);
            }
        }
        for (size_t i = 0; i < op.outputs.size(); ++i) {
            Value* out = op.outputs[i];
            if (out->type.dtype == DType::Float32 && types[i].dtype == DType::Float16) lowered_.insert(out);
            out->type = types[i];
        }
        ++fp16Ops_;
        changed_ = true;
        return true;
    }

    // Type-checks `op` with the inputs named in `toHalf` read as fp16.
    bool tryTypes(const Operation& op, const std::set<std::string>& toHalf, Trial& trial,
                  std::vector<TensorType>& types) {
        Operation probe;
        probe.type = op.type;
        probe.name = op.name;
        probe.prov = op.prov;
        for (const auto& in : op.inputs) {
            OpInput copy{in.name, {}};
            const bool half = toHalf.count(in.name) != 0;
            for (Value* v : in.values) {
                if (half && isFp32Data(v))
                    copy.values.push_back(placeholder(v, trial));
                else if (!half && lowered_.count(v))
                    copy.values.push_back(placeholder(v, trial, DType::Float32));
                else
                    copy.values.push_back(v);
            }
            probe.inputs.push_back(std::move(copy));
        }
        try {
            verifyOp(probe, fn_.opset);
            types = inferTypes(probe, fn_.opset);
        } catch (const Error&) {
            return false;
        }
        return types.size() == op.outputs.size();
    }

    Value* placeholder(const Value* v, Trial& trial, DType dtype = DType::Float16) {
        auto p = std::make_unique<Value>();
        p->name = v->name;
        p->type = TensorType{dtype, v->type.shape};
        if (v->constValue) {
            if (dtype == DType::Float16) {
                auto it = trial.halfConsts.find(v);
                if (it == trial.halfConsts.end()) it = trial.halfConsts.emplace(v, toFp16(*v->constValue)).first;
                p->constValue = it->second;
            } else {
                p->constValue = v->constValue->castTo(dtype);
            }
        }
        trial.placeholders.push_back(std::move(p));
        return trial.placeholders.back().get();
    }

    Value* cached(const Value* v, DType dtype) const {
        for (auto it = caches_.rbegin(); it != caches_.rend(); ++it) {
            auto found = it->find({v, dtype});
            if (found != it->end()) return found->second;
        }
        return nullptr;
    }

    Value* castBefore(Block& b, const Operation* before, Value* x, DType dtype, std::string name = {}) {
        Builder builder(program_, b, fn_.opset);
        builder.setInsertBefore(before);
        builder.setProvenance(x->producer ? x->producer->prov : ir::Provenance{});
        if (name.empty()) name = x->name + "_to_" + castDtypeName(dtype);
        Value* dt = builder.constString(castDtypeName(dtype), x->name + "_to_" + castDtypeName(dtype) + "_dtype");
        Value* out = builder.add1("cast", {{"x", {x}}, {"dtype", {dt}}}, name);
        caches_.back()[{x, dtype}] = out;
        changed_ = true;
        return out;
    }

    Value* fp16Of(Block& b, const Operation* before, Value* v, Trial& trial) {
        if (Value* c = cached(v, DType::Float16)) return c;
        Value* result;
        if (v->constValue) {
            auto it = trial.halfConsts.find(v);
            const Tensor half = it != trial.halfConsts.end() ? it->second : toFp16(*v->constValue);
            const ir::Provenance prov = v->producer ? v->producer->prov : ir::Provenance{};
            result = insertConst(program_, b, fn_.opset, before, half, v->name + "_to_fp16", prov);
            if (v->producer) replacedConsts_.push_back(v->producer);
            changed_ = true;
        } else if (Operation* p = v->producer;
                   p && p->type == "cast" && p->input("x") &&
                   castChainFoldable(p->input("x")->type.dtype, DType::Float32, DType::Float16)) {
            // v = cast(s, fp32): read s (or one cast of s) rather than casting the cast.
            Value* s = p->input("x");
            if (s->type.dtype == DType::Float16)
                result = s;
            else if (Value* c = cached(s, DType::Float16))
                result = c;
            else
                result = castBefore(b, before, s, DType::Float16);
        } else {
            result = castBefore(b, before, v, DType::Float16);
        }
        caches_.back()[{v, DType::Float16}] = result;
        return result;
    }

    Value* fp32Of(Block& b, const Operation* before, Value* v) {
        if (Value* c = cached(v, DType::Float32)) return c;
        return castBefore(b, before, v, DType::Float32);
    }

    void keepFp32(Block& b, Operation& op) {
        if (op.type == "cast") return;  // a cast reads fp16 as well as fp32: no cast in front of a cast
        for (auto& in : op.inputs)
            for (Value*& v : in.values)
                if (lowered_.count(v)) v = fp32Of(b, &op, v);
    }

    Program& program_;
    Function& fn_;
    const PassContext& ctx_;
    std::vector<std::map<std::pair<const Value*, DType>, Value*>> caches_;  // per open block
    std::set<const Value*> lowered_;  // values this pass turned from fp32 into fp16
    std::map<std::string, size_t> requested_;
    std::vector<Operation*> replacedConsts_;
    size_t fp16Ops_ = 0;
    bool changed_ = false;
};

class Fp16CastPlacement : public Pass {
public:
    std::string name() const override { return "fp16_cast_placement"; }

    bool run(Program& program, const PassContext& ctx) override {
        if (ctx.precision != Precision::Float16) return false;
        bool changed = false;
        for (auto& [fname, fn] : program.functions) {
            Placement placement(program, fn, ctx);
            placement.block(fn.body);
            eraseIfUnused(fn, placement.replacedConsts());
            changed = changed || placement.changed();
            if (placement.fp16Ops())
                note(ctx, "fp16_cast_placement: " + std::to_string(placement.fp16Ops()) + " ops of '" + fname +
                              "' compute in fp16");
            for (const auto& [entry, n] : placement.requested())
                note(ctx,
                     "fp16_cast_placement: kept " + std::to_string(n) + " ops in fp32 as requested by '" + entry + "'");
        }
        return changed;
    }
};

}  // namespace

std::unique_ptr<Pass> makeFp16CastPlacement() { return std::make_unique<Fp16CastPlacement>(); }

}  // namespace cms::passes
