#pragma once

// Little-endian integers and the FNV-1a checksum of the classifier's model files
// (fasttext_model.cc's container and linear_model.cc's member), shared so that both formats
// and the tests that doctor them read and write the same way.

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace hotline::adapters::classify::wire {

inline constexpr uint64_t kFnvOffset = 1469598103934665603ULL;
inline constexpr uint64_t kFnvPrime = 1099511628211ULL;

// FNV-1a 64 of `data`, continuing from `h` (a running hash over several pieces).
inline uint64_t Fnv1a64(std::string_view data, uint64_t h = kFnvOffset) {
  for (unsigned char c : data) {
    h ^= c;
    h *= kFnvPrime;
  }
  return h;
}

inline void PutU32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}
inline void PutU64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}
inline void PutF32(std::string& out, float v) { PutU32(out, std::bit_cast<uint32_t>(v)); }

// The `width`-byte little-endian integer at `pos`; the caller checks the bounds.
inline uint64_t GetLe(std::string_view data, size_t pos, int width) {
  uint64_t v = 0;
  for (int i = 0; i < width; ++i) {
    v |= static_cast<uint64_t>(static_cast<unsigned char>(data[pos + static_cast<size_t>(i)]))
         << (8 * i);
  }
  return v;
}

// Reads out.size() little-endian values starting at `pos` into `out` (a copy on a
// little-endian host); returns the position after them. The caller checks the bounds.
inline size_t GetU64s(std::string_view data, size_t pos, std::vector<uint64_t>& out) {
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out.data(), data.data() + pos, out.size() * sizeof(uint64_t));
    return pos + out.size() * sizeof(uint64_t);
  }
  for (uint64_t& v : out) {
    v = GetLe(data, pos, 8);
    pos += 8;
  }
  return pos;
}
inline size_t GetF32s(std::string_view data, size_t pos, std::vector<float>& out) {
  static_assert(sizeof(float) == 4);
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(out.data(), data.data() + pos, out.size() * sizeof(float));
    return pos + out.size() * sizeof(float);
  }
  for (float& v : out) {
    v = std::bit_cast<float>(static_cast<uint32_t>(GetLe(data, pos, 4)));
    pos += 4;
  }
  return pos;
}

}  // namespace hotline::adapters::classify::wire
