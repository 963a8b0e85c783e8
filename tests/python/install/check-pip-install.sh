#!/usr/bin/env bash
# `pip install` of the Python package in a fresh venv, offline, then the package's test suite
# against the installed copy (not the build tree).
#   check-pip-install.sh <source dir> <build dir>
set -euo pipefail
source_dir="$1"
build_dir="$2"
venv="$build_dir/pip-install-venv"

rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
# --no-build-isolation: setuptools and wheel come from Debian; nothing may come from PyPI.
PIP_NO_INDEX=1 "$venv/bin/pip" install --quiet --no-build-isolation "$source_dir/bindings/python"

# From outside the source tree, so `import instantly` can only find the installed package.
cd "$build_dir"
"$venv/bin/python" -c 'import instantly, instantly._core; print("installed", instantly.__version__, "at", instantly.__file__)'
INSTANTLY_PYTHON_DIR="" INSTANTLY_BUILD_DIR="$build_dir" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/python" -m pytest -q -p no:cacheprovider "$source_dir/tests/python/package"
