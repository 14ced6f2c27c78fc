#pragma once
// torchvision's custom ops (torchvision::roi_align, nms, deform_conv2d ...) live in its C++ library,
// which Python loads on `import torchvision`. Models traced with them only load in libtorch once that
// library is loaded into the process. Included only by files that include libtorch headers.
#include <string>

#include <torch/csrc/jit/serialization/import.h>
#include <torch/version.h>

namespace cms::frontends {

// torch::jit::load on the CPU; when the archive names torchvision ops libtorch does not know, loads
// torchvision's ops library (CMS_TORCHVISION_LIBRARY, else found beside a Python installation of
// torchvision) and retries. Throws cms::Error (Input) when the library cannot be found or loaded;
// other load failures propagate as libtorch's exception.
torch::jit::Module loadWithTorchvisionOps(const std::string& path);

// Loads torchvision's ops library once per process; returns the file loaded. Throws cms::Error.
std::string loadTorchvisionOps();

}  // namespace cms::frontends
