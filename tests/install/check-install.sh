#!/usr/bin/env bash
# Installs the library into a scratch prefix and builds a consumer against it,
# once with find_package(instantly CONFIG) and once with pkg-config.
set -euo pipefail
source_dir="$1"; build_dir="$2"; cmake="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$cmake" --install "$build_dir" --prefix "$work/prefix" >/dev/null

"$cmake" -S "$source_dir/tests/install/consumer" -B "$work/consumer" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
"$cmake" --build "$work/consumer" >/dev/null
"$work/consumer/consumer"

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
c++ -std=c++20 "$source_dir/tests/install/consumer/main.cpp" -o "$work/consumer-pc" \
  $(pkg-config --cflags instantly) $(pkg-config --libs instantly)
"$work/consumer-pc"
echo "install: find_package and pkg-config consumers both built and ran"
