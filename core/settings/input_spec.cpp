// The command-line form of an input: NAME:1x3x224x224[:image,scale=S,bias=R,G,B,layout=RGB][:dtype=fp16]
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"
#include "settings/conversion_settings.h"
#include "settings/input_check.h"

namespace cms {

namespace {

const char* const kInputFormHint =
    "write the input as NAME:1x3x224x224 (flexible: NAME:1x3x(64..512)x(64..512) or "
    "NAME:enum(1x3x224x224,1x3x256x256)), optionally followed by :image,scale=S,bias=R,G,B,layout=RGB|BGR|GRAYSCALE "
    "or :dtype=fp32|fp16|int32";

[[noreturn]] void fail(const std::string& text, const std::string& message) {
    throw Error(ErrorKind::Settings, "--input \"" + text + "\": " + message, {}, kInputFormHint);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        const size_t pos = s.find(sep, start);
        parts.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
        if (pos == std::string::npos) return parts;
        start = pos + 1;
    }
}

std::optional<double> parseNumber(const std::string& s) {
    if (s.empty()) return std::nullopt;
    // "1/255" is how people think of pixel scales; accept a plain fraction.
    if (const size_t slash = s.find('/'); slash != std::string::npos) {
        const auto num = parseNumber(s.substr(0, slash));
        const auto den = parseNumber(s.substr(slash + 1));
        if (!num || !den || *den == 0.0) return std::nullopt;
        return *num / *den;
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

Shape parseShape(const std::string& text, const std::string& s) {
    Shape shape;
    for (const std::string& dim : split(s, 'x')) {
        char* end = nullptr;
        errno = 0;
        const long long v = dim.empty() ? 0 : std::strtoll(dim.c_str(), &end, 10);
        if (dim.empty() || errno != 0 || end != dim.c_str() + dim.size() || v <= 0)
            fail(text, "shape \"" + s + "\": expected positive dimensions separated by x, like 1x3x224x224");
        shape.push_back(v);
    }
    return shape;
}

std::optional<int64_t> parsePositive(const std::string& s) {
    char* end = nullptr;
    errno = 0;
    const long long v = s.empty() ? 0 : std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || errno != 0 || end != s.c_str() + s.size() || v <= 0) return std::nullopt;
    return v;
}

// A shape whose dimensions may be ranges: 1x3x(64..512)x(64..512=224), or enum(A,B[,...])[=DEFAULT].
void parseFlexibleShape(const std::string& text, const std::string& s, InputSpec& in) {
    in.ranges.clear();
    in.enumeratedShapes.clear();
    if (s.rfind("enum(", 0) == 0) {
        const size_t close = s.find(')');
        if (close == std::string::npos) fail(text, "shape \"" + s + "\": enum( ... ) is not closed");
        for (const std::string& one : split(s.substr(5, close - 5), ',')) in.enumeratedShapes.push_back(parseShape(text, one));
        const std::string rest = s.substr(close + 1);
        if (rest.empty()) in.shape = in.enumeratedShapes.front();
        else if (rest[0] == '=') in.shape = parseShape(text, rest.substr(1));
        else fail(text, "shape \"" + s + "\": unexpected \"" + rest + "\" after enum( ... )");
        return;
    }
    const char* const rangeForm = "expected a dimension like 224, (64..512), (64..) or (64..512=224)";
    in.shape.clear();
    bool anyRange = false;
    for (const std::string& dim : split(s, 'x')) {
        if (dim.empty() || dim.front() != '(') {
            const auto v = parsePositive(dim);
            if (!v) fail(text, "shape \"" + s + "\": expected positive dimensions separated by x, like 1x3x224x224");
            in.shape.push_back(*v);
            in.ranges.push_back(std::nullopt);
            continue;
        }
        if (dim.back() != ')') fail(text, "shape \"" + s + "\": \"" + dim + "\": " + rangeForm);
        std::string body = dim.substr(1, dim.size() - 2);
        std::optional<int64_t> defaultSize;
        if (const size_t eq = body.find('='); eq != std::string::npos) {
            defaultSize = parsePositive(body.substr(eq + 1));
            if (!defaultSize) fail(text, "shape \"" + s + "\": \"" + dim + "\": " + rangeForm);
            body = body.substr(0, eq);
        }
        const size_t dots = body.find("..");
        if (dots == std::string::npos) fail(text, "shape \"" + s + "\": \"" + dim + "\": " + rangeForm);
        const auto lower = parsePositive(body.substr(0, dots));
        const std::string upperText = body.substr(dots + 2);
        const auto upper = upperText.empty() ? std::optional<int64_t>(-1) : parsePositive(upperText);
        if (!lower || !upper) fail(text, "shape \"" + s + "\": \"" + dim + "\": " + rangeForm);
        in.ranges.push_back(DimRange{*lower, *upper});
        in.shape.push_back(defaultSize.value_or(*lower));
        anyRange = true;
    }
    if (!anyRange) in.ranges.clear();
}

std::string formatFixedShape(const Shape& shape) {
    std::string s;
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
    return s;
}

// Shortest decimal form that reads back as the same double.
std::string formatNumber(double v) {
    char buf[64];
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

}  // namespace

InputSpec parseInputSpec(const std::string& text) {
    const std::vector<std::string> groups = split(text, ':');
    if (groups.size() < 2 || groups[0].empty()) fail(text, "expected NAME:SHAPE");
    InputSpec in;
    in.name = groups[0];
    parseFlexibleShape(text, groups[1], in);

    for (size_t g = 2; g < groups.size(); ++g) {
        const std::vector<std::string> items = split(groups[g], ',');
        bool inBias = false;  // bias=R,G,B: the values after the first are bare numbers
        for (const std::string& item : items) {
            if (item.empty()) fail(text, "empty option in \"" + groups[g] + "\"");
            const size_t eq = item.find('=');
            if (eq == std::string::npos) {
                if (inBias) {
                    const auto v = parseNumber(item);
                    if (!v) fail(text, "bias value \"" + item + "\" is not a number");
                    in.image->bias.push_back(*v);
                    continue;
                }
                if (item == "image") {
                    if (!in.image) in.image = ImageSpec{};
                    continue;
                }
                fail(text, "unknown option \"" + item + "\" (expected image, scale=, bias=, layout= or dtype=)");
            }
            inBias = false;
            const std::string key = item.substr(0, eq);
            const std::string value = item.substr(eq + 1);
            if (key == "dtype") {
                const auto dt = dtypeFromName(value);
                if (!dt || (*dt != DType::Float32 && *dt != DType::Float16 && *dt != DType::Int32))
                    fail(text, "dtype \"" + value + "\": expected fp32, fp16 or int32");
                in.dtype = *dt;
                continue;
            }
            // Every other option describes an image, so it makes the input one.
            if (!in.image) in.image = ImageSpec{};
            if (key == "scale") {
                const auto v = parseNumber(value);
                if (!v) fail(text, "scale \"" + value + "\" is not a number");
                in.image->scale = *v;
            } else if (key == "bias") {
                const auto v = parseNumber(value);
                if (!v) fail(text, "bias value \"" + value + "\" is not a number");
                in.image->bias = {*v};
                inBias = true;
            } else if (key == "layout") {
                const auto layout = colorLayoutFromName(value);
                if (!layout) fail(text, "layout \"" + value + "\": expected RGB, BGR or GRAYSCALE");
                in.image->layout = *layout;
            } else {
                fail(text, "unknown option \"" + key + "\" (expected image, scale=, bias=, layout= or dtype=)");
            }
        }
    }
    if (auto problem = settings_detail::checkInputSpec(in)) fail(text, problem->key + ": " + problem->message);
    return in;
}

void parseInputShape(const std::string& text, InputSpec& in) {
    parseFlexibleShape(text, text, in);
    if (auto problem = settings_detail::checkInputSpec(in)) fail(text, problem->key + ": " + problem->message);
}

std::string formatInputShape(const InputSpec& in) {
    if (!in.enumeratedShapes.empty()) {
        std::string s = "enum(";
        for (size_t i = 0; i < in.enumeratedShapes.size(); ++i) s += (i ? "," : "") + formatFixedShape(in.enumeratedShapes[i]);
        s += ")";
        if (in.shape != in.enumeratedShapes.front()) s += "=" + formatFixedShape(in.shape);
        return s;
    }
    if (!in.hasRanges()) return formatFixedShape(in.shape);
    std::string s;
    for (size_t i = 0; i < in.shape.size(); ++i) {
        if (i) s += "x";
        const std::optional<DimRange> r = i < in.ranges.size() ? in.ranges[i] : std::nullopt;
        if (!r) {
            s += std::to_string(in.shape[i]);
            continue;
        }
        s += "(" + std::to_string(r->lower) + ".." + (r->upper < 0 ? std::string() : std::to_string(r->upper));
        if (in.shape[i] != r->lower) s += "=" + std::to_string(in.shape[i]);
        s += ")";
    }
    return s;
}

std::string formatInputSpec(const InputSpec& in) {
    std::string s = in.name + ":" + formatInputShape(in);
    if (in.image) {
        s += ":image,scale=" + formatNumber(in.image->scale);
        if (!in.image->bias.empty()) {
            s += ",bias=";
            for (size_t i = 0; i < in.image->bias.size(); ++i) s += (i ? "," : "") + formatNumber(in.image->bias[i]);
        }
        s += ",layout=" + colorLayoutName(in.image->layout);
    }
    if (in.dtype != DType::Float32) s += ":dtype=" + dtypeName(in.dtype);
    return s;
}

}  // namespace cms
