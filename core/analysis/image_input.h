#pragma once
// Image files (PNG, JPEG) as inputs of converted models: what a Core ML image input would receive
// from a picture of any size.
#include <string>

#include "common/tensor.h"
#include "settings/conversion_settings.h"

namespace cms::analysis {

// Decodes `path` (honouring its EXIF orientation), resizes it to the input's H x W (smooth
// scaling, aspect ratio not kept, as Core ML's image inputs take exactly H x W) and returns
// pixel values 0-255 as fp32 [1, C, H, W] (or [C, H, W] for a rank-3 shape) in `layout`:
// C = 3 for RGB/BGR, 1 for grayscale (BT.601 luma, as PIL's convert("L")). Alpha is dropped.
// Throws cms::Error (Input) naming the file when it cannot be read or the shape is not an image's.
Tensor readImage(const std::string& path, const Shape& shape, ColorLayout layout);

// True for the file names readImage is meant for (.png, .jpg, .jpeg; any case).
bool isImageFile(const std::string& path);

}  // namespace cms::analysis
