// aten::_pack_padded_sequence and aten::_pad_packed_sequence, and the packed layouts the recurrent
// layers read (see packed_sequence.h).
#include "lower/translators/packed_sequence.h"

#include "lower/constant_values.h"
#include "lower/translators/nn_translator_utils.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

mil::Value* transpose01(LowerContext& ctx, mil::Value* x, const std::string& name) {
    mil::Builder& b = ctx.builder();
    return b.add1("transpose", {{"x", {x}}, {"perm", {b.constInts({1, 0, 2}, name + "_perm")}}}, name);
}

mil::Value* gatherRows(LowerContext& ctx, mil::Value* x, const std::vector<int64_t>& rows, const std::string& name) {
    mil::Builder& b = ctx.builder();
    mil::Value* index = b.constant(Tensor::fromInts(rows, {static_cast<int64_t>(rows.size())}), name + "_rows");
    return b.add1("gather", {{"x", {x}}, {"indices", {index}}, {"axis", {b.constInt(0, name + "_axis")}}}, name);
}

// Rows of the padded, time-major steps [T * B, F] that torch's packed data holds, in its order.
std::vector<int64_t> packedRows(const std::vector<int64_t>& batchSizes, int64_t batch) {
    std::vector<int64_t> rows;
    for (size_t t = 0; t < batchSizes.size(); ++t)
        for (int64_t b = 0; b < batchSizes[t]; ++b) rows.push_back(static_cast<int64_t>(t) * batch + b);
    return rows;
}

mil::Value* castTo(LowerContext& ctx, mil::Value* x, const char* dtype, const std::string& name) {
    return ctx.builder().add1("cast", {{"x", {x}}, {"dtype", {ctx.builder().constString(dtype, name + "_dtype")}}}, name);
}

mil::Value* sumOver(LowerContext& ctx, mil::Value* x, int64_t axis, const std::string& name) {
    mil::Builder& b = ctx.builder();
    return b.add1("reduce_sum", {{"x", {x}}, {"axes", {b.constInts({axis}, name + "_axes")}},
                                 {"keep_dims", {b.constBool(false, name + "_keep")}}}, name);
}

// A sequence's length is the number of steps still running it: the sequences are sorted.
std::vector<int64_t> lengthsOf(const std::vector<int64_t>& batchSizes) {
    std::vector<int64_t> lengths(static_cast<size_t>(batchSizes.empty() ? 0 : batchSizes.front()), 0);
    for (int64_t running : batchSizes)
        for (int64_t b = 0; b < running; ++b) ++lengths[static_cast<size_t>(b)];
    return lengths;
}

// _pack_padded_sequence(input, lengths, batch_first) -> (data, batch_sizes)
void packPaddedSequence(LowerContext& ctx, const ir::Node& node) {
    const std::string name = ctx.nameFor(node.outputs.at(0));
    mil::Value* x = ctx.tensor(node.inputs.at(0));
    if (x->type.rank() != 3)
        ctx.fail("packs a batch of shape " + shapeText(x->type.shape) + "; only [steps, batch, features] (or batch first) is supported",
                 "flatten the features of each step to one dimension before packing");
    if (ctx.boolArg(node.inputs.at(2))) x = transpose01(ctx, x, name + "_time_major");
    const Shape shape = staticShape(ctx, x, "the padded batch");
    const int64_t steps = shape[0], batch = shape[1], features = shape[2];
    mil::Value* flat = reshapeTo(ctx, x, {steps * batch, features}, name + "_steps");
    const ir::Value* lengthsValue = node.inputs.at(1);

    if (ctx.isConstant(lengthsValue)) {
        const std::optional<std::vector<int64_t>> lengths = intsOf(ctx.constant(lengthsValue));
        if (!lengths || static_cast<int64_t>(lengths->size()) != batch)
            ctx.fail("expects one length per sequence (" + std::to_string(batch) + ")");
        for (size_t b = 0; b < lengths->size(); ++b) {
            const int64_t l = (*lengths)[b];
            if (l < 1 || l > steps)
                ctx.fail("length " + std::to_string(l) + " of sequence " + std::to_string(b) + " is outside 1.." +
                         std::to_string(steps));
            if (b > 0 && l > (*lengths)[b - 1])
                ctx.fail("the lengths " + listText(*lengths) + " are not sorted in decreasing order",
                         "call pack_padded_sequence with enforce_sorted=False, or sort the batch by length");
        }
        std::vector<int64_t> batchSizes(static_cast<size_t>(lengths->front()), 0);
        for (int64_t l : *lengths)
            for (int64_t t = 0; t < l; ++t) ++batchSizes[static_cast<size_t>(t)];
        ctx.bind(node.outputs.at(0), gatherRows(ctx, flat, packedRows(batchSizes, batch), name));
        ctx.bindConstant(node.outputs.at(1),
                         Tensor::fromInts(batchSizes, {static_cast<int64_t>(batchSizes.size())}, DType::Int64));
        return;
    }
    mil::Builder& b = ctx.builder();
    mil::Value* lengths = ctx.tensorAs(lengthsValue, DType::Int32);
    if (lengths->type.shape != Shape{batch})
        ctx.fail("expects one length per sequence (" + std::to_string(batch) + "), got shape " + shapeText(lengths->type.shape));
    std::vector<int64_t> stepIndex(static_cast<size_t>(steps));
    for (int64_t t = 0; t < steps; ++t) stepIndex[static_cast<size_t>(t)] = t;
    mil::Value* running = b.add1("less", {{"x", {b.constant(Tensor::fromInts(stepIndex, {steps, 1}), name + "_step_index")}},
                                          {"y", {reshapeTo(ctx, lengths, {1, batch}, name + "_lengths_row")}}},
                                 name + "_running");
    checkRunTimePackedReaders(ctx, node.outputs.at(0));
    ctx.bind(node.outputs.at(0), flat);
    emit(ctx, "reduce_sum", {{"x", {castTo(ctx, running, "int32", name + "_running_count")}},
                             {"axes", {b.constInts({1}, name + "_batch_sizes_axes")}},
                             {"keep_dims", {b.constBool(false, name + "_batch_sizes_keep")}}},
         node.outputs.at(1));
}

// _pad_packed_sequence(data, batch_sizes, batch_first, padding_value, total_length) -> (padded, lengths)
void padPackedSequence(LowerContext& ctx, const ir::Node& node) {
    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const PaddedSequence seq = unpackSequence(ctx, node.inputs.at(0), node.inputs.at(1), name + "_unpacked");
    const int64_t features = seq.x->type.shape[2];
    const float padding = static_cast<float>(ctx.floatArg(node.inputs.at(3)));
    mil::Value* padded =
        b.add1("select", {{"cond", {seq.valid}}, {"a", {seq.x}}, {"b", {b.constFloat(padding, name + "_padding_value")}}},
               name + "_padded");
    const int64_t total = ctx.intArg(node.inputs.at(4));
    if (total < seq.steps)
        ctx.fail("total_length " + std::to_string(total) + " is shorter than the longest sequence (" +
                 std::to_string(seq.steps) + " steps)");
    if (total > seq.steps) {
        const Shape tail = {total - seq.steps, seq.batch, features};
        mil::Value* fill = b.add1("fill", {{"shape", {b.constInts(tail, name + "_tail_shape")}},
                                           {"value", {b.constFloat(padding, name + "_tail_value")}}}, name + "_tail");
        padded = b.add1("concat", {{"values", {padded, fill}}, {"axis", {b.constInt(0, name + "_tail_axis")}}}, name + "_total");
    }
    if (!seq.batchSizes)
        ctx.warnings().push_back(node.prov.describe() + ": the sequence lengths are given at run time, so the padded output "
                                 "always has " + std::to_string(total) + " steps; torch trims it to the longest length "
                                 "given (the same only when a sequence fills all steps, or with total_length=" +
                                 std::to_string(total) + ")");
    if (ctx.boolArg(node.inputs.at(2))) padded = transpose01(ctx, padded, name + "_batch_first");
    ctx.bind(node.outputs.at(0), padded);
    if (seq.batchSizes) {
        const std::vector<int64_t> lengths = lengthsOf(*seq.batchSizes);
        ctx.bindConstant(node.outputs.at(1), Tensor::fromInts(lengths, {seq.batch}, DType::Int64));
        return;
    }
    mil::Value* counts = sumOver(ctx, castTo(ctx, seq.valid, "int32", name + "_valid_count"), 0, name + "_lengths_column");
    emit(ctx, "reshape", {{"x", {counts}}, {"shape", {b.constInts({seq.batch}, name + "_lengths_shape")}}}, node.outputs.at(1));
}

bool isPackedRecurrent(const ir::Node& n) {
    const bool recurrent = n.kind == "aten::lstm" || n.kind == "aten::gru" || n.kind == "aten::rnn_tanh" || n.kind == "aten::rnn_relu";
    return recurrent && n.inputs.size() == 9 && n.inputs[1]->kind == ir::ValueKind::Tensor;
}

}  // namespace

PaddedSequence unpackSequence(LowerContext& ctx, const ir::Value* data, const ir::Value* batchSizes, const std::string& name) {
    mil::Builder& b = ctx.builder();
    mil::Value* rows = ctx.tensor(data);
    if (rows->type.rank() != 2 || rows->type.dtype != DType::Float32)
        ctx.fail("the packed data must be a float tensor [steps, features], got " + shapeText(rows->type.shape));
    const int64_t features = rows->type.shape[1];
    PaddedSequence seq;
    if (ctx.isConstant(batchSizes)) {
        const std::optional<std::vector<int64_t>> sizes = intsOf(ctx.constant(batchSizes));
        if (!sizes || sizes->empty()) ctx.fail("the packed sequence's batch sizes are not a list of integers");
        seq.batchSizes = *sizes;
        seq.steps = static_cast<int64_t>(sizes->size());
        seq.batch = sizes->front();
        // Padded position -> packed row (any row where the step is past the sequence's end).
        std::vector<int64_t> source(static_cast<size_t>(seq.steps * seq.batch), 0);
        std::vector<bool> valid(source.size(), false);
        int64_t row = 0;
        for (int64_t t = 0; t < seq.steps; ++t)
            for (int64_t i = 0; i < (*sizes)[static_cast<size_t>(t)]; ++i) {
                source[static_cast<size_t>(t * seq.batch + i)] = row++;
                valid[static_cast<size_t>(t * seq.batch + i)] = true;
            }
        if (rows->type.shape[0] != row)
            ctx.fail("the packed data has " + std::to_string(rows->type.shape[0]) + " rows, its batch sizes add up to " +
                     std::to_string(row));
        seq.x = reshapeTo(ctx, gatherRows(ctx, rows, source, name + "_gather"), {seq.steps, seq.batch, features}, name);
        seq.valid = b.constant(Tensor::fromBools(valid, {seq.steps, seq.batch, 1}), name + "_valid");
        return seq;
    }
    mil::Value* sizes = ctx.tensorAs(batchSizes, DType::Int32);
    if (sizes->type.rank() != 1 || rows->type.shape[0] % sizes->type.shape[0] != 0)
        ctx.fail("the packed data " + shapeText(rows->type.shape) + " does not match its batch sizes " +
                 shapeText(sizes->type.shape));
    seq.steps = sizes->type.shape[0];
    seq.batch = rows->type.shape[0] / seq.steps;
    seq.x = reshapeTo(ctx, rows, {seq.steps, seq.batch, features}, name);
    std::vector<int64_t> sequenceIndex(static_cast<size_t>(seq.batch));
    for (int64_t i = 0; i < seq.batch; ++i) sequenceIndex[static_cast<size_t>(i)] = i;
    mil::Value* running = b.add1("less", {{"x", {b.constant(Tensor::fromInts(sequenceIndex, {1, seq.batch}), name + "_sequence_index")}},
                                          {"y", {reshapeTo(ctx, sizes, {seq.steps, 1}, name + "_sizes_column")}}},
                                 name + "_running");
    seq.valid = reshapeTo(ctx, running, {seq.steps, seq.batch, 1}, name + "_valid");
    return seq;
}

mil::Value* packSequence(LowerContext& ctx, const PaddedSequence& layout, mil::Value* padded, const std::string& name) {
    const Shape& s = padded->type.shape;
    mil::Value* flat = reshapeTo(ctx, padded, {s[0] * s[1], s[2]}, name + "_steps");
    if (!layout.batchSizes) return flat;
    return gatherRows(ctx, flat, packedRows(*layout.batchSizes, layout.batch), name);
}

void checkRunTimePackedReaders(LowerContext& ctx, const ir::Value* data) {
    for (const ir::Node* n : ctx.graph().allNodes()) {
        for (size_t i = 0; i < n->inputs.size(); ++i) {
            if (n->inputs[i] != data) continue;
            bool shapeOnly = n->kind == "prim::dtype" || n->kind == "prim::device" || n->kind == "aten::dim";
            if (n->kind == "aten::size" && n->inputs.size() == 2 && n->inputs[1]->constant &&
                std::holds_alternative<int64_t>(*n->inputs[1]->constant)) {
                const int64_t dim = std::get<int64_t>(*n->inputs[1]->constant);
                shapeOnly = dim == 1 || dim == -1;  // the features; the row count differs from torch's
            }
            const bool packedReader = i == 0 && (isPackedRecurrent(*n) || n->kind == "aten::_pad_packed_sequence");
            if (shapeOnly || packedReader) continue;
            ctx.fail("the packed sequence is read by " + n->prov.describe() + "; with lengths given at run time the "
                     "conversion keeps every padded step in it (Core ML has no data-dependent shapes), which only "
                     "recurrent layers and pad_packed_sequence can read",
                     "give the lengths as a constant (a buffer of the module), or apply the op after pad_packed_sequence");
        }
    }
}

void registerPackedSequenceTranslators(TranslatorTable& t) {
    t.add({"aten::_pack_padded_sequence"}, packPaddedSequence);
    t.add({"aten::_pad_packed_sequence"}, padPackedSequence);
}

}  // namespace cms::lower
