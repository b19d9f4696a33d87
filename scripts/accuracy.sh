#!/bin/sh
# The accuracy benchmark: generates the sample at each messiness setting
# (standard, the bundled input; high and terse, not fully linkable, on
# seeds 2015, 7 and 11), runs the pipeline on each (release build) and
# prints, against the ground truth, pairwise precision and recall of the
# record → account assignment, the account count error, and the largest
# share errors by province, level and domain. Fails when a bar of a rough
# setting is missed or the standard setting is not exact. Numbers are
# recorded in BENCHMARKS.md ("Accuracy").
#
# usage: scripts/accuracy.sh
set -eu
cd "$(dirname "$0")/.."
exec cargo test --release --quiet -p govwx-sample --test accuracy -- \
    --nocapture --test-threads 1 the_high_setting the_terse_setting the_standard_setting
