#include "frontends/torchscript/debug_pickle_form.h"

#include <vector>

namespace cms::frontends {

namespace {
namespace pk = pickle;

bool isInt(const pk::ValuePtr& v) { return v && v->is(pk::Kind::Int); }

bool indexIn(const pk::ValuePtr& v, size_t tableSize) {
    return isInt(v) && v->integer >= 0 && static_cast<uint64_t>(v->integer) < tableSize;
}

std::optional<std::string> sourceMisformed(const pk::Value& source, bool withTable, size_t tableSize) {
    if (!source.is(pk::Kind::Tuple) || source.items.size() != 3 || !isInt(source.items[2]))
        return "a source that is not (text, file, line)";
    const pk::Value& text = *source.items[0];
    const pk::ValuePtr& file = source.items[1];
    if (!withTable) {
        if (!text.is(pk::Kind::String)) return "a source text that is not a string";
        if (!file->is(pk::Kind::String) && !file->is(pk::Kind::None)) return "a source file that is not a string";
        return std::nullopt;
    }
    if (!indexIn(file, tableSize)) return "a source file index outside the string table";
    // torch.jit._pickle.build_intlist([indices]): the text's pieces in the table.
    if (!text.is(pk::Kind::Call) || text.globalName() != "torch.jit._pickle build_intlist" ||
        text.items.size() < 2 || text.items[1]->items.size() != 1 || !text.items[1]->items[0]->is(pk::Kind::List))
        return "a source text that is not a list of string indices";
    for (const auto& index : text.items[1]->items[0]->items)
        if (!indexIn(index, tableSize)) return "a source text index outside the string table";
    return std::nullopt;
}
}  // namespace

std::optional<std::string> debugPickleMisformed(const pk::Value& root) {
    if (!root.is(pk::Kind::Tuple)) return "debug records that are not a tuple";
    const pk::Value* records = &root;
    bool withTable = false;
    size_t tableSize = 0;
    if (!root.items.empty() && root.items[0]->is(pk::Kind::String) &&
        root.items[0]->text == "FORMAT_WITH_STRING_TABLE") {
        if (root.items.size() != 3 || !root.items[1]->is(pk::Kind::Tuple) || !root.items[2]->is(pk::Kind::Tuple))
            return "a string table form that is not (tag, strings, records)";
        for (const auto& s : root.items[1]->items)
            if (!s->is(pk::Kind::String)) return "a string table holding a non-string";
        withTable = true;
        tableSize = root.items[1]->items.size();
        records = root.items[2].get();
    }
    for (const auto& record : records->items) {
        if (!record->is(pk::Kind::Tuple) || record->items.size() < 2 || record->items.size() > 3 ||
            !isInt(record->items[0]) || (record->items.size() == 3 && !isInt(record->items[2])))
            return "a debug record that is not (offset, range[, tag])";
        const pk::Value& range = *record->items[1];
        if (!range.is(pk::Kind::Tuple) || range.items.size() != 3 || !isInt(range.items[1]) || !isInt(range.items[2]))
            return "a source range that is not (source, start, end)";
        if (range.items[1]->integer < 0 || range.items[1]->integer > range.items[2]->integer)
            return "a source range that does not run forward from 0 or later";
        if (auto why = sourceMisformed(*range.items[0], withTable, tableSize)) return why;
    }
    return std::nullopt;
}

}  // namespace cms::frontends
