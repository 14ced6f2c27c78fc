// The compression config: coremltools-style YAML in and out, the JSON form in the settings
// document, resolution order, and errors naming file, line and key.
#include "common/error.h"
#include "settings/compression_config.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

using namespace cms;

namespace {

QString yamlError(const std::string& yaml) {
    try {
        compressionFromYaml(yaml, "cfg.yaml");
    } catch (const Error& e) {
        if (e.kind() != ErrorKind::Settings) return QString("wrong kind: ") + errorKindName(e.kind());
        return QString::fromStdString(e.what());
    }
    return "no error thrown";
}

CompressionConfig mixed() {
    CompressionConfig c;
    c.global = OpCompression::defaults(CompressionMethod::Palettize);
    c.global->bits = 6;
    c.global->granularity = CompressionGranularity::PerGroupedChannel;
    c.global->groupSize = 16;
    OpCompression linear = OpCompression::defaults(CompressionMethod::LinearQuantize);
    linear.bits = 4;
    linear.isSigned = false;
    linear.granularity = CompressionGranularity::PerBlock;
    linear.blockSize = 64;
    linear.weightThreshold.reset();
    c.opTypes["linear"] = linear;
    c.opTypes["conv"] = std::nullopt;  // left uncompressed
    OpCompression prune = OpCompression::defaults(CompressionMethod::MagnitudePrune);
    prune.targetSparsity.reset();
    prune.nmRatio = std::make_pair(2, 4);
    prune.pruneDim = 1;
    c.opNames["layer1.0.conv1.weight"] = prune;
    OpCompression threshold = OpCompression::defaults(CompressionMethod::ThresholdPrune);
    threshold.threshold = 1e-3;
    threshold.minimumSparsity = 0.25;
    c.opNames["classifier.weight"] = threshold;
    return c;
}

// Samples in coremltools' OptimizationConfig YAML (OptimizationConfig.from_yaml; four-space
// indentation as in its documentation), every field of every Op*Config given.
const char* const kQuantizerSample = R"(config_type: OpLinearQuantizerConfig
global_config:
    mode: linear_symmetric
    dtype: int8
    granularity: per_channel
    block_size: 32
    weight_threshold: 2048
op_type_configs:
    linear:
        mode: linear
        dtype: uint4
        granularity: per_block
        block_size: 64
        weight_threshold: null
    conv: null
op_name_configs:
    layer4.*:
        mode: linear_symmetric
        dtype: int4
        granularity: per_tensor
        block_size: 16
        weight_threshold: 4096
)";

const char* const kPalettizerSample = R"(config_type: OpPalettizerConfig
global_config:
    mode: kmeans
    nbits: 6
    granularity: per_grouped_channel
    group_size: 16
    channel_axis: 1
    cluster_dim: 2
    enable_per_channel_scale: true
    num_kmeans_workers: 4
    weight_threshold: 2048
op_type_configs:
    conv:
        mode: unique
        granularity: per_tensor
        group_size: 32
        channel_axis: null
        cluster_dim: 1
        enable_per_channel_scale: false
        num_kmeans_workers: 1
        weight_threshold: 100
    linear:
        mode: uniform
        nbits: 2
op_name_configs:
    conv_1: null
)";

const char* const kPrunerSample = R"(config_type: OpThresholdPrunerConfig
global_config:
    threshold: 0.01
    minimum_sparsity_percentile: 0.6
    weight_threshold: 1024
op_type_configs:
    conv:
        config_type: OpMagnitudePrunerConfig
        n_m_ratio: [3, 4]
        dim: 1
        weight_threshold: 2048
    linear:
        config_type: OpMagnitudePrunerConfig
        target_sparsity: 0.75
        block_size: 2
        dim: 0
        weight_threshold: null
op_name_configs:
    fc:
        config_type: OpLinearQuantizerConfig
        dtype: int8
)";

// The fields of coremltools' Op*Config classes (optimize/coreml/_config.py), by config_type.
const std::map<std::string, std::set<std::string>> kSchemaFields = {
    {"OpLinearQuantizerConfig", {"config_type", "mode", "dtype", "granularity", "block_size", "weight_threshold"}},
    {"OpPalettizerConfig",
     {"config_type", "mode", "nbits", "lut_function", "granularity", "group_size", "channel_axis", "cluster_dim",
      "enable_per_channel_scale", "num_kmeans_workers", "weight_threshold"}},
    {"OpThresholdPrunerConfig", {"config_type", "threshold", "minimum_sparsity_percentile", "weight_threshold"}},
    {"OpMagnitudePrunerConfig", {"config_type", "target_sparsity", "block_size", "n_m_ratio", "dim", "weight_threshold"}},
};

// Every key of the written form is one coremltools reads, nested as it expects.
QString schemaViolation(const nlohmann::json& j) {
    for (const auto& [key, value] : j.items())
        if (key != "config_type" && key != "global_config" && key != "op_type_configs" && key != "op_name_configs")
            return QString::fromStdString("top-level key " + key);
    const std::string type = j.at("config_type").get<std::string>();
    const auto entry = [&](const std::string& where, const nlohmann::json& e) -> QString {
        if (e.is_null()) return {};
        const std::string t = e.contains("config_type") ? e["config_type"].get<std::string>() : type;
        if (!kSchemaFields.count(t)) return QString::fromStdString(where + ": config_type " + t);
        for (const auto& [k, v] : e.items())
            if (!kSchemaFields.at(t).count(k)) return QString::fromStdString(where + "." + k);
        return {};
    };
    if (j.contains("global_config"))
        if (QString v = entry("global_config", j["global_config"]); !v.isEmpty()) return v;
    for (const char* table : {"op_type_configs", "op_name_configs"})
        if (j.contains(table))
            for (const auto& [name, e] : j[table].items())
                if (QString v = entry(std::string(table) + "." + name, e); !v.isEmpty()) return v;
    return {};
}

}  // namespace

class TestCompressionConfig : public QObject {
    Q_OBJECT
private slots:
    void readsCoremltoolsPalettizerExample() {
        // The example in coremltools' OptimizationConfig.from_yaml documentation.
        const CompressionConfig c = compressionFromYaml(R"(config_type: OpPalettizerConfig
global_config:
    mode: kmeans
    nbits: 4
op_type_configs:
    conv:
        mode: uniform
        nbits: 1
op_name_configs:
    conv_1:
        mode: unique
)");
        QVERIFY(c.global);
        QCOMPARE(c.global->method, CompressionMethod::Palettize);
        QCOMPARE(c.global->bits, 4);
        QCOMPARE(QString::fromStdString(c.opTypes.at("conv")->mode), QString("uniform"));
        QCOMPARE(c.opTypes.at("conv")->bits, 1);
        QCOMPARE(QString::fromStdString(c.opNames.at("conv_1")->mode), QString("unique"));
        QCOMPARE(c.opNames.at("conv_1")->weightThreshold, std::optional<int64_t>(2048));

        // Resolution: name, then type, then global.
        QCOMPARE(QString::fromStdString(c.resolve("conv_1", "conv")->mode), QString("unique"));
        QCOMPARE(QString::fromStdString(c.resolve("conv_2", "conv")->mode), QString("uniform"));
        QCOMPARE(QString::fromStdString(c.resolve("x", "linear")->mode), QString("kmeans"));
    }

    void readsConfigTypeOverrides() {
        const CompressionConfig c = compressionFromYaml(R"(config_type: OpThresholdPrunerConfig
global_config:
    threshold: 0.01
op_type_configs:
    conv:
        config_type: OpMagnitudePrunerConfig
        n_m_ratio: [3, 4]
    linear: null
)");
        QCOMPARE(c.global->method, CompressionMethod::ThresholdPrune);
        QCOMPARE(c.global->threshold, 0.01);
        QCOMPARE(c.opTypes.at("conv")->method, CompressionMethod::MagnitudePrune);
        QVERIFY(c.opTypes.at("conv")->nmRatio == std::make_pair(3, 4));
        QVERIFY(!c.opTypes.at("linear"));
        QVERIFY(!c.resolve("fc", "linear"));  // null: not compressed, even with a global config
    }

    void yamlRoundTrip() {
        const CompressionConfig c = mixed();
        const std::string yaml = compressionToYaml(c);
        QVERIFY2(yaml.find("config_type: OpPalettizerConfig") == 0, yaml.c_str());
        QVERIFY2(yaml.find("dtype: uint4") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("threshold: 0.001") != std::string::npos, yaml.c_str());
        QVERIFY(compressionFromYaml(yaml) == c);
        // Every field is written: changing one breaks the trip's equality.
        CompressionConfig d = c;
        d.opTypes["linear"]->blockSize = 32;
        QVERIFY(!(compressionFromYaml(compressionToYaml(d)) == c));
    }

    void floatsStayFloatsForYaml11Readers() {
        CompressionConfig c;
        c.global = OpCompression::defaults(CompressionMethod::ThresholdPrune);  // threshold 1e-12
        const std::string yaml = compressionToYaml(c);
        QVERIFY2(yaml.find("1.0e-12") != std::string::npos, yaml.c_str());
        QCOMPARE(compressionFromYaml(yaml).global->threshold, 1e-12);
    }

    void fileRoundTrip() {
        test::ScratchDir dir;
        const std::string path = dir.path("cfg.yaml");
        saveCompressionYaml(mixed(), path);
        QVERIFY(loadCompressionYaml(path) == mixed());
    }

    void settingsDocumentCarriesTheConfig() {
        ConversionSettings s;
        s.compression = mixed();
        const std::string json = settingsToJson(s);
        QVERIFY(json.find("\"op_name_configs\"") != std::string::npos);
        QVERIFY(settingsFromJson(json, "p.json") == s);
        QVERIFY(settingsToJson(ConversionSettings{}).find("compression") == std::string::npos);

        try {
            settingsFromJson(R"({"compression": {"config_type": "OpPalettizerConfig", "global_config": {"nbits": 5}}})",
                             "p.json");
            QFAIL("no error");
        } catch (const Error& e) {
            QVERIFY2(QString(e.what()).contains("p.json: compression.global_config.nbits: expected 1, 2, 3, 4, 6 or 8"),
                     e.what());
        }
    }

    void coremltoolsSamplesRoundTrip() {
        for (const char* sample : {kQuantizerSample, kPalettizerSample, kPrunerSample}) {
            const CompressionConfig read = compressionFromYaml(sample, "sample.yaml");
            const std::string written = compressionToYaml(read);
            QVERIFY2(compressionFromYaml(written, "written.yaml") == read, written.c_str());
            QVERIFY2(compressionToYaml(compressionFromYaml(written)) == written, written.c_str());  // a fixed point
            const QString violation = schemaViolation(compressionToJson(read));
            QVERIFY2(violation.isEmpty(), qPrintable(violation + "\n" + QString::fromStdString(written)));
        }
        // What was read is what the samples say, field by field.
        const CompressionConfig q = compressionFromYaml(kQuantizerSample);
        QCOMPARE(q.global->method, CompressionMethod::LinearQuantize);
        QVERIFY(q.global->isSigned && q.global->bits == 8 && q.global->granularity == CompressionGranularity::PerChannel);
        const OpCompression& linear = *q.opTypes.at("linear");
        QVERIFY(!linear.isSigned && linear.bits == 4 && linear.mode == "linear");
        QVERIFY(linear.granularity == CompressionGranularity::PerBlock && linear.blockSize == 64 && !linear.weightThreshold);
        QVERIFY(!q.opTypes.at("conv"));
        QCOMPARE(q.opNames.at("layer4.*")->weightThreshold, std::optional<int64_t>(4096));
        QVERIFY(q.opNames.at("layer4.*")->granularity == CompressionGranularity::PerTensor);

        const CompressionConfig p = compressionFromYaml(kPalettizerSample);
        QVERIFY(p.global->bits == 6 && p.global->groupSize == 16 && p.global->channelAxis == 1 && p.global->clusterDim == 2);
        QVERIFY(p.global->perChannelScale && p.global->kmeansWorkers == 4);
        QVERIFY(p.opTypes.at("conv")->mode == "unique" && p.opTypes.at("conv")->weightThreshold == 100);
        QVERIFY(p.opTypes.at("linear")->mode == "uniform" && p.opTypes.at("linear")->bits == 2);
        QVERIFY(!p.opNames.at("conv_1"));

        const CompressionConfig r = compressionFromYaml(kPrunerSample);
        QVERIFY(r.global->threshold == 0.01 && r.global->minimumSparsity == 0.6 && r.global->weightThreshold == 1024);
        QVERIFY(r.opTypes.at("conv")->nmRatio == std::make_pair(3, 4) && r.opTypes.at("conv")->pruneDim == 1);
        QVERIFY(r.opTypes.at("linear")->targetSparsity == 0.75 && r.opTypes.at("linear")->pruneBlockSize == 2);
        QVERIFY(r.opTypes.at("linear")->pruneDim == 0 && !r.opTypes.at("linear")->weightThreshold);
        QCOMPARE(r.opNames.at("fc")->method, CompressionMethod::LinearQuantize);
        // A mixed document is written with per-entry config_type where the entry differs.
        const std::string written = compressionToYaml(r);
        QVERIFY2(written.find("config_type: OpMagnitudePrunerConfig") != std::string::npos, written.c_str());
        QVERIFY2(written.find("config_type: OpLinearQuantizerConfig") != std::string::npos, written.c_str());
    }

    // The short form of Apple's guide: n_bits (coremltools' torch palettizer key), no config_type.
    void readsTheGuideShortForm() {
        const CompressionConfig c = compressionFromYaml(
            R"({"global_config": {"n_bits": 6}, "op_type_configs": {"conv": {"n_bits": 4}, "linear": {"n_bits": 8}}})");
        QCOMPARE(c.global->method, CompressionMethod::Palettize);
        QCOMPARE(QString::fromStdString(c.global->mode), QString("kmeans"));
        QCOMPARE(c.global->bits, 6);
        QCOMPARE(c.opTypes.at("conv")->bits, 4);
        QCOMPARE(c.opTypes.at("linear")->bits, 8);
        const std::string full = compressionToYaml(c);  // written back in the full coremltools form
        QVERIFY2(full.find("config_type: OpPalettizerConfig") == 0 && full.find("nbits: 4") != std::string::npos, full.c_str());
        QVERIFY(compressionFromYaml(full) == c);
        QVERIFY(yamlError("global_config:\n  n_bits: 5\n").contains("global_config.nbits: expected 1, 2, 3, 4, 6 or 8, got 5"));
        QVERIFY(yamlError("global_config:\n  n_bits: 4\n  nbits: 4\n").contains("global_config.n_bits: give nbits or n_bits"));
        QVERIFY(yamlError("config_type: OpLinearQuantizerConfig\nglobal_config:\n  n_bits: 4\n")
                    .contains("global_config.n_bits: n_bits is a palettization field"));
        QVERIFY(yamlError("global_config:\n  nbits: 4\n").contains("config_type: missing"));
    }

    void badConfigsNameFileLineAndKey() {
        QCOMPARE(yamlError("config_type: OpQuantizerConfig\nglobal_config:\n  dtype: int8\n").section('\n', 0, 0),
                 QString("cfg.yaml: line 1: config_type: expected OpLinearQuantizerConfig, OpPalettizerConfig, "
                         "OpThresholdPrunerConfig or OpMagnitudePrunerConfig"));
        QCOMPARE(yamlError("config_type: OpPalettizerConfig\nglobal_config:\n  mode: kmeans\n  nbits: 5\n").section('\n', 0, 0),
                 QString("cfg.yaml: line 4: global_config.nbits: expected 1, 2, 3, 4, 6 or 8, got 5"));
        QCOMPARE(yamlError("config_type: OpPalettizerConfig\nop_type_configs:\n  conv:\n    config_type: OpPruner\n")
                     .section('\n', 0, 0),
                 QString("cfg.yaml: line 4: op_type_configs.conv.config_type: expected OpLinearQuantizerConfig, "
                         "OpPalettizerConfig, OpThresholdPrunerConfig or OpMagnitudePrunerConfig"));
        QCOMPARE(yamlError("config_type: OpLinearQuantizerConfig\nglobal_config:\n  block_size: -4\n").section('\n', 0, 0),
                 QString("cfg.yaml: line 3: global_config.block_size: must be a non-negative integer"));
        QCOMPARE(yamlError("config_type: OpLinearQuantizerConfig\njoint_compression: true\n").section('\n', 0, 0),
                 QString("cfg.yaml: line 2: joint_compression: unknown key (allowed: config_type, global_config, "
                         "op_type_configs, op_name_configs)"));
    }

    void errorsNameLineAndKey() {
        QCOMPARE(yamlError("config_type: OpLinearQuantizerConfig\nglobal_config:\n  dtype: int3\n").left(200),
                 QString("cfg.yaml: line 3: global_config.dtype: expected int8, uint8, int4 or uint4, got \"int3\"\n"
                         "What to do: correct the config; it follows coremltools' OptimizationConfig YAML (config_type, "
                         "global_config, op_type_configs, op_name_configs)")
                     .left(200));
        QVERIFY(yamlError("global_config:\n  nbits: 4\n").contains("config_type: missing"));
        QVERIFY(yamlError("config_type: OpQuantizer\n").contains("line 1: config_type: expected OpLinearQuantizerConfig"));
        QVERIFY(yamlError("config_type: OpPalettizerConfig\nglobal_config:\n  mode: kmeans\n")
                    .contains("line 2: global_config: \"nbits\" must be given in kmeans mode"));
        QVERIFY(yamlError("config_type: OpPalettizerConfig\nop_type_configs:\n  conv:\n    nbits: 4\n    granularity: per_block\n")
                    .contains("line 5: op_type_configs.conv.granularity: \"per_block\" is not valid here"));
        QVERIFY(yamlError("config_type: OpLinearQuantizerConfig\nglobal_config:\n  weight_treshold: 10\n")
                    .contains("line 3: global_config.weight_treshold: unknown key"));
        QVERIFY(yamlError("config_type: OpMagnitudePrunerConfig\nglobal_config:\n  target_sparsity: 0.5\n  n_m_ratio: [1, 2]\n")
                    .contains("exactly one of target_sparsity and n_m_ratio"));
        QVERIFY(yamlError("config_type: [a\n").contains("not valid YAML"));
        QVERIFY(yamlError("config_type: OpPalettizerConfig\nglobal_config:\n  mode: unique\n  nbits: 4\n")
                    .contains("line 4: global_config.nbits: must not be given in unique mode"));
        // A quoted number is a string, as in any YAML reader.
        QVERIFY(yamlError("config_type: OpLinearQuantizerConfig\nglobal_config:\n  block_size: \"32\"\n")
                    .contains("block_size: expected an integer"));
    }
};

QTEST_APPLESS_MAIN(TestCompressionConfig)
#include "test_compression_config.moc"
