# Fuzzing targets (libFuzzer).
