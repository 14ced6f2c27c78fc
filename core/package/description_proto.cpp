#include "package/description_proto.h"

#include "common/error.h"

namespace cms::package {

namespace {

using cms::coreml::ArrayFeatureType;
using cms::coreml::ImageFeatureType;
namespace cm = cms::coreml;

struct ArrayCode {
    DType dtype;
    ArrayFeatureType::ArrayDataType code;
};
constexpr ArrayCode kArrayCodes[] = {
    {DType::Float32, ArrayFeatureType::FLOAT32}, {DType::Float16, ArrayFeatureType::FLOAT16},
    {DType::Float64, ArrayFeatureType::DOUBLE},  {DType::Int32, ArrayFeatureType::INT32},
    {DType::Int8, ArrayFeatureType::INT8},
};

void featureToProto(const FeatureDescription& f, const char* role, cm::FeatureDescription& out) {
    out.set_name(f.name);
    out.set_shortdescription(f.shortDescription);
    cm::FeatureType* type = out.mutable_type();
    if (f.kind == FeatureDescription::Kind::Image) {
        const int64_t channels = f.colorLayout == ColorLayout::Grayscale ? 1 : 3;
        if (f.shape.size() != 4 || f.shape[0] != 1 || f.shape[1] != channels || f.shape[2] <= 0 || f.shape[3] <= 0)
            throw Error(ErrorKind::Package,
                        std::string("image ") + role + " " + f.name + " has shape " + shapeToString(f.shape) +
                            "; a " + colorLayoutName(f.colorLayout) + " image needs 1x" + std::to_string(channels) +
                            "xHxW",
                        {}, "Give the image input a shape of 1x3xHxW (1x1xHxW for grayscale).");
        ImageFeatureType* image = type->mutable_imagetype();
        image->set_width(f.shape[3]);
        image->set_height(f.shape[2]);
        // Only height and width of an image may vary.
        if (f.shapeRange.size() == 4) {
            auto* range = image->mutable_imagesizerange();
            range->mutable_heightrange()->set_lowerbound(static_cast<uint64_t>(f.shapeRange[2].first));
            range->mutable_heightrange()->set_upperbound(f.shapeRange[2].second);
            range->mutable_widthrange()->set_lowerbound(static_cast<uint64_t>(f.shapeRange[3].first));
            range->mutable_widthrange()->set_upperbound(f.shapeRange[3].second);
        }
        for (const Shape& e : f.enumeratedShapes) {
            auto* size = image->mutable_enumeratedsizes()->add_sizes();
            size->set_height(static_cast<uint64_t>(e.at(2)));
            size->set_width(static_cast<uint64_t>(e.at(3)));
        }
        switch (f.colorLayout) {
            case ColorLayout::RGB: image->set_colorspace(ImageFeatureType::RGB); break;
            case ColorLayout::BGR: image->set_colorspace(ImageFeatureType::BGR); break;
            case ColorLayout::Grayscale:
                image->set_colorspace(f.dtype == DType::Float16 ? ImageFeatureType::GRAYSCALE_FLOAT16
                                                                : ImageFeatureType::GRAYSCALE);
                break;
        }
        return;
    }
    ArrayFeatureType* array = type->mutable_multiarraytype();
    for (int64_t d : f.shape) array->add_shape(d);
    for (const auto& [lower, upper] : f.shapeRange) {
        auto* r = array->mutable_shaperange()->add_sizeranges();
        r->set_lowerbound(static_cast<uint64_t>(lower));
        r->set_upperbound(upper);
    }
    for (const Shape& e : f.enumeratedShapes) {
        auto* shape = array->mutable_enumeratedshapes()->add_shapes();
        for (int64_t d : e) shape->add_shape(d);
    }
    for (const auto& c : kArrayCodes)
        if (c.dtype == f.dtype) {
            array->set_datatype(c.code);
            return;
        }
    throw Error(ErrorKind::Package,
                std::string(role) + " " + f.name + " has element type " + dtypeName(f.dtype) +
                    ", which Core ML cannot pass in or out of a model",
                {}, "Use fp32, fp16 (iOS16 or newer) or int32 for model inputs and outputs.");
}

FeatureDescription featureFromProto(const cm::FeatureDescription& in, const char* role, const std::string& file) {
    FeatureDescription f;
    f.name = in.name();
    f.shortDescription = in.shortdescription();
    const auto unsupported = [&](const std::string& what) -> Error {
        return Error(ErrorKind::Package, "cannot read the model description in " + file + ": " + role + " " +
                                             in.name() + " " + what,
                     {file, {}}, "This version reads models whose inputs and outputs are multi-arrays or images.");
    };
    const cm::FeatureType& type = in.type();
    if (type.has_multiarraytype()) {
        const ArrayFeatureType& a = type.multiarraytype();
        f.kind = FeatureDescription::Kind::MultiArray;
        f.shape.assign(a.shape().begin(), a.shape().end());
        if (a.has_shaperange())
            for (const auto& r : a.shaperange().sizeranges())
                f.shapeRange.emplace_back(static_cast<int64_t>(r.lowerbound()), r.upperbound());
        if (a.has_enumeratedshapes())
            for (const auto& e : a.enumeratedshapes().shapes()) f.enumeratedShapes.emplace_back(e.shape().begin(), e.shape().end());
        bool known = false;
        for (const auto& c : kArrayCodes)
            if (c.code == a.datatype()) {
                f.dtype = c.dtype;
                known = true;
            }
        if (!known) throw unsupported("has multi-array data type code " + std::to_string(a.datatype()));
        return f;
    }
    if (type.has_imagetype()) {
        const ImageFeatureType& im = type.imagetype();
        f.kind = FeatureDescription::Kind::Image;
        f.dtype = DType::Float32;
        int64_t channels = 3;
        switch (im.colorspace()) {
            case ImageFeatureType::RGB: f.colorLayout = ColorLayout::RGB; break;
            case ImageFeatureType::BGR: f.colorLayout = ColorLayout::BGR; break;
            case ImageFeatureType::GRAYSCALE: f.colorLayout = ColorLayout::Grayscale; channels = 1; break;
            case ImageFeatureType::GRAYSCALE_FLOAT16:
                f.colorLayout = ColorLayout::Grayscale;
                f.dtype = DType::Float16;
                channels = 1;
                break;
            default: throw unsupported("has image color space code " + std::to_string(im.colorspace()));
        }
        f.shape = {1, channels, im.height(), im.width()};
        if (im.has_imagesizerange()) {
            const auto& r = im.imagesizerange();
            f.shapeRange = {{1, 1},
                            {channels, channels},
                            {static_cast<int64_t>(r.heightrange().lowerbound()), r.heightrange().upperbound()},
                            {static_cast<int64_t>(r.widthrange().lowerbound()), r.widthrange().upperbound()}};
        }
        if (im.has_enumeratedsizes())
            for (const auto& e : im.enumeratedsizes().sizes())
                f.enumeratedShapes.push_back({1, channels, static_cast<int64_t>(e.height()), static_cast<int64_t>(e.width())});
        return f;
    }
    static const std::pair<cm::FeatureType::TypeCase, const char*> names[] = {
        {cm::FeatureType::kInt64Type, "an int64"}, {cm::FeatureType::kDoubleType, "a double"},
        {cm::FeatureType::kStringType, "a string"}, {cm::FeatureType::kStateType, "a state"}};
    for (const auto& [c, n] : names)
        if (type.Type_case() == c) throw unsupported(std::string("is ") + n + " feature");
    throw unsupported("has no feature type this version knows");
}

}  // namespace

void descriptionToProto(const ModelDescription& d, cm::ModelDescription& out) {
    for (const auto& f : d.inputs) featureToProto(f, "input", *out.add_input());
    for (const auto& f : d.outputs) featureToProto(f, "output", *out.add_output());
    for (const auto& f : d.states) {
        // A state is described as a multi-array wrapped in a state type.
        cm::FeatureDescription* state = out.add_state();
        featureToProto(f, "state", *state);
        const ArrayFeatureType array = state->type().multiarraytype();
        *state->mutable_type()->mutable_statetype()->mutable_arraytype() = array;
    }
    cm::Metadata* m = out.mutable_metadata();
    m->set_author(d.metadata.author);
    m->set_license(d.metadata.license);
    m->set_shortdescription(d.metadata.shortDescription);
    m->set_versionstring(d.metadata.version);
    for (const auto& [k, v] : d.metadata.userDefined) (*m->mutable_userdefined())[k] = v;
}

ModelDescription descriptionFromProto(const cm::ModelDescription& proto, const std::string& file) {
    ModelDescription d;
    for (const auto& f : proto.input()) d.inputs.push_back(featureFromProto(f, "input", file));
    for (const auto& f : proto.output()) d.outputs.push_back(featureFromProto(f, "output", file));
    for (const auto& st : proto.state()) {
        if (!st.type().has_statetype() || !st.type().statetype().has_arraytype())
            throw Error(ErrorKind::Package,
                        "cannot read the model description in " + file + ": state " + st.name() +
                            " is not a multi-array state",
                        {file, {}}, "This version reads states that wrap multi-arrays, as Core ML defines them.");
        cm::FeatureDescription asArray = st;
        *asArray.mutable_type()->mutable_multiarraytype() = st.type().statetype().arraytype();
        d.states.push_back(featureFromProto(asArray, "state", file));
    }
    const cm::Metadata& m = proto.metadata();
    d.metadata.author = m.author();
    d.metadata.license = m.license();
    d.metadata.shortDescription = m.shortdescription();
    d.metadata.version = m.versionstring();
    for (const auto& [k, v] : m.userdefined()) d.metadata.userDefined[k] = v;
    return d;
}

}  // namespace cms::package
