//go:build !linux

package store

// trimMappings is Linux-only (trim_linux.go).
func (s *Store) trimMappings(stop <-chan struct{}) { <-stop }
