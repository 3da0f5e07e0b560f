// Package bench measures what the SDK costs next to the physical floor of its stack: a
// hand-written net/http + encoding/json client, the generated client (package gen) and the
// wrapper run side by side, in one process, against the same loopback server. It holds only
// benchmarks; make bench runs them and prints a summary (see tools/benchsummary).
package bench
