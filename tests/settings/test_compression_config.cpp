// The compression config: coremltools-style YAML in and out, the JSON form in the settings
// document, resolution order, and errors naming file, line and key.
#include "common/error.h"
#include "settings/compression_config.h"
#include "settings/conversion_settings.h"
#include "support/test_support.h"

#include <fstream>

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
