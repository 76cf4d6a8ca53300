// Small helpers the benchmarks share: milliseconds, percentiles and the peak resident set.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace hotline::bench {

template <typename Duration>
double Ms(Duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// The p-quantile (0..1) of `v`, nearest rank; 0 for no values.
inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

// Peak resident set of this process in MiB (VmHWM), 0 when /proc is not there.
inline long PeakRssMb() {
  FILE* f = std::fopen("/proc/self/status", "r");
  if (f == nullptr) return 0;
  char line[256];
  long kb = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
  }
  std::fclose(f);
  return kb / 1024;
}

}  // namespace hotline::bench
