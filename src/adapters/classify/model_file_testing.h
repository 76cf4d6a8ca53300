// Test helper: small training options and edits of a model file's bytes, for the
// classifier's tests. Header-only.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/classify/byte_io.h"
#include "adapters/classify/fasttext_model.h"

namespace hotline::adapters::classify {

// Small and single-threaded: fast under ASan and deterministic for the seed.
inline TrainOptions SmallTrainOptions() {
  TrainOptions o;
  o.epoch = 20;
  o.dim = 16;
  o.bucket = 20000;
  o.threads = 1;
  o.calibration_fraction = 0.2;
  return o;
}

// The same with the linear member (every feature kept, however rare).
inline TrainOptions SmallMixedOptions() {
  TrainOptions o = SmallTrainOptions();
  o.linear = true;
  o.linear_options.min_df = 1;
  return o;
}

// Replaces the trailing checksum of a model file image (or of a linear member's image) so
// that only inner checks can fail: FNV-1a for files of formats 1 to 3 (magic HLCLSF01) and
// linear images of version 1, WordHash64 otherwise.
inline void Reseal(std::string& bytes) {
  const bool fnv = bytes.compare(0, 8, "HLCLSF01") == 0 ||
                   (bytes.compare(0, 8, "HLCLSL01") == 0 && wire::GetLe(bytes, 8, 4) == 1);
  bytes.resize(bytes.size() - 8);
  wire::PutU64(bytes, fnv ? wire::Fnv1a64(bytes) : wire::WordHash64(bytes));
}

// A model file's bytes with its JSON header (after the 8-byte magic and a 4-byte
// little-endian length) changed by `edit`, the checksums redone: as an older version of
// the code, or training with other results, would have written it. When `edit` sets a
// "format" of 1 to 3, the file is written as those formats were (the layout is the same;
// the magic HLCLSF01 and FNV-1a checksums, in the file and in the linear member's image,
// which gets version 1), otherwise as format 4.
inline std::string WithHeader(const std::string& bytes,
                              const std::function<void(nlohmann::json&)>& edit) {
  const size_t header_len = wire::GetLe(bytes, 8, 4);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(12, header_len));
  edit(header);
  const bool fnv = header.value("format", 4) <= 3;
  const std::string text = header.dump();
  std::string out = fnv ? "HLCLSF01" : "HLCLSF02";
  wire::PutU32(out, static_cast<uint32_t>(text.size()));
  out += text;
  // The members: u32 count, (u64 length, bytes) each; then the linear member, if any.
  size_t pos = 12 + header_len;
  const size_t body = bytes.size() - 8;
  const size_t n_members = wire::GetLe(bytes, pos, 4);
  size_t members_end = pos + 4;
  for (size_t m = 0; m < n_members; ++m) {
    members_end += 8 + wire::GetLe(bytes, members_end, 8);
  }
  out += bytes.substr(pos, members_end - pos);
  if (members_end < body) {
    std::string image = bytes.substr(members_end + 8, wire::GetLe(bytes, members_end, 8));
    image.replace(8, 4, std::string(fnv ? "\x01" : "\x02", 1) + std::string(3, '\0'));
    Reseal(image);
    wire::PutU64(out, image.size());
    out += image;
  }
  out += std::string(8, '\0');  // the checksum's place
  Reseal(out);
  return out;
}

}  // namespace hotline::adapters::classify
