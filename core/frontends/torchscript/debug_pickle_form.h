#pragma once
// libtorch reads a code file's .debug_pkl (the source ranges of its nodes) only while formatting an error message,
// and its reader trusts the records' form: a record of another shape crashed it (SIGSEGV in
// findSourceRangeThatGenerated, found by fuzz_torchscript_import). This checks the form torch.jit.save writes.
#include <optional>
#include <string>

#include "frontends/torchscript/safe_pickle.h"

namespace cms::frontends {

// What in `root` (a parsed .debug_pkl) is not in the form torch writes, described for a message; nullopt when it
// is. The form: ("FORMAT_WITH_STRING_TABLE", (strings...), records) or the records alone, a tuple of
// (offset, ((text, file, line), start, end)[, tag]) with integers where torch writes them, text a list of string
// indices (build_intlist) and file an index in the string-table form, text a string and file a string or None in
// the older one, indices inside the table and 0 <= start <= end.
std::optional<std::string> debugPickleMisformed(const pickle::Value& root);

}  // namespace cms::frontends
