#include "frontends/keras/hdf5_file.h"

#include <hdf5.h>

#include <algorithm>
#include <atomic>
#include <mutex>

#include "common/error.h"

namespace cms::frontends {

namespace {

const char* const kHdf5Hint = "save the model again with model.save(\"model.h5\") or model.save(\"model.keras\")";

// libhdf5 prints its error stack to stderr by default; we report errors ourselves.
void silenceLibraryErrors() {
    static std::once_flag once;
    std::call_once(once, [] { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); });
}

// Closes an HDF5 handle of any kind when it goes out of scope.
class Handle {
public:
    explicit Handle(hid_t id) : id_(id) {}
    ~Handle() {
        if (id_ >= 0) closeAny(id_);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    static void closeAny(hid_t id) {
        switch (H5Iget_type(id)) {
            case H5I_GROUP: H5Gclose(id); break;
            case H5I_DATASET: H5Dclose(id); break;
            case H5I_ATTR: H5Aclose(id); break;
            case H5I_DATATYPE: H5Tclose(id); break;
            case H5I_DATASPACE: H5Sclose(id); break;
            case H5I_GENPROP_LST: H5Pclose(id); break;
            default: H5Oclose(id); break;
        }
    }
    hid_t id_;
};

// True when every component of `path` exists as a link (H5Lexists needs the parents to exist).
bool linkExists(hid_t file, const std::string& path) {
    if (path.empty() || path == "/") return true;
    size_t pos = path[0] == '/' ? 1 : 0;
    while (true) {
        const size_t slash = path.find('/', pos);
        const std::string prefix = path.substr(0, slash);
        if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        if (slash == std::string::npos) return true;
        pos = slash + 1;
    }
}

H5O_type_t objectType(hid_t file, const std::string& path) {
    if (!linkExists(file, path)) return H5O_TYPE_UNKNOWN;
    H5O_info_t info;
    if (H5Oget_info_by_name(file, path.c_str(), &info, H5P_DEFAULT) < 0) return H5O_TYPE_UNKNOWN;
    return info.type;
}

// The size of the file (of the image, for one in memory): what it declares must fit in it.
hsize_t fileSize(hid_t file) {
    hsize_t size = 0;
    return H5Fget_filesize(file, &size) < 0 ? 0 : size;
}

// Reads the strings of a string-typed attribute (scalar or 1-d) in its stored form. Empty when the attribute
// cannot be read, or declares more than the file could hold (each string takes at least a byte of the file, a
// fixed-length one its whole length), which would otherwise size the buffer.
std::vector<std::string> readStrings(hid_t attr, hsize_t fileBytes) {
    Handle type(H5Aget_type(attr));
    if (H5Tget_class(type.get()) != H5T_STRING) return {};
    Handle space(H5Aget_space(attr));
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0 || static_cast<hsize_t>(count) > fileBytes) return {};
    std::vector<std::string> out;
    if (H5Tis_variable_str(type.get()) > 0) {
        Handle memType(H5Tcopy(H5T_C_S1));
        H5Tset_size(memType.get(), H5T_VARIABLE);
        H5Tset_cset(memType.get(), H5Tget_cset(type.get()));
        std::vector<char*> ptrs(static_cast<size_t>(count), nullptr);
        if (H5Aread(attr, memType.get(), ptrs.data()) < 0) return {};
        for (char* p : ptrs) out.emplace_back(p ? p : "");
        H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, ptrs.data());
        return out;
    }
    const size_t size = H5Tget_size(type.get());
    if (size == 0 || static_cast<hsize_t>(count) > fileBytes / size) return {};
    std::vector<char> buffer(size * static_cast<size_t>(count) + 1, '\0');
    if (H5Aread(attr, type.get(), buffer.data()) < 0) return {};
    for (hssize_t i = 0; i < count; ++i) {
        const char* begin = buffer.data() + static_cast<size_t>(i) * size;
        size_t len = 0;
        while (len < size && begin[len] != '\0') ++len;  // fixed-length strings are NUL padded
        out.emplace_back(begin, len);
    }
    return out;
}

}  // namespace

Hdf5File::Hdf5File(long long id, std::string name) : id_(id), name_(std::move(name)) {}

Hdf5File::Hdf5File(Hdf5File&& other) noexcept : id_(other.id_), name_(std::move(other.name_)) { other.id_ = -1; }

Hdf5File::~Hdf5File() {
    if (id_ >= 0) H5Fclose(static_cast<hid_t>(id_));
}

Hdf5File Hdf5File::open(const std::string& path) {
    silenceLibraryErrors();
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw Error(ErrorKind::Input, "the file is not an HDF5 file", {path, {}}, kHdf5Hint);
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0)
        throw Error(ErrorKind::Input, "the HDF5 file cannot be opened (damaged or truncated)", {path, {}}, kHdf5Hint);
    return Hdf5File(id, path);
}

Hdf5File Hdf5File::openImage(const std::vector<uint8_t>& image, const std::string& displayName) {
    silenceLibraryErrors();
    // The in-memory ("core") driver over a copy of the image; each open gets its own name, as
    // libhdf5 treats two opens of one name as the same file.
    static std::atomic<int> counter{0};
    hid_t id = -1;
    if (!image.empty()) {
        Handle access(H5Pcreate(H5P_FILE_ACCESS));
        if (H5Pset_fapl_core(access.get(), 1 << 16, false) >= 0 &&
            H5Pset_file_image(access.get(), const_cast<uint8_t*>(image.data()), image.size()) >= 0) {
            const std::string name = "cms-keras-weights-" + std::to_string(counter++);
            id = H5Fopen(name.c_str(), H5F_ACC_RDONLY, access.get());
        }
    }
    if (id < 0)
        throw Error(ErrorKind::Input, "the embedded HDF5 weights file cannot be opened (damaged or truncated)",
                    {displayName, {}}, kHdf5Hint);
    return Hdf5File(id, displayName);
}

void Hdf5File::fail(const std::string& message, const std::string& path) const {
    throw Error(ErrorKind::Input, message + " (HDF5 object \"" + path + "\")", {name_, {}}, kHdf5Hint);
}

bool Hdf5File::hasGroup(const std::string& path) const {
    return objectType(static_cast<hid_t>(id_), path) == H5O_TYPE_GROUP;
}

bool Hdf5File::hasDataset(const std::string& path) const {
    return objectType(static_cast<hid_t>(id_), path) == H5O_TYPE_DATASET;
}

std::vector<std::string> Hdf5File::children(const std::string& group) const {
    if (!hasGroup(group)) fail("the group is missing", group);
    Handle g(H5Gopen2(static_cast<hid_t>(id_), group.c_str(), H5P_DEFAULT));
    if (!g.valid()) fail("the group cannot be opened", group);
    H5G_info_t info;
    if (H5Gget_info(g.get(), &info) < 0) fail("the group cannot be read", group);
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i) {
        const ssize_t len = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
        if (len < 0) fail("a link name cannot be read", group);
        std::string name(static_cast<size_t>(len) + 1, '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
        name.resize(static_cast<size_t>(len));
        names.push_back(std::move(name));
    }
    return names;
}

bool Hdf5File::hasAttribute(const std::string& object, const std::string& attr) const {
    if (!linkExists(static_cast<hid_t>(id_), object)) return false;
    return H5Aexists_by_name(static_cast<hid_t>(id_), object.c_str(), attr.c_str(), H5P_DEFAULT) > 0;
}

std::optional<std::string> Hdf5File::stringAttribute(const std::string& object, const std::string& attr) const {
    if (!hasAttribute(object, attr)) return std::nullopt;
    Handle a(H5Aopen_by_name(static_cast<hid_t>(id_), object.c_str(), attr.c_str(), H5P_DEFAULT, H5P_DEFAULT));
    if (!a.valid()) fail("attribute \"" + attr + "\" cannot be opened", object);
    const std::vector<std::string> values = readStrings(a.get(), fileSize(static_cast<hid_t>(id_)));
    if (values.size() != 1) fail("attribute \"" + attr + "\" is not a single string", object);
    return values.front();
}

std::vector<std::string> Hdf5File::stringListAttribute(const std::string& object, const std::string& attr) const {
    // Keras splits attributes over 64 KB into attr0, attr1, ... (HDF5's object header limit).
    std::vector<std::string> names = {attr};
    if (!hasAttribute(object, attr)) {
        names.clear();
        for (int i = 0; hasAttribute(object, attr + std::to_string(i)); ++i) names.push_back(attr + std::to_string(i));
        if (names.empty()) fail("attribute \"" + attr + "\" is missing", object);
    }
    std::vector<std::string> out;
    for (const std::string& name : names) {
        Handle a(H5Aopen_by_name(static_cast<hid_t>(id_), object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT));
        if (!a.valid()) fail("attribute \"" + name + "\" cannot be opened", object);
        Handle type(H5Aget_type(a.get()));
        if (H5Tget_class(type.get()) != H5T_STRING) fail("attribute \"" + name + "\" is not a list of strings", object);
        std::vector<std::string> part = readStrings(a.get(), fileSize(static_cast<hid_t>(id_)));
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

Tensor Hdf5File::readFloats(const std::string& dataset) const {
    if (!hasDataset(dataset)) fail("the weight dataset is missing", dataset);
    Handle d(H5Dopen2(static_cast<hid_t>(id_), dataset.c_str(), H5P_DEFAULT));
    if (!d.valid()) fail("the weight dataset cannot be opened", dataset);
    Handle type(H5Dget_type(d.get()));
    if (H5Tget_class(type.get()) != H5T_FLOAT) fail("the weight dataset is not floating point", dataset);
    Handle space(H5Dget_space(d.get()));
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0) fail("the weight dataset's shape cannot be read", dataset);
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    // The declared shape must be stored in the file before anything is sized from it: stored as it is (Keras
    // writes no filters), or compressed at most 1032:1 (deflate's limit) when the dataset has filters.
    Handle creation(H5Dget_create_plist(d.get()));
    const hsize_t ratio = creation.valid() && H5Pget_nfilters(creation.get()) > 0 ? 1032 : 1;
    const hsize_t elementSize = H5Tget_size(type.get());
    const hsize_t limit = fileSize(static_cast<hid_t>(id_)) / std::max<hsize_t>(elementSize, 1) * ratio;
    hsize_t elements = 1;
    for (hsize_t dim : dims) {
        if (dim > limit || (dim > 0 && elements > limit / dim))
            fail("the weight dataset declares more values than the file holds (damaged file)", dataset);
        elements *= dim;
    }
    Shape shape(dims.begin(), dims.end());
    std::vector<float> values(static_cast<size_t>(shapeNumel(shape)));
    if (!values.empty() && H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        fail("the weight dataset cannot be read (damaged file)", dataset);
    return Tensor::fromFloats(values, std::move(shape));
}

}  // namespace cms::frontends
