#include "frontends/torchscript/class_body_guard.h"

#include <torch/csrc/jit/frontend/parser.h>
#include <torch/csrc/jit/frontend/tree_views.h>

#include <exception>
#include <optional>

#include "common/error.h"
#include "frontends/torchscript/archive_entries.h"
#include "frontends/torchscript/archive_probe.h"

namespace cms::frontends {

namespace {
namespace jit = torch::jit;

// What is wrong with one statement of a class body whose base is `base` ("" for none), as libtorch's importer
// (import_source.cpp) would read it; nullopt when it is fine or not one it dereferences blindly.
std::optional<std::string> misreadStatement(const jit::Stmt& statement, const std::string& base) {
    if (statement.kind() != jit::TK_ASSIGN) return std::nullopt;
    const jit::Assign assign(statement);
    const bool hasValue = assign.rhs().present(), hasType = assign.type().present();
    if (base == "NamedTuple") {
        if (!hasType) return "a NamedTuple field without a type";
        return std::nullopt;
    }
    if (base == "Enum") {
        if (!hasValue) return "an Enum member without a value";
        return std::nullopt;
    }
    if (!base.empty() && base != "Module") return std::nullopt;  // interfaces; libtorch refuses other bases
    if (assign.lhs().kind() == jit::TK_SUBSCRIPT) {
        if (!hasValue) return "an __annotations__ entry without its type";
        return std::nullopt;
    }
    if (assign.lhs().kind() != jit::TK_VAR) return std::nullopt;
    const std::string name = jit::Var(assign.lhs()).name().name();
    if (name == "__parameters__" || name == "__buffers__" || name == "__forward_hooks__" ||
        name == "__forward_pre_hooks__") {
        if (!hasValue) return name + " without its list";
        return std::nullopt;
    }
    if (name == "__annotations__") return std::nullopt;
    if (hasValue && !hasType) return "the assignment to " + name + " without a type";
    return std::nullopt;
}

// The first class body statement of `source` libtorch would misread, described; nullopt when there is none or
// the file does not parse the way libtorch parses it (libtorch then reports that itself).
std::optional<std::string> misreadClassBody(const std::string& source, const std::string& file) {
    try {
        jit::Parser parser(std::make_shared<jit::Source>(source, file, 1));
        jit::Lexer& lexer = parser.lexer();
        // As libtorch's importer reads a code file: an optional op_version_set line, imports, then classes
        // and functions.
        if (lexer.cur().kind == jit::TK_IDENT && lexer.cur().text() == "op_version_set") {
            lexer.next();
            lexer.expect('=');
            lexer.expect(jit::TK_NUMBER);
            lexer.expect(jit::TK_NEWLINE);
        }
        while (lexer.cur().kind != jit::TK_EOF) {
            while (lexer.nextIf(jit::TK_IMPORT)) {
                while (lexer.cur().kind != jit::TK_NEWLINE && lexer.cur().kind != jit::TK_EOF) lexer.next();
                lexer.expect(jit::TK_NEWLINE);
            }
            if (lexer.cur().kind == jit::TK_DEF) {
                parser.parseFunction(/*is_method=*/false);
                continue;
            }
            if (lexer.cur().kind != jit::TK_CLASS_DEF) return std::nullopt;
            const jit::ClassDef classDef(parser.parseClass());
            std::string base;
            if (classDef.superclass().present()) {
                const jit::Expr super = classDef.superclass().get();
                if (super.kind() != jit::TK_VAR) continue;  // libtorch refuses it cleanly
                base = jit::Var(super).name().name();
            }
            for (const jit::Stmt& statement : classDef.body())
                if (auto why = misreadStatement(statement, base))
                    return "class " + classDef.name().name() + " has " + *why;
        }
    } catch (const std::exception&) {
        // Does not parse: libtorch's importer fails on it with its own message.
    }
    return std::nullopt;
}
}  // namespace

void refuseClassBodiesLibtorchMisreads(const std::string& path) {
    constexpr size_t kLimit = size_t(64) << 20;
    ArchiveProbe probe;
    try {
        probe = probeArchive(path);
    } catch (const Error&) {
        return;
    }
    if (probe.kind != ArchiveKind::TorchScript) return;
    for (const ZipEntry& entry : probe.zipEntries) {
        const std::string& name = entry.name;
        if (name.size() < 3 || name.compare(name.size() - 3, 3, ".py") != 0) continue;
        std::string source;
        try {
            source = readArchiveEntry(path, entry, name, kLimit);
        } catch (const Error&) {
            continue;  // damaged: the checksum pass reports it
        }
        if (const auto why = misreadClassBody(source, name))
            throw Error(ErrorKind::Input, "the archive's " + name + ": " + *why + ", which libtorch " +
                                              "cannot load (it crashes) and torch.jit.save never writes",
                        {path, ""}, "the file is damaged or crafted; do not load it, export the model again");
    }
}

}  // namespace cms::frontends
