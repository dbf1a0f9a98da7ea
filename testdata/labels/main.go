// Command labels writes a CPU profile whose samples carry pprof labels, for
// flamelens's -tagfocus/-tagignore tests. Run from the repository root:
//
//	go run ./testdata/labels testdata/labels.cpu.pprof
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"log"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type record struct {
	Name  string
	Tags  []string
	Score float64
	Next  *record
}

func jsonWork(deadline time.Time) {
	r := &record{Name: "root", Tags: []string{"a", "b", "c"}, Score: 1.5}
	for i := 0; i < 20; i++ {
		r = &record{Name: "n", Tags: r.Tags, Score: float64(i), Next: r}
	}
	for time.Now().Before(deadline) {
		b, _ := json.Marshal(r)
		var back record
		json.Unmarshal(b, &back)
	}
}

func gzipWork(deadline time.Time) {
	data := bytes.Repeat([]byte("flamelens compresses this line again and again. "), 2000)
	for time.Now().Before(deadline) {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(data)
		w.Close()
	}
}

func main() {
	f, err := os.Create(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Second)
	var wg sync.WaitGroup
	for _, job := range []struct {
		handler, tenant string
		work            func(time.Time)
	}{
		{"json", "acme", jsonWork},
		{"json", "globex", jsonWork},
		{"gzip", "acme", gzipWork},
	} {
		wg.Add(1)
		go pprof.Do(context.Background(), pprof.Labels("handler", job.handler, "tenant", job.tenant), func(context.Context) {
			defer wg.Done()
			job.work(deadline)
		})
	}
	wg.Wait()
	pprof.StopCPUProfile()
	f.Close()
}
