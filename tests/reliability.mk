# Reliability tests (HTTP limits, hostile input, faults, valgrind).
