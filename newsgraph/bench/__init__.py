"""The benchmark suite: `python -m newsgraph.bench` (or `make bench`) writes
bench/RESULTS.md - the machine, then for each figure the median of several
runs (`--runs`, default 3; `--quick` for a one-run smoke test on small data):

* `pipeline`: pages/s, per-stage time and peak memory of the per-page
  pipeline on the SlavicNER raw documents, and natasha's Russian NER alone on
  the Russian ones, in the same run (natasha is in the `bench` extra);
* `engines`: the local process pool and a Dask LocalCluster with 1 and 2
  workers: throughput and parallel efficiency;
* `cold`: `newsgraph process` of one page from a new process;
* `store`: storing and clustering at 1k, 10k and 100k articles (the BSNLP
  corpus replicated with shifted dates) and search latency at 100k.

Benchmarks are separate from the tests: nothing here asserts. The older
synthetic store benchmark is `python -m newsgraph.bench.store`.
"""
