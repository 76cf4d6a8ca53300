// The key=value arguments of the classifier experiment tools (linear_experiment,
// ft_experiment): parsed once into a map, read with a fallback.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hotline::bench::classify {

using Config = std::map<std::string, std::string>;

// Exits with status 2 and a message on a word without "=".
inline Config ParsePairs(const std::vector<std::string>& words) {
  Config kv;
  for (const std::string& w : words) {
    const size_t eq = w.find('=');
    if (eq == std::string::npos) {
      std::fprintf(stderr, "expected key=value, got %s\n", w.c_str());
      std::exit(2);
    }
    kv[w.substr(0, eq)] = w.substr(eq + 1);
  }
  return kv;
}

inline std::string Get(const Config& kv, const std::string& key, const std::string& fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : it->second;
}

inline double Num(const Config& kv, const std::string& key, double fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : std::stod(it->second);
}

inline std::vector<std::string> SplitOn(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, sep)) {
    out.push_back(part);
  }
  return out;
}

}  // namespace hotline::bench::classify
