package main

import (
	"bufio"
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// needTool finds a program the window smoke test needs. Outside CI a
// missing one skips the test; in CI (CI=true) it fails it, since .ci/run
// installs them.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; .ci/run should install it", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

// xvfbScreen is the size of the virtual screen startXvfb makes.
var xvfbScreen = "1400x900x24"

// startXvfb starts a virtual X server and returns its DISPLAY value.
func startXvfb(t testing.TB) string {
	xvfb := needTool(t, "Xvfb")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	// -noreset: without it the server resets when its last client leaves
	// (waitForDisplay's probe), and a window opening during that reset
	// is refused ("Failed to open display").
	cmd := exec.Command(xvfb, "-displayfd", "3", "-noreset", "-screen", "0", xvfbScreen, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		// Asked to end, Xvfb removes its socket and lock, so the next one
		// started does not find a stale display.
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			t.Fatal("Xvfb did not report a display")
		}
		waitForDisplay(t, ":"+n)
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start in 20s")
	}
	return ""
}

// waitForDisplay returns once a client can talk to the X server at
// display: under load, one can be reported before it takes connections.
func waitForDisplay(t testing.TB, display string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cmd := exec.Command(needTool(t, "xdotool"), "getdisplaygeometry")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		if cmd.Run() == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("X server %s takes no connections", display)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// screenshot captures the whole X screen.
func screenshot(t *testing.T, display, path string) image.Image {
	t.Helper()
	cmd := exec.Command(needTool(t, "import"), "-window", "root", path)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// warmShare is the share of pixels in r that look like flame graph frames:
// saturated reds, oranges and yellows.
func warmShare(img image.Image, r image.Rectangle) float64 {
	warm, all := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			R, G, B := cr>>8, cg>>8, cb>>8
			all++
			if R > G && G >= B && R-B > 60 {
				warm++
			}
		}
	}
	return float64(warm) / float64(all)
}

func xdotool(t *testing.T, display string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, "xdotool"), args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xdotool %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// TestWindowSmoke starts the real binary in a virtual X server, opens a
// profile, and checks the screen: the window is titled with the file, a
// flame graph fills it in either theme, and a click zooms.
func TestWindowSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	display := startXvfb(t)
	for _, variant := range []string{"dark", "light"} {
		t.Run(variant, func(t *testing.T) {
			// Settings and the instance socket of its own, not the user's.
			home := t.TempDir()
			env := append(os.Environ(), "FLAMELENS_TEST_MAIN=1", "DISPLAY="+display, "FYNE_THEME="+variant,
				"LANG=en_US.UTF-8", "FYNE_SCALE=1", "XDG_CONFIG_HOME="+home, "FLAMELENS_SOCKET="+filepath.Join(home, "fl.sock"))
			cmd := exec.Command(os.Args[0], "../../testdata/json.cpu.pprof")
			cmd.Env = env
			var stderr lockedBuffer // written by the child's pipe, read here
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()

			if findWindow(t, display, "json.cpu.pprof") == "" {
				t.Fatalf("no window titled with the profile appeared; stderr:\n%s", stderr.String())
			}
			dir := t.TempDir()
			// The window keeps within the screen; the graph is its left part.
			graph := image.Rect(10, 120, 700, 700)
			shot := awaitShot(t, display, filepath.Join(dir, variant+".png"), func(img image.Image) bool { return warmShare(img, graph) >= 0.3 })
			win := windowGeometry(t, display, strings.Fields(findWindow(t, display, "json.cpu.pprof"))[0])
			share := warmShare(shot, graph)
			if share < 0.3 {
				keepShot(t, shot, variant+"-failed.png")
				t.Fatalf("only %.0f%% of the graph area looks like flame graph frames", share*100)
			}
			// The theme is followed: the status bar background is light or dark.
			cr, cg, cb, _ := shot.At(700, win.Max.Y-12).RGBA()
			bright := (cr + cg + cb) / 3 >> 8
			if (variant == "light") != (bright > 128) {
				t.Errorf("%s theme: status bar brightness %d", variant, bright)
			}

			// Click a frame low in the graph: it zooms, so its row fills the
			// graph's width with one frame.
			xdotool(t, display, "mousemove", "60", "400", "click", "1")
			// The clicked row (around y 400, between its outline's edges).
			widest := func(img image.Image) float64 {
				best := 0.0
				for y := 385; y < 410; y++ {
					best = max(best, warmShare(img, image.Rect(100, y, 680, y+8)))
				}
				return best
			}
			zoomed := awaitShot(t, display, filepath.Join(dir, variant+"-zoomed.png"), func(img image.Image) bool { return widest(img) >= 0.8 })
			if sameImage(shot, zoomed, graph) {
				t.Error("clicking a frame changed nothing on screen")
			}
			if widest(zoomed) < 0.8 {
				keepShot(t, zoomed, variant+"-zoom-failed.png")
				t.Error("after the click, the clicked row is not one wide frame")
			}
			// Opening another file while it runs opens a window of this
			// flamelens: the second start returns at once.
			second := exec.Command(os.Args[0], "../../testdata/sort.cpu.pprof")
			second.Env = env
			out, err := second.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "opened in a new window of the running flamelens") {
				t.Fatalf("second start: %v\n%s", err, out)
			}
			if findWindow(t, display, "sort.cpu.pprof") == "" {
				t.Error("no window for the second file appeared")
			}
			if err := cmd.Process.Signal(syscall.Signal(0)); err != nil {
				t.Errorf("the first flamelens is gone: %v", err)
			}
			if s := stderr.String(); strings.Contains(s, "panic") {
				t.Errorf("stderr:\n%s", s)
			}
		})
	}
}

// startWindow starts flamelens (this test binary as its main) on display
// with args, in the dark theme at FYNE_SCALE=1 with settings of its own,
// env added last (so it wins), and waits until a window titled with title
// has been up for two seconds. It returns the window's place and the
// process's stderr; the process is killed when the test ends.
func startWindow(t *testing.T, display, title string, env []string, args ...string) (image.Rectangle, *lockedBuffer) {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "FLAMELENS_TEST_MAIN=1", "DISPLAY="+display, "FYNE_THEME=dark",
		"LANG=en_US.UTF-8", "FYNE_SCALE=1", "XDG_CONFIG_HOME="+home, "FLAMELENS_SOCKET="+filepath.Join(home, "fl.sock")), env...)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	id := findWindow(t, display, title)
	if id == "" {
		t.Fatalf("no window titled %q appeared; stderr:\n%s", title, stderr.String())
	}
	settledShot(t, display, filepath.Join(t.TempDir(), "settled.png"), image.Rectangle{}) // loaded and painted
	return windowGeometry(t, display, strings.Fields(id)[0]), stderr
}

// settledShot takes screenshots into path until two in a row are the
// same in area (the whole screen if empty) — the window has drawn what it
// was working on — for a minute at most, and returns the last. A text
// cursor blinks: leave a focused entry out of area.
func settledShot(t *testing.T, display, path string, area image.Rectangle) image.Image {
	t.Helper()
	prev := screenshot(t, display, path)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		shot := screenshot(t, display, path)
		if area.Empty() {
			area = shot.Bounds()
		}
		if sameImage(prev, shot, area) {
			return shot
		}
		prev = shot
	}
	return prev
}

// awaitShot takes screenshots into path until one passes ok, for a
// minute at most (the window works in the background, slowly on a loaded
// CI machine), and returns the last.
func awaitShot(t *testing.T, display, path string, ok func(image.Image) bool) image.Image {
	t.Helper()
	var shot image.Image
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if shot = screenshot(t, display, path); ok(shot) {
			break
		}
	}
	return shot
}

// findWindow waits up to a minute for a window whose title has name.
func findWindow(t *testing.T, display, name string) string {
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		time.Sleep(300 * time.Millisecond)
		search := exec.Command(needTool(t, "xdotool"), "search", "--name", name)
		search.Env = append(os.Environ(), "DISPLAY="+display)
		if out, _ := search.Output(); len(strings.TrimSpace(string(out))) > 0 {
			return strings.TrimSpace(string(out))
		}
	}
	return ""
}

// lockedBuffer is a bytes.Buffer safe to read while a process writes it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func sameImage(a, b image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y += 3 {
		for x := r.Min.X; x < r.Max.X; x += 3 {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

// keepShot saves a failing screenshot under testdata/failed for a look.
func keepShot(t *testing.T, img image.Image, name string) {
	dir := filepath.Join("..", "..", "testdata", "failed")
	os.MkdirAll(dir, 0o755)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return
	}
	defer f.Close()
	png.Encode(f, img)
	t.Logf("screenshot kept in %s", f.Name())
}

// TestWindowSaysABadFileOnStderr: a file given on the command line that
// cannot be opened is said on stderr as well as in the window's dialog,
// and flamelens exits 1 once its window is closed (File > Quit).
func TestWindowSaysABadFileOnStderr(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real window")
	}
	display := startXvfb(t)
	home := t.TempDir()
	cmd := exec.Command(os.Args[0], filepath.Join(home, "nope.pprof"))
	cmd.Env = append(os.Environ(), "FLAMELENS_TEST_MAIN=1", "DISPLAY="+display, "FYNE_THEME=dark", "LANG=en_US.UTF-8",
		"FYNE_SCALE=1", "XDG_CONFIG_HOME="+home, "FLAMELENS_SOCKET="+filepath.Join(home, "fl.sock"))
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() { cmd.Process.Kill() })
	id := findWindow(t, display, "flamelens")
	if id == "" {
		t.Fatalf("no window appeared; stderr:\n%s", stderr.String())
	}
	for deadline := time.Now().Add(time.Minute); !strings.Contains(stderr.String(), "nope.pprof"); {
		if time.Now().After(deadline) {
			t.Fatalf("stderr does not name the file:\n%s", stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if !strings.HasPrefix(stderr.String(), "flamelens: ") {
		t.Errorf("stderr: %q", stderr.String())
	}
	// The dialog's OK, then File > Quit: the File menu, then its last item
	// (↑ from none chosen), wherever the items above it put it.
	win := windowGeometry(t, display, strings.Fields(id)[0])
	xdotool(t, display, "mousemove", strconv.Itoa(win.Min.X+win.Dx()/2), strconv.Itoa(win.Min.Y+451), "click", "1")
	settledShot(t, display, filepath.Join(home, "ok.png"), image.Rectangle{})
	xdotool(t, display, "mousemove", strconv.Itoa(win.Min.X+26), strconv.Itoa(win.Min.Y+14), "click", "1")
	settledShot(t, display, filepath.Join(home, "menu.png"), image.Rectangle{})
	xdotool(t, display, "key", "Up")
	settledShot(t, display, filepath.Join(home, "quit-item.png"), image.Rectangle{})
	xdotool(t, display, "key", "Return")
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("flamelens ended with %v, want exit 1", err)
		}
	case <-time.After(30 * time.Second):
		keepShot(t, screenshot(t, display, filepath.Join(home, "quit.png")), "badfile-quit-failed.png")
		t.Fatal("File > Quit did not end flamelens")
	}
}
