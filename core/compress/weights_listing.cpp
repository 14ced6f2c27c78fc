#include "compress/weights_listing.h"

#include <algorithm>
#include <cmath>

#include "compress/weight_math.h"

namespace cms::compress {

namespace {

const Tensor* constInput(const mil::Operation& op, const std::string& name) {
    const mil::Value* v = op.input(name);
    return v && v->constValue ? &*v->constValue : nullptr;
}

// A per-axis parameter grid (scalar, per-axis vector or same-rank grid) as block sizes of `shape`.
BlockSizes blocksOf(const Shape& shape, const Shape& grid) {
    BlockSizes b(shape.size(), 0);
    for (size_t d = 0; d < shape.size(); ++d) b[d] = grid[d] ? shape[d] / grid[d] : 0;
    return b;
}

std::vector<float> shiftScale(const Shape& shape, const std::vector<double>& data, const Tensor& scale,
                              const Tensor* offset, const Shape& grid) {
    const std::vector<int64_t> blockOf = blockOfElements(shape, blocksOf(shape, grid));
    const std::vector<float> s = scale.toFloats();
    const std::vector<double> z = offset ? offset->toDoubles() : std::vector<double>(s.size(), 0.0);
    std::vector<float> out(data.size());
    for (size_t i = 0; i < out.size(); ++i) {
        const size_t b = static_cast<size_t>(blockOf[i]);
        out[i] = s[b] * static_cast<float>(data[i] - z[b]);
    }
    return out;
}

std::vector<int64_t> unpack(const Tensor& bytes, int bits, int64_t count) {
    const std::vector<int64_t> raw = bytes.toInts();
    std::vector<int64_t> out(static_cast<size_t>(count), 0);
    for (int64_t i = 0; i < count; ++i)
        for (int b = 0; b < bits; ++b) {
            const int64_t bit = i * bits + b;
            if (bit / 8 < static_cast<int64_t>(raw.size()))
                out[static_cast<size_t>(i)] |= ((raw[static_cast<size_t>(bit / 8)] >> (bit % 8)) & 1) << b;
        }
    return out;
}

std::vector<float> scatter(const std::vector<float>& nonzero, const std::vector<int64_t>& mask) {
    std::vector<float> out(mask.size(), 0.0f);
    size_t k = 0;
    for (size_t i = 0; i < mask.size() && k < nonzero.size(); ++i)
        if (mask[i]) out[i] = nonzero[k++];
    return out;
}

}  // namespace

std::optional<std::vector<float>> decodeConstexpr(const mil::Operation& op) {
    const mil::Value* out = op.output();
    if (!out || !out->type.isStatic()) return std::nullopt;
    const Shape& shape = out->type.shape;
    if (op.type == "constexpr_affine_dequantize") {
        const Tensor *q = constInput(op, "quantized_data"), *zp = constInput(op, "zero_point"), *s = constInput(op, "scale"),
                     *axis = constInput(op, "axis");
        if (!q || !zp || !s || !axis) return std::nullopt;
        Shape grid(shape.size(), 1);
        if (s->rank() == 1) {
            int64_t a = axis->scalarAsInt();
            if (a < 0) a += static_cast<int64_t>(shape.size());
            grid[static_cast<size_t>(a)] = s->shape()[0];
        }
        const Tensor zpFull = zp->rank() == s->rank() ? *zp : Tensor::fromInts(std::vector<int64_t>(size_t(s->numel()), zp->scalarAsInt()), s->shape());
        return shiftScale(shape, q->toDoubles(), *s, &zpFull, grid);
    }
    if (op.type == "constexpr_blockwise_shift_scale") {
        const Tensor *d = constInput(op, "data"), *s = constInput(op, "scale");
        if (!d || !s) return std::nullopt;
        return shiftScale(shape, d->toDoubles(), *s, constInput(op, "offset"), s->shape());
    }
    if (op.type == "constexpr_lut_to_dense") {
        const Tensor *idx = constInput(op, "indices"), *lut = constInput(op, "lut");
        if (!idx || !lut) return std::nullopt;
        const std::vector<float> table = lut->toFloats();
        if (op.hasInput("shape")) {
            const int bits = static_cast<int>(std::lround(std::log2(double(lut->numel()))));
            const std::vector<int64_t> i = unpack(*idx, bits, shapeNumel(shape));
            std::vector<float> v(i.size());
            for (size_t k = 0; k < v.size(); ++k) v[k] = table[static_cast<size_t>(i[k])];
            return v;
        }
        if (lut->shape().back() != 1) return std::nullopt;  // vector tables are not decoded here
        Palettized p;
        p.bits = dtypeBits(idx->dtype());
        p.indices = idx->toInts();
        p.grid = Shape(lut->shape().begin(), lut->shape().end() - 2);
        p.lut = table;
        return expandPalette(p, shape);
    }
    if (op.type == "constexpr_sparse_to_dense") {
        const Tensor *data = constInput(op, "nonzero_data"), *mask = constInput(op, "mask");
        if (!data || !mask) return std::nullopt;
        const std::vector<int64_t> bits = op.hasInput("shape") ? unpack(*mask, 1, shapeNumel(shape)) : mask->toInts();
        return scatter(data->toFloats(), bits);
    }
    return std::nullopt;
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
        w.encoding = op->type;
        w.shape = v->type.shape;
        w.dtype = v->type.dtype;
        std::optional<std::vector<float>> dense;
        if (op->type == "const") {
            w.storedBytes = v->constValue->nbytes();
            w.bits = dtypeBits(v->type.dtype);
            dense = v->constValue->toFloats();
        } else {
            for (const auto& in : op->inputs)
                for (const mil::Value* p : in.values)
                    if (p->constValue) w.storedBytes += p->constValue->nbytes();
            const Tensor* data = constInput(*op, "quantized_data");
            if (!data) data = constInput(*op, "data");
            if (data) w.bits = dtypeBits(data->dtype());
            if (const Tensor* lut = constInput(*op, "lut")) {
                const int64_t palette = lut->rank() == 1 ? lut->numel() : lut->shape()[lut->shape().size() - 2];
                w.bits = static_cast<int>(std::lround(std::log2(double(palette))));
            }
            if (op->type == "constexpr_sparse_to_dense")
                if (const Tensor* nz = constInput(*op, "nonzero_data")) w.bits = dtypeBits(nz->dtype());
            dense = decodeConstexpr(*op);
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
