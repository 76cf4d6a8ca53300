#pragma once

// Little-endian integers and the checksums (FNV-1a, WordHash64) of the classifier's model files
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

// The checksum of format 4 model files and version 2 linear images (our own code): four
// lanes over the 8-byte little-endian words of each 32-byte block, each lane
// h = rotl(h ^ word, 29) * prime; the remaining bytes go FNV-1a into lane 0; the lanes and
// the length are then folded together. Every step is a bijection of the lane's state for a
// fixed input and of the input for a fixed state, so any change confined to one word (a
// flipped byte, a stray write) always changes the result; it runs at memory speed (several
// GB/s, against about 0.6 GB/s for byte-wise FNV-1a), which matters for a 40 MB model
// checked by every process that loads it.
inline uint64_t WordHash64(std::string_view data) {
  constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ULL;  // odd: multiplying by it is a bijection
  const auto rotl = [](uint64_t x, int r) { return (x << r) | (x >> (64 - r)); };
  const auto word = [](const char* p) {
    uint64_t w = 0;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) {
      w = __builtin_bswap64(w);
    }
    return w;
  };
  uint64_t h[4] = {kFnvOffset, kFnvOffset + 1, kFnvOffset + 2, kFnvOffset + 3};
  const char* p = data.data();
  const size_t n = data.size();
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int l = 0; l < 4; ++l) {
      h[l] = rotl(h[l] ^ word(p + i + 8 * static_cast<size_t>(l)), 29) * kPrime;
    }
  }
  h[0] = Fnv1a64(data.substr(i), h[0]);
  uint64_t out = static_cast<uint64_t>(n);
  for (uint64_t lane : h) {
    out = rotl(out ^ lane, 31) * kPrime;
  }
  return out ^ (out >> 32);
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
