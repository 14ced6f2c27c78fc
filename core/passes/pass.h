#pragma once
// Graph passes over a MIL program, run as a named, printable, editable pipeline.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mil/program.h"
#include "settings/conversion_settings.h"

namespace cms::passes {

struct PassContext {
    Precision precision = Precision::Float16;
    std::vector<std::string> fp32Ops;  // op types or module-path globs kept in fp32
    std::vector<std::string>* log = nullptr;  // one line per change worth telling the user
};

class Pass {
public:
    virtual ~Pass() = default;
    virtual std::string name() const = 0;
    // Returns true when the program changed, so pipelines can iterate to a fixed point.
    virtual bool run(mil::Program& program, const PassContext& ctx) = 0;
};

std::unique_ptr<Pass> createPass(const std::string& name);  // null for an unknown name
std::vector<std::string> availablePasses();

class PassPipeline {
public:
    // Throws cms::Error(Settings) listing the available passes when a name is unknown.
    explicit PassPipeline(std::vector<std::string> names);
    // The pipeline a conversion runs for these settings.
    static PassPipeline defaultPipeline(const PassContext& ctx);
    // The comma-separated form ("constant_folding,dead_code_elimination"), for command lines and logs.
    static PassPipeline fromString(const std::string& text);
    std::string toString() const;
    const std::vector<std::string>& names() const { return names_; }
    // Runs each pass in order; onPass(name, changed) is called after each.
    void run(mil::Program& program, const PassContext& ctx,
             const std::function<void(const std::string&, bool)>& onPass = {}) const;

private:
    std::vector<std::string> names_;
};

}  // namespace cms::passes
