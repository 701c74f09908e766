dnl Fuzzing targets (libFuzzer): owned by the reliability work.
