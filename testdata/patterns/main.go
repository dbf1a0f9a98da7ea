// Command patterns is a small program for flamelens's insight tests: run
// with -pattern NAME, it spends its time the way real programs go wrong
// (or, with "calm", in plain arithmetic) and writes the profiles that show
// it, so that each insight rule is tested on a real profile that has its
// pattern and on ones that have not.
//
//	alloc      many short-lived allocations: garbage collection pressure
//	json       encoding/json by reflection, both ways
//	regexp     a regular expression compiled on every call
//	fmt        fmt.Sprintf and += string building in a loop
//	mutex      goroutines contending on one sync.Mutex
//	syscall    one-byte unbuffered writes to a file
//	leak       goroutines left blocked on a channel nobody sends on
//	maps       maps grown without a size hint
//	sched      goroutines handing values back and forth one at a time
//	calm       arithmetic only: no pattern
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"
)

var sink int

// leaks is how many goroutines the leak pattern leaves blocked.
var leaks = flag.Int("leaks", 500, "how many goroutines the leak pattern leaves blocked")

// steps, when above 0, is how many steps a looping pattern takes instead
// of working for a time: the same work on a busy machine as on an idle
// one, so that CPU profiles of runs compare.
var steps = flag.Int("steps", 0, "take this many steps of the pattern instead of working -for a time (looping patterns)")

func main() {
	pattern := flag.String("pattern", "calm", "what to spend the time on")
	out := flag.String("o", ".", "the `folder` the profiles are written to: cpu.pprof, heap.pprof, mutex.pprof, block.pprof, goroutine.pprof, "+
		"goroutines.txt (the goroutine dump, debug=2) and, in a program built with GOEXPERIMENT=goroutineleakprofile, goroutineleak.pprof")
	d := flag.Duration("for", time.Second, "how long to work")
	flag.Parse()
	runtime.MemProfileRate = 4096
	if *pattern == "mutex" {
		// Only here: sampling every contention costs CPU the other
		// patterns' profiles would show.
		runtime.SetMutexProfileFraction(1)
		runtime.SetBlockProfileRate(1)
	}
	f, err := os.Create(filepath.Join(*out, "cpu.pprof"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	work, ok := patterns[*pattern]
	if !ok {
		log.Fatalf("no pattern %q", *pattern)
	}
	work(*d)
	pprof.StopCPUProfile()
	f.Close()
	for _, p := range []struct{ file, name string }{{"heap.pprof", "allocs"}, {"mutex.pprof", "mutex"},
		{"block.pprof", "block"}, {"goroutine.pprof", "goroutine"}} {
		f, err := os.Create(filepath.Join(*out, p.file))
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.Lookup(p.name).WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
	dump, err := os.Create(filepath.Join(*out, "goroutines.txt"))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup("goroutine").WriteTo(dump, 2); err != nil {
		log.Fatal(err)
	}
	dump.Close()
	if p := pprof.Lookup("goroutineleak"); p != nil {
		f, err := os.Create(filepath.Join(*out, "goroutineleak.pprof"))
		if err != nil {
			log.Fatal(err)
		}
		if err := p.WriteTo(f, 0); err != nil {
			log.Fatal(err)
		}
		f.Close()
	}
	if sink == 42 {
		println(sink)
	}
}

var patterns = map[string]func(time.Duration){
	"alloc":   loop(allocate),
	"json":    loop(decodeOrders),
	"regexp":  loop(validateEmails),
	"fmt":     loop(formatReport),
	"mutex":   contend,
	"syscall": writeByteByByte,
	"leak":    leak,
	"maps":    loop(countWords),
	"sched":   pingPong,
	"calm":    loop(arithmetic),
}

// loop calls step until d has passed.
func loop(step func()) func(time.Duration) {
	return func(d time.Duration) {
		if *steps > 0 {
			for range *steps {
				step()
			}
			return
		}
		for end := time.Now().Add(d); time.Now().Before(end); {
			step()
		}
	}
}

type node struct {
	next  *node
	value [6]int
}

// allocate builds and drops linked lists: every node is garbage at once.
func allocate() {
	var head *node
	for i := 0; i < 2000; i++ {
		head = &node{next: head, value: [6]int{i}}
	}
	for n := head; n != nil; n = n.next {
		sink += n.value[0]
	}
}

type order struct {
	ID       int               `json:"id"`
	Customer string            `json:"customer"`
	Items    []item            `json:"items"`
	Tags     map[string]string `json:"tags"`
}

type item struct {
	SKU   string  `json:"sku"`
	Count int     `json:"count"`
	Price float64 `json:"price"`
}

var orderJSON = func() []byte {
	o := order{ID: 7, Customer: "ACME", Tags: map[string]string{"region": "eu", "tier": "gold"}}
	for i := 0; i < 50; i++ {
		o.Items = append(o.Items, item{SKU: "sku-" + strconv.Itoa(i), Count: i, Price: float64(i) * 1.5})
	}
	b, _ := json.Marshal(o)
	return b
}()

// decodeOrders decodes and encodes an order with encoding/json.
func decodeOrders() {
	var o order
	if err := json.Unmarshal(orderJSON, &o); err != nil {
		panic(err)
	}
	b, _ := json.Marshal(o)
	sink += len(b)
}

// validateEmails compiles its regular expression on every call.
func validateEmails() {
	for _, s := range []string{"ann@example.com", "bob@example", "carl@example.org"} {
		re := regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`)
		if re.MatchString(s) {
			sink++
		}
	}
}

// formatReport builds a report with fmt.Sprintf and +=.
func formatReport() {
	report := ""
	for i := 0; i < 200; i++ {
		report += fmt.Sprintf("row %d: %s = %.2f\n", i, "value", float64(i)/3)
	}
	sink += len(report)
}

// contend has eight goroutines take turns on one mutex for d.
func contend(d time.Duration) {
	var mu sync.Mutex
	shared := map[int]int{}
	var wg sync.WaitGroup
	end := time.Now().Add(d)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i%1024 != 0 || time.Now().Before(end); i++ {
				mu.Lock()
				shared[i%64]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

// writeByteByByte writes a file a byte at a time, unbuffered.
func writeByteByByte(d time.Duration) {
	f, err := os.CreateTemp("", "patterns")
	if err != nil {
		log.Fatal(err)
	}
	defer os.Remove(f.Name())
	defer f.Close()
	b := []byte{'x'}
	for end := time.Now().Add(d); time.Now().Before(end); {
		for i := 0; i < 1000; i++ {
			f.Write(b)
		}
	}
}

// leak starts goroutines that wait for a reply nobody sends, then works.
func leak(d time.Duration) {
	pprof.Do(context.Background(), pprof.Labels("job", "reply"), func(context.Context) {
		for i := 0; i < *leaks; i++ {
			go awaitReply(make(chan int))
		}
	})
	loop(arithmetic)(d)
}

func awaitReply(reply chan int) { sink += <-reply }

// pingPong has pairs of goroutines hand a number back and forth over
// unbuffered channels: each hand-over parks one goroutine and wakes the
// other, so the scheduler does most of the work.
func pingPong(d time.Duration) {
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for p := 0; p < 4; p++ {
		ping, pong := make(chan int), make(chan int)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for v := range ping {
				pong <- v + 1
			}
			close(pong)
		}()
		go func() {
			defer wg.Done()
			v := 0
			for i := 0; i%1024 != 0 || time.Now().Before(end); i++ {
				ping <- v
				v = <-pong
			}
			close(ping)
			sink += v
		}()
	}
	wg.Wait()
}

// countWords counts words in maps made without a size hint.
func countWords() {
	counts := map[string]int{}
	for i := 0; i < 5000; i++ {
		counts["w"+strconv.Itoa(i%3000)]++
	}
	sink += len(counts)
}

// arithmetic mixes numbers: CPU time in the program's own code only.
func arithmetic() {
	x := uint64(sink)
	for i := 0; i < 100000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
	}
	sink += int(x & 1)
}
