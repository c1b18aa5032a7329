#!/usr/bin/env bash
# Builds the benchmark-only peers into benchmarks/peers/build/ (ignored by git, outside the Maven build):
# alpha_wrap, CGAL's 3D alpha wrapping, when CGAL's headers are installed (Debian: apt-get install libcgal-dev).
# RepairBenchmark.alphaWrapOgre reports -1 where the binary is absent.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
if [ ! -f /usr/include/CGAL/alpha_wrap_3.h ]; then
  echo "CGAL (5.5 or newer) is not installed: apt-get install libcgal-dev; alphaWrapOgre will report -1" >&2
  exit 1
fi
mkdir -p "$here/build"
# CGAL is header-only; its exact predicates use GMP and MPFR.
"${CXX:-g++}" -std=c++17 -O3 -DNDEBUG -o "$here/build/alpha_wrap" "$here/alpha_wrap.cpp" -lgmp -lmpfr
echo "built $here/build/alpha_wrap" >&2
