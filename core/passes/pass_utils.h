#pragma once
// Small graph-editing helpers shared by the passes.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "mil/program.h"
#include "passes/pass.h"

namespace cms::passes {

// Calls fn on every block of every function, nested blocks before the block that owns them.
void forEachBlock(mil::Program& program, const std::function<void(mil::Block&, mil::Function&)>& fn);

// How often each value is read by an op or named as a block output, in `root` and its nested blocks.
using UseCounts = std::map<const mil::Value*, int>;
UseCounts countUses(mil::Block& root);
// Adds `delta` to the counts of everything `op` (and its nested blocks) reads.
void adjustUses(UseCounts& uses, const mil::Operation& op, int delta);

// Removes `op` from `block` (its values stay owned by the program).
void eraseOp(mil::Block& block, const mil::Operation* op);
// Removes those of `candidates` that nothing reads any more (in any block of `f`), and then the
// producers that only they read, and so on up the chain.
size_t eraseIfUnused(mil::Function& f, const std::vector<mil::Operation*>& candidates);

// Whether uses of `from` may be redirected to `to`: a block output keeps its user-facing name only
// when `to` is produced by an op that is not itself a block output (replaceAllUses moves the name).
bool canReplace(const mil::Block& block, const mil::Value* from, const mil::Value* to);

// The op's sole reader, or null when the value has several readers or is a block output.
mil::Operation* soleUser(mil::Block& block, const UseCounts& uses, const mil::Value* v);

// The const value bound to a single-valued input, or null.
const Tensor* constInput(const mil::Operation& op, const std::string& name);

// A `const` op inserted before `before` in `block`, stamped with `prov`.
mil::Value* insertConst(mil::Program& program, mil::Block& block, mil::Target target, const mil::Operation* before,
                        const Tensor& value, const std::string& nameHint, const ir::Provenance& prov);

// '*' and '?' wildcards.
bool globMatch(const std::string& pattern, const std::string& text);
// An fp32Ops entry matches an op by MIL op type, or as a glob over its module path or any dotted
// prefix of it (so "layer1" keeps everything under layer1 in fp32).
bool matchesOpFilter(const std::string& entry, const mil::Operation& op);

void note(const PassContext& ctx, const std::string& line);

}  // namespace cms::passes
