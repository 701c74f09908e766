dnl Benchmarks: owned by the performance work.
