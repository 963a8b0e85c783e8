#!/usr/bin/env bash
# Installs the library into a scratch prefix and builds consumers against it:
#   - a program that only calls the API, with find_package(instantly) and with pkg-config
#     `instantly`: it must build, run, and carry nothing of the workflows component;
#   - a pipeline with find_package(instantly COMPONENTS workflows) and pkg-config
#     `instantly-workflows`;
#   - when the redis, postgres and prometheus components were built: a program using each, with
#     find_package(instantly COMPONENTS redis|postgres|prometheus) and pkg-config `instantly-<component>`;
#   - a find_package that asks for a component the package lacks: it must fail and name
#     the components that exist.
set -euo pipefail
source_dir="$1"; build_dir="$2"; cmake="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
consumers="$source_dir/tests/install"

"$cmake" --install "$build_dir" --prefix "$work/prefix" >/dev/null

build() {  # build <consumer dir> <build dir>
  "$cmake" -S "$1" -B "$2" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
  "$cmake" --build "$2" >/dev/null
}

# The client alone: the executable holds no code of the workflows component.
build "$consumers/consumer" "$work/consumer"
"$work/consumer/consumer"
if nm -C "$work/consumer/consumer" |
     grep -E "instantly::(workflows|secrets|redis|postgres|prometheus)::|webhooks::EngagementTracker|redisConnect|PQconnect" >/dev/null; then
  echo "install: a client-only program contains workflows, redis, postgres or prometheus code" >&2
  exit 1
fi

build "$consumers/workflows_consumer" "$work/workflows_consumer"
"$work/workflows_consumer/workflows_consumer"

# The optional components: each is checked when this build made it.
optional=()
for component in redis postgres prometheus; do
  if compgen -G "$work/prefix/lib*/cmake/instantly/instantly-$component-targets.cmake" >/dev/null ||
     compgen -G "$work/prefix/lib/*/cmake/instantly/instantly-$component-targets.cmake" >/dev/null; then
    optional+=("$component")
    build "$consumers/${component}_consumer" "$work/${component}_consumer"
    "$work/${component}_consumer/${component}_consumer" >/dev/null
  fi
done

if "$cmake" -S "$consumers/unknown_component" -B "$work/unknown" -G Ninja \
     -DCMAKE_PREFIX_PATH="$work/prefix" >"$work/unknown.log" 2>&1; then
  echo "install: find_package accepted an unknown component" >&2
  exit 1
fi
if ! grep -q "no component .no_such_component." "$work/unknown.log" || ! grep -q "workflows" "$work/unknown.log"; then
  echo "install: the unknown-component error does not name the component and the ones that exist:" >&2
  cat "$work/unknown.log" >&2
  exit 1
fi

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/x86_64-linux-gnu/pkgconfig"
client_libs="$(pkg-config --libs instantly)"
if [[ "$client_libs" == *workflows* ]]; then
  echo "install: pkg-config instantly links the workflows component: $client_libs" >&2
  exit 1
fi
c++ -std=c++20 "$consumers/consumer/main.cpp" -o "$work/consumer-pc" \
  $(pkg-config --cflags instantly) $client_libs
"$work/consumer-pc"
c++ -std=c++20 "$consumers/workflows_consumer/main.cpp" -o "$work/workflows-consumer-pc" \
  $(pkg-config --cflags instantly-workflows) $(pkg-config --libs instantly-workflows)
"$work/workflows-consumer-pc"
for component in "${optional[@]}"; do
  c++ -std=c++20 "$consumers/${component}_consumer/main.cpp" -o "$work/${component}-consumer-pc" \
    $(pkg-config --cflags "instantly-$component") $(pkg-config --libs "instantly-$component")
  "$work/${component}-consumer-pc" >/dev/null
done
echo "install: client-only, workflows and optional (${optional[*]:-none}) consumers built with find_package and pkg-config; unknown component refused"
