//go:build race

package invitekit

// The race detector keeps shadow memory and per-goroutine history that grow
// with every goroutine started, so RSS measurements are meaningless under -race.
const raceEnabled = true
