// Weight file (Core ML blob storage v2): layout, alignment, dtype codes, sub-byte padding, validation errors.
#include "common/error.h"
#include "package/weight_blob.h"
#include "support/test_support.h"

#include <cstring>
#include <fstream>
#include <iterator>

using namespace cms;
using namespace cms::package;

namespace {
std::vector<uint8_t> readBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
void writeBytes(const std::string& path, const std::vector<uint8_t>& b) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
}
template <class T> T at(const std::vector<uint8_t>& b, size_t off) {
    T v;
    std::memcpy(&v, b.data() + off, sizeof v);
    return v;
}
template <class T> void put(std::vector<uint8_t>& b, size_t off, T v) { std::memcpy(b.data() + off, &v, sizeof v); }

// Expects readBytes-style mutation to make reading fail with a Package error mentioning `offset`.
void expectReadError(const std::string& path, uint64_t metadataOffset, DType dtype, Shape shape,
                     const std::string& mustMention) {
    try {
        WeightBlobReader r(path);
        r.tensor(metadataOffset, dtype, shape);
        QFAIL("reading a corrupted weight file succeeded");
    } catch (const Error& e) {
        QCOMPARE(e.kind(), ErrorKind::Package);
        QCOMPARE(e.file(), path);
        QVERIFY2(std::string(e.what()).find(mustMention) != std::string::npos, e.what());
    }
}
}  // namespace

class TestWeightBlob : public QObject {
    Q_OBJECT
private slots:
    void dtypeCodesMatchCoreML() {
        const std::pair<DType, uint32_t> expected[] = {
            {DType::Float16, 1}, {DType::Float32, 2}, {DType::UInt8, 3},  {DType::Int8, 4},   {DType::BFloat16, 5},
            {DType::Int16, 6},   {DType::UInt16, 7},  {DType::Int4, 8},   {DType::UInt1, 9},  {DType::UInt2, 10},
            {DType::UInt4, 11},  {DType::UInt3, 12},  {DType::UInt6, 13}, {DType::Int32, 14}, {DType::UInt32, 15}};
        for (auto [dtype, code] : expected) {
            QCOMPARE(blobDTypeCode(dtype).value(), code);
            QCOMPARE(dtypeFromBlobCode(code).value(), dtype);
        }
        QVERIFY(!blobDTypeCode(DType::Int64));
        QVERIFY(!blobDTypeCode(DType::Bool));
        QVERIFY(!dtypeFromBlobCode(0));
        QVERIFY(!dtypeFromBlobCode(99));
    }

    void headerMetadataAndAlignment() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        const Tensor a = Tensor::fromFloats({1, 2, 3}, {3});                      // 12 bytes: next record must pad
        const Tensor b = Tensor::fromFloats({0.5f, -1.5f, 2.0f, 4.0f, 8.0f}, {5}, DType::Float16);
        const Tensor c = Tensor::fromInts({-3, 7, 100}, {3}, DType::Int8);
        WeightBlobWriter w(path);
        const uint64_t oa = w.append(a), ob = w.append(b), oc = w.append(c);
        w.finish();
        QCOMPARE(w.count(), 3u);

        const auto bytes = readBytes(path);
        QCOMPARE(at<uint32_t>(bytes, 0), 3u);  // count
        QCOMPARE(at<uint32_t>(bytes, 4), 2u);  // version
        for (size_t i = 8; i < 64; ++i) QCOMPARE(int(bytes[i]), 0);
        QCOMPARE(oa, uint64_t(64));
        for (auto [off, code, size, t] : {std::tuple{oa, 2u, 12ull, &a}, {ob, 1u, 10ull, &b}, {oc, 4u, 3ull, &c}}) {
            QCOMPARE(off % 64, uint64_t(0));
            QCOMPARE(at<uint32_t>(bytes, off), 0xDEADBEEFu);
            QCOMPARE(at<uint32_t>(bytes, off + 4), code);
            QCOMPARE(at<uint64_t>(bytes, off + 8), uint64_t(size));
            const uint64_t data = at<uint64_t>(bytes, off + 16);
            QCOMPARE(data, off + 64);
            QCOMPARE(data % 64, uint64_t(0));
            QCOMPARE(at<uint64_t>(bytes, off + 24), uint64_t(0));  // no padding bits for byte-sized types
            for (size_t i = 32; i < 64; ++i) QCOMPARE(int(bytes[off + i]), 0);
            QVERIFY(std::memcmp(bytes.data() + data, t->bytes(), t->nbytes()) == 0);
        }
        QCOMPARE(ob, uint64_t(192));  // 64 header + 64 metadata + 12 data -> next boundary
        QCOMPARE(bytes.size(), size_t(oc + 64 + 3));  // no trailing padding, as Core ML writes

        WeightBlobReader r(path);
        QCOMPARE(r.count(), 3u);
        const auto blobs = r.blobs();
        QCOMPARE(blobs.size(), size_t(3));
        QCOMPARE(blobs[1].metadataOffset, ob);
        QCOMPARE(blobs[2].dtype, DType::Int8);
        QVERIFY(r.tensor(ob, DType::Float16, {5}).equals(b));
        QVERIFY(r.tensor(oc, DType::Int8, {3}).equals(c));
        QVERIFY(r.tensor(oa, DType::Float32, {3}).equals(a));
    }

    void everyDtypeRoundTrips() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        std::vector<std::pair<Tensor, uint64_t>> written;
        WeightBlobWriter w(path);
        for (DType d : {DType::Float16, DType::Float32, DType::BFloat16, DType::Int8, DType::UInt8, DType::Int16,
                        DType::UInt16, DType::Int32, DType::UInt32}) {
            Tensor t = Tensor::fromInts({1, 2, 3, 4, 5, 6, 7}, {7}, d);
            written.push_back({t, w.append(t)});
        }
        for (DType d : {DType::Int4, DType::UInt1, DType::UInt2, DType::UInt3, DType::UInt4, DType::UInt6}) {
            const int64_t maxv = d == DType::Int4 ? 7 : (1 << dtypeBits(d)) - 1;
            std::vector<int64_t> v;
            for (int64_t i = 0; i < 13; ++i) v.push_back(d == DType::Int4 ? (i % 16) - 8 : i % (maxv + 1));
            Tensor t = Tensor::fromInts(v, {13}, d);
            written.push_back({t, w.append(t)});
        }
        w.finish();
        WeightBlobReader r(path);
        QCOMPARE(r.count(), uint32_t(written.size()));
        for (const auto& [t, off] : written) {
            QCOMPARE(off % 64, uint64_t(0));
            const BlobInfo info = r.info(off);
            QCOMPARE(info.dtype, t.dtype());
            QCOMPARE(info.elementCount(), t.numel());
            Tensor back = r.tensor(off, t.dtype(), t.shape());
            QVERIFY2(back.equals(t), dtypeName(t.dtype()).c_str());
            QCOMPARE(back.toInts(), t.toInts());
        }
    }

    void subBytePaddingBits() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        WeightBlobWriter w(path);
        const uint64_t o4 = w.append(Tensor::fromInts({1, 2, 3}, {3}, DType::UInt4));    // 12 bits -> 4 unused
        const uint64_t o3 = w.append(Tensor::fromInts({1, 2, 3, 4}, {4}, DType::UInt3)); // 12 bits -> 4 unused
        const uint64_t o6 = w.append(Tensor::fromInts({5, 6, 7, 8}, {4}, DType::UInt6)); // 24 bits -> 0
        const uint64_t o1 = w.append(Tensor::fromInts({1, 0, 1}, {3}, DType::UInt1));    // 3 bits -> 5 unused
        w.finish();
        const auto bytes = readBytes(path);
        QCOMPARE(at<uint64_t>(bytes, o4 + 8), uint64_t(2));
        QCOMPARE(at<uint64_t>(bytes, o4 + 24), uint64_t(4));
        QCOMPARE(at<uint64_t>(bytes, o3 + 24), uint64_t(4));
        QCOMPARE(at<uint64_t>(bytes, o6 + 8), uint64_t(3));
        QCOMPARE(at<uint64_t>(bytes, o6 + 24), uint64_t(0));
        QCOMPARE(at<uint64_t>(bytes, o1 + 24), uint64_t(5));
        // uint4 packs least significant nibble first: [1, 2] -> 0x21, [3] -> 0x03.
        const uint64_t d4 = at<uint64_t>(bytes, o4 + 16);
        QCOMPARE(int(bytes[d4]), 0x21);
        QCOMPARE(int(bytes[d4 + 1]), 0x03);
        WeightBlobReader r(path);
        QCOMPARE(r.info(o1).elementCount(), int64_t(3));
        QCOMPARE(r.tensor(o3, DType::UInt3, {4}).toInts(), (std::vector<int64_t>{1, 2, 3, 4}));
    }

    void rejectsWrongVersionAndShortFile() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        writeBytes(path, std::vector<uint8_t>(10, 0));
        QVERIFY_THROWS_EXCEPTION(Error, WeightBlobReader{path});
        std::vector<uint8_t> header(64, 0);
        put<uint32_t>(header, 4, 1);  // Espresso's older blob format
        writeBytes(path, header);
        try {
            WeightBlobReader r(path);
            QFAIL("version 1 accepted");
        } catch (const Error& e) {
            QVERIFY(std::string(e.what()).find("version 1") != std::string::npos);
            QCOMPARE(e.file(), path);
        }
    }

    void rejectsCorruptedRecords() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        {
            WeightBlobWriter w(path);
            w.append(Tensor::fromFloats(std::vector<float>(20, 1.0f), {20}));
            w.finish();
        }
        const auto good = readBytes(path);

        auto bad = good;
        put<uint32_t>(bad, 64, 0xCAFEBABEu);
        writeBytes(path, bad);
        expectReadError(path, 64, DType::Float32, {20}, "sentinel");

        bad = good;
        put<uint32_t>(bad, 64 + 4, 77u);
        writeBytes(path, bad);
        expectReadError(path, 64, DType::Float32, {20}, "dtype code 77");

        bad = good;
        put<uint64_t>(bad, 64 + 16, 4096);  // data offset past the end of the file
        writeBytes(path, bad);
        expectReadError(path, 64, DType::Float32, {20}, "past the end");

        bad = good;
        put<uint64_t>(bad, 64 + 8, 1u << 20);  // size past the end of the file
        writeBytes(path, bad);
        expectReadError(path, 64, DType::Float32, {20}, "past the end");

        bad = good;
        bad.resize(bad.size() - 8);  // truncated data
        writeBytes(path, bad);
        expectReadError(path, 64, DType::Float32, {20}, "past the end");

        writeBytes(path, good);
        expectReadError(path, 4096, DType::Float32, {20}, "offset 4096");  // record offset past EOF
        expectReadError(path, 96, DType::Float32, {20}, "64-byte boundary");
        expectReadError(path, 64, DType::Float16, {20}, "declares fp16");
        expectReadError(path, 64, DType::Float32, {21}, "20 elements");

        bad = good;
        put<uint32_t>(bad, 0, 2);  // header announces a second blob that is not there
        writeBytes(path, bad);
        QVERIFY_THROWS_EXCEPTION(Error, WeightBlobReader(path).blobs());
    }

    void readTensorsOutliveTheReader() {
        test::ScratchDir dir;
        const std::string path = dir.path("weight.bin");
        const Tensor t = Tensor::fromFloats({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {11});
        uint64_t off;
        {
            WeightBlobWriter w(path);
            off = w.append(t);
            w.finish();
        }
        Tensor back;
        { back = WeightBlobReader(path).tensor(off, DType::Float32, {11}); }
        QVERIFY(back.equals(t));
    }
};

QTEST_APPLESS_MAIN(TestWeightBlob)
#include "test_weight_blob.moc"
