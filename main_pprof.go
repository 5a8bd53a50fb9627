//go:build pprofbench

package main

// Built only with -tags pprofbench (scripts/bench-endpoint.sh PROFILE=1):
// FLOWBENCH_CPUPROFILE=file writes a CPU profile of the whole process,
// from FLOWBENCH_CPUPROFILE_DELAY seconds after start for
// FLOWBENCH_CPUPROFILE_SECONDS seconds, so a load benchmark can be
// profiled without changing the server.

import (
	"os"
	"runtime/pprof"
	"strconv"
	"time"
)

func init() {
	path := os.Getenv("FLOWBENCH_CPUPROFILE")
	if path == "" {
		return
	}
	secs := func(name string, def int) time.Duration {
		if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
			return time.Duration(n) * time.Second
		}
		return time.Duration(def) * time.Second
	}
	delay, dur := secs("FLOWBENCH_CPUPROFILE_DELAY", 2), secs("FLOWBENCH_CPUPROFILE_SECONDS", 8)
	go func() {
		time.Sleep(delay)
		f, err := os.Create(path)
		if err != nil {
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return
		}
		time.Sleep(dur)
		pprof.StopCPUProfile()
		f.Close()
	}()
}
