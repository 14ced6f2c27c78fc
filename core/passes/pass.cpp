#include "passes/pass.h"

#include <utility>

#include "common/error.h"
#include "common/log.h"
#include "passes/all_passes.h"
#include "passes/verify.h"

namespace cms::passes {

namespace {
using Factory = std::unique_ptr<Pass> (*)();

// Registry order is the order `availablePasses()` lists them in.
const std::vector<std::pair<std::string, Factory>>& registry() {
    static const std::vector<std::pair<std::string, Factory>> r = {
        {"constant_folding", &makeConstantFolding},
        {"remove_identity_ops", &makeRemoveIdentityOps},
        {"fuse_conv_batchnorm", &makeFuseConvBatchnorm},
        {"dead_code_elimination", &makeDeadCodeElimination},
        {"fp16_cast_placement", &makeFp16CastPlacement},
        {"fold_casts", &makeFoldCasts},
    };
    return r;
}

std::string join(const std::vector<std::string>& names, const char* sep) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : sep) + n;
    return out;
}
}  // namespace

std::unique_ptr<Pass> createPass(const std::string& name) {
    for (const auto& [n, make] : registry())
        if (n == name) return make();
    return nullptr;
}

std::vector<std::string> availablePasses() {
    std::vector<std::string> out;
    for (const auto& entry : registry()) out.push_back(entry.first);
    return out;
}

PassPipeline::PassPipeline(std::vector<std::string> names) : names_(std::move(names)) {
    for (const auto& n : names_)
        if (!createPass(n))
            throw Error(ErrorKind::Settings, "unknown pass '" + n + "'", {},
                        "use one of: " + join(availablePasses(), ", "));
}

PassPipeline PassPipeline::defaultPipeline(const PassContext& ctx) {
    // Fold first so fusion sees const weights, fuse, fold what fusion exposed, then drop the dead.
    std::vector<std::string> names = {"constant_folding", "remove_identity_ops", "fold_casts", "fuse_conv_batchnorm",
                                      "constant_folding", "dead_code_elimination"};
    if (ctx.precision == Precision::Float16)
        for (const char* n : {"fp16_cast_placement", "fold_casts", "dead_code_elimination"}) names.push_back(n);
    return PassPipeline(std::move(names));
}

PassPipeline PassPipeline::fromString(const std::string& text) {
    std::vector<std::string> names;
    std::string current;
    auto flush = [&] {
        const auto b = current.find_first_not_of(" \t");
        const auto e = current.find_last_not_of(" \t");
        if (b != std::string::npos) names.push_back(current.substr(b, e - b + 1));
        current.clear();
    };
    for (char c : text) {
        if (c == ',') flush();
        else current.push_back(c);
    }
    flush();
    return PassPipeline(std::move(names));
}

std::string PassPipeline::toString() const { return join(names_, ","); }

void PassPipeline::run(mil::Program& program, const PassContext& ctx,
                       const std::function<void(const std::string&, bool)>& onPass) const {
    for (const auto& name : names_) {
        std::unique_ptr<Pass> pass = createPass(name);
        const bool changed = pass->run(program, ctx);
        logger()->debug("pass {}: {}", name, changed ? "changed the program" : "no change");
        try {
            verifyProgram(program);
        } catch (const Error& e) {
            throw Error(ErrorKind::Internal, "after pass '" + name + "': " + e.message(), {e.file(), e.node()},
                        e.hint());
        }
        if (onPass) onPass(name, changed);
    }
}

}  // namespace cms::passes
