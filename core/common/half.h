#pragma once
// IEEE 754 binary16 conversions (round to nearest even; overflow becomes +-inf, as on device).
#include <cstdint>

namespace cms {

uint16_t floatToHalf(float f);
float halfToFloat(uint16_t h);

}  // namespace cms
