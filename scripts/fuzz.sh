#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan +
# libFuzzer) in build/fuzz and runs each one for SECONDS (default 20) from its committed seed
# corpus fuzz/corpus/<target>/. Exits non-zero if any target finds a crash, a leak, undefined
# behaviour, a timeout or a broken invariant; the input is kept in build/fuzz/artifacts/.
#
# Environment: JOBS (build parallelism, default nproc), FUZZ_BUILD_DIR (default build/fuzz),
# FUZZ_TARGETS (default: all), CC/CXX are not used (the fuzz build is always clang).
# Reproduce a finding: build/fuzz/fuzz/<target> build/fuzz/artifacts/<target>-crash-<sha1>
set -euo pipefail

secs=${1:-20}
if ! [[ "$secs" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS]" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build/fuzz}
jobs=${JOBS:-$(nproc)}
targets=${FUZZ_TARGETS:-"fuzz_http_request fuzz_json_fields"}

cc="" cxx=""
for v in "" -14 -15 -16 -13; do
  if command -v "clang$v" >/dev/null && command -v "clang++$v" >/dev/null; then
    cc="clang$v" cxx="clang++$v"
    break
  fi
done
if [ -z "$cc" ]; then
  echo "fuzz.sh: clang not found (Debian: apt-get install clang)" >&2
  exit 2
fi

# Per-target limits: the longest input and the slowest single run allowed.
max_len() {
  case "$1" in
    fuzz_http_request) echo 20000 ;;  # past the 16 KiB header limit
    *) echo 8192 ;;
  esac
}

start=$(date +%s)
mkdir -p "$build"
cmake -S "$root" -B "$build" -G "Unix Makefiles" \
  -DCMAKE_C_COMPILER="$cc" -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
  -DHOTLINE_SANITIZE=ON -DHOTLINE_BUILD_BENCH=OFF \
  -DCMAKE_PROJECT_hotline_INCLUDE="$root/fuzz/inject.cmake" >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log" >&2; exit 1; }
# shellcheck disable=SC2086
cmake --build "$build" -j "$jobs" --target $targets >"$build/build.log" 2>&1 ||
  { tail -50 "$build/build.log" >&2; exit 1; }
built=$(date +%s)
echo "fuzz: built $targets in $((built - start)) s; running each for ${secs} s"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p "$build/artifacts"
failed=0
for t in $targets; do
  seeds="$root/fuzz/corpus/$t"
  work="$build/corpus/$t"  # new inputs go here, never into the committed seeds
  mkdir -p "$work"
  log="$build/$t.log"
  if "$build/fuzz/$t" "$work" "$seeds" -max_total_time="$secs" -max_len="$(max_len "$t")" \
    -timeout=10 -rss_limit_mb=2560 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz: $t ok ($runs runs, $cov, corpus $(ls "$work" | wc -l) new + $(ls "$seeds" | wc -l) seeds)"
  else
    failed=1
    echo "fuzz: $t FAILED (log $log):" >&2
    grep -E 'ERROR|SUMMARY|invariant|runtime error|Test unit written' "$log" | head -20 >&2 || true
    tail -40 "$log" >&2
  fi
done
echo "fuzz: done in $(($(date +%s) - start)) s"
exit $failed
