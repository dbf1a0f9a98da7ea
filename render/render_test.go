package render

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/model/pproftest"
)

func tree(t testing.TB, lines ...string) *model.Tree {
	t.Helper()
	p, err := model.Parse("fixture.folded", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := p.Tree("")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// boxesText prints boxes as "depth name x+w" lines, pixels rounded.
func boxesText(t *model.Tree, boxes []Box) string {
	var b strings.Builder
	for _, x := range boxes {
		name := "(merged)"
		if x.Node != Narrow {
			name = t.Name(x.Node)
		}
		dim := ""
		if x.Dim {
			dim = " dim"
		}
		fmt.Fprintf(&b, "%d %s %.0f+%.0f y=%.0f%s\n", x.Depth, name, x.X, x.W, x.Y, dim)
	}
	return b.String()
}

func TestLayout(t *testing.T) {
	tr := tree(t, "main;a;x 60", "main;b 30", "main 10")
	tests := []struct {
		name string
		view View
		w, h int
		want string
	}{
		{"whole tree, icicle", NewView(10), 100, 100, `0 root 0+100 y=0
1 main 0+100 y=10
2 a 0+60 y=20
3 x 0+60 y=30
2 b 60+30 y=20
`},
		{"flame puts the root at the bottom", View{Focus: model.Root, XEnd: 1, RowHeight: 10, Orientation: Flame}, 100, 100, `0 root 0+100 y=90
1 main 0+100 y=80
2 a 0+60 y=70
3 x 0+60 y=60
2 b 60+30 y=70
`},
		{"zoomed to a: ancestors dimmed, a full width", View{Focus: node(t, tr, "main", "a"), XEnd: 1, RowHeight: 10}, 100, 100, `0 root 0+100 y=0 dim
1 main 0+100 y=10 dim
2 a 0+100 y=20
3 x 0+100 y=30
`},
		{"horizontal zoom on the right half", View{Focus: model.Root, XStart: 0.5, XEnd: 1, RowHeight: 10}, 100, 100, `0 root 0+100 y=0
1 main -100+200 y=10
2 a -100+120 y=20
3 x -100+120 y=30
2 b 20+60 y=20
`},
		{"rows below the viewport are skipped", NewView(10), 100, 25, `0 root 0+100 y=0
1 main 0+100 y=10
2 a 0+60 y=20
2 b 60+30 y=20
`},
		{"scrolled down two rows", View{Focus: model.Root, XEnd: 1, RowHeight: 10, ScrollY: 20}, 100, 15, `2 a 0+60 y=0
3 x 0+60 y=10
2 b 60+30 y=0
`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := boxesText(tr, Layout(tr, tc.view, tc.w, tc.h))
			if got != tc.want {
				t.Errorf("boxes:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

func TestLayoutMergesSubPixelFrames(t *testing.T) {
	lines := []string{"main;big 10000"}
	for i := 0; i < 300; i++ {
		lines = append(lines, fmt.Sprintf("main;tiny%03d;deeper 1", i))
	}
	tr := tree(t, lines...)
	// 100 px for 10300 samples: each tiny frame is under 0.01 px.
	boxes := Layout(tr, NewView(10), 100, 100)
	got := boxesText(tr, boxes)
	want := `0 root 0+100 y=0
1 main 0+100 y=10
2 big 0+97 y=20
2 (merged) 97+3 y=20
`
	if got != want {
		t.Errorf("boxes:\n%s\nwant:\n%s", got, want)
	}
	if merged := boxes[len(boxes)-1]; merged.Value != 300 {
		t.Errorf("merged box holds %d, want the 300 tiny samples", merged.Value)
	}
}

func TestHit(t *testing.T) {
	tr := tree(t, "main;a 60", "main;b 40")
	boxes := Layout(tr, NewView(10), 100, 100)
	for _, tc := range []struct {
		x, y float64
		want string
	}{{5, 5, "root"}, {50, 15, "main"}, {10, 25, "a"}, {70, 25, "b"}, {70, 35, ""}} {
		i := Hit(boxes, tc.x, tc.y)
		got := ""
		if i >= 0 {
			got = tr.Name(boxes[i].Node)
		}
		if got != tc.want {
			t.Errorf("Hit(%v,%v) = %q, want %q", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestLabelFitting(t *testing.T) {
	p := NewPainter(12)
	name := "encoding/json.(*decodeState).object"
	full := p.TextWidth(name)
	noPkg := p.TextWidth("(*decodeState).object")
	bare := p.TextWidth("object")
	tests := []struct {
		width int
		want  string
	}{
		{full, name},
		{full - 1, "(*decodeState).object"},
		{noPkg - 1, "object"},
		{bare, "object"},
	}
	for _, tc := range tests {
		if got := p.Label(name, tc.width); got != tc.want {
			t.Errorf("Label(width %d) = %q, want %q", tc.width, got, tc.want)
		}
	}
	// Narrower than the bare name: a middle ellipsis keeps both ends.
	long := "github.com/acme/svc.(*Handler).ServeVeryLongRequestName"
	w := p.TextWidth("ServeVeryLongRequestName") - 20
	got := p.Label(long, w)
	if !strings.Contains(got, "…") || !strings.HasPrefix(got, "Serve") || !strings.HasSuffix(got, "e") {
		t.Errorf("ellipsized label %q does not keep both ends of ServeVeryLongRequestName", got)
	}
	if p.TextWidth(got) > w {
		t.Errorf("label %q is %d px, wider than %d", got, p.TextWidth(got), w)
	}
	if got := p.Label(long, 8); got != "" {
		t.Errorf("an 8 px frame got label %q, want none", got)
	}
}

func TestFrameColours(t *testing.T) {
	a1 := FrameColor("encoding/json", "encoding/json.Unmarshal", false)
	a2 := FrameColor("encoding/json", "encoding/json.Unmarshal", false)
	b := FrameColor("runtime", "runtime.mallocgc", false)
	if a1 != a2 {
		t.Error("colour of a package changes between calls")
	}
	if a1 == b {
		t.Error("encoding/json and runtime have the same colour")
	}
	// Stable across runs: pinned values.
	if got := hex(a1); got != hex(FrameColor("encoding/json", "encoding/json.Unmarshal", false)) || got == "" {
		t.Error("hex colour unstable")
	}
	// Readable: every package's label has at least 4.5:1 contrast (WCAG AA)
	// in both themes.
	for i := 0; i < 500; i++ {
		pkg := fmt.Sprintf("example.com/pkg%d", i)
		for _, dark := range []bool{false, true} {
			fill := FrameColor(pkg, fmt.Sprintf("%s.f%d", pkg, i), dark)
			if c := Contrast(fill, TextColor(fill)); c < 4.5 {
				t.Errorf("%s (dark=%v): contrast %.2f between %s and its text", pkg, dark, c, hex(fill))
			}
		}
	}
	// Warm hues: red stays the strongest channel.
	for _, pkg := range []string{"runtime", "encoding/json", "net/http", "main"} {
		c := FrameColor(pkg, pkg+".f", false)
		if c.R < c.G || c.R < c.B {
			t.Errorf("%s colour %s is not warm", pkg, hex(c))
		}
	}
}

// A one-package profile is not one wall of colour: the package's
// functions are told apart, each keeping its colour.
func TestFunctionsOfOnePackageToldApart(t *testing.T) {
	for _, dark := range []bool{false, true} {
		seen := map[string]string{}
		var prev color.NRGBA
		for i := range 60 {
			name := fmt.Sprintf("encoding/json.func%d", i)
			c := FrameColor("encoding/json", name, dark)
			if c != FrameColor("encoding/json", name, dark) {
				t.Fatalf("%s changes colour", name)
			}
			seen[hex(c)] = name
			if i > 0 {
				d := math.Abs(float64(c.R)-float64(prev.R)) + math.Abs(float64(c.G)-float64(prev.G)) + math.Abs(float64(c.B)-float64(prev.B))
				if d == 0 {
					t.Errorf("dark=%v: %s has the colour of the function before it", dark, name)
				}
			}
			prev = c
		}
		if len(seen) < 50 {
			t.Errorf("dark=%v: 60 functions of one package in %d colours", dark, len(seen))
		}
	}
}

// A wide frame's label is drawn larger and bold: the hot path reads first.
func TestWideFramesHaveLargerLabels(t *testing.T) {
	tr := tree(t, "main;p;f.Run 80", "main;q;f.Run 20")
	boxes := Layout(tr, NewView(20), 1000, 100)
	img := image.NewRGBA(image.Rect(0, 0, 1000, 100))
	NewPainter(12).Draw(img, tr, boxes, Style{Theme: LightTheme, Selected: -1})
	ink := func(x0, x1 int) int { // text pixels of the f.Run frame (row 3) between x0 and x1
		n := 0
		for x := x0; x < x1; x++ {
			for y := 60; y < 80; y++ {
				if c := img.RGBAAt(x, y); c.R < 80 && c.G < 80 {
					n++
				}
			}
		}
		return n
	}
	wide, narrow := ink(0, 800), ink(800, 1000)
	if narrow == 0 || float64(wide) < 1.3*float64(narrow) {
		t.Errorf("the 800 px frame's label has %d text pixels, the 200 px frame's same label %d: not larger and bold", wide, narrow)
	}
}

func TestDrawPaintsFramesAndLabels(t *testing.T) {
	tr := tree(t, "main;encoding/json.Unmarshal 60", "main;runtime.mallocgc 40")
	boxes := Layout(tr, NewView(20), 400, 100)
	img := image.NewRGBA(image.Rect(0, 0, 400, 100))
	NewPainter(12).Draw(img, tr, boxes, Style{Theme: LightTheme, Selected: -1})
	// Inside the json frame, away from its label, the pixel is json's colour.
	want := FrameColor("encoding/json", "encoding/json.Unmarshal", false)
	if got := img.RGBAAt(230, 45); got.R != want.R || got.G != want.G || got.B != want.B {
		t.Errorf("pixel in the json frame is %v, want %v", got, want)
	}
	// The label darkens some pixels of its frame (black text on a warm fill).
	dark := 0
	for x := 4; x < 100; x++ {
		for y := 40; y < 60; y++ {
			if c := img.RGBAAt(x, y); c.R < 80 && c.G < 80 {
				dark++
			}
		}
	}
	if dark < 20 {
		t.Errorf("only %d text pixels in the json frame's label", dark)
	}
	// Below the deepest row is background.
	if got := img.RGBAAt(10, 90); got.R != 0xff || got.G != 0xff {
		t.Errorf("background pixel is %v", got)
	}
}

func TestSVGExport(t *testing.T) {
	tr := tree(t, "main;encoding/json.Unmarshal 60", "main;runtime.mallocgc 40", "main;bad\xffname 1")
	pic := &Picture{Tree: tr, View: NewView(18), Title: "flamelens <test>", Width: 600, Theme: LightTheme}
	var buf bytes.Buffer
	if err := pic.WriteSVG(&buf); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
	}
	if n := strings.Count(svg, "<rect"); n != 6 { // background + root, main, and three callees
		t.Errorf("%d <rect>s, want 6:\n%s", n, svg)
	}
	for _, want := range []string{
		"<title>encoding/json.Unmarshal\nself: 60 (59.41%)\ntotal: 60 (59.41%)</title>",
		">encoding/json.Unmarshal</text>",
		"flamelens &lt;test&gt;",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// Height fitted to the three rows below the title.
	if !strings.Contains(svg, `height="80"`) {
		t.Errorf("SVG height not fitted to 3 rows + title: %s", svg[:200])
	}
}

func TestPNGExport(t *testing.T) {
	tr := tree(t, "main;a 1")
	pic := &Picture{Tree: tr, View: NewView(18), Width: 300, Height: 200, Theme: DarkTheme}
	var buf bytes.Buffer
	if err := pic.WritePNG(&buf); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 300 || b.Dy() != 200 {
		t.Errorf("PNG is %v, want 300×200", b)
	}
}

// A PNG at scale 2 has twice the pixels each way, fitted height included:
// its rows and type are drawn twice as large, not more rows.
func TestPNGExportScale(t *testing.T) {
	tr := tree(t, "main;a;b 1")
	size := func(scale float64) image.Rectangle {
		pic := &Picture{Tree: tr, View: NewView(0), Width: 300, Scale: scale, Theme: LightTheme}
		return pic.Image().Bounds()
	}
	one, two := size(1), size(2)
	if one.Dx() != 300 || one.Dy() != titleHeight+4*exportRowHeight {
		t.Errorf("at 1: %v, want 300 × the title and 4 rows", one)
	}
	if two.Dx() != 2*one.Dx() || two.Dy() != 2*one.Dy() {
		t.Errorf("at 2: %v, want twice %v", two, one)
	}
}

// A comparison's picture has a legend row under its title: each colour
// and what it means, as the window's legend.
func TestComparisonPictureHasALegend(t *testing.T) {
	tr := comparison(t, []string{"main;a 100", "main;b 100"}, []string{"main;a 300", "main;b 50"})
	ds := &DiffStyle{Noise: DefaultNoise}
	ds.Scale = MaxChange(tr, ds)
	pic := &Picture{Tree: tr, View: NewView(0), Width: 600, Theme: LightTheme, Diff: ds, Title: "new vs base"}
	img := pic.Image()
	grew, shrank, _ := DiffColors(RedBlue, false)
	count := func(c color.NRGBA) int {
		n := 0
		for y := titleHeight; y < titleHeight+legendHeight; y++ {
			for x := range 600 {
				if color.NRGBAModel.Convert(img.At(x, y)) == c {
					n++
				}
			}
		}
		return n
	}
	if count(grew) < 20 || count(shrank) < 20 {
		t.Errorf("the legend row has %d pixels of the growth colour and %d of the shrinking one", count(grew), count(shrank))
	}
	if h := img.Bounds().Dy(); h != titleHeight+legendHeight+3*exportRowHeight {
		t.Errorf("height %d, want the title, the legend and 3 rows (root, main, a and b)", h)
	}
	var svg bytes.Buffer
	if err := pic.WriteSVG(&svg); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">grew</text>", ">shrank</text>", ">within 0.1%</text>", ">dashed: in one run only</text>", "full at ±"} {
		if !strings.Contains(svg.String(), want) {
			t.Errorf("the SVG's legend lacks %q", want)
		}
	}
	// A single profile's picture has no legend.
	pic.Diff = nil
	if h := pic.Image().Bounds().Dy(); h != titleHeight+3*exportRowHeight {
		t.Errorf("one profile's picture is %d high, want the title and 3 rows", h)
	}
}

// BenchmarkRedraw400kStacks is the flame graph's frame-time target: a full
// layout and draw of a 400k-stack profile at 1920×1080, under 8 ms.
func BenchmarkRedraw400kStacks(b *testing.B) {
	raw := pproftest.Generate(pproftest.Spec{Samples: 400_000, Stacks: 400_000, Funcs: 40_000, MaxDepth: 64, Seed: 3})
	p := model.NewProfile("generated", model.FormatPprof, raw)
	tr, err := model.BuildTree(p, 1)
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 1920, 1080))
	painter := NewPainter(12)
	view := NewView(18)
	st := Style{Theme: LightTheme, Selected: -1}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		boxes := Layout(tr, view, 1920, 1080)
		painter.Draw(img, tr, boxes, st)
	}
}
