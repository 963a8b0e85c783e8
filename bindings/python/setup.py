"""Builds `instantly._core` with the project's CMake build, then packages it with the pure-Python
files. pyproject.toml holds the metadata; this file only adds the extension.

    python3 -m venv --system-site-packages /tmp/v
    /tmp/v/bin/pip install --no-build-isolation bindings/python

The extension is built from the repository checkout this file lives in (two levels up), in
Release mode, with the library's tests, examples, mock and benchmarks switched off. Set
INSTANTLY_CMAKE_ARGS to pass more `-D...` options, CMAKE_BUILD_PARALLEL_LEVEL to limit jobs.
"""
from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


class CMakeExtension(Extension):
    """An extension whose sources CMake knows; setuptools only needs its name."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        if not (ROOT / "CMakeLists.txt").is_file() or not (ROOT / "src").is_dir():
            raise RuntimeError(f"the C++ sources are not at {ROOT}; build from a checkout of the repository")
        cmake = shutil.which("cmake")
        if cmake is None:
            raise RuntimeError("cmake is required to build instantly._core (scripts/setup installs it)")

        build_dir = Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        configure = [
            cmake, "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DINSTANTLY_BUILD_TESTS=OFF", "-DINSTANTLY_BUILD_EXAMPLES=OFF", "-DINSTANTLY_BUILD_MOCK=OFF",
            "-DINSTANTLY_BUILD_BENCH=OFF", "-DINSTANTLY_BUILD_PYTHON=ON",
            "-DCMAKE_MODULE_LINKER_FLAGS=-s",  # strip: the debug info is most of the file
        ]
        if shutil.which("ninja") and not (build_dir / "CMakeCache.txt").exists():
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("INSTANTLY_CMAKE_ARGS", ""))
        build = [cmake, "--build", str(build_dir), "--target", ext.target]
        if "CMAKE_BUILD_PARALLEL_LEVEL" not in os.environ:
            build += ["--parallel", str(os.cpu_count() or 2)]
        subprocess.run(configure, check=True)
        subprocess.run(build, check=True)

        built = build_dir / "python" / "instantly" / ("_core" + sysconfig.get_config_var("EXT_SUFFIX"))
        if not built.is_file():
            raise RuntimeError(f"CMake built no {built.name} in {built.parent}")
        destination = Path(self.get_ext_fullpath(ext.name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, destination)


class BuildPyWithMigrations(build_py):
    """The pure-Python files, plus the repository's migrations/ as the receiver's package data
    (instantly/_receiver/sql): `instantly webhooks listen` creates its tables from them."""

    def run(self) -> None:
        super().run()
        source = ROOT / "migrations"
        if not source.is_dir():
            raise RuntimeError(f"the SQL migrations are not at {source}; build from a checkout of the repository")
        destination = Path(self.build_lib) / "instantly" / "_receiver" / "sql"
        for sql in sorted(source.glob("*/*.sql")):
            target = destination / sql.parent.name / sql.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(sql, target)


setup(ext_modules=[CMakeExtension("instantly._core", target="_core")],
      cmdclass={"build_ext": CMakeBuild, "build_py": BuildPyWithMigrations})
