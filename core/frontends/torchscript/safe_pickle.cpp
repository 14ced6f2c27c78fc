#include "frontends/torchscript/safe_pickle.h"

#include <cstring>
#include <unordered_map>

#include "common/error.h"

namespace cms::frontends::pickle {

const Value* Value::find(const std::string& key) const {
    if (kind != Kind::Dict) return nullptr;
    for (size_t i = 0; i + 1 < items.size(); i += 2)
        if (items[i]->kind == Kind::String && items[i]->text == key) return items[i + 1].get();
    return nullptr;
}

std::string Value::globalName() const {
    if (kind == Kind::Global) return text;
    if ((kind == Kind::Call || kind == Kind::Object) && !items.empty() && items[0]) return items[0]->globalName();
    return {};
}

namespace {

class Reader {
public:
    Reader(const std::string& bytes, const std::string& what) : in_(bytes), what_(what) {}

    ValuePtr run() {
        for (;;) {
            const uint8_t op = byte();
            switch (op) {
                case 0x80: byte(); break;  // PROTO n
                case 0x95: take(8); break;  // FRAME: a length hint only
                case '.': {                 // STOP
                    if (pos_ != in_.size()) fail("data after the end of the pickle");
                    if (stack_.size() != 1 || !marks_.empty()) fail("the pickle ends with an unbalanced stack");
                    return stack_.back();
                }
                case '(': marks_.push_back(stack_.size()); break;
                case ')': push(make(Kind::Tuple)); break;
                case ']': push(make(Kind::List)); break;
                case '}': push(make(Kind::Dict)); break;
                case 't': push(container(Kind::Tuple, popMark())); break;
                case 'l': push(container(Kind::List, popMark())); break;
                case 'd': {
                    auto items = popMark();
                    if (items.size() % 2) failMalformed("a dict with an odd number of items");
                    push(container(Kind::Dict, std::move(items)));
                    break;
                }
                case 0x85: case 0x86: case 0x87: {  // TUPLE1..3
                    const size_t n = op - 0x84;
                    if (stack_.size() < n + floor()) failMalformed("a tuple of more items than the stack holds");
                    std::vector<ValuePtr> items(stack_.end() - static_cast<long>(n), stack_.end());
                    stack_.resize(stack_.size() - n);
                    push(container(Kind::Tuple, std::move(items)));
                    break;
                }
                case 'a': {  // APPEND
                    ValuePtr item = pop();
                    add(top(), Kind::List, {std::move(item)});
                    break;
                }
                case 'e': {  // APPENDS
                    auto items = popMark();
                    add(top(), Kind::List, std::move(items));
                    break;
                }
                case 's': {  // SETITEM
                    ValuePtr value = pop();
                    ValuePtr key = pop();
                    add(top(), Kind::Dict, {std::move(key), std::move(value)});
                    break;
                }
                case 'u': {  // SETITEMS
                    auto items = popMark();
                    if (items.size() % 2) failMalformed("SETITEMS with an odd number of items");
                    add(top(), Kind::Dict, std::move(items));
                    break;
                }
                case 'N': push(make(Kind::None)); break;
                case 0x88: case 0x89: {
                    auto v = make(Kind::Bool);
                    v->boolean = op == 0x88;
                    push(v);
                    break;
                }
                case 'J': pushInt(static_cast<int32_t>(le(4))); break;
                case 'K': pushInt(static_cast<int64_t>(le(1))); break;
                case 'M': pushInt(static_cast<int64_t>(le(2))); break;
                case 0x8a: {  // LONG1: little-endian two's complement of n bytes
                    const size_t n = byte();
                    if (n > 8) fail("an integer wider than 64 bits");
                    uint64_t v = n ? le(n) : 0;
                    if (n && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t(0) << (8 * n);
                    pushInt(static_cast<int64_t>(v));
                    break;
                }
                case 'G': {  // BINFLOAT: big-endian double
                    const char* p = take(8);
                    uint64_t bits = 0;
                    for (int i = 0; i < 8; ++i) bits = bits << 8 | static_cast<uint8_t>(p[i]);
                    auto v = make(Kind::Float);
                    std::memcpy(&v->real, &bits, sizeof bits);
                    push(v);
                    break;
                }
                case 'X': case 'B': pushString(le(4)); break;               // BINUNICODE, BINBYTES
                case 0x8c: case 'C': case 'U': pushString(byte()); break;   // SHORT_BINUNICODE/BYTES/BINSTRING
                case 'T': pushString(le(4)); break;                         // BINSTRING
                case 'c': {  // GLOBAL module\nname\n
                    auto v = make(Kind::Global);
                    v->text = line();  // the module, then the name: two statements, in this order
                    v->text += " " + line();
                    push(v);
                    break;
                }
                case 'R': case 0x81: {  // REDUCE callable args / NEWOBJ cls args
                    ValuePtr args = pop();
                    ValuePtr callable = pop();
                    if (!args->is(Kind::Tuple)) fail("a call whose arguments are not a tuple");
                    push(container(Kind::Call, {std::move(callable), std::move(args)}));
                    break;
                }
                case 'b': {  // BUILD: the object on the stack gets its state
                    ValuePtr state = pop();
                    const ValuePtr& object = top();
                    if (object->sealed || !object->is(Kind::Call)) fail("BUILD on something that is not a new object");
                    if (state == object) fail("an object that is its own state");
                    // Changed in place, so the memo's references to the new object (a module shared by two
                    // parents) see its state too.
                    ValuePtr call = make(Kind::Call);
                    call->items = std::move(object->items);
                    call->depth = object->depth;
                    object->kind = Kind::Object;
                    object->items.clear();
                    object->depth = 1;
                    for (ValuePtr* part : {&call, &state}) {
                        seal(*part, *object);
                        object->items.push_back(std::move(*part));
                    }
                    break;
                }
                case 'Q': push(container(Kind::PersistentId, {pop()})); break;  // BINPERSID
                case 'q': memo_[le(1)] = top(); break;
                case 'r': {  // LONG_BINPUT
                    // Picklers number memo slots from 0, two bytes or more apart; libtorch's unpickler reserves
                    // room for twice the slot number (64 GB for slot 2^31).
                    const uint64_t slot = le(4);
                    if (slot > in_.size()) failMalformed("a memo slot beyond any the pickle could have filled");
                    memo_[slot] = top();
                    break;
                }
                case 0x94: { const uint64_t slot = memo_.size(); memo_[slot] = top(); break; }  // MEMOIZE
                case 'h': push(recall(le(1))); break;
                case 'j': push(recall(le(4))); break;
                case '0': pop(); break;
                case '1': popMark(); break;
                case '2': push(top()); break;
                default: fail("an unsupported pickle opcode 0x" + hex(op));
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(ErrorKind::Input, what_ + " cannot be read: " + why + " (at byte " + std::to_string(pos_) + ")",
                    {what_, ""}, "the archive may be damaged; export the model again");
    }
    [[noreturn]] void failMalformed(const std::string& why) const {
        throw Malformed(ErrorKind::Input,
                        what_ + " cannot be read: " + why + " (at byte " + std::to_string(pos_) + ")", {what_, ""},
                        "the archive may be damaged; export the model again");
    }
    static std::string hex(uint8_t b) {
        const char* digits = "0123456789abcdef";
        return {digits[b >> 4], digits[b & 15]};
    }
    const char* take(size_t n) {
        if (n > in_.size() - pos_)
            throw CutOff(ErrorKind::Input, what_ + " cannot be read: the pickle is cut off (at byte " +
                                               std::to_string(pos_) + ")",
                         {what_, ""}, "the archive may be damaged; export the model again");
        const char* p = in_.data() + pos_;
        pos_ += n;
        return p;
    }
    uint8_t byte() { return static_cast<uint8_t>(*take(1)); }
    uint64_t le(size_t n) {
        const char* p = take(n);
        uint64_t v = 0;
        for (size_t i = n; i-- > 0;) v = v << 8 | static_cast<uint8_t>(p[i]);
        return v;
    }
    std::string line() {
        const size_t end = in_.find('\n', pos_);
        if (end == std::string::npos || end - pos_ > 1024) fail("a class name without its end of line");
        std::string s = in_.substr(pos_, end - pos_);
        pos_ = end + 1;
        return s;
    }
    static ValuePtr make(Kind k) {
        auto v = std::make_shared<Value>();
        v->kind = k;
        return v;
    }
    void pushInt(int64_t i) {
        auto v = make(Kind::Int);
        v->integer = i;
        push(v);
    }
    void pushString(uint64_t n) {
        auto v = make(Kind::String);
        const char* p = take(static_cast<size_t>(n));
        v->text.assign(p, static_cast<size_t>(n));
        push(v);
    }
    // The stack below the innermost mark belongs to an enclosing construct.
    size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
    void push(ValuePtr v) { stack_.push_back(std::move(v)); }
    ValuePtr pop() {
        if (stack_.size() <= floor()) failMalformed("the stack is empty");
        ValuePtr v = std::move(stack_.back());
        stack_.pop_back();
        return v;
    }
    const ValuePtr& top() const {
        if (stack_.size() <= floor()) failMalformed("the stack is empty");
        return stack_.back();
    }
    std::vector<ValuePtr> popMark() {
        if (marks_.empty()) failMalformed("no mark to pop to");
        const size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<ValuePtr> items(stack_.begin() + static_cast<long>(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    ValuePtr recall(uint64_t slot) const {
        const auto it = memo_.find(slot);
        if (it == memo_.end()) failMalformed("a reference to memo slot " + std::to_string(slot) + ", never stored");
        return it->second;
    }
    // Puts `items` into `target`, sealing them: nothing inside a value can be changed afterwards, and a value
    // being changed is inside nothing, so it cannot come to contain itself.
    void add(const ValuePtr& target, Kind expected, std::vector<ValuePtr> items) {
        if (!target->is(expected))
            fail(expected == Kind::List ? "APPEND to something not a list" : "SETITEM to something not a dict");
        if (target->sealed) fail("a list or dict changed after it was used");
        for (auto& item : items) {
            if (item == target) fail("a list or dict that contains itself");
            seal(item, *target);
            target->items.push_back(std::move(item));
        }
    }
    ValuePtr container(Kind k, std::vector<ValuePtr> items) {
        auto v = make(k);
        for (auto& item : items) seal(item, *v);
        v->items = std::move(items);
        return v;
    }
    void seal(const ValuePtr& item, Value& into) {
        item->sealed = true;
        if (item->depth + 1 > into.depth) into.depth = item->depth + 1;
        if (into.depth > kMaxDepth)
            throw NestingTooDeep(ErrorKind::Input,
                                 what_ + " cannot be read: nesting deeper than " + std::to_string(kMaxDepth) +
                                     " levels (at byte " + std::to_string(pos_) + ")",
                                 {what_, ""}, "the archive may be damaged or crafted; export the model again");
    }

    const std::string& in_;
    const std::string& what_;
    size_t pos_ = 0;
    std::vector<ValuePtr> stack_;
    std::vector<size_t> marks_;
    std::unordered_map<uint64_t, ValuePtr> memo_;
};

}  // namespace

ValuePtr parse(const std::string& bytes, const std::string& what) { return Reader(bytes, what).run(); }

}  // namespace cms::frontends::pickle
