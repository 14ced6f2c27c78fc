#include "analysis/image_input.h"

#include <QImage>
#include <QImageReader>
#include <QString>

#include <algorithm>
#include <cctype>

#include "common/error.h"

namespace cms::analysis {

bool isImageFile(const std::string& path) {
    std::string lower = path;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* ext : {".png", ".jpg", ".jpeg"}) {
        const std::string e(ext);
        if (lower.size() >= e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0) return true;
    }
    return false;
}

Tensor readImage(const std::string& path, const Shape& shape, ColorLayout layout) {
    const int64_t channels = layout == ColorLayout::Grayscale ? 1 : 3;
    const size_t rank = shape.size();
    if ((rank != 3 && rank != 4) || (rank == 4 && shape[0] != 1) || shape[rank - 3] != channels ||
        shape[rank - 1] <= 0 || shape[rank - 2] <= 0)
        throw Error(ErrorKind::Input,
                    "an image cannot fill an input of shape " + shapeToString(shape) + " (" +
                        colorLayoutName(layout) + ")",
                    {path, ""}, "images feed inputs of shape [1, C, H, W] with C = 3 (RGB/BGR) or 1 (grayscale)");
    const int height = static_cast<int>(shape[rank - 2]);
    const int width = static_cast<int>(shape[rank - 1]);

    QImageReader reader(QString::fromStdString(path));
    reader.setAutoTransform(true);  // photos are stored sideways with an EXIF orientation
    QImage image = reader.read();
    if (image.isNull())
        throw Error(ErrorKind::Input, "cannot read the image: " + reader.errorString().toStdString(), {path, ""},
                    "give a PNG or JPEG file");
    image = image.convertToFormat(QImage::Format_RGB888);
    if (image.width() != width || image.height() != height)
        image = image.scaled(width, height, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);

    const size_t plane = static_cast<size_t>(width) * static_cast<size_t>(height);
    std::vector<float> pixels(plane * static_cast<size_t>(channels));
    for (int y = 0; y < height; ++y) {
        const uchar* row = image.constScanLine(y);
        for (int x = 0; x < width; ++x) {
            const size_t at = static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x);
            const uchar* rgb = row + 3 * x;
            if (channels == 1) {
                // ITU-R BT.601 luma on the stored values, rounded as PIL's convert("L") and
                // torchvision's Grayscale do: the gray images models are trained on.
                pixels[at] = static_cast<float>((rgb[0] * 19595 + rgb[1] * 38470 + rgb[2] * 7471 + 0x8000) >> 16);
                continue;
            }
            for (int c = 0; c < 3; ++c) {
                const int source = layout == ColorLayout::BGR ? 2 - c : c;
                pixels[static_cast<size_t>(c) * plane + at] = rgb[source];
            }
        }
    }
    return Tensor::fromFloats(pixels, shape);
}

}  // namespace cms::analysis
