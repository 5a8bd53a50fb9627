//go:build pprofbench

package main

// Built only with -tags pprofbench (scripts/bench-endpoint.sh PROFILE=1):
// FLOWBENCH_CPUPROFILE=file writes a CPU profile of the whole process,
// from FLOWBENCH_CPUPROFILE_DELAY seconds after start for
// FLOWBENCH_CPUPROFILE_SECONDS seconds, so a load benchmark can be
// profiled without changing the server.

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/flowbench/flowbench/telemetry"
)

// executions counts finished executions (the run duration histogram's count).
func executions() float64 {
	n := 0.0
	mfs, _ := telemetry.Registry.Gather()
	for _, mf := range mfs {
		if mf.GetName() == "flowbench_execution_duration_seconds" {
			for _, m := range mf.GetMetric() {
				n += float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return n
}

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
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		n0 := executions()
		time.Sleep(dur)
		pprof.StopCPUProfile()
		f.Close()
		runtime.ReadMemStats(&m1)
		// per execution in the window: bytes and objects allocated, GC cycles
		if n := executions() - n0; n > 0 {
			_ = os.WriteFile(path+".txt", []byte(fmt.Sprintf("executions=%.0f bytes/exec=%.0f objects/exec=%.0f gc/1000exec=%.2f\n",
				n, float64(m1.TotalAlloc-m0.TotalAlloc)/n, float64(m1.Mallocs-m0.Mallocs)/n, float64(m1.NumGC-m0.NumGC)*1000/n)), 0o644)
		}
		// FLOWBENCH_MEMPROFILE=file: the allocations since start (go tool
		// pprof -sample_index=alloc_space|alloc_objects) at the same moment.
		if mp := os.Getenv("FLOWBENCH_MEMPROFILE"); mp != "" {
			if m, err := os.Create(mp); err == nil {
				_ = pprof.Lookup("allocs").WriteTo(m, 0)
				m.Close()
			}
		}
	}()
}
