// compressProgram encodes several weights at once (their numerics in parallel, the program written in
// order): the package it writes must not depend on the thread count, and a config error must name the
// first weight it fails on, as a one-at-a-time pass does.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "common/error.h"
#include "compress/compress_program.h"
#include "converter.h"
#include "package/package.h"
#include "support/test_support.h"

using namespace cms;
namespace fs = std::filesystem;

namespace {

std::string fileBytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Compresses `plain` with `yaml` using `threads` worker threads; the written weight.bin and model.mlmodel.
std::string compressedWith(const std::string& plain, const std::string& yaml, const char* threads,
                           const std::string& out) {
    setenv("CMS_THREADS", threads, 1);
    package::PackageContents c = package::readPackage(plain);
    try {
        compress::compressProgram(c.program, compressionFromYaml(yaml), {});
    } catch (...) {
        unsetenv("CMS_THREADS");
        throw;
    }
    unsetenv("CMS_THREADS");
    package::writePackage(c.program, c.description, out);
    return fileBytes(fs::path(out) / "Data/com.apple.CoreML/weights/weight.bin") +
           fileBytes(fs::path(out) / "Data/com.apple.CoreML/model.mlmodel");
}

}  // namespace

class TestCompressThreads : public QObject {
    Q_OBJECT
private:
    std::string plain_;
    test::ScratchDir dir_;

private slots:
    void initTestCase() {
        ConversionSettings s;
        s.modelPath = test::testModel("tv_resnet18.pt");
        s.outputPath = plain_ = dir_.path("plain.mlpackage");
        s.target = mil::Target::iOS18;
        s.inputs = {parseInputSpec("x:1x3x224x224")};
        convertModel(s);
    }

    // resnet18's 21 weights run from 9 K to 2.4 M elements: windows of several small ones and large ones alone.
    void outputIndependentOfThreadCount_data() {
        QTest::addColumn<QString>("yaml");
        QTest::newRow("kmeans 6-bit") << "config_type: OpPalettizerConfig\nglobal_config:\n  mode: kmeans\n  nbits: 6\n";
        QTest::newRow("int8 per-channel") << "config_type: OpLinearQuantizerConfig\nglobal_config:\n  dtype: int8\n"
                                             "  granularity: per_channel\n";
        QTest::newRow("int4 per-block, stem left") << "config_type: OpLinearQuantizerConfig\nglobal_config:\n  dtype: int4\n"
                                                      "  granularity: per_block\n  block_size: 32\nop_name_configs:\n  conv1: null\n";
        QTest::newRow("magnitude pruning") << "config_type: OpMagnitudePrunerConfig\nglobal_config:\n  target_sparsity: 0.5\n";
    }
    void outputIndependentOfThreadCount() {
        QFETCH(QString, yaml);
        const std::string one = compressedWith(plain_, yaml.toStdString(), "1", dir_.path("one.mlpackage"));
        const std::string three = compressedWith(plain_, yaml.toStdString(), "3", dir_.path("three.mlpackage"));
        QVERIFY(one.size() > 1000000);
        QVERIFY(one == three);
    }

    // block_size 48 divides none of resnet18's input-channel axes (3, 64, 128, ...): the error names the first
    // weight in program order, the stem's, whatever the thread count.
    void firstErrorInProgramOrder() {
        for (const char* threads : {"1", "4"}) {
            try {
                compressedWith(plain_, "config_type: OpLinearQuantizerConfig\nglobal_config:\n  dtype: int4\n"
                                       "  granularity: per_block\n  block_size: 48\n",
                               threads, dir_.path("bad.mlpackage"));
                QFAIL("block_size 48 was accepted");
            } catch (const Error& e) {
                const std::string what = e.what();
                QVERIFY2(what.find("block_size 48 does not divide the input-channel axis of 3") != std::string::npos,
                         e.what());
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestCompressThreads)
#include "test_compress_threads.moc"
