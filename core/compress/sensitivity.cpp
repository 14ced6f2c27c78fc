#include "compress/sensitivity.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>

#include <nlohmann/json.hpp>

#include "analysis/accuracy_report.h"
#include "common/error.h"
#include "compress/compress_program.h"
#include "compress/parallel_for.h"
#include "package/package.h"
#include "runtime/interpreter.h"

namespace cms::compress {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kInfAsDb = 100.0;  // an identical output counts as this much in means and JSON

double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

[[noreturn]] void badCandidate(const std::string& label, const std::string& why) {
    throw Error(ErrorKind::Settings, "compression candidate \"" + label + "\": " + why, {},
                "use int8, int4-bN (e.g. int4-b32), palN with N = 1, 2, 3, 4, 6 or 8 (e.g. pal6), or palN-gG "
                "(e.g. pal4-g16)");
}

int positiveNumber(const std::string& label, const std::string& digits) {
    if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit))
        badCandidate(label, "\"" + digits + "\" is not a positive number");
    const int n = std::stoi(digits);
    if (n <= 0) badCandidate(label, "\"" + digits + "\" is not a positive number");
    return n;
}

double snrFrom(double signal, double noise) {
    if (!(noise >= 0) || std::isinf(noise)) return -kInf;  // NaN or inf in the output
    if (noise == 0) return kInf;
    return 10.0 * std::log10(signal / noise);
}

// Relative noise power of an SNR: what adds up when several layers are compressed at once.
double relativeNoise(double snrDb) { return std::isinf(snrDb) && snrDb > 0 ? 0.0 : std::pow(10.0, -snrDb / 10.0); }

std::vector<double> flatOutputs(const std::map<std::string, Tensor>& outputs) {
    std::vector<double> flat;
    for (const auto& [name, t] : outputs) {
        if (!isFloat(t.dtype())) continue;  // integer outputs (argmax ...) carry no SNR
        for (float v : t.toFloats()) flat.push_back(v);
    }
    return flat;
}

nlohmann::json dbJson(double db) {
    if (std::isnan(db)) return nullptr;
    if (std::isinf(db)) return db > 0 ? kInfAsDb : -kInfAsDb;
    return std::round(db * 100.0) / 100.0;
}

std::string dbText(const std::optional<double>& db) {
    if (!db) return "n/a";
    if (std::isinf(*db)) return *db > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *db);
    return buf;
}

std::string bytesText(uint64_t bytes) {
    char buf[32];
    if (bytes >= 1024ull * 1024) std::snprintf(buf, sizeof buf, "%.2f MiB", double(bytes) / (1024.0 * 1024.0));
    else std::snprintf(buf, sizeof buf, "%.1f KiB", double(bytes) / 1024.0);
    return buf;
}

// The uncompressed package run once per input set, every value recorded, so a run with one weight
// replaced recomputes only what depends on it.
class Baseline {
public:
    Baseline(const std::string& path, const SensitivityOptions& o) : interp_(runtime::Interpreter::fromPackage(path)) {
        const int sets = o.inputFiles.empty() ? std::max(1, o.samples) : 1;
        for (int s = 0; s < sets; ++s) {
            analysis::VerifyOptions v;
            v.packagePath = path;
            v.inputFiles = o.inputFiles;
            v.seed = o.seed + static_cast<uint64_t>(s);
            inputs_.push_back(analysis::packageInputs(v, interp_));
            traces_.emplace_back();
            runtime::RunOptions record;
            record.record = &traces_.back();
            refs_.push_back(flatOutputs(interp_.run(inputs_.back(), record)));
            for (double r : refs_.back()) signal_ += r * r;
        }
        if (!(signal_ > 0) || std::isinf(signal_))
            throw Error(ErrorKind::Input, "the package's outputs are all zero (or not finite) on these inputs, so no SNR "
                        "can be measured", {path, {}}, "give representative inputs with --input-data");
    }

    const runtime::Interpreter& interpreter() const { return interp_; }
    int sets() const { return static_cast<int>(inputs_.size()); }

    // Output SNR over every input set with these constants replaced.
    double snrWith(const std::map<std::string, Tensor>& constants) const {
        runtime::RunOptions options;
        options.constants = constants;
        double noise = 0;
        for (size_t s = 0; s < inputs_.size(); ++s) {
            options.reuse = &traces_[s];
            const std::vector<double> out = flatOutputs(interp_.run(inputs_[s], options));
            for (size_t i = 0; i < out.size() && i < refs_[s].size(); ++i) {
                const double d = out[i] - refs_[s][i];
                noise += std::isfinite(d) ? d * d : kInf;
            }
        }
        return snrFrom(signal_, noise);
    }

    // Output SNR of another interpreter (the same model compressed) on the same inputs.
    double snrOf(const runtime::Interpreter& other) const {
        double noise = 0;
        for (size_t s = 0; s < inputs_.size(); ++s) {
            const std::vector<double> out = flatOutputs(other.run(inputs_[s]));
            if (out.size() != refs_[s].size())
                throw Error(ErrorKind::Input, "the packages' outputs differ in size", {}, "compare packages of one model");
            for (size_t i = 0; i < out.size(); ++i) {
                const double d = out[i] - refs_[s][i];
                noise += std::isfinite(d) ? d * d : kInf;
            }
        }
        return snrFrom(signal_, noise);
    }

private:
    runtime::Interpreter interp_;
    std::vector<std::map<std::string, Tensor>> inputs_;
    std::vector<runtime::RunTrace> traces_;
    std::vector<std::vector<double>> refs_;
    double signal_ = 0;
};

// One candidate applied to every layer it can encode (with the compressor `compress` uses), then
// decoded by the interpreter: the values a package compressed this way computes with.
struct Encoded {
    std::vector<std::optional<Tensor>> decoded;  // per layer
    std::vector<uint64_t> bytesAfter;            // per layer
};

Encoded encodeCandidate(const std::string& path, const std::vector<LayerSensitivity>& layers, const OpCompression& config) {
    Encoded e;
    e.decoded.resize(layers.size());
    e.bytesAfter.assign(layers.size(), 0);
    std::map<std::string, size_t> layerOf;
    for (size_t i = 0; i < layers.size(); ++i) layerOf[layers[i].weight] = i;
    package::PackageContents contents = package::readPackage(path);
    std::vector<CompressedWeight> done;
    try {
        CompressionConfig all;
        all.global = config;
        done = compressProgram(contents.program, all).weights;
    } catch (const Error&) {
        // Some layer cannot take it (a block size that does not divide its channels, say): one at a
        // time, so the others still get a figure.
        contents = package::readPackage(path);
        done.clear();
        for (const LayerSensitivity& l : layers) {
            CompressionConfig one;
            one.opNames[l.weight] = config;
            try {
                for (const CompressedWeight& w : compressProgram(contents.program, one).weights) done.push_back(w);
            } catch (const Error&) {
            }
        }
    }
    const runtime::Interpreter decoder(std::move(contents));
    for (const CompressedWeight& w : done) {
        const auto it = layerOf.find(w.name);
        if (it == layerOf.end()) continue;
        e.decoded[it->second] = decoder.constant(w.name);
        e.bytesAfter[it->second] = w.bytesAfter;
    }
    return e;
}

// Greedy multiple-choice knapsack on noise: starting from every layer uncompressed, repeatedly take
// the change (a layer to a smaller setting) that saves the most bytes per unit of added relative
// noise, while the summed noise stays within the budget.
std::vector<int> chooseWithin(const std::vector<LayerSensitivity>& layers, double budget) {
    std::vector<int> choice(layers.size(), -1);
    std::vector<double> noise(layers.size(), 0.0);
    double used = 0;
    for (;;) {
        double bestRatio = -1;
        size_t bestLayer = 0;
        int bestCandidate = -1;
        for (size_t i = 0; i < layers.size(); ++i) {
            const LayerSensitivity& l = layers[i];
            const uint64_t current = choice[i] < 0 ? l.bytes : l.bytesAfter[static_cast<size_t>(choice[i])];
            for (size_t c = 0; c < l.snrDb.size(); ++c) {
                if (!l.snrDb[c] || l.bytesAfter[c] >= current) continue;
                const double added = relativeNoise(*l.snrDb[c]) - noise[i];
                if (used + added > budget) continue;
                const double saved = double(current - l.bytesAfter[c]);
                const double ratio = added <= 0 ? std::numeric_limits<double>::max() : saved / added;
                if (ratio > bestRatio) {
                    bestRatio = ratio;
                    bestLayer = i;
                    bestCandidate = static_cast<int>(c);
                }
            }
        }
        if (bestCandidate < 0) return choice;
        const double n = relativeNoise(*layers[bestLayer].snrDb[static_cast<size_t>(bestCandidate)]);
        used += n - noise[bestLayer];
        noise[bestLayer] = n;
        choice[bestLayer] = bestCandidate;
    }
}

}  // namespace

Candidate parseCandidate(const std::string& label) {
    Candidate c{label, {}};
    if (label == "int8") {
        c.config = OpCompression::defaults(CompressionMethod::LinearQuantize);
        c.config.granularity = CompressionGranularity::PerChannel;
    } else if (label.rfind("int4-b", 0) == 0) {
        c.config = OpCompression::defaults(CompressionMethod::LinearQuantize);
        c.config.bits = 4;
        c.config.granularity = CompressionGranularity::PerBlock;
        c.config.blockSize = positiveNumber(label, label.substr(6));
    } else if (label.rfind("pal", 0) == 0) {
        c.config = OpCompression::defaults(CompressionMethod::Palettize);
        const std::string rest = label.substr(3);
        const size_t dash = rest.find("-g");
        c.config.bits = positiveNumber(label, rest.substr(0, dash));
        const int b = c.config.bits;
        if (b != 1 && b != 2 && b != 3 && b != 4 && b != 6 && b != 8) badCandidate(label, "palettes have 1, 2, 3, 4, 6 or 8 bits");
        if (dash != std::string::npos) {
            c.config.granularity = CompressionGranularity::PerGroupedChannel;
            c.config.groupSize = positiveNumber(label, rest.substr(dash + 2));
        }
    } else {
        badCandidate(label, "unknown setting");
    }
    return c;
}

std::vector<std::string> defaultCandidateLabels(mil::Target target) {
    if (target >= mil::Target::iOS18) return {"int8", "int4-b32", "pal6", "pal4", "pal3", "pal2"};
    return {"int8", "pal6", "pal4", "pal2"};
}

double LayerSensitivity::meanSnrDb() const {
    double sum = 0;
    int n = 0;
    for (const auto& s : snrDb)
        if (s) {
            sum += std::clamp(*s, -kInfAsDb, kInfAsDb);
            ++n;
        }
    return n ? sum / n : kInfAsDb;
}

std::vector<size_t> SensitivityReport::ranking() const {
    std::vector<size_t> order(layers.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return layers[a].meanSnrDb() < layers[b].meanSnrDb(); });
    return order;
}

SensitivityReport analyseSensitivity(const std::string& path, const SensitivityOptions& o) {
    const auto start = Clock::now();
    SensitivityReport r;
    r.packagePath = path;
    r.targetSnrDb = o.targetSnrDb;
    r.threads = o.threads ? o.threads : workerCount();
    auto phase = Clock::now();
    const Baseline base(path, o);
    r.samples = base.sets();
    r.seconds["baseline"] = secondsSince(phase);
    const mil::Target target = base.interpreter().program().target;
    if (target < mil::Target::iOS16)
        throw Error(ErrorKind::Settings,
                    "the package targets " + mil::targetName(target) + "; compressed weights need iOS16 or later",
                    {path, {}}, "convert the model again with --target iOS16 (or later)");

    std::vector<Candidate> candidates;
    for (const std::string& label : o.candidates.empty() ? defaultCandidateLabels(target) : o.candidates) {
        Candidate c = parseCandidate(label);
        c.config.weightThreshold = o.minElements;
        CompressionConfig check;
        check.global = c.config;
        try {
            checkCompressionTarget(check, target);
        } catch (const Error& e) {
            r.skippedCandidates.push_back(label + ": " + e.what());
            continue;
        }
        candidates.push_back(c);
        r.candidates.push_back(label);
    }
    if (candidates.empty())
        throw Error(ErrorKind::Settings, "none of the candidate settings applies to a " + mil::targetName(target) + " package",
                    {path, {}}, "choose candidates the target supports (int8, pal6, pal4, pal2 from iOS16)");

    // The layers: every weight the compressor considers (int8 per tensor encodes any of them).
    phase = Clock::now();
    {
        package::PackageContents contents = package::readPackage(path);
        CompressionConfig discover;
        discover.global = OpCompression::defaults(CompressionMethod::LinearQuantize);
        discover.global->granularity = CompressionGranularity::PerTensor;
        discover.global->weightThreshold = o.minElements;
        for (const CompressedWeight& w : compressProgram(contents.program, discover).weights) {
            LayerSensitivity l;
            l.weight = w.name;
            l.opName = w.opName;
            l.opType = w.opType;
            l.modulePath = w.modulePath;
            l.shape = w.shape;
            l.params = shapeNumel(w.shape);
            l.bytes = w.bytesBefore;
            l.snrDb.assign(candidates.size(), std::nullopt);
            l.bytesAfter.assign(candidates.size(), 0);
            r.layers.push_back(std::move(l));
        }
    }
    if (r.layers.empty())
        throw Error(ErrorKind::Input,
                    "the package has no weight of more than " + std::to_string(o.minElements) +
                        " elements read by a compressible op",
                    {path, {}}, "lower --min-elements, or compress a model with larger weights");

    std::vector<Encoded> encoded(candidates.size());
    parallelFor(candidates.size(), [&](size_t c) { encoded[c] = encodeCandidate(path, r.layers, candidates[c].config); },
                r.threads);
    r.seconds["encode"] = secondsSince(phase);

    // One run per layer and candidate, each recomputing only what follows the layer.
    phase = Clock::now();
    const size_t nc = candidates.size();
    parallelFor(r.layers.size() * nc, [&](size_t task) {
        const size_t i = task / nc, c = task % nc;
        LayerSensitivity& l = r.layers[i];
        if (!encoded[c].decoded[i]) return;
        l.snrDb[c] = base.snrWith({{l.weight, *encoded[c].decoded[i]}});
        l.bytesAfter[c] = encoded[c].bytesAfter[i];
    }, r.threads);
    r.seconds["layers"] = secondsSince(phase);

    phase = Clock::now();
    const auto constantsFor = [&](const std::vector<int>& choice) {
        std::map<std::string, Tensor> constants;
        for (size_t i = 0; i < choice.size(); ++i)
            if (choice[i] >= 0) constants[r.layers[i].weight] = *encoded[static_cast<size_t>(choice[i])].decoded[i];
        return constants;
    };
    const auto bytesFor = [&](const std::vector<int>& choice) {
        uint64_t total = 0;
        for (size_t i = 0; i < choice.size(); ++i)
            total += choice[i] < 0 ? r.layers[i].bytes : r.layers[i].bytesAfter[static_cast<size_t>(choice[i])];
        return total;
    };
    r.uniform.resize(nc);
    parallelFor(nc, [&](size_t c) {
        std::vector<int> all(r.layers.size(), -1);
        for (size_t i = 0; i < all.size(); ++i)
            if (r.layers[i].snrDb[c]) all[i] = static_cast<int>(c);
        r.uniform[c] = {candidates[c].label, base.snrWith(constantsFor(all)), bytesFor(all)};
    }, r.threads);

    // Recommend: choose within the noise budget of the target and check by running the combination.
    // Short of the target, shrink the budget by the shortfall; well above it, widen it (twice at
    // most) and keep the smallest combination that passed.
    Recommendation& rec = r.recommendation;
    rec.choice.assign(r.layers.size(), -1);
    rec.measuredSnrDb = kInf;
    rec.predictedSnrDb = kInf;
    for (const LayerSensitivity& l : r.layers) rec.bytesBefore += l.bytes;
    double budget = relativeNoise(o.targetSnrDb);
    bool passed = false;
    int widened = 0;
    std::vector<int> previous;
    for (int attempt = 0; attempt < 8; ++attempt) {
        const std::vector<int> choice = chooseWithin(r.layers, budget);
        if (std::none_of(choice.begin(), choice.end(), [](int c) { return c >= 0; }) || choice == previous) break;
        previous = choice;
        double predictedNoise = 0;
        for (size_t i = 0; i < choice.size(); ++i)
            if (choice[i] >= 0) predictedNoise += relativeNoise(*r.layers[i].snrDb[static_cast<size_t>(choice[i])]);
        const double measured = base.snrWith(constantsFor(choice));
        ++rec.verifications;
        if (measured >= o.targetSnrDb) {
            if (!passed || bytesFor(choice) < bytesFor(rec.choice)) {
                rec.choice = choice;
                rec.measuredSnrDb = measured;
                rec.predictedSnrDb = snrFrom(1.0, predictedNoise);
            }
            passed = true;
            if (measured - o.targetSnrDb <= 1.0 || widened == 2) break;
            budget *= std::pow(10.0, (measured - o.targetSnrDb - 0.3) / 10.0);
            ++widened;
            continue;
        }
        if (passed) break;  // a widened budget went too far: keep the last combination that passed
        // The layers' noise did not simply add up: ask for the missing dB plus a margin.
        budget *= std::pow(10.0, -(o.targetSnrDb - measured + 0.5) / 10.0);
    }
    rec.meetsTarget = rec.measuredSnrDb >= o.targetSnrDb;
    rec.bytesAfter = bytesFor(rec.choice);
    // Keys: the source module path where it names this one layer (it survives re-conversion with other
    // settings and reads better), else the MIL op name.
    std::map<std::string, int> modulePathUses;
    for (const LayerSensitivity& l : r.layers) ++modulePathUses[l.modulePath];
    for (size_t i = 0; i < rec.choice.size(); ++i) {
        if (rec.choice[i] < 0) continue;
        const LayerSensitivity& l = r.layers[i];
        const bool byModule = !l.modulePath.empty() && modulePathUses[l.modulePath] == 1 &&
                              l.modulePath.find_first_of("*?[") == std::string::npos;
        rec.config.opNames[byModule ? l.modulePath : l.opName] = candidates[static_cast<size_t>(rec.choice[i])].config;
    }
    r.seconds["recommend"] = secondsSince(phase);
    r.seconds["total"] = secondsSince(start);
    return r;
}

double comparePackages(const std::string& referencePath, const std::string& otherPath, const SensitivityOptions& o) {
    const Baseline base(referencePath, o);
    return base.snrOf(runtime::Interpreter::fromPackage(otherPath));
}

nlohmann::json sensitivityToJson(const SensitivityReport& r) {
    using nlohmann::json;
    json layers = json::array();
    for (size_t i = 0; i < r.layers.size(); ++i) {
        const LayerSensitivity& l = r.layers[i];
        json snr = json::object(), bytes = json::object();
        for (size_t c = 0; c < r.candidates.size(); ++c) {
            snr[r.candidates[c]] = l.snrDb[c] ? dbJson(*l.snrDb[c]) : json(nullptr);
            bytes[r.candidates[c]] = l.snrDb[c] ? json(l.bytesAfter[c]) : json(nullptr);
        }
        const int chosen = r.recommendation.choice.empty() ? -1 : r.recommendation.choice[i];
        layers.push_back({{"weight", l.weight}, {"op", l.opName}, {"op_type", l.opType}, {"module", l.modulePath},
                          {"shape", l.shape}, {"params", l.params}, {"bytes", l.bytes}, {"snr_db", snr},
                          {"bytes_after", bytes},
                          {"recommended", chosen < 0 ? json(nullptr) : json(r.candidates[static_cast<size_t>(chosen)])}});
    }
    json uniform = json::array();
    for (const UniformResult& u : r.uniform)
        uniform.push_back({{"candidate", u.label}, {"snr_db", dbJson(u.snrDb)}, {"bytes_after", u.bytesAfter}});
    json ranking = json::array();
    for (size_t i : r.ranking()) ranking.push_back(r.layers[i].opName);
    const Recommendation& rec = r.recommendation;
    return {{"package", r.packagePath},
            {"target_snr_db", r.targetSnrDb},
            {"candidates", r.candidates},
            {"skipped_candidates", r.skippedCandidates},
            {"input_sets", r.samples},
            {"threads", r.threads},
            {"seconds", r.seconds},
            {"layers", layers},
            {"most_sensitive_first", ranking},
            {"uniform", uniform},
            {"recommendation",
             {{"meets_target", rec.meetsTarget},
              {"measured_snr_db", dbJson(rec.measuredSnrDb)},
              {"predicted_snr_db", dbJson(rec.predictedSnrDb)},
              {"verification_runs", rec.verifications},
              {"bytes_before", rec.bytesBefore},
              {"bytes_after", rec.bytesAfter},
              {"config", compressionToJson(rec.config)}}}};
}

std::string sensitivityToText(const SensitivityReport& r) {
    std::string out;
    const auto line = [&](const std::string& s) { out += s + "\n"; };
    size_t nameWidth = 5;
    const auto nameOf = [](const LayerSensitivity& l) { return l.modulePath.empty() ? l.opName : l.modulePath; };
    for (const LayerSensitivity& l : r.layers) nameWidth = std::max(nameWidth, nameOf(l).size());
    nameWidth = std::min<size_t>(nameWidth, 48);
    char buf[256];
    std::snprintf(buf, sizeof buf, "%-*s %-8s %10s", int(nameWidth), "layer", "op", "params");
    std::string header = buf;
    for (const std::string& c : r.candidates) {
        std::snprintf(buf, sizeof buf, " %9s", c.c_str());
        header += buf;
    }
    line(header + "  recommended");
    for (size_t i = 0; i < r.layers.size(); ++i) {
        const LayerSensitivity& l = r.layers[i];
        std::string name = nameOf(l);
        if (name.size() > nameWidth) name = "..." + name.substr(name.size() - nameWidth + 3);
        std::snprintf(buf, sizeof buf, "%-*s %-8s %10lld", int(nameWidth), name.c_str(), l.opType.c_str(),
                      static_cast<long long>(l.params));
        std::string row = buf;
        for (const auto& s : l.snrDb) {
            std::snprintf(buf, sizeof buf, " %9s", dbText(s).c_str());
            row += buf;
        }
        const int chosen = r.recommendation.choice[i];
        line(row + "  " + (chosen < 0 ? std::string("-") : r.candidates[static_cast<size_t>(chosen)]));
    }
    line("(output SNR in dB with only that layer compressed; " + std::to_string(r.samples) + " input set" +
         (r.samples == 1 ? "" : "s") + ")");
    for (const std::string& s : r.skippedCandidates) line("skipped " + s);
    const Recommendation& rec = r.recommendation;
    std::map<std::string, int> counts;
    for (int c : rec.choice) ++counts[c < 0 ? std::string("uncompressed") : r.candidates[static_cast<size_t>(c)]];
    std::string mix;
    for (const auto& [label, n] : counts) mix += (mix.empty() ? "" : ", ") + std::to_string(n) + " " + label;
    std::snprintf(buf, sizeof buf, "Recommended for SNR >= %.1f dB: %s", r.targetSnrDb, mix.c_str());
    line(buf);
    std::snprintf(buf, sizeof buf, "  weights %s -> %s (%.2fx), measured SNR %s dB (predicted %s dB; %d combined run%s)%s",
                  bytesText(rec.bytesBefore).c_str(), bytesText(rec.bytesAfter).c_str(),
                  rec.bytesAfter ? double(rec.bytesBefore) / double(rec.bytesAfter) : 0.0,
                  dbText(rec.measuredSnrDb).c_str(), dbText(rec.predictedSnrDb).c_str(), rec.verifications,
                  rec.verifications == 1 ? "" : "s",
                  rec.bytesAfter == rec.bytesBefore ? "; no combination met the target, so nothing is compressed" : "");
    line(buf);
    for (const UniformResult& u : r.uniform) {
        std::snprintf(buf, sizeof buf, "  uniform %-9s weights %s, SNR %s dB", u.label.c_str(), bytesText(u.bytesAfter).c_str(),
                      dbText(u.snrDb).c_str());
        line(buf);
    }
    std::snprintf(buf, sizeof buf, "Analysed %zu layers x %zu candidates in %.2f s (%u threads)", r.layers.size(),
                  r.candidates.size(), r.seconds.count("total") ? r.seconds.at("total") : 0.0, r.threads);
    line(buf);
    return out;
}

}  // namespace cms::compress
