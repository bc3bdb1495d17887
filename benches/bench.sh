#!/usr/bin/env bash
# Benchmarks fitsm-pack on synthetic configs of N services against its limit (`cp -r` of
# its own output) and two peers on the same output (`mdbook build` on the same Markdown
# tree; `copier copy` of an equivalent template set). Prints one Markdown table (rows:
# measurements and ratios; columns: N) to stdout; see BENCHMARKS.md.
#
#   benches/bench.sh                  # N = 10 100 1000 10000 (about an hour on 2 cores)
#   benches/bench.sh 10 100           # chosen sizes
#
# Settings (environment): STEP_TIMEOUT (seconds, default 600: a step that takes longer is
# stopped and reported as such), REPEAT_MAX_N (default 1000: up to this N every
# measurement is the best of 3, unless one run takes over 20 s), MDBOOK_SEARCH_MAX_N
# (default 1000: mdbook with its default search index is measured up to this N only; at
# 1,000 services it already needs 2.7 GB; at 10,000 it ran out of 23 GB), PEERS_MAX_N
# (default 10000: mdbook and copier are measured up to this N only), ALL_STEPS_MAX_N
# (default 10000: above it only the steps the targets name run: the full md+html build,
# `cp -r`, the no-op, `check` and the rename; --zip, md only and the build after rm -rf
# are left out, each would be one more full build of that size), SETTLE (see
# "File-system hygiene" below), QUIET (see "Measuring"), KEEP_WORK=1 (keep the temporary
# folder).
#
# Installs what is missing: mdbook (`cargo install mdbook --locked`), copier (`pip install
# copier`), GNU time (apt-get, as root). Works in a temporary folder under /tmp and writes
# nothing into the repository (except what `cargo build --release` writes to target/).
set -euo pipefail
cd "${FITSM_PACK_REPO:-$(dirname "$0")/..}"
repo=$PWD

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 10000)
STEP_TIMEOUT=${STEP_TIMEOUT:-600}
REPEAT_MAX_N=${REPEAT_MAX_N:-1000}
MDBOOK_SEARCH_MAX_N=${MDBOOK_SEARCH_MAX_N:-1000}
PEERS_MAX_N=${PEERS_MAX_N:-10000}
ALL_STEPS_MAX_N=${ALL_STEPS_MAX_N:-10000}
export PATH="$HOME/.cargo/bin:$PATH"

say() { echo "bench: $*" >&2; }

# --- Tools -------------------------------------------------------------------------------
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y time >&2
  else
    echo "GNU time (/usr/bin/time) is needed: sudo apt-get install time" >&2
    exit 2
  fi
fi
command -v mdbook >/dev/null 2>&1 || { say "installing mdbook"; cargo install mdbook --locked >&2; }
command -v copier >/dev/null 2>&1 || { say "installing copier"; python3 -m pip install copier >&2 || pip install copier >&2; }
python3 -c 'import tomllib' 2>/dev/null || python3 -c 'import tomli' 2>/dev/null ||
  python3 -m pip install tomli >&2

say "building (cargo build --release)"
cargo build --release --quiet --bin fitsm-pack --example synthesize >&2
work=$(mktemp -d /tmp/fitsm-bench.XXXXXX)
if [ "${KEEP_WORK:-0}" = 1 ]; then say "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
trap 'exit 130' INT TERM
mkdir -p "$work/bin"
# A private copy: a rebuild of target/ during the run does not change what is measured.
cp target/release/fitsm-pack target/release/examples/synthesize "$work/bin/"
bin="$work/bin/fitsm-pack"

# --- Measuring ---------------------------------------------------------------------------
# Busy CPU time of the whole machine so far, in seconds (from /proc/stat).
busy_seconds() { awk '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / 100 }' /proc/stat; }
# Idle share of the machine's CPUs over one second.
idle_share() {
  local a b
  a=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $5 + $6, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat)
  echo "$a $b" | awk '{ printf "%.2f", ($3 - $1) / ($4 - $2) }'
}
# With QUIET=1 (the default), wait before each step until the machine is at least 90 %
# idle (other people's builds make wall times meaningless), at most QUIET_MAX seconds.
QUIET=${QUIET:-1}
QUIET_MAX=${QUIET_MAX:-1800}
wait_quiet() {
  [ "$QUIET" = 1 ] || return 0
  local waited=0
  while awk -v i="$(idle_share)" 'BEGIN { exit !(i < 0.9) }'; do
    [ $waited = 0 ] && say "waiting for the machine to be idle"
    sleep 9
    waited=$((waited + 10))
    [ $waited -ge "$QUIET_MAX" ] && { say "still busy after $QUIET_MAX s; measuring anyway"; break; }
  done
  return 0
}
# Other processes' CPU time during a step (machine busy time minus the step's own user +
# system time) is logged; steps where it exceeds 10 % of the step's wall time are listed
# at the end of the report, as possibly disturbed.
declare -A OTHER

# measure KEY REPEATS PREPARE CMD...: runs PREPARE (shell code, untimed), `sync`, then
# CMD under GNU time, REPEATS times at most (a run over 20 s is not repeated). Keeps the
# best wall time (bash's EPOCHREALTIME around the run, ms resolution; GNU time's %e is
# kept in the log) and the highest peak RSS (%M). A run stopped after STEP_TIMEOUT is
# recorded as ">STEP_TIMEOUT s". CMD's output goes to $work/KEY.log (the last run's).
declare -A T M
measure() {
  local key=$1 reps=$2 prepare=$3
  shift 3
  local best="" peak=0 r t0 t1 b0 b1 rc t kb other best_other=0
  for ((r = 1; r <= reps; r++)); do
    eval "$prepare"
    sync
    wait_quiet
    b0=$(busy_seconds)
    t0=$EPOCHREALTIME
    set +e
    timeout "$STEP_TIMEOUT" /usr/bin/time -f '%U %S %e %M' -o "$work/time.txt" "$@" >"$work/$key.log" 2>&1
    rc=$?
    set -e
    t1=$EPOCHREALTIME
    b1=$(busy_seconds)
    if [ $rc = 124 ] || [ $rc = 137 ]; then
      T[$key]=">$STEP_TIMEOUT"
      M[$key]="?"
      say "$key: stopped after $STEP_TIMEOUT s"
      return 0
    fi
    if [ $rc != 0 ]; then
      T[$key]="failed (exit $rc)"
      M[$key]="?"
      say "$key: exit code $rc; output:"
      tail -n 20 "$work/$key.log" >&2
      return 0
    fi
    t=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    kb=$(awk 'END { print $4 }' "$work/time.txt")
    other=$(awk -v b0="$b0" -v b1="$b1" '{ u = $1; s = $2 } END { o = b1 - b0 - u - s; printf "%.2f", (o > 0 ? o : 0) }' "$work/time.txt")
    echo "gnu-time: $(tail -n 1 "$work/time.txt"); other processes' CPU: $other s" >>"$work/$key.log"
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; best_other=$other; fi
    [ "$kb" -gt "$peak" ] && peak=$kb
    awk -v a="$t" 'BEGIN { exit !(a > 20) }' && break
  done
  T[$key]=$best
  M[$key]=$((peak / 1024))
  OTHER[$key]=$best_other
  say "$key: ${T[$key]} s, ${M[$key]} MB (other processes' CPU meanwhile: $best_other s)"
}
num() { [[ $1 =~ ^[0-9.]+$ ]]; }
ratio() { # ratio A B [DIGITS]; A or B may be ">LIMIT" (a step stopped at the limit)
  local a=${1#>} b=${2#>} bound=""
  [ "$1" != "$a" ] && bound=">"
  [ "$2" != "$b" ] && bound="<"
  if [ "$1" != "$a" ] && [ "$2" != "$b" ]; then echo "n/a"; return; fi
  if num "$a" && num "$b"; then awk -v a="$a" -v b="$b" -v d="${3:-2}" -v p="$bound" 'BEGIN { printf "%s%.*f", p, d, a / b }'; else echo "n/a"; fi
}
secs() { if num "$1"; then awk -v a="$1" 'BEGIN { printf (a < 10 ? "%.3f" : "%.1f"), a }'; else echo "$1"; fi; }
cell() { # cell KEY: "1.234 s, 56 MB"
  if [ -z "${T[$1]:-}" ]; then echo "not run"; else echo "$(secs "${T[$1]}") s, ${M[$1]} MB"; fi
}
reps_for() { if [ "$1" -le "$REPEAT_MAX_N" ]; then echo 3; else echo 1; fi; }

# --- The copier template set -------------------------------------------------------------
cat >"$work/gen_copier.py" <<'PY'
"""Generate a copier template set equivalent to a fitsm-pack Markdown tree.

Usage: gen_copier.py CONFIG.toml MARKDOWN_DIR TEMPLATE_DIR DATA_FILE

One Jinja template per document kind (TEMPLATE_DIR/_kinds/), derived from fitsm-pack's
own output for one sample entity, with that entity's facts replaced by Jinja expressions:
- per-service, per-customer and per-supplier documents: the sample's document, with its
  id, name, description, owner or relationship manager, category, contact turned into
  variables; one small stub per output document picks the entity and includes the kind;
- documents listing entities (catalogue, portfolio, plans, register, lists...): the
  static text verbatim, each run of per-entity rows or per-entity sections replaced by a
  `{% for %}` loop over as many entities as the run has, whose body is the sample
  entity's rows, templated. A line naming four or more entities (an inline list) is
  kept verbatim, which makes copier's job easier, not harder.
The facts (services, customers, suppliers) go to DATA_FILE, read by `copier copy
--data-file`. The result: as many Markdown files as the input tree, of about the same
size (the benchmark checks and prints both).
"""
import json
import os
import re
import sys

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

cfg_path, md_dir, tpl_dir, data_path = sys.argv[1:5]
with open(cfg_path, "rb") as f:
    cfg = tomllib.load(f)

people = {p["id"]: p["name"] for p in cfg.get("people", [])}
services = [
    {
        "id": s["id"],
        "name": s["name"],
        "description": s.get("description", ""),
        "owner_name": people.get(s.get("owner", ""), ""),
        "category": s.get("category", ""),
        "status": s.get("status", ""),
        "availability": s.get("availability_target", ""),
    }
    for s in cfg.get("services", [])
]
def party(p):
    return {
        "id": p["id"],
        "name": p["name"],
        "email": p.get("contact_email", ""),
        "rm_name": people.get(p.get("relationship_manager", ""), ""),
    }
customers = [party(c) for c in cfg.get("customers", [])]
suppliers = [party(p) for p in cfg.get("suppliers", [])]
with open(data_path, "w") as f:  # JSON is YAML; one line per entity
    f.write("org: " + json.dumps(cfg["organisation"]["name"]) + "\n")
    for key, rows in (("services", services), ("customers", customers), ("suppliers", suppliers)):
        f.write(f"{key}:\n")
        for row in rows:
            f.write("  - " + json.dumps(row) + "\n")

KINDS = {"service": services, "customer": customers, "supplier": suppliers}
SAMPLE = {kind: min(7, len(rows) - 1) for kind, rows in KINDS.items()}
ENTITY = re.compile(r"(?<![\w-])(service|customer|supplier)[- ](\d+)(?!\d)", re.IGNORECASE)


def substitutions(kind, var):
    row = KINDS[kind][SAMPLE[kind]]
    pairs = [
        (rf"(?<![\w-]){re.escape(row['id'])}(?!\d)", f"{{{{ {var}.id }}}}"),
        (rf"(?<![\w-]){re.escape(row['id'].upper())}(?!\d)", f"{{{{ {var}.id|upper }}}}"),
        (rf"(?<![\w-]){re.escape(row['name'])}(?!\d)", f"{{{{ {var}.name }}}}"),
    ]
    if kind == "service":
        pairs += [
            (re.escape(row["description"]), f"{{{{ {var}.description }}}}"),
            (rf"{re.escape(row['owner_name'])}(?!\d)", f"{{{{ {var}.owner_name }}}}"),
            (rf"{re.escape(row['category'])}(?!\d)", f"{{{{ {var}.category }}}}"),
        ]
    else:
        pairs += [
            (re.escape(row["email"]), f"{{{{ {var}.email }}}}"),
            (rf"{re.escape(row['rm_name'])}(?!\d)", f"{{{{ {var}.rm_name }}}}"),
        ]
    return [(re.compile(p), r) for p, r in pairs if p]


def templatize(text, kind, var):
    for pattern, replacement in substitutions(kind, var):
        text = pattern.sub(replacement, text)
    return text


def owner(line):
    refs = ENTITY.findall(line)
    if not refs or len(refs) >= 4:
        return None
    return (refs[0][0].lower(), int(refs[0][1]))


def listing_template(text):
    lines = text.split("\n")
    owners = [owner(l) for l in lines]
    i = 0
    while i < len(lines):  # a heading naming an entity owns its whole section
        m = re.match(r"(#+) ", lines[i])
        if m and owners[i]:
            level, j = len(m.group(1)), i + 1
            while j < len(lines):
                n = re.match(r"(#+) ", lines[j])
                if n and len(n.group(1)) <= level:
                    break
                owners[j] = owners[i]
                j += 1
            i = j
        else:
            i += 1
    out, i = [], 0
    while i < len(lines):
        if owners[i] is None:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and owners[j] is not None:
            j += 1
        distinct = {}
        for k in range(i, j):
            distinct.setdefault(owners[k][0], set()).add(owners[k])
        emitted = set()
        for k in range(i, j):
            kind = owners[k][0]
            if len(distinct[kind]) < 2:
                out.append(lines[k])
                continue
            if kind in emitted:
                continue
            emitted.add(kind)
            body = [lines[x] for x in range(i, j) if owners[x] == (kind, SAMPLE[kind])]
            if not body:
                body = [lines[x] for x in range(i, j) if owners[x] == owners[k]]
            out.append(f"{{% for e in {kind}s[:{len(distinct[kind])}] %}}")
            out.append(templatize("\n".join(body), kind, "e"))
            out.append("{% endfor %}")
        i = j
    return "\n".join(out)


ITEMS = [
    (re.compile(r"^services/(service-\d+)/"), "service"),
    (re.compile(r"^relationships/customers/(customer-\d+)\.md$"), "customer"),
    (re.compile(r"^relationships/suppliers/(supplier-\d+)\.md$"), "supplier"),
]
index = {kind: {row["id"]: n for n, row in enumerate(rows)} for kind, rows in KINDS.items()}
files = sorted(
    os.path.relpath(os.path.join(root, name), md_dir)
    for root, _, names in os.walk(md_dir)
    for name in names
    if name.endswith(".md")
)
os.makedirs(os.path.join(tpl_dir, "_kinds"), exist_ok=True)
with open(os.path.join(tpl_dir, "copier.yml"), "w") as f:
    f.write("_subdirectory: template\n_templates_suffix: .jinja\n")
kinds = set()
for rel in files:
    dest = os.path.join(tpl_dir, "template", rel + ".jinja")
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    for pattern, kind in ITEMS:
        m = pattern.match(rel)
        if m:
            name = f"service--{os.path.basename(rel)}" if kind == "service" else f"{kind}-record.md"
            if name not in kinds:
                sample = rel.replace(m.group(1), KINDS[kind][SAMPLE[kind]]["id"], 1)
                with open(os.path.join(md_dir, sample)) as s:
                    text = s.read()
                with open(os.path.join(tpl_dir, "_kinds", name + ".jinja"), "w") as k:
                    k.write(templatize(text, kind, "e"))
                kinds.add(name)
            with open(dest, "w") as stub:
                stub.write(f'{{% set e = {kind}s[{index[kind][m.group(1)]}] %}}{{% include "_kinds/{name}.jinja" %}}')
            break
    else:
        with open(os.path.join(md_dir, rel)) as s:
            text = s.read()
        name = rel.replace("/", "--")
        with open(os.path.join(tpl_dir, "_kinds", name + ".jinja"), "w") as k:
            k.write(listing_template(text))
        with open(dest, "w") as stub:
            stub.write(f'{{% include "_kinds/{name}.jinja" %}}')
        kinds.add(name)
print(f"{len(files)} documents from {len(kinds)} kind templates", file=sys.stderr)
PY

files_in() { find "$1" -type f | wc -l; }
mb_in() { du -sb --apparent-size "$1" | awk '{ printf "%.1f", $1 / 1048576 }'; }

# --- Machine ---------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "nproc: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "memory: $(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }')"
  echo "$(rustc --version); $(mdbook --version); $(copier --version 2>/dev/null | tail -n 1); $(python3 --version)"
  echo "/tmp: $(df -T /tmp | awk 'NR == 2 { print $2 }')"
  echo "fitsm-pack: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')$( [ -n "$(git -C "$repo" status --porcelain -- src templates Cargo.toml Cargo.lock 2>/dev/null)" ] && echo ' + uncommitted changes in src/templates')"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$work/machine.txt"

# --- File-system hygiene ------------------------------------------------------------------
# Outputs are moved aside (into $work/trash), not deleted, between measurements, and the
# trash is deleted between sizes, followed by a pause of SETTLE seconds (default 35). On
# ext4 without a journal (as on the machine of BENCHMARKS.md), inodes freed in the last
# ~30 s are skipped when new files are created, and the scan over them makes creating
# thousands of files right after deleting thousands several times slower, for fitsm-pack
# and `cp -r` alike. The row "full build right after rm -rf" measures that case once.
SETTLE=${SETTLE:-35}
mkdir -p "$work/trash"
discard() { local p; for p; do if [ -e "$p" ]; then mv "$p" "$work/trash/$(date +%s%N)"; fi; done; }
empty_trash() { rm -rf "$work/trash" && mkdir -p "$work/trash" && sync && sleep "$SETTLE"; }
say "waiting $SETTLE s for the file system to settle"
sync
sleep "$SETTLE"

# --- The example pack: md+html+zip, whole process, best of 5 -------------------------------
example="$repo/examples/university-computing-centre/sms.toml"
measure example 5 'discard "$work/example"' "$bin" build -c "$example" -o "$work/example" --zip
example_docs=$(grep -o '^[0-9]* documents' "$work/example.log" | cut -d' ' -f1)
discard "$work/example"

# --- The example pack: the Word step beside the HTML step, best of 5 ----------------------
# Each on a pack whose Markdown is up to date: the step's own output and record removed,
# so it makes every file again; the md-only no-op run is what both share.
steps="$work/example-steps"
"$bin" build -q -c "$example" -o "$steps" --format md
measure example_md 5 ':' "$bin" build -c "$example" -o "$steps" --format md
measure example_html 5 'rm -rf "$steps/html" "$steps/.fitsm-pack/site.json"' \
  "$bin" build -c "$example" -o "$steps" --format md,html
measure example_docx 5 'rm -rf "$steps/docx" "$steps/.fitsm-pack/docx.json"' \
  "$bin" build -c "$example" -o "$steps" --format md,docx
discard "$steps"

# --- Per size ----------------------------------------------------------------------------
declare -A DOCS OUTF OUTMB MDMB CHANGED CPF CPMB LOAD
for n in "${sizes[@]}"; do
  d="$work/n$n"
  mkdir -p "$d"
  reps=$(reps_for "$n")
  LOAD[$n]=$(cut -d' ' -f1 /proc/loadavg)
  say "N = $n services (load average ${LOAD[$n]})"
  "$work/bin/synthesize" "$n" >"$d/sms.toml"

  # Full build, md+html, into an empty folder.
  measure "$n.full" "$reps" 'discard "$d/out"' "$bin" build -c "$d/sms.toml" -o "$d/out"
  if ! num "${T[$n.full]}"; then discard "$d"; empty_trash; continue; fi
  DOCS[$n]=$(grep -o '^[0-9]* documents' "$work/$n.full.log" | cut -d' ' -f1)
  OUTF[$n]=$(files_in "$d/out")
  OUTMB[$n]=$(mb_in "$d/out")
  MDMB[$n]=$(mb_in "$d/out/markdown")

  # The limit: copying that output into a fresh folder.
  measure "$n.cp" "$reps" 'discard "$d/copy"' cp -r "$d/out" "$d/copy"
  discard "$d/copy"

  if [ "$n" -le "$PEERS_MAX_N" ]; then
    # mdbook on the same Markdown tree; only `mdbook build` is timed.
    book="$d/book"
    mkdir -p "$book"
    cp -r "$d/out/markdown" "$book/src"
    (cd "$book/src" && { printf '# Summary\n\n'; find . -name '*.md' | sed 's|^\./||' | LC_ALL=C sort |
      awk '{ printf "- [%s](%s)\n", $0, $0 }'; } >"$work/summary.md" && mv "$work/summary.md" SUMMARY.md)
    printf '[book]\ntitle = "fitsm-pack benchmark"\n\n[output.html.search]\nenable = false\n' >"$book/book.toml"
    measure "$n.mdbook" "$reps" 'discard "$book/book"' mdbook build "$book"
    if [ "$n" -le "$MDBOOK_SEARCH_MAX_N" ]; then
      printf '[book]\ntitle = "fitsm-pack benchmark"\n' >"$book/book.toml"
      measure "$n.mdbook_search" "$reps" 'discard "$book/book"' mdbook build "$book"
    fi
    discard "$book"

    # copier on an equivalent template set (generated, untimed), same data.
    mkdir -p "$d/copier"
    python3 "$work/gen_copier.py" "$d/sms.toml" "$d/out/markdown" "$d/copier/tpl" "$d/copier/data.yml" 2>>"$work/gen.log"
    measure "$n.copier" "$reps" 'discard "$d/copier/out"' \
      copier copy --data-file "$d/copier/data.yml" --defaults --overwrite --quiet "$d/copier/tpl" "$d/copier/out"
    if [ -d "$d/copier/out" ]; then CPF[$n]=$(files_in "$d/copier/out"); CPMB[$n]=$(mb_in "$d/copier/out"); fi
    discard "$d/copier"
  fi

  if [ "$n" -le "$ALL_STEPS_MAX_N" ]; then
    # Full build with --zip, and Markdown only, each into an empty folder.
    measure "$n.zip" "$reps" 'discard "$d/zip"' "$bin" build -c "$d/sms.toml" -o "$d/zip" --zip
    discard "$d/zip"
    measure "$n.md" "$reps" 'discard "$d/md"' "$bin" build -c "$d/sms.toml" -o "$d/md" --format md
    discard "$d/md"
  fi

  # No-op rebuild of the md+html output.
  measure "$n.noop" "$reps" ':' "$bin" build -c "$d/sms.toml" -o "$d/out"
  grep -q 'wrote 0 files' "$work/$n.noop.log" || say "$n.noop: the no-op rebuild wrote files!"

  # `check` of the pack just built (nothing stale: it reads the documents on disk).
  measure "$n.check" "$reps" ':' "$bin" check -c "$d/sms.toml" -o "$d/out"

  # One config change: rename one service (a new name each run), rebuild.
  k=$((n / 2)) change=0
  measure "$n.change" "$reps" \
    'change=$((change + 1)); sed -i -E "s/^name = \"Service $k( renamed [0-9]+)?\"\$/name = \"Service $k renamed $change\"/" "$d/sms.toml"; grep -q "Service $k renamed $change\"" "$d/sms.toml"' \
    "$bin" build -c "$d/sms.toml" -o "$d/out"
  CHANGED[$n]=$(grep -o 'wrote [0-9]* files' "$work/$n.change.log" | head -n 1 | cut -d' ' -f2)

  # Last, as the brief of the issue put it: rm -rf of the output, then a full build (once).
  if [ "$n" -le "$ALL_STEPS_MAX_N" ]; then
    measure "$n.full_rm" 1 'rm -rf "$d/out"' "$bin" build -c "$d/sms.toml" -o "$d/out"
  fi

  discard "$d"
  say "deleting this size's files, then waiting $SETTLE s"
  empty_trash
done

# --- Report ------------------------------------------------------------------------------
row() { # row LABEL CELL-COMMAND (evaluated per N with $n set)
  local label=$1 line
  line="| $label |"
  for n in "${sizes[@]}"; do line+=" $(eval "$2") |"; done
  echo "$line"
}
{
  echo '```text'
  cat "$work/machine.txt"
  echo "repeats: best of 3 (time) / highest of 3 (memory) up to N = $REPEAT_MAX_N, except steps over 20 s; 1 run above"
  echo "mdbook and copier up to N = $PEERS_MAX_N; --zip, md only and the build after rm -rf up to N = $ALL_STEPS_MAX_N"
  echo '```'
  echo
  echo "Example pack (examples/university-computing-centre/sms.toml, $example_docs documents), md+html+zip, whole process, best of 5: $(cell example)"
  echo
  if num "${T[example_md]:-}" && num "${T[example_html]:-}" && num "${T[example_docx]:-}"; then
    echo "Example pack, one step on an up-to-date Markdown pack, best of 5: md only (no-op) $(cell example_md);" \
      "md+html $(cell example_html); md+docx $(cell example_docx). Word step ÷ HTML step (each less the no-op):" \
      "$(awk -v m="${T[example_md]}" -v h="${T[example_html]}" -v d="${T[example_docx]}" \
        'BEGIN { printf "%.2f", (d - m) / (h - m) }')"
    echo
  fi
  header="| services |"
  rule="|---|"
  for n in "${sizes[@]}"; do header+=" $n |"; rule+="---:|"; done
  echo "$header"
  echo "$rule"
  row "documents" 'echo "${DOCS[$n]:-n/a}"'
  row "output (md+html+state): files, MB" 'echo "${OUTF[$n]:-?}, ${OUTMB[$n]:-?} (Markdown ${MDMB[$n]:-?})"'
  row "**fitsm-pack full build md+html**" 'cell $n.full'
  row "fitsm-pack full build md+html right after rm -rf of the previous output (1 run)" 'cell $n.full_rm'
  row "fitsm-pack full build md+html+zip" 'cell $n.zip'
  row "fitsm-pack full build md only" 'cell $n.md'
  row "fitsm-pack no-op rebuild" 'cell $n.noop'
  row "fitsm-pack check after the build" 'cell $n.check'
  row "fitsm-pack one service renamed (files written)" 'echo "$(cell $n.change) (${CHANGED[$n]:-?})"'
  row "cp -r of the output (limit)" 'cell $n.cp'
  row "mdbook build, search off" 'cell $n.mdbook'
  row "mdbook build, default (search on)" 'cell $n.mdbook_search'
  row "copier copy (files, MB written)" 'echo "$(cell $n.copier) (${CPF[$n]:-?}, ${CPMB[$n]:-?})"'
  row "full md+html ÷ cp -r" 'ratio "${T[$n.full]:-}" "${T[$n.cp]:-}"'
  row "full md+html ÷ mdbook (search off)" 'ratio "${T[$n.full]:-}" "${T[$n.mdbook]:-}"'
  row "full md+html ÷ mdbook (search on)" 'ratio "${T[$n.full]:-}" "${T[$n.mdbook_search]:-}"'
  row "copier ÷ fitsm-pack md only" 'ratio "${T[$n.copier]:-}" "${T[$n.md]:-}"'
  row "copier ÷ fitsm-pack md+html" 'ratio "${T[$n.copier]:-}" "${T[$n.full]:-}"'
  row "no-op ÷ full" 'ratio "${T[$n.noop]:-}" "${T[$n.full]:-}" 3'
  row "one change ÷ full" 'ratio "${T[$n.change]:-}" "${T[$n.full]:-}" 3'
  row "check ÷ no-op" 'ratio "${T[$n.check]:-}" "${T[$n.noop]:-}" 2'
  row "full md+html, ms per document" 'ratio "$(ratio "${T[$n.full]:-}" "${DOCS[$n]:-}" 9)" 0.001 2'
  row "load average before this N" 'echo "${LOAD[$n]:-?}"'
  echo
  if num "${T[10000.full]:-}" && num "${T[1000.full]:-}"; then
    echo "Time per document, 10,000 ÷ 1,000 services: $(ratio "$(ratio "${T[10000.full]}" "${DOCS[10000]}" 9)" "$(ratio "${T[1000.full]}" "${DOCS[1000]}" 9)")"
  fi
  disturbed=""
  for key in "${!OTHER[@]}"; do
    if num "${T[$key]}" && awk -v o="${OTHER[$key]}" -v t="${T[$key]}" 'BEGIN { exit !(o > 0.1 * t && o > 0.05) }'; then
      disturbed+=" $key (${OTHER[$key]} s CPU of other processes during ${T[$key]} s)"
    fi
  done
  echo "Steps during which other processes used more than 10 % of a CPU:${disturbed:- none}"
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$work/results.md"
