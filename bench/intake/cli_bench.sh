#!/usr/bin/env bash
# bench/intake/cli_bench.sh: what the classifier's suggestion costs `hotline ticket create`.
#
#   bench/intake/cli_bench.sh HOTLINE MODEL [N]
#
# Builds a demo city (300 tickets) in a temporary directory, then runs N (default 50)
# `hotline ticket create` processes one after another without a model in the store ("off":
# the command says once that no suggestion is recorded), then imports MODEL (a `hotline
# classify train` file) as the store's active version and runs N more ("on": each process
# loads the model from the store, predicts, and writes the suggestion after the ticket's
# commit). Prints, per mode, the wall time of a whole process (p50, p99, mean) and tickets/s,
# its CPU time (user + system, p50 and p99: on a loaded machine the wall time is mostly
# waiting for a core), the machine's load average, and a last line of JSON.
set -euo pipefail
HOTLINE="${1:?usage: cli_bench.sh HOTLINE MODEL [N]}"
MODEL="${2:?usage: cli_bench.sh HOTLINE MODEL [N]}"
N="${3:-50}"
DIR="$(mktemp -d /tmp/hotline-cli-bench.XXXXXX)"
trap 'rm -rf "$DIR"' EXIT
S=(--store "$DIR/h.db")
"$HOTLINE" demo "${S[@]}" --tickets 300 --seed 7 >/dev/null

python3 - "$HOTLINE" "$MODEL" "$N" "$DIR" <<'EOF'
import json, os, subprocess, sys, time
hotline, model, n, d = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
store = ["--store", os.path.join(d, "h.db")]
texts = [
    "三元区列东街{}号附近工地夜间施工到凌晨，噪音严重影响周边居民休息，多次劝说无果，请相关部门尽快处理。",
    "我家小区门口的路灯坏了一个多月，晚上出行很不方便，老人小孩容易摔倒，希望尽快派人维修。地址：列西街{}号。",
    "咨询公租房申请条件和需要准备的材料，本人在三明工作{}年，外地户口，没有自有住房，想了解是否符合条件。",
    "某公司拖欠我们{}名工人三个月工资，老板联系不上，请劳动监察部门帮助追讨，我们都是农民工，生活很困难。",
]

def run(mode):
    times = []
    cpus = []  # user + system CPU of each process: what it costs apart from the machine's load
    suggested = 0
    out_path = os.path.join(d, "out.json")
    for i in range(n):
        cmd = [hotline, "ticket", "create", *store, "--as", "op1", "--type", "投诉",
               "--region", "3", "--content", texts[i % len(texts)].format(i + 1), "--json"]
        with open(out_path, "w") as out:
            t0 = time.perf_counter()
            p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            times.append((time.perf_counter() - t0) * 1000)
        p.returncode = os.waitstatus_to_exitcode(status)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        if p.returncode != 0:
            sys.exit(f"{mode}: exit {p.returncode}")
        if json.load(open(out_path)).get("classify_suggestion"):
            suggested += 1
    s = sorted(times)
    c = sorted(cpus)
    pct = lambda v, q: v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]
    return {"mode": mode, "n": n, "suggested": suggested, "p50_ms": round(pct(s, 0.5), 1),
            "p99_ms": round(pct(s, 0.99), 1), "mean_ms": round(sum(s) / len(s), 1),
            "cpu_p50_ms": round(pct(c, 0.5), 1), "cpu_p99_ms": round(pct(c, 0.99), 1),
            "tickets_per_s": round(1000 * len(s) / sum(s), 2)}

load0 = os.getloadavg()
off = run("off")
imp = subprocess.run([hotline, "classify", "import", "--model", model, *store, "--activate"],
                     capture_output=True, text=True)
if imp.returncode != 0:
    sys.exit("import: " + imp.stderr)
on = run("on")
load1 = os.getloadavg()
for r in (off, on):
    print(f"ticket create, suggestion {r['mode']:3}: {r['n']} processes, p50 {r['p50_ms']} ms, "
          f"p99 {r['p99_ms']} ms, mean {r['mean_ms']} ms, {r['tickets_per_s']} tickets/s; "
          f"CPU p50 {r['cpu_p50_ms']} ms, p99 {r['cpu_p99_ms']} ms; "
          f"{r['suggested']} suggestions recorded")
print(f"model {os.path.getsize(model) / 1e6:.1f} MB; {os.cpu_count()} CPUs; load average "
      f"{load0[0]:.2f} before, {load1[0]:.2f} after")
print(json.dumps({"off": off, "on": on, "model_bytes": os.path.getsize(model),
                  "load_before": round(load0[0], 2), "load_after": round(load1[0], 2)}))
EOF
