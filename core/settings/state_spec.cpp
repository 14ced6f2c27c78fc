// The --state NAME:SHAPE form.
#include "common/error.h"
#include "settings/conversion_settings.h"

namespace cms {

namespace {

[[noreturn]] void stateSyntaxError(const std::string& text, const std::string& why) {
    throw Error(ErrorKind::Settings, "invalid --state \"" + text + "\": " + why, {},
                "write --state NAME:SHAPE with the buffer's name and its shape, e.g. --state k_cache:2x1x4x64x16");
}

}  // namespace

StateSpec parseStateSpec(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        stateSyntaxError(text, "expected NAME:SHAPE");
    StateSpec st;
    st.name = text.substr(0, colon);
    const std::string shape = text.substr(colon + 1);
    size_t pos = 0;
    while (pos <= shape.size()) {
        const auto x = shape.find('x', pos);
        const std::string part = shape.substr(pos, x == std::string::npos ? std::string::npos : x - pos);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || part.size() > 12)
            stateSyntaxError(text, "the shape must be positive sizes joined by x, e.g. 1x8x128x64");
        const int64_t size = std::stoll(part);
        if (size <= 0) stateSyntaxError(text, "sizes must be positive");
        st.shape.push_back(size);
        if (x == std::string::npos) break;
        pos = x + 1;
    }
    return st;
}

std::string formatStateSpec(const StateSpec& state) { return state.name + ":" + shapeToString(state.shape); }

}  // namespace cms
