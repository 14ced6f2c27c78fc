#include "compress/weights_listing.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "compress/decompress.h"
#include "compress/weight_math.h"

namespace cms::compress {

namespace {

const Tensor* constInput(const mil::Operation& op, const std::string& name) {
    const mil::Value* v = op.input(name);
    return v && v->constValue ? &*v->constValue : nullptr;
}

// The constants a weight's constexpr chain stores, each once (a mask may be read twice).
void storedConstants(const mil::Operation& op, std::set<const mil::Value*>& out) {
    for (const auto& in : op.inputs)
        for (const mil::Value* p : in.values) {
            if (p->constValue) out.insert(p);
            else if (p->producer && p->producer->type.rfind("constexpr_", 0) == 0) storedConstants(*p->producer, out);
        }
}

// Bits per stored element of a chain: the palette index width when a table is involved (however
// the table itself is stored), else the quantized width, else the stored values' width.
int chainBits(const mil::Operation& op) {
    if (const mil::Value* lut = op.input("lut")) {
        const Shape& s = lut->type.shape;
        const int64_t palette = s.size() == 1 ? s[0] : s[s.size() - 2];
        return static_cast<int>(std::lround(std::log2(double(palette))));
    }
    int bits = 0;
    for (const auto& in : op.inputs)
        for (const mil::Value* p : in.values)
            if (p->producer && p->producer->type.rfind("constexpr_", 0) == 0) bits = std::max(bits, chainBits(*p->producer));
    if (bits) return bits;
    for (const char* name : {"quantized_data", "data", "nonzero_data", "source_val"})
        if (const Tensor* t = constInput(op, name)) return dtypeBits(t->dtype());
    return 0;
}

// "constexpr_lut_to_sparse+constexpr_sparse_to_dense": the ops of a chain, first decoded first.
std::string chainName(const mil::Operation& op) {
    std::string name;
    for (const auto& in : op.inputs)
        for (const mil::Value* p : in.values)
            if (p->producer && p->producer->type.rfind("constexpr_", 0) == 0 && name.empty()) name = chainName(*p->producer);
    return name.empty() ? op.type : name + "+" + op.type;
}

}  // namespace

std::optional<std::vector<float>> decodeConstexpr(const mil::Operation& op) {
    const auto outs = evaluateConstexpr(op, [&op](const std::string& name) { return constInput(op, name); });
    if (!outs || outs->size() != 1) return std::nullopt;
    return outs->front().toFloats();
}

std::vector<WeightInfo> listWeights(const mil::Program& program, int64_t minElements) {
    std::vector<WeightInfo> out;
    const mil::Block& body = program.main().body;
    std::map<const mil::Value*, std::vector<std::string>> readers;
    for (const auto& op : body.ops)
        for (const auto& in : op->inputs)
            for (const mil::Value* v : in.values) {
                auto& r = readers[v];
                if (std::find(r.begin(), r.end(), op->type) == r.end()) r.push_back(op->type);
            }
    const auto joined = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
        return s;
    };
    for (const auto& op : body.ops) {
        const mil::Value* v = op->output();
        if (!v || !v->type.isStatic() || !isFloat(v->type.dtype) || shapeNumel(v->type.shape) <= minElements) continue;
        const bool isConstexpr = op->type.rfind("constexpr_", 0) == 0;
        if (op->type != "const" && !isConstexpr) continue;
        const auto r = readers.find(v);
        const std::vector<std::string> readBy = r == readers.end() ? std::vector<std::string>{} : r->second;
        // Parameters of a constexpr op are part of that weight, not weights of their own.
        if (!readBy.empty() && std::all_of(readBy.begin(), readBy.end(), [](const std::string& t) {
                return t.rfind("constexpr_", 0) == 0;
            }))
            continue;
        WeightInfo w;
        w.name = v->name;
        w.readers = joined(readBy);
        w.encoding = op->type == "const" ? op->type : chainName(*op);
        w.shape = v->type.shape;
        w.dtype = v->type.dtype;
        std::optional<std::vector<float>> dense;
        if (op->type == "const") {
            w.storedBytes = v->constValue->nbytes();
            w.bits = dtypeBits(v->type.dtype);
            dense = v->constValue->toFloats();
        } else {
            std::set<const mil::Value*> stored;
            storedConstants(*op, stored);
            for (const mil::Value* p : stored) w.storedBytes += p->constValue->nbytes();
            w.bits = chainBits(*op);
            if (const std::optional<Tensor> t = decodeValue(v)) dense = t->toFloats();
        }
        if (dense) {
            const auto zeros = std::count(dense->begin(), dense->end(), 0.0f);
            w.sparsity = dense->empty() ? 0.0 : double(zeros) / double(dense->size());
        }
        out.push_back(std::move(w));
    }
    return out;
}

}  // namespace cms::compress
