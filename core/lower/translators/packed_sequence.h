#pragma once
// Packed sequences (torch.nn.utils.rnn.pack_padded_sequence / pad_packed_sequence) in the lowering.
//
// torch packs a padded batch [T, B, F] (sorted by decreasing length) into `data`, the valid steps
// only, step by step ([sum(lengths), F]), and `batch_sizes` ([max length]: how many sequences are
// still running at each step). Two layouts carry them here:
// - lengths known at conversion time: exactly torch's data and batch_sizes (a constant), so any op
//   reading the packed data sees what it sees in torch;
// - lengths given at run time: data keeps every step of every sequence, time-major ([T * B, F],
//   row t * B + b), since Core ML has no data-dependent shapes; batch_sizes is a run-time [T]
//   tensor. Only packed-sequence-aware ops may read such data (checked when packing).
// Either way the recurrent layers read it back as a padded batch with a validity mask.
#include <optional>
#include <string>
#include <vector>

#include "lower/lower_context.h"

namespace cms::lower {

struct PaddedSequence {
    mil::Value* x = nullptr;      // [T, B, F], time-major; steps past a sequence's end hold no meaning
    mil::Value* valid = nullptr;  // [T, B, 1] bool: step t lies within sequence b
    int64_t steps = 0, batch = 0;
    std::optional<std::vector<int64_t>> batchSizes;  // conversion-time batch sizes; none: run-time lengths
};

// The packed `data` with its `batchSizes` as a padded batch.
PaddedSequence unpackSequence(LowerContext& ctx, const ir::Value* data, const ir::Value* batchSizes,
                              const std::string& name);
// A padded batch [T, B, F] in `layout`'s packing (the inverse of unpackSequence).
mil::Value* packSequence(LowerContext& ctx, const PaddedSequence& layout, mil::Value* padded, const std::string& name);
// Fails the node when `data` (a packed sequence in the run-time layout) is read by an op that would
// take its padded rows for torch's packed ones.
void checkRunTimePackedReaders(LowerContext& ctx, const ir::Value* data);

// aten::_pack_padded_sequence and aten::_pad_packed_sequence.
void registerPackedSequenceTranslators(TranslatorTable& t);

}  // namespace cms::lower
