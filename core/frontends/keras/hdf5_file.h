#pragma once
// Read-only access to an HDF5 file through libhdf5's C API: groups, string attributes and float
// datasets, the parts Keras uses. Opens a file on disk or an in-memory image (the weights inside a
// .keras archive). Errors are cms::Error(Input) naming the file and the HDF5 path.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/tensor.h"

namespace cms::frontends {

class Hdf5File {
public:
    // `displayName` is the name errors use (e.g. "model.keras!model.weights.h5").
    static Hdf5File open(const std::string& path);
    static Hdf5File openImage(const std::vector<uint8_t>& image, const std::string& displayName);
    ~Hdf5File();
    Hdf5File(Hdf5File&& other) noexcept;
    Hdf5File& operator=(Hdf5File&&) = delete;
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    const std::string& name() const { return name_; }
    bool hasGroup(const std::string& path) const;
    bool hasDataset(const std::string& path) const;
    // Names of the links in a group, in name order ("/" is the root).
    std::vector<std::string> children(const std::string& group) const;
    // A string attribute (fixed or variable length), or a list of them (a 1-d string array).
    std::optional<std::string> stringAttribute(const std::string& object, const std::string& attr) const;
    std::vector<std::string> stringListAttribute(const std::string& object, const std::string& attr) const;
    bool hasAttribute(const std::string& object, const std::string& attr) const;
    // A numeric dataset read as fp32 (Keras weights are fp32; fp16/fp64 are converted).
    Tensor readFloats(const std::string& dataset) const;

private:
    Hdf5File(long long id, std::string name);
    [[noreturn]] void fail(const std::string& message, const std::string& path) const;

    long long id_ = -1;  // hid_t
    std::string name_;
};

}  // namespace cms::frontends
