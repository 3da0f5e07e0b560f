//go:build race

package bench

// raceEnabled: the race detector adds allocations of its own, so counts are not compared.
const raceEnabled = true
