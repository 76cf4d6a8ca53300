// What the classifier experiment tools (linear_experiment, ft_experiment) share: their
// key=value arguments (parsed once into a map, read with a fallback) and the scoring of a
// fold's predictions.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/classify/dataset.h"

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

struct Scores {
  double accuracy = 0;
  double macro_f1 = 0;
};

// Accuracy and macro-F1 of predicted label ids against gold ones (`labels` names them).
inline Scores Score(const std::vector<int>& gold, const std::vector<int>& predicted,
                    const std::vector<std::string>& labels) {
  std::vector<std::string> g;
  std::vector<std::string> p;
  for (size_t i = 0; i < gold.size(); ++i) {
    g.push_back(labels[static_cast<size_t>(gold[i])]);
    p.push_back(labels[static_cast<size_t>(predicted[i])]);
  }
  const adapters::classify::Evaluation e = adapters::classify::Evaluate(g, p);
  return {e.accuracy, e.macro_f1};
}

inline int Argmax(const std::vector<double>& z) {
  return static_cast<int>(std::max_element(z.begin(), z.end()) - z.begin());
}

}  // namespace hotline::bench::classify
