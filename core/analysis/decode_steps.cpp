#include "analysis/decode_steps.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <random>

#include "common/error.h"
#include "runtime/interpreter.h"
#include "runtime/torch/torchscript_runner.h"

namespace cms::analysis {

namespace {

const char* kInputHint = "sequence mode needs a decoder package taking int32 tokens [1, T] (T flexible, e.g. "
                         "--input tokens:1x(1..64=8):dtype=int32) and an int32 position [1], returning logits "
                         "[1, T, vocab], with its cache as states (--state)";

std::vector<double> asDoubles(const Tensor& t) {
    const std::vector<float> f = t.toFloats();
    return {f.begin(), f.end()};
}

// The argmax over the last dimension at the last position of logits [1, T, vocab].
int64_t lastArgmax(const Tensor& logits) {
    const std::vector<float> v = logits.toFloats();
    const int64_t vocab = logits.shape().back();
    const size_t start = v.size() - static_cast<size_t>(vocab);
    size_t best = start;
    for (size_t i = start; i < v.size(); ++i)
        if (v[i] > v[best]) best = i;
    return static_cast<int64_t>(best - start);
}

bool computesInFp16(const mil::Program& p) {
    for (const auto& op : p.main().body.ops)
        for (const mil::Value* v : op->outputs)
            if (v->type.dtype == DType::Float16 && op->type != "const") return true;
    return false;
}

}  // namespace

DecodeReport runDecodeSteps(const DecodeStepOptions& o) {
    DecodeReport report;
    report.modelPath = o.modelPath;
    report.packagePath = o.packagePath;
    if (o.promptLength < 1 || o.decodeSteps < 0)
        throw Error(ErrorKind::Input, "the prompt needs at least one token and the decode steps cannot be negative",
                    {}, "give --prompt-length 1 or more and --decode-steps 0 or more");
    const runtime::Interpreter interp = runtime::Interpreter::fromPackage(o.packagePath);
    report.criteria = o.criteria;
    if (!report.criteria.usesAllclose() && !report.criteria.minSnrDb)
        report.criteria.minSnrDb = computesInFp16(interp.program()) ? 40.0 : 60.0;
    for (const auto& [name, type] : interp.stateTypes()) report.states.push_back(name);
    for (const auto& [name, type] : interp.inputTypes()) {
        if (type.dtype != DType::Int32) continue;
        if (type.rank() == 2 && report.tokensInput.empty()) report.tokensInput = name;
        else if (type.shape == Shape{1} && report.positionInput.empty()) report.positionInput = name;
    }
    if (report.tokensInput.empty() || report.positionInput.empty())
        throw Error(ErrorKind::Input,
                    "the package has no " + std::string(report.tokensInput.empty() ? "int32 token input [1, T]"
                                                                                    : "int32 position input [1]"),
                    {o.packagePath, {}}, kInputHint);
    if (report.states.empty())
        throw Error(ErrorKind::Input, "the package has no states: each step would start from an empty cache",
                    {o.packagePath, {}}, kInputHint);
    size_t logitsIndex = 0;
    int64_t vocab = 0;
    const auto outputs = interp.outputTypes();
    for (size_t i = 0; i < outputs.size(); ++i)
        if (outputs[i].second.rank() == 3 && outputs[i].second.shape.back() > 0 && !vocab) {
            logitsIndex = i;
            vocab = outputs[i].second.shape.back();
        }
    if (!vocab)
        throw Error(ErrorKind::Input, "the package returns no logits [1, T, vocab]", {o.packagePath, {}}, kInputHint);

    const runtime::TorchScriptRunner torch(o.modelPath);  // its buffers start as saved
    runtime::State state = interp.makeState();
    std::mt19937_64 rng(o.seed);
    std::uniform_int_distribution<int64_t> token(0, vocab - 1);
    std::vector<int64_t> ids(static_cast<size_t>(o.promptLength));
    for (int64_t& id : ids) id = token(rng);
    int64_t position = 0;
    report.passed = true;
    for (int index = 0; index <= o.decodeSteps; ++index) {
        const Tensor tokens = Tensor::fromInts(ids, {1, static_cast<int64_t>(ids.size())}, DType::Int32);
        const Tensor pos = Tensor::fromInts({position}, {1}, DType::Int32);
        const std::vector<Tensor> expected = torch.run({tokens, pos});
        const std::map<std::string, Tensor> actual =
            interp.run({{report.tokensInput, tokens}, {report.positionInput, pos}}, state);
        if (expected.size() != outputs.size())
            throw Error(ErrorKind::Input,
                        "the model returns " + std::to_string(expected.size()) + " tensors, the package " +
                            std::to_string(outputs.size()),
                        {o.packagePath, {}}, "compare a package with the model it was converted from");
        DecodeStep step;
        step.index = index;
        step.position = position;
        step.tokenCount = static_cast<int64_t>(ids.size());
        step.passed = true;
        for (size_t i = 0; i < outputs.size(); ++i) {
            const Tensor& a = actual.at(outputs[i].first);
            DecodeStepOutput out;
            out.name = outputs[i].first;
            out.shape = a.shape();
            if (a.numel() != expected[i].numel())
                throw Error(ErrorKind::Input,
                            "step " + std::to_string(index) + ": output " + out.name + " has " +
                                shapeToString(a.shape()) + ", the model " + shapeToString(expected[i].shape()),
                            {o.packagePath, {}}, "compare a package with the model it was converted from");
            out.metrics = compareValues(asDoubles(a), asDoubles(expected[i]), a.shape(), report.criteria);
            out.passed = passes(out.metrics, report.criteria);
            step.passed = step.passed && out.passed;
            step.outputs.push_back(out);
        }
        step.nextToken = lastArgmax(expected[logitsIndex]);
        step.packageNextToken = lastArgmax(actual.at(outputs[logitsIndex].first));
        report.passed = report.passed && step.passed;
        report.steps.push_back(step);
        position += static_cast<int64_t>(ids.size());
        ids = {step.nextToken};
    }
    return report;
}

std::string decodeReportToJson(const DecodeReport& r) {
    nlohmann::json j;
    j["model"] = r.modelPath;
    j["package"] = r.packagePath;
    j["mode"] = "prefill+decode";
    j["tokensInput"] = r.tokensInput;
    j["positionInput"] = r.positionInput;
    j["states"] = r.states;
    j["criteria"] = r.criteria.describe();
    j["passed"] = r.passed;
    j["steps"] = nlohmann::json::array();
    for (const DecodeStep& s : r.steps) {
        nlohmann::json step = {{"index", s.index},         {"kind", s.index == 0 ? "prefill" : "decode"},
                               {"position", s.position},   {"tokens", s.tokenCount},
                               {"nextToken", s.nextToken}, {"packageNextToken", s.packageNextToken},
                               {"passed", s.passed}};
        step["outputs"] = nlohmann::json::array();
        for (const DecodeStepOutput& out : s.outputs) {
            const auto finite = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
            step["outputs"].push_back({{"name", out.name},
                                       {"shape", out.shape},
                                       {"snrDb", finite(out.metrics.snrDb)},
                                       {"maxAbsError", out.metrics.maxAbsError},
                                       {"maxRelError", out.metrics.maxRelError},
                                       {"passed", out.passed}});
        }
        j["steps"].push_back(step);
    }
    return j.dump(2) + "\n";
}

std::string decodeReportToText(const DecodeReport& r) {
    std::string text = "Sequence check of " + r.packagePath + " against " + r.modelPath + " (" +
                       r.criteria.describe() + "): prefill of " +
                       std::to_string(r.steps.empty() ? 0 : r.steps.front().tokenCount) + " tokens, then " +
                       std::to_string(r.steps.empty() ? 0 : r.steps.size() - 1) + " decode steps on one state\n";
    char line[256];
    for (const DecodeStep& s : r.steps) {
        std::snprintf(line, sizeof line, "  %-8s step %2d  pos %3lld  next %6lld%s\n", s.index ? "decode" : "prefill",
                      s.index, static_cast<long long>(s.position), static_cast<long long>(s.nextToken),
                      s.packageNextToken == s.nextToken ? "" : " (package differs)");
        text += line;
        for (const DecodeStepOutput& out : s.outputs) {
            std::snprintf(line, sizeof line, "      %-20s SNR %7.1f dB  max rel %.3g  %s\n", out.name.c_str(),
                          out.metrics.snrDb, out.metrics.maxRelError, out.passed ? "ok" : "FAILED");
            text += line;
        }
    }
    text += r.passed ? "All steps pass.\n" : "Some steps fail.\n";
    return text;
}

}  // namespace cms::analysis
