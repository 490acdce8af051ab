# Shared by the benchmarks: wrk runs and the SPEC §4 yardstick.

command -v wrk >/dev/null 2>&1 || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }

# run_wrk NAME URL [HEADER]: 10 s of `wrk -t2 -c64 --latency`; sets RPS, P50_MS, P99_MS.
run_wrk() {
  local name="$1" url="$2" header="${3:-}" out
  if [ -n "$header" ]; then
    out=$(wrk -t2 -c64 -d"${BENCH_SECONDS:-10}"s --latency -H "$header" "$url")
  else
    out=$(wrk -t2 -c64 -d"${BENCH_SECONDS:-10}"s --latency "$url")
  fi
  RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  P50_MS=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  P99_MS=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  local non2xx; non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '%-28s %10s req/s   p50 %8s ms   p99 %8s ms%s\n' "$name" "$RPS" "$P50_MS" "$P99_MS" "${non2xx:+   NON-2xx: $non2xx}"
  [ -z "$non2xx" ] || BENCH_ERRORS=1
}

# wrk prints 1.23ms, 850.00us or 1.20s
to_ms() {
  awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); printf "%.2f\n", v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); printf "%.2f\n", v } else if (v ~ /s$/) { sub(/s$/,"",v); printf "%.2f\n", v*1000 } else print v }'
}

# Starts the yardstick page (SPEC §4) on 127.0.0.1:8090 and measures it: YARD_RPS, YARD_P99_MS.
yardstick() {
  cargo build --release --quiet --example yardstick
  # Reached like the app reaches a loopback database (db::without_loopback_tls).
  YARDSTICK_DATABASE_URL="${YARDSTICK_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/pc_yardstick?sslmode=disable}" \
    "$BENCH_ROOT/target/release/examples/yardstick" >/dev/null 2>&1 &
  YARD_PID=$!
  for _ in $(seq 1 50); do curl -fs http://127.0.0.1:8090/fortunes >/dev/null 2>&1 && break; sleep 0.2; done
  run_wrk "yardstick /fortunes" http://127.0.0.1:8090/fortunes
  YARD_RPS=$RPS; YARD_P99_MS=$P99_MS
  kill "$YARD_PID" 2>/dev/null || true
  wait "$YARD_PID" 2>/dev/null || true
}

verdict() { # verdict NAME CONDITION-TEXT EXIT-STATUS-OF-TEST
  if [ "$3" = 0 ]; then echo "PASS $1 ($2)"; else echo "FAIL $1 ($2)"; fi
}

# sign_in BASE EMAIL WORKDIR: signs in with the demo password; prints the session cookie value.
sign_in() {
  local base="$1" jar="$3/jar-$2" token
  token=$(curl -fs -c "$jar" -b "$jar" "$base/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -fs -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$2" --data-urlencode "password=Demo-Pass-2026!" "$base/login"
  awk '$6 == "pc_session" { print $7 }' "$jar"
}
