#pragma once
// A pickle reader that never executes anything: class references (GLOBAL), calls (REDUCE, NEWOBJ), object
// state (BUILD) and persistent ids are recorded as data for the caller to interpret, never resolved or run.
// Enough of protocols 2-4 for what torch.jit.save writes (data.pkl, constants.pkl, *.debug_pkl). Without
// libtorch, so the fuzz build covers it.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"

namespace cms::frontends::pickle {

enum class Kind {
    None,
    Bool,
    Int,
    Float,
    String,   // str and bytes alike
    Tuple,
    List,
    Dict,     // items: key, value, key, value ...
    Global,   // text: "module name" as written (e.g. "torch._utils _rebuild_tensor_v2")
    Call,     // REDUCE or NEWOBJ: items[0] the callable (a Global), items[1] the argument tuple
    Object,   // Call after BUILD: items[0] the Call, items[1] its state
    PersistentId,  // items[0] the id (torch: a tuple naming a storage)
};

struct Value {
    Kind kind = Kind::None;
    bool boolean = false;
    int64_t integer = 0;
    double real = 0;
    std::string text;
    std::vector<std::shared_ptr<Value>> items;
    // Set once the value is inside another one or built: it is never changed after that, so no value can
    // come to contain itself.
    bool sealed = false;
    int depth = 1;  // nesting depth, bounded so walking a value cannot exhaust the stack

    bool is(Kind k) const { return kind == k; }
    // For Dict: the value under the string key `key`, or null.
    const Value* find(const std::string& key) const;
    // For Global, Call and Object: the class or function named, "module name" (a Call's callable, an Object's
    // Call's callable); empty otherwise.
    std::string globalName() const;
};
using ValuePtr = std::shared_ptr<Value>;

// Deepest nesting accepted (torch's module trees are a few dozen levels deep).
constexpr int kMaxDepth = 500;

// Thrown by parse for nesting deeper than kMaxDepth, so callers can tell a hostile structure from a feature
// this reader does not know.
class NestingTooDeep : public Error {
public:
    using Error::Error;
};

// Thrown by parse for a stream no pickler writes and libtorch's unpickler does not check for: popping more than
// the stack holds (TUPLE3 over one item, found by fuzz_torchscript_import: libtorch writes past its stack and
// crashes), a missing mark, a dict given an odd number of items, a memo slot numbered beyond the stream's
// length (libtorch reserves room for twice the number), or a reference to a memo slot never stored (libtorch's
// BINGET reads past its memo table: a bad free, found in a .debug_pkl).
class Malformed : public Error {
public:
    using Error::Error;
};

// Thrown by parse when the stream ends inside what it declares (a string's bytes, an operand). libtorch's
// unpickler reserves a declared length before reading it: 4 GB for a string of 0xFFFFFFFF bytes in a small file.
class CutOff : public Malformed {
public:
    using Malformed::Malformed;
};

// Reads one pickle from `bytes`. Throws cms::Error (Input) naming `what` on anything it does not read: an
// unknown opcode, a truncated stream (CutOff), a stack underflow or a reference to an unknown memo slot
// (Malformed), nesting deeper than kMaxDepth (NestingTooDeep), or data after STOP.
ValuePtr parse(const std::string& bytes, const std::string& what);

}  // namespace cms::frontends::pickle
