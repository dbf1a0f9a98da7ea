package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

// browser starts headless Chromium (Debian's) for a test, with no network
// and a profile of its own, and collects what its pages log as errors.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a browser")
	}
	bin := needTool(t, "chromium")
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1400, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	var mu sync.Mutex
	var errs []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			detail := ev.ExceptionDetails.Text
			if e := ev.ExceptionDetails.Exception; e != nil {
				detail += " " + e.Description
			}
			errs = append(errs, fmt.Sprintf("%s (line %d)", detail, ev.ExceptionDetails.LineNumber))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == "error" {
				var b strings.Builder
				for _, a := range ev.Args {
					b.Write(a.Value)
				}
				errs = append(errs, "console.error: "+b.String())
			}
		}
	}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), errs...) }
}

// pageBox is where the page draws a function's widest frame.
type pageBox struct{ X, Y, W float64 }

func boxOn(t *testing.T, ctx context.Context, fn string, graph int) pageBox {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.Evaluate[*pageBox](fmt.Sprintf(`flamelens.boxOf(%q, %d)`, fn, graph)))
	if err != nil || b == nil {
		t.Fatalf("no frame of %s drawn on graph %d: %v", fn, graph, err)
	}
	return *b
}

// boxOnPage is the middle of the element selector finds.
func boxOnPage(t *testing.T, ctx context.Context, selector string) pageBox {
	t.Helper()
	b, err := chromedp.Run(ctx, chromedp.Evaluate[*pageBox](fmt.Sprintf(
		`(() => { const r = document.querySelector(%q).getBoundingClientRect(); return {X: r.left + r.width / 2, Y: r.top + r.height / 2, W: r.width}; })()`, selector)))
	if err != nil || b == nil {
		t.Fatalf("no %s on the page: %v", selector, err)
	}
	return *b
}

func evalString(t *testing.T, ctx context.Context, js string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return s
}

// topOf is flamelens top's flat and cum per function of args' profile.
func topOf(t *testing.T, args ...string) map[string][2]int64 {
	t.Helper()
	out, errOut, code := runCLI(append([]string{"top", "-n", "0"}, args...)...)
	if code != 0 {
		t.Fatalf("top: %s", errOut)
	}
	rows := map[string][2]int64{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 5 || strings.HasPrefix(line, "#") {
			continue
		}
		var flat, cum int64
		fmt.Sscan(f[0], &flat)
		fmt.Sscan(f[2], &cum)
		name, _ := pproftest.SplitMark(f[4])
		rows[name] = [2]int64{flat, cum}
	}
	return rows
}

// The exported page in a real headless Chromium: it loads with no error
// logged; hovering a frame shows its values (flamelens top's); a click
// zooms; a search highlights the frames that match.
func TestHTMLPageInChromium(t *testing.T) {
	ctx, errors := browser(t)
	page := filepath.Join(t.TempDir(), "json.html")
	if _, errOut, code := runCLI("export", "-format", "html", "-o", page, testdata("json.cpu.pprof")); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible("#flame0")); err != nil {
		t.Fatal(err)
	}
	top := topOf(t, testdata("json.cpu.pprof"))
	all := pproftest.TopReport(t, testdata("json.cpu.pprof"), "nanoseconds").Total // pprof's
	// Hover: testing.(*B).RunParallel.func1 is one frame, so its total
	// and self are the function's cum and flat.
	const fn = "testing.(*B).RunParallel.func1"
	b := boxOn(t, ctx, fn, 0)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, b.X, b.Y)); err != nil {
		t.Fatal(err)
	}
	tip := evalString(t, ctx, `flamelens.tip()`)
	total := top[fn][1]
	for _, want := range []string{fn, "total: " + model.FormatValue(total, "nanoseconds") + " (" + model.Percent(total, all) + " of all)",
		"self: " + model.FormatValue(top[fn][0], "nanoseconds")} {
		if !strings.Contains(tip, want) {
			t.Errorf("hover tooltip %q lacks %q", tip, want)
		}
	}
	// A click zooms.
	obj := boxOn(t, ctx, "encoding/json.(*decodeState).object", 0)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(obj.X, obj.Y)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `flamelens.focus()`); got != "encoding/json.(*decodeState).object" {
		t.Errorf("after a click the zoom is on %q", got)
	}
	reset := boxOnPage(t, ctx, "#reset")
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(reset.X, reset.Y)); err != nil {
		t.Fatal(err)
	}
	if got := evalString(t, ctx, `flamelens.focus()`); got != "root" {
		t.Errorf("after Zoom out the zoom is on %q", got)
	}
	// A search highlights: the matched frame is drawn in the match colour.
	search := boxOnPage(t, ctx, "#search")
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(search.X, search.Y), chromedp.KeyEvent("json.Unmarshal$")); err != nil {
		t.Fatal(err)
	}
	want := "1 function · " + model.Percent(top["encoding/json.Unmarshal"][1], all) + " of total" // its cum
	if found := evalString(t, ctx, `flamelens.found()`); found != want {
		t.Errorf("search found %q, want %q", found, want)
	}
	px, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`flamelens.pixel("encoding/json.Unmarshal")`))
	if err != nil || len(px) != 3 || px[0] != 0xd0 || px[1] != 0x1c || px[2] != 0xd0 {
		t.Errorf("encoding/json.Unmarshal drawn %v, want the match colour", px)
	}
	rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#table tbody tr").length`))
	if err != nil || rows != 1 {
		t.Errorf("the table lists %d rows for the search, want 1", rows)
	}
	if errs := errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %v", errs)
	}
}

// The page's table writes each value column in one unit, as the window's:
// 1.41s over 0.55s, never 550ms below 1.41s.
func TestHTMLTableColumnsInOneUnit(t *testing.T) {
	ctx, _ := browser(t)
	page := filepath.Join(t.TempDir(), "json.html")
	if _, errOut, code := runCLI("export", "-format", "html", "-o", page, testdata("json.cpu.pprof")); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible("#flame0")); err != nil {
		t.Fatal(err)
	}
	for _, col := range []int{2, 4} { // flat and cum
		cells, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(
			`Array.from(document.querySelectorAll("#table tbody tr td:nth-child(%d)")).map(td => td.textContent)`, col)))
		if err != nil || len(cells) < 20 {
			t.Fatalf("column %d: %v, %v", col, cells, err)
		}
		units := map[string]string{}
		for _, c := range cells {
			if c != "0" {
				units[strings.TrimLeft(c, "+-<0123456789.")] = c
			}
		}
		if len(units) != 1 {
			t.Errorf("column %d of the page's table mixes units: %v", col, units)
		}
	}
}

// A comparison's page: NEW and BASE on hover (each profile's own cum), the
// two graphs side by side, the diff table; no error logged.
func TestHTMLComparisonInChromium(t *testing.T) {
	ctx, errors := browser(t)
	before, after := testdata("json-gogcoff.cpu.pprof"), testdata("json-gogc10.cpu.pprof")
	page := filepath.Join(t.TempDir(), "diff.html")
	if _, errOut, code := runCLI("export", "-format", "html", "-o", page, "-diff_base", before, after); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible("#flame0")); err != nil {
		t.Fatal(err)
	}
	const fn = "testing.(*B).RunParallel.func1"
	newCum, baseCum := topOf(t, after)[fn][1], topOf(t, before)[fn][1]
	b := boxOn(t, ctx, fn, 0)
	if err := chromedp.Do(ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, b.X, b.Y)); err != nil {
		t.Fatal(err)
	}
	want := "NEW: " + model.FormatValue(newCum, "nanoseconds") + " · BASE: " + model.FormatValue(baseCum, "nanoseconds")
	if tip := evalString(t, ctx, `flamelens.tip()`); !strings.Contains(tip, want) {
		t.Errorf("hover tooltip %q lacks %q", tip, want)
	}
	// The view menu, as a keyboard picks its second choice.
	mode := boxOnPage(t, ctx, "#mode")
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(mode.X, mode.Y), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("second").hidden`))
	if err != nil || hidden {
		t.Errorf("side by side: the second graph is hidden (%v)", err)
	}
	if left, right := boxOn(t, ctx, fn, 0), boxOn(t, ctx, fn, 1); left.W <= 0 || right.W <= 0 {
		t.Errorf("side by side: %s drawn %v and %v", fn, left, right)
	}
	head := evalString(t, ctx, `document.querySelector("#table thead").textContent`)
	if !strings.Contains(head, "base flat") || !strings.Contains(head, "flat change") {
		t.Errorf("diff table head %q", head)
	}
	if errs := errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %v", errs)
	}
}

// A profile of 400k distinct stacks exports to a page of a few MB that
// Chromium opens with no error logged.
func TestHTMLPageOfALargeProfile(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	dir := t.TempDir()
	var buf bytes.Buffer
	spec := pproftest.Spec{Samples: 400_000, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64, Seed: 1}
	if err := pproftest.Generate(spec).Write(&buf); err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(dir, "big.pb.gz")
	if err := os.WriteFile(prof, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "big.html")
	if _, errOut, code := runCLI("export", "-format", "html", "-o", page, prof); code != 0 {
		t.Fatalf("export: %s", errOut)
	}
	st, err := os.Stat(page)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the page is %.1f MB", float64(st.Size())/1e6)
	if st.Size() > 8<<20 {
		t.Errorf("the page is %d bytes, want a few MB", st.Size())
	}
	ctx, errors := browser(t) // its time limit counts from here, not from the export
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page), chromedp.WaitVisible("#flame0")); err != nil {
		t.Fatal(err)
	}
	drawn, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#table tbody tr").length`))
	if err != nil || drawn == 0 {
		t.Errorf("the table has %d rows (%v)", drawn, err)
	}
	if errs := errors(); len(errs) > 0 {
		t.Errorf("the page logged errors: %v", errs)
	}
}
