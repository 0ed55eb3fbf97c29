"""PyRadiomics' execute() on brain1 with the paper's parameter file, warm: one
extraction, then the median of 5 (wall and CPU of this process), for the
side-by-side with bench/radiomics-paper.ts (BENCHMARKS.md). Run it with the
Python the `pyradiomics` command uses, pinned like ours:
  taskset -c 1 /usr/bin/python3 bench/pyradiomics-warm.py
Where PyRadiomics sits in its own folder (the `pyradiomics` launcher adds it to
sys.path), that folder is taken from the launcher."""
import importlib
import logging
import os
import re
import resource
import shutil
import sys
import time

try:
    import radiomics  # noqa: F401
except ImportError:
    launcher = shutil.which('pyradiomics')
    m = re.search(r'sys\.path\.insert\(0, "([^"]+)"\)', open(launcher).read()) if launcher else None
    if not m:
        sys.exit('pyradiomics is not installed for this Python')
    sys.path.insert(0, m.group(1))
    importlib.invalidate_caches()
from radiomics import featureextractor  # noqa: E402

logging.getLogger('radiomics').setLevel(logging.ERROR)
data = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'pyradiomics-data')
data = os.environ.get('PYRADIOMICS_DATA', data)
image, mask = os.path.join(data, 'brain1_image.nrrd'), os.path.join(data, 'brain1_label.nrrd')
extractor = featureextractor.RadiomicsFeatureExtractor(os.path.join(data, 'reference-3.1', 'paper.yaml'))


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def once():
    t, c = time.perf_counter(), cpu()
    extractor.execute(image, mask)
    return time.perf_counter() - t, cpu() - c


first = once()
warm = sorted(once() for _ in range(5))
wall = sorted(w for w, _ in warm)[2]
cpus = sorted(c for _, c in warm)[2]
print('{"name": "pyradiomics execute() brain1 paper.yaml", "firstWallS": %.3f, "firstCpuS": %.3f, "warmMedianWallS": %.3f, "warmMedianCpuS": %.3f, "load": %.1f}'
      % (first[0], first[1], wall, cpus, os.getloadavg()[0]))
