# Sourced by the benchmark scripts: from the repository root, build the
# release binary ($bin) and make a scratch folder ($work) removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo build --release --quiet
bin="${CARGO_TARGET_DIR:-target}/release/tradelab"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
