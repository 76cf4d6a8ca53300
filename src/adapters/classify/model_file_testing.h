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

// Replaces the trailing checksum of a model file image so that only inner checks can fail.
inline void Reseal(std::string& bytes) {
  bytes.resize(bytes.size() - 8);
  wire::PutU64(bytes, wire::Fnv1a64(bytes));
}

// A model file's bytes with its JSON header (after the 8-byte magic and a 4-byte
// little-endian length) changed by `edit`, the file checksum redone: as an older version of
// the code, or training with other results, would have written it.
inline std::string WithHeader(const std::string& bytes,
                              const std::function<void(nlohmann::json&)>& edit) {
  const size_t header_len = wire::GetLe(bytes, 8, 4);
  nlohmann::json header = nlohmann::json::parse(bytes.substr(12, header_len));
  edit(header);
  const std::string text = header.dump();
  std::string out = bytes.substr(0, 8);
  wire::PutU32(out, static_cast<uint32_t>(text.size()));
  out += text;
  out += bytes.substr(12 + header_len);
  Reseal(out);
  return out;
}

}  // namespace hotline::adapters::classify
