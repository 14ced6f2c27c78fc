#include "frontends/torchscript/source_frames.h"

#include <cctype>

namespace cms::frontends {

bool isUserVisible(const std::string& file) {
    if (file.empty() || file[0] == '<') return false;
    if (file.rfind("code/__torch__", 0) == 0) return false;
    return file.find("/torch/") == std::string::npos && file.rfind("torch/", 0) != 0;
}

std::vector<SourceFrame> parseTraceStack(const std::string& text) {
    std::vector<SourceFrame> frames;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        const std::string line = text.substr(pos, end - pos);
        pos = end + 1;
        if (line.empty()) continue;
        const auto close = line.find("): ");
        const auto open = close == std::string::npos ? std::string::npos : line.rfind('(', close);
        if (open == std::string::npos || open == 0 || open + 1 == close) return {};
        int number = 0;
        for (size_t i = open + 1; i < close; ++i) {
            if (!std::isdigit(static_cast<unsigned char>(line[i])) || number > 100000000) return {};
            number = number * 10 + (line[i] - '0');
        }
        frames.push_back({line.substr(0, open), number});
    }
    return frames;
}

}  // namespace cms::frontends
