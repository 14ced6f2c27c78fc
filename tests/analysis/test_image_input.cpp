// Image files as model inputs: decoding, resizing and colour layouts, on PNG/JPEG files written by
// the test itself.
#include <QImage>

#include "analysis/image_input.h"
#include "common/error.h"
#include "support/test_support.h"

using namespace cms;

namespace {

// A 4x3 image whose every pixel has its own colour: (r, g, b) = (10 x + 1, 20 y + 2, 5 x + 7 y + 3).
QImage distinctPixels() {
    QImage image(4, 3, QImage::Format_RGB888);
    for (int y = 0; y < 3; ++y)
        for (int x = 0; x < 4; ++x) image.setPixelColor(x, y, QColor(10 * x + 1, 20 * y + 2, 5 * x + 7 * y + 3));
    return image;
}

float at(const Tensor& t, int64_t c, int64_t y, int64_t x) {
    const Shape& s = t.shape();
    const int64_t h = s[s.size() - 2], w = s[s.size() - 1];
    return t.toFloats()[static_cast<size_t>((c * h + y) * w + x)];
}

}  // namespace

class TestImageInput : public QObject {
    Q_OBJECT
private slots:
    void pngAtTheInputSizeKeepsEveryPixelInRgbOrder() {
        test::ScratchDir dir;
        const std::string png = dir.path("pixels.png");
        QVERIFY(distinctPixels().save(QString::fromStdString(png)));
        const Tensor t = analysis::readImage(png, {1, 3, 3, 4}, ColorLayout::RGB);
        QCOMPARE(t.dtype(), DType::Float32);
        QCOMPARE(t.shape(), (Shape{1, 3, 3, 4}));
        for (int y = 0; y < 3; ++y)
            for (int x = 0; x < 4; ++x) {
                QCOMPARE(at(t, 0, y, x), float(10 * x + 1));
                QCOMPARE(at(t, 1, y, x), float(20 * y + 2));
                QCOMPARE(at(t, 2, y, x), float(5 * x + 7 * y + 3));
            }
    }

    void bgrSwapsTheColourPlanes() {
        test::ScratchDir dir;
        const std::string png = dir.path("pixels.png");
        QVERIFY(distinctPixels().save(QString::fromStdString(png)));
        const Tensor t = analysis::readImage(png, {3, 3, 4}, ColorLayout::BGR);  // rank 3 too
        QCOMPARE(t.shape(), (Shape{3, 3, 4}));
        QCOMPARE(at(t, 0, 2, 3), float(5 * 3 + 7 * 2 + 3));  // blue first
        QCOMPARE(at(t, 1, 2, 3), float(20 * 2 + 2));
        QCOMPARE(at(t, 2, 2, 3), float(10 * 3 + 1));
    }

    void grayscaleGivesOneChannelOfLuma() {
        test::ScratchDir dir;
        const std::string png = dir.path("gray.png");
        QImage image(5, 2, QImage::Format_RGB888);
        image.fill(QColor(90, 90, 90));
        image.setPixelColor(4, 1, QColor(255, 255, 255));
        image.setPixelColor(0, 0, QColor(255, 0, 0));
        QVERIFY(image.save(QString::fromStdString(png)));
        const Tensor t = analysis::readImage(png, {1, 1, 2, 5}, ColorLayout::Grayscale);
        QCOMPARE(t.shape(), (Shape{1, 1, 2, 5}));
        QCOMPARE(at(t, 0, 0, 1), 90.0f);
        QCOMPARE(at(t, 0, 1, 4), 255.0f);
        // Pure red is BT.601 luma 0.299 * 255, rounded as PIL's convert("L"): not its red value.
        QCOMPARE(at(t, 0, 0, 0), 76.0f);
    }

    void imagesAreResizedToTheInputShapeIgnoringAspectRatio() {
        test::ScratchDir dir;
        const std::string png = dir.path("halves.png");
        // Left half red, right half blue, 40x10: resized to 8x16 (W x H) the halves stay halves.
        QImage image(40, 10, QImage::Format_RGB888);
        for (int y = 0; y < 10; ++y)
            for (int x = 0; x < 40; ++x) image.setPixelColor(x, y, x < 20 ? QColor(200, 0, 0) : QColor(0, 0, 150));
        QVERIFY(image.save(QString::fromStdString(png)));
        const Tensor t = analysis::readImage(png, {1, 3, 16, 8}, ColorLayout::RGB);
        QCOMPARE(t.shape(), (Shape{1, 3, 16, 8}));
        for (int y = 0; y < 16; ++y) {
            QCOMPARE(at(t, 0, y, 0), 200.0f);
            QCOMPARE(at(t, 2, y, 0), 0.0f);
            QCOMPARE(at(t, 0, y, 7), 0.0f);
            QCOMPARE(at(t, 2, y, 7), 150.0f);
        }
        for (float v : t.toFloats()) QVERIFY(v >= 0.0f && v <= 255.0f);
    }

    void jpegIsDecoded() {
        test::ScratchDir dir;
        const std::string jpg = dir.path("flat.JPG");
        QImage image(32, 24, QImage::Format_RGB888);
        image.fill(QColor(40, 120, 220));
        QVERIFY2(image.save(QString::fromStdString(jpg), "JPEG", 95), "Qt's JPEG plugin is missing");
        QVERIFY(analysis::isImageFile(jpg));
        const Tensor t = analysis::readImage(jpg, {1, 3, 12, 16}, ColorLayout::RGB);
        const float expected[3] = {40, 120, 220};
        for (int c = 0; c < 3; ++c)
            for (int y = 0; y < 12; ++y)
                for (int x = 0; x < 16; ++x) QVERIFY(std::abs(at(t, c, y, x) - expected[c]) <= 3.0f);
    }

    void unreadableFilesAndNonImageShapesAreInputErrors() {
        test::ScratchDir dir;
        const std::string png = dir.path("pixels.png");
        QVERIFY(distinctPixels().save(QString::fromStdString(png)));
        const std::string notImage = dir.path("text.png");
        QFile f(QString::fromStdString(notImage));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a picture");
        f.close();
        const auto expectError = [](const std::function<void()>& fn, const std::string& needle) {
            try {
                fn();
            } catch (const Error& e) {
                QCOMPARE(e.kind(), ErrorKind::Input);
                QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
                return;
            }
            QFAIL(("no error for " + needle).c_str());
        };
        const std::string missing = dir.path("missing.png");
        expectError([&] { analysis::readImage(missing, {1, 3, 4, 4}, ColorLayout::RGB); }, "cannot read");
        expectError([&] { analysis::readImage(notImage, {1, 3, 4, 4}, ColorLayout::RGB); }, "cannot read");
        expectError([&] { analysis::readImage(png, {1, 1, 4, 4}, ColorLayout::RGB); }, "cannot fill");
        expectError([&] { analysis::readImage(png, {2, 3, 4, 4}, ColorLayout::RGB); }, "cannot fill");
        expectError([&] { analysis::readImage(png, {3, 4}, ColorLayout::Grayscale); }, "cannot fill");
        QVERIFY(!analysis::isImageFile("inputs.npz"));
    }
};

QTEST_APPLESS_MAIN(TestImageInput)
#include "test_image_input.moc"
