//go:build !race

package invitekit

const raceEnabled = false
