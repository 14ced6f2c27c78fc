#include "compress/decompress.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "common/error.h"
#include "compress/weight_math.h"
#include "mil/builder.h"

namespace cms::compress {

namespace {

// A parameter grid (one entry per block along each axis) as block sizes of `shape`.
BlockSizes blocksOf(const Shape& shape, const Shape& grid) {
    BlockSizes b(shape.size(), 0);
    for (size_t d = 0; d < shape.size(); ++d) b[d] = grid[d] ? shape[d] / grid[d] : 0;
    return b;
}

bool gridFits(const Shape& shape, const Shape& grid) {
    if (grid.size() != shape.size()) return false;
    for (size_t d = 0; d < shape.size(); ++d)
        if (grid[d] <= 0 || shape[d] % grid[d] != 0) return false;
    return true;
}

// scale * (data - offset), one scale (and offset) per block of the grid.
std::optional<std::vector<float>> shiftScale(const Shape& shape, const std::vector<double>& data, const Tensor& scale,
                                             const Tensor* offset, const Shape& grid) {
    if (!gridFits(shape, grid) || static_cast<int64_t>(data.size()) != shapeNumel(shape)) return std::nullopt;
    if (offset && offset->numel() != scale.numel()) return std::nullopt;
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocksOf(shape, grid));
    const std::vector<float> s = scale.toFloats();
    const std::vector<double> z = offset ? offset->toDoubles() : std::vector<double>(s.size(), 0.0);
    std::vector<float> out(data.size());
    for (size_t i = 0; i < out.size(); ++i) {
        const size_t b = static_cast<size_t>(blockOf[i]);
        out[i] = static_cast<float>(data[i] - z[b]) * s[b];
    }
    return out;
}

// `count` fields of `bits` bits, least significant bit first, from the packed bytes of a uint8 tensor.
std::optional<std::vector<int64_t>> unpack(const Tensor& bytes, int bits, int64_t count) {
    const std::vector<int64_t> raw = bytes.toInts();
    if (static_cast<int64_t>(raw.size()) * 8 < count * bits) return std::nullopt;
    std::vector<int64_t> out(static_cast<size_t>(count), 0);
    for (int64_t i = 0; i < count; ++i)
        for (int b = 0; b < bits; ++b) {
            const int64_t bit = i * bits + b;
            out[static_cast<size_t>(i)] |= ((raw[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1) << b;
        }
    return out;
}

// Places nonzero values, in row-major order, where the mask is set.
std::optional<std::vector<double>> scatter(const std::vector<double>& nonzero, const std::vector<int64_t>& mask) {
    const auto set = std::count_if(mask.begin(), mask.end(), [](int64_t m) { return m != 0; });
    if (static_cast<size_t>(set) != nonzero.size()) return std::nullopt;
    std::vector<double> out(mask.size(), 0.0);
    size_t k = 0;
    for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) out[i] = nonzero[k++];
    return out;
}

std::vector<double> gather(const std::vector<float>& dense, const std::vector<int64_t>& mask) {
    std::vector<double> out;
    for (size_t i = 0; i < mask.size(); ++i)
        if (mask[i]) out.push_back(dense[i]);
    return out;
}

// Typed indices with per-block scalar tables lut[grid..., palette, 1] (iOS18).
std::optional<std::vector<float>> lookUp(const Shape& shape, const std::vector<double>& indices, const Tensor& lut) {
    if (lut.rank() != static_cast<int64_t>(shape.size()) + 2 || lut.shape().back() != 1) return std::nullopt;
    const Shape grid(lut.shape().begin(), lut.shape().end() - 2);
    if (!gridFits(shape, grid)) return std::nullopt;
    const int64_t palette = lut.shape()[lut.shape().size() - 2];
    const std::vector<float> table = lut.toFloats();
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocksOf(shape, grid));
    std::vector<float> out(indices.size());
    for (size_t i = 0; i < out.size(); ++i) {
        const auto idx = static_cast<int64_t>(indices[i]);
        if (idx < 0 || idx >= palette) return std::nullopt;
        out[i] = table[static_cast<size_t>(blockOf[i] * palette + idx)];
    }
    return out;
}

Tensor floats(const std::vector<float>& v, const mil::Value* out) {
    return Tensor::fromFloats(v, out->type.shape, out->type.dtype);
}

Tensor doubles(const std::vector<double>& v, const mil::Value* out) {
    return floats(std::vector<float>(v.begin(), v.end()), out);
}

}  // namespace

std::optional<std::vector<Tensor>> evaluateConstexpr(const mil::Operation& op, const InputLookup& input) {
    for (const mil::Value* o : op.outputs)
        if (!o->type.isStatic()) return std::nullopt;
    const mil::Value* out = op.output();
    if (!out) return std::nullopt;
    const Shape& shape = out->type.shape;
    const int64_t n = shapeNumel(shape);
    using Result = std::optional<std::vector<Tensor>>;
    const auto one = [&](const std::optional<std::vector<float>>& v) -> Result {
        if (!v || static_cast<int64_t>(v->size()) != n) return std::nullopt;
        return std::vector<Tensor>{floats(*v, out)};
    };

    if (op.type == "constexpr_affine_dequantize") {
        const Tensor *q = input("quantized_data"), *zp = input("zero_point"), *s = input("scale"), *axis = input("axis");
        if (!q || !zp || !s || !axis || s->rank() > 1) return std::nullopt;
        Shape grid(shape.size(), 1);
        if (s->rank() == 1) {
            int64_t a = axis->scalarAsInt();
            if (a < 0) a += static_cast<int64_t>(shape.size());
            if (a < 0 || a >= static_cast<int64_t>(shape.size())) return std::nullopt;
            grid[static_cast<size_t>(a)] = s->numel();
        }
        // A scalar zero point with per-axis scales applies to every channel.
        const Tensor zpFull = zp->numel() == s->numel()
                                  ? *zp
                                  : Tensor::fromFloats(std::vector<float>(size_t(s->numel()), float(zp->toDoubles().at(0))),
                                                       s->shape());
        return one(shiftScale(shape, q->toDoubles(), *s, &zpFull, grid));
    }
    if (op.type == "constexpr_cast") {
        const Tensor* src = input("source_val");
        if (!src) return std::nullopt;
        return one(src->toFloats());
    }
    if (op.type == "constexpr_blockwise_shift_scale") {
        const Tensor *d = input("data"), *s = input("scale");
        if (!d || !s) return std::nullopt;
        return one(shiftScale(shape, d->toDoubles(), *s, input("offset"), s->shape()));
    }
    if (op.type == "constexpr_lut_to_dense") {
        const Tensor *idx = input("indices"), *lut = input("lut");
        if (!idx || !lut) return std::nullopt;
        if (op.hasInput("shape")) {  // iOS16: packed indices into one table
            const int bits = static_cast<int>(std::lround(std::log2(double(lut->numel()))));
            const auto i = unpack(*idx, bits, n);
            if (!i || (int64_t(1) << bits) != lut->numel()) return std::nullopt;
            const std::vector<float> table = lut->toFloats();
            std::vector<float> v(i->size());
            for (size_t k = 0; k < v.size(); ++k) v[k] = table[static_cast<size_t>((*i)[k])];
            return one(v);
        }
        return one(lookUp(shape, idx->toDoubles(), *lut));
    }
    if (op.type == "constexpr_sparse_to_dense") {
        const Tensor *data = input("nonzero_data"), *mask = input("mask");
        if (!data || !mask) return std::nullopt;
        std::optional<std::vector<int64_t>> bits = op.hasInput("shape") ? unpack(*mask, 1, n) : mask->toInts();
        if (!bits || static_cast<int64_t>(bits->size()) != n) return std::nullopt;
        const auto dense = scatter(data->toDoubles(), *bits);
        if (!dense) return std::nullopt;
        return std::vector<Tensor>{doubles(*dense, out)};
    }
    if (op.type == "constexpr_lut_to_sparse" || op.type == "constexpr_sparse_blockwise_shift_scale") {
        const bool lutForm = op.type == "constexpr_lut_to_sparse";
        const Tensor* mask = input(lutForm ? "indices_mask" : "data_mask");
        const Tensor* data = input(lutForm ? "indices_nonzero_data" : "nonzero_data");
        if (!mask || !data || op.outputs.size() != 2) return std::nullopt;
        const std::vector<int64_t> bits = mask->toInts();
        const auto dense = scatter(data->toDoubles(), bits);
        if (!dense) return std::nullopt;
        std::optional<std::vector<float>> decoded;
        if (lutForm) {
            const Tensor* lut = input("lut");
            if (!lut) return std::nullopt;
            decoded = lookUp(mask->shape(), *dense, *lut);
        } else {
            const Tensor* s = input("scale");
            if (!s) return std::nullopt;
            decoded = shiftScale(mask->shape(), *dense, *s, input("offset"), s->shape());
        }
        if (!decoded) return std::nullopt;
        const mil::Value* values = op.outputs[1];
        return std::vector<Tensor>{Tensor::fromInts(bits, mask->shape(), DType::UInt1),
                                   doubles(gather(*decoded, bits), values)};
    }
    return std::nullopt;
}

namespace {

// Decodes `op`'s outputs into `memo`, its constexpr inputs first.
bool decodeInto(const mil::Operation& op, std::map<const mil::Value*, Tensor>& memo) {
    for (const auto& in : op.inputs)
        for (const mil::Value* v : in.values)
            if (!v->constValue && !memo.count(v) && (!v->producer || !decodeInto(*v->producer, memo))) return false;
    const auto outs = evaluateConstexpr(op, [&](const std::string& name) -> const Tensor* {
        const mil::Value* v = op.input(name);
        if (!v) return nullptr;
        if (v->constValue) return &*v->constValue;
        const auto it = memo.find(v);
        return it == memo.end() ? nullptr : &it->second;
    });
    if (!outs) return false;
    for (size_t i = 0; i < outs->size() && i < op.outputs.size(); ++i) memo.emplace(op.outputs[i], (*outs)[i]);
    return true;
}

}  // namespace

std::optional<Tensor> decodeValue(const mil::Value* value) {
    if (value->constValue) return *value->constValue;
    if (!value->producer || value->producer->type.rfind("constexpr_", 0) != 0) return std::nullopt;
    std::map<const mil::Value*, Tensor> memo;
    if (!decodeInto(*value->producer, memo)) return std::nullopt;
    const auto it = memo.find(value);
    if (it == memo.end()) return std::nullopt;
    return it->second;
}

std::map<const mil::Value*, Tensor> decodeConstexprValues(const mil::Program& program) {
    std::map<const mil::Value*, Tensor> decoded;
    for (const auto& op : program.main().body.ops) {
        if (op->type.rfind("constexpr_", 0) != 0) continue;
        const InputLookup lookup = [&](const std::string& name) -> const Tensor* {
            const mil::Value* v = op->input(name);
            if (!v) return nullptr;
            if (v->constValue) return &*v->constValue;
            const auto it = decoded.find(v);
            return it == decoded.end() ? nullptr : &it->second;
        };
        const auto outs = evaluateConstexpr(*op, lookup);
        if (!outs) continue;
        for (size_t i = 0; i < outs->size() && i < op->outputs.size(); ++i) decoded.emplace(op->outputs[i], (*outs)[i]);
    }
    return decoded;
}

DecompressSummary decompressProgram(mil::Program& program) {
    DecompressSummary summary;
    mil::Block& body = program.main().body;
    const std::map<const mil::Value*, Tensor> decoded = decodeConstexprValues(program);
    const auto uses = mil::buildUses(body);
    const auto isConstexpr = [](const mil::Operation* op) { return op->type.rfind("constexpr_", 0) == 0; };

    std::vector<mil::Operation*> constexprOps;
    for (const auto& op : body.ops)
        if (isConstexpr(op.get())) constexprOps.push_back(op.get());
    // Values only constexpr ops read: their parameters, removed with them.
    std::set<const mil::Value*> parameters;
    for (mil::Operation* op : constexprOps) {
        for (const auto& in : op->inputs)
            for (const mil::Value* v : in.values) parameters.insert(v);
        for (mil::Value* outValue : op->outputs) {
            const auto it = uses.find(outValue);
            const bool readByOrdinaryOp =
                (it != uses.end() && std::any_of(it->second.begin(), it->second.end(),
                                                 [&](const mil::Operation* u) { return !isConstexpr(u); })) ||
                mil::isBlockOutput(body, outValue);
            if (!readByOrdinaryOp) continue;
            const auto d = decoded.find(outValue);
            if (d == decoded.end())
                throw Error(ErrorKind::Unsupported,
                            "cannot decode " + op->type + " \"" + op->name + "\" (" + outValue->type.toString() + ")",
                            {{}, op->prov.describe()},
                            "this encoding (e.g. a vector look-up table) is not decoded by the studio; decompress the "
                            "package with coremltools instead");
            mil::Builder b(program, body, program.target);
            b.setProvenance(op->prov);
            b.setInsertBefore(op);
            const std::string name = outValue->name;
            mil::Value* dense = b.constant(d->second, name + "_dense");
            mil::replaceAllUses(body, outValue, dense);
            // The constant takes the weight's name, so configs and reports still find it by name.
            dense->name = name;
            dense->producer->name = name;
            ++summary.weights;
        }
    }
    // Remove the chains: constexpr ops, then the constants only they read, now without users.
    const std::set<const mil::Operation*> removed(constexprOps.begin(), constexprOps.end());
    summary.constexprOps = removed.size();
    body.ops.erase(std::remove_if(body.ops.begin(), body.ops.end(),
                                  [&](const auto& op) { return removed.count(op.get()) != 0; }),
                   body.ops.end());
    const auto after = mil::buildUses(body);
    body.ops.erase(std::remove_if(body.ops.begin(), body.ops.end(),
                                  [&](const auto& op) {
                                      if (op->type != "const" || !parameters.count(op->output())) return false;
                                      const auto it = after.find(op->output());
                                      return (it == after.end() || it->second.empty()) &&
                                             !mil::isBlockOutput(body, op->output());
                                  }),
                   body.ops.end());
    return summary;
}

}  // namespace cms::compress
