package model

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/pprof/profile"
)

// Folded stacks are "root;caller;callee COUNT" per line, as Brendan Gregg's
// stackcollapse scripts, py-spy, async-profiler and inferno write them. Two
// counts per line ("stack BEFORE AFTER", as difffolded.pl and
// inferno-diff-folded write) make the file a comparison. Counts may have
// decimals (flamegraph.pl accepts "31.25"): values are then kept in a
// smaller unit (see decimalUnits), so nothing the decimals say is lost.

// FoldedHeader is the first line of the folded stacks flamelens writes. In
// a file that starts with it, frame names are escaped (see escapeFrame) so
// that any name survives the round trip, and frames without symbols keep
// their address ("0x4a2b3c [app]"). Files without it are read as written.
const FoldedHeader = `# flamelens folded stacks: in names, \\ \; \n \r \t and \xHH stand for a backslash, a semicolon, control bytes`

// foldedFile is what ParseFolded read.
type foldedFile struct {
	base, new *profile.Profile // base is nil unless each line had two counts
	skipped   int              // lines that are not stacks, passed over
	firstBad  int              // the first such line's number, 0 if none
	badReason error            // what was wrong with it
}

// warning says which lines were passed over, or "" if none were.
func (f *foldedFile) warning(name string) string {
	if f.skipped == 0 {
		return ""
	}
	lines := "lines that are not folded stacks"
	if f.skipped == 1 {
		lines = "line that is not a folded stack"
	}
	return fmt.Sprintf("%s: skipped %d %s (the first, line %d: %v)", name, f.skipped, lines, f.firstBad, f.badReason)
}

// foldedSample is one good line before its counts are scaled.
type foldedSample struct {
	locs   []*profile.Location
	counts [2]decimal
}

// decimal is a count as read: mantissa × 10^-places.
type decimal struct {
	mantissa int64
	places   int
}

// maxPlaces is the most decimal places kept; more are rounded.
const maxPlaces = 9

// decimalUnits names the unit of counts kept with 10^-i of a count: the
// places of a file's most precise count round up to the next named unit.
var decimalUnits = map[int]string{0: "count", 1: "decicount", 2: "centicount", 3: "millicount", 6: "microcount", 9: "nanocount"}

// UnitScale says how many decimal places a count unit of folded stacks
// keeps ("centicount": 2); 0 for every other unit.
func UnitScale(unit string) int {
	for places, name := range decimalUnits {
		if name == unit {
			return places
		}
	}
	return 0
}

// ParseFolded reads folded stacks into a pprof profile with one sample
// type, samples/count (or a decimal unit of it, see decimalUnits). Blank
// lines are skipped; lines that are not stacks (comments, log lines) are
// skipped too and counted, as flamegraph.pl does. A file with two counts
// per line gives the second counts; use Parse to read it as a comparison.
// A text with no good line is an error naming the first bad line.
func ParseFolded(r io.Reader) (*profile.Profile, error) {
	f, err := parseFolded(r)
	if err != nil {
		return nil, err
	}
	return f.new, nil
}

func parseFolded(r io.Reader) (*foldedFile, error) {
	out := &foldedFile{}
	ft := &foldedTable{byName: map[string]*profile.Location{}, mappings: map[string]*profile.Mapping{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 64<<20)
	lineNo := 0
	escaped := false
	counts := 0 // counts per line: decided by the first good line
	places := 0
	var samples []foldedSample
	comments := 0                               // lines skipped as comments: allowed however many
	firstNotStack, whyNotStack := 0, error(nil) // the first bad line that is not a comment
	bad := func(err error) {
		out.skipped++
		if out.firstBad == 0 {
			out.firstBad, out.badReason = lineNo, err
		}
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSpace(sc.Text())
		if lineNo == 1 && line == FoldedHeader {
			escaped = true
			continue
		}
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "#") {
			bad(errors.New("a comment"))
			comments++
			continue
		}
		stack, cs, err := splitFoldedLine(line, !escaped)
		if err == nil && counts != 0 && len(cs) != counts {
			err = fmt.Errorf("%d counts, the lines before have %d", len(cs), counts)
		}
		var frames []*profile.Location
		if err == nil {
			frames, err = ft.stack(stack, escaped)
		}
		if err != nil {
			bad(err)
			if firstNotStack == 0 {
				firstNotStack, whyNotStack = lineNo, err
			}
			continue
		}
		counts = len(cs)
		s := foldedSample{locs: frames}
		for i, c := range cs {
			s.counts[i] = c
			places = max(places, c.places)
		}
		samples = append(samples, s)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("folded stacks, line %d: %v", lineNo+1, err)
	}
	if len(samples) == 0 {
		if out.firstBad == 0 {
			return nil, errors.New("folded stacks: no stack lines")
		}
		return nil, fmt.Errorf("folded stacks, line %d: %v", out.firstBad, out.badReason)
	}
	if bad := out.skipped - comments; !fewBadLines(bad, len(samples)) {
		return nil, fmt.Errorf("%w: %d of %d lines are not stacks (the first, line %d: %v)",
			errMostlyNotStacks, bad, bad+len(samples), firstNotStack, whyNotStack)
	}
	var err error
	if out.new, out.base, err = ft.profiles(samples, counts, places); err != nil {
		return nil, err
	}
	return out, nil
}

// errMostlyNotStacks is a text whose lines are mostly not stacks.
var errMostlyNotStacks = errors.New("not folded stacks")

// fewBadLines reports whether bad lines that are not stacks (comments
// aside) beside good ones still make a text folded stacks: a few stray
// lines (a log line, a summary) are passed over and reported, but a text
// that is mostly something else is not stacks, whatever of it splits as
// "stack count" (a JSON file's `"line": 12`, pprof -raw's sample rows).
func fewBadLines(bad, good int) bool {
	return bad <= max(2, (bad+good)/10) && good >= bad
}

// foldedTable is the functions, locations and mappings of a folded file:
// one location per frame name.
type foldedTable struct {
	byName      map[string]*profile.Location
	funcs       []*profile.Function
	locs        []*profile.Location
	mappings    map[string]*profile.Mapping // by object file
	mappingList []*profile.Mapping
}

// location is the location of the frame named name, made the first time.
func (ft *foldedTable) location(name string, escaped bool) *profile.Location {
	if loc, ok := ft.byName[name]; ok {
		return loc
	}
	loc := &profile.Location{ID: uint64(len(ft.locs) + 1)}
	if addr, object, ok := addressFrame(name, escaped); ok {
		// A frame without symbols, as flamelens writes it: its address in
		// its binary, so that tables merge it as pprof does.
		loc.Address = addr
		if object != "" {
			m := ft.mappings[object]
			if m == nil {
				m = &profile.Mapping{ID: uint64(len(ft.mappingList) + 1), File: object}
				ft.mappings[object] = m
				ft.mappingList = append(ft.mappingList, m)
			}
			loc.Mapping = m
		}
	} else {
		fn := &profile.Function{ID: uint64(len(ft.funcs) + 1), Name: name, SystemName: name}
		ft.funcs = append(ft.funcs, fn)
		loc.Line = []profile.Line{{Function: fn}}
	}
	ft.locs = append(ft.locs, loc)
	ft.byName[name] = loc
	return loc
}

// stack is a line's stack ("main;foo;bar") as locations, leaf first as
// pprof stores them.
func (ft *foldedTable) stack(stack string, escaped bool) ([]*profile.Location, error) {
	parts := splitFrames(stack, escaped)
	frames := make([]*profile.Location, 0, len(parts))
	for i := len(parts) - 1; i >= 0; i-- {
		name := parts[i]
		if escaped {
			name = unescapeFrame(name)
		}
		if name == "" {
			continue
		}
		frames = append(frames, ft.location(name, escaped))
	}
	if len(frames) == 0 {
		return nil, errors.New("the stack has no frames")
	}
	return frames, nil
}

// profiles are the samples as a profile, values scaled to places decimals;
// with two counts a line, a profile per side: BASE's, then NEW's.
func (ft *foldedTable) profiles(samples []foldedSample, counts, places int) (newSide, base *profile.Profile, err error) {
	for places > 0 && decimalUnits[places] == "" {
		places++
	}
	newProfile := func() *profile.Profile {
		return &profile.Profile{
			SampleType: []*profile.ValueType{{Type: "samples", Unit: decimalUnits[places]}},
			PeriodType: &profile.ValueType{Type: "samples", Unit: decimalUnits[places]},
			Period:     1,
			Function:   ft.funcs,
			Location:   ft.locs,
			Mapping:    ft.mappingList,
		}
	}
	newSide = newProfile()
	sides := []*profile.Profile{newSide} // the count of each side, in order
	if counts == 2 {
		base = newProfile()
		sides = []*profile.Profile{base, newSide}
	}
	for _, s := range samples {
		for i, p := range sides {
			v, err := s.counts[i].scaled(places)
			if err != nil {
				return nil, nil, fmt.Errorf("folded stacks: %v", err)
			}
			if counts == 2 && v == 0 {
				continue // absent from this side
			}
			p.Sample = append(p.Sample, &profile.Sample{Location: s.locs, Value: []int64{v}})
		}
	}
	return newSide, base, nil
}

// splitFrames splits a stack at its semicolons; in an escaped file, not
// at an escaped one ("\\;").
func splitFrames(stack string, escaped bool) []string {
	if !escaped || !strings.Contains(stack, `\`) {
		return strings.Split(stack, ";")
	}
	var parts []string
	start := 0
	for i := 0; i < len(stack); i++ {
		switch stack[i] {
		case '\\':
			i++ // the escaped byte
		case ';':
			parts = append(parts, stack[start:i])
			start = i + 1
		}
	}
	return append(parts, stack[start:])
}

// scaled is the count in units of 10^-places.
func (d decimal) scaled(places int) (int64, error) {
	v := d.mantissa
	for i := d.places; i < places; i++ {
		if v > math.MaxInt64/10 || v < math.MinInt64/10 {
			return 0, fmt.Errorf("count too large with %d decimal places", places)
		}
		v *= 10
	}
	return v, nil
}

// splitFoldedLine splits "a;b;c 123" into its stack and its counts: one,
// or with two allowed, two ("a;b;c 10 12", before and after). Frame names
// may contain spaces: the counts are the last one or two fields.
func splitFoldedLine(line string, two bool) (stack string, counts []decimal, err error) {
	i := strings.LastIndexAny(line, " \t")
	if i <= 0 {
		return "", nil, fmt.Errorf("want \"frame;frame;... count\", got %q", clip(line, 60))
	}
	last, err := parseCount(line[i+1:])
	if err != nil {
		return "", nil, fmt.Errorf("want \"frame;frame;... count\", got %q (%v)", clip(line, 60), err)
	}
	stack = strings.TrimRight(line[:i], " \t")
	counts = []decimal{last}
	if j := strings.LastIndexAny(stack, " \t"); two && j > 0 {
		if first, err := parseCount(stack[j+1:]); err == nil {
			stack = strings.TrimRight(stack[:j], " \t")
			counts = []decimal{first, last}
		}
	}
	if stack == "" {
		return "", nil, fmt.Errorf("want \"frame;frame;... count\", got %q", clip(line, 60))
	}
	return stack, counts, nil
}

// parseCount reads an integer or decimal count ("12", "-3", "31.25").
func parseCount(s string) (decimal, error) {
	intPart, frac, _ := strings.Cut(s, ".")
	bad := fmt.Errorf("count %q is not a number", clip(s, 30))
	if intPart == "" || intPart == "-" || intPart == "+" {
		return decimal{}, bad
	}
	for _, r := range frac {
		if r < '0' || r > '9' {
			return decimal{}, bad
		}
	}
	// Digits past maxPlaces are rounded off.
	round := false
	if len(frac) > maxPlaces {
		round = frac[maxPlaces] >= '5'
		frac = frac[:maxPlaces]
	}
	frac = strings.TrimRight(frac, "0")
	v, err := strconv.ParseInt(intPart+frac, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return decimal{}, fmt.Errorf("count %q is too large", clip(s, 30))
		}
		return decimal{}, bad
	}
	if round {
		if strings.HasPrefix(intPart, "-") {
			v--
		} else {
			v++
		}
	}
	return decimal{mantissa: v, places: len(frac)}, nil
}

// addressRx matches a frame without symbols as Func.Label writes it.
var addressRx = regexp.MustCompile(`^0x([0-9a-f]+) (\[.+\]|<unknown>)$`)

// addressFrame reads "0x4a2b3c [app]" back into an address and a binary
// ("" for <unknown>), in files flamelens wrote.
func addressFrame(name string, escaped bool) (addr uint64, object string, ok bool) {
	if !escaped || !strings.HasPrefix(name, "0x") {
		return 0, "", false
	}
	m := addressRx.FindStringSubmatch(name)
	if m == nil {
		return 0, "", false
	}
	addr, err := strconv.ParseUint(m[1], 16, 64)
	if err != nil || addr == 0 {
		return 0, "", false
	}
	if m[2] != "<unknown>" {
		object = strings.TrimSuffix(strings.TrimPrefix(m[2], "["), "]")
	}
	return addr, object, true
}

// WriteFolded writes the tree as folded stacks: the FoldedHeader, then one
// line per distinct stack, root first, with its summed value (the node's
// self value; with decimals for a decimal unit). Lines come in the tree's
// depth-first order. Names are escaped as the header says and frames
// without symbols keep their address, so reading the file back gives the
// same stacks and values.
func WriteFolded(w io.Writer, t *Tree) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(FoldedHeader + "\n")
	names := make([]string, len(t.Funcs))
	for i, f := range t.Funcs {
		names[i] = escapeFrame(f.Label())
	}
	places := UnitScale(t.SampleType.Unit)
	var path []string
	t.Walk(func(n NodeID, depth int) bool {
		if n == Root {
			return true
		}
		path = append(path[:depth-1], names[t.Fn[n]])
		if t.Self[n] != 0 {
			bw.WriteString(strings.Join(path, ";"))
			bw.WriteByte(' ')
			bw.WriteString(FormatDecimal(t.Self[n], places))
			bw.WriteByte('\n')
		}
		return true
	})
	return bw.Flush()
}

// FormatDecimal writes v × 10^-places exactly ("3125", 2 → "31.25").
func FormatDecimal(v int64, places int) string {
	s := strconv.FormatInt(v, 10)
	if places == 0 {
		return s
	}
	sign := ""
	if v < 0 {
		sign, s = "-", s[1:]
	}
	if len(s) <= places {
		s = strings.Repeat("0", places-len(s)+1) + s
	}
	intPart, frac := s[:len(s)-places], strings.TrimRight(s[len(s)-places:], "0")
	if frac == "" {
		return sign + intPart
	}
	return sign + intPart + "." + frac
}

// escapeFrame writes a frame name so that it stays one frame of one line:
// a backslash, ';' and control bytes become \\, \;, \n, \r, \t or \xHH.
// Bytes that are not UTF-8 are kept as they are.
func escapeFrame(name string) string {
	if !strings.ContainsFunc(name, func(r rune) bool { return r == '\\' || r == ';' || isControl(r) || r == '\t' }) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == ';':
			b.WriteString(`\;`)
		default:
			b.WriteString(escapeControl(c))
		}
	}
	return b.String()
}

// escapeControl writes a control byte as \n, \r, \t or \xHH, and any
// other byte as it is.
func escapeControl(c byte) string {
	switch {
	case c == '\n':
		return `\n`
	case c == '\r':
		return `\r`
	case c == '\t':
		return `\t`
	case c < 0x20 || c == 0x7f:
		return fmt.Sprintf(`\x%02x`, c)
	}
	return string([]byte{c})
}

// EscapeControl writes s with its control characters (tab, newline, …)
// as \t, \n, \r or \xHH, so that it stays one field of one line; every
// other byte, backslashes included, is kept as it is.
func EscapeControl(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(escapeControl(s[i]))
	}
	return b.String()
}

// unescapeFrame undoes escapeFrame; an unknown escape stays as written.
func unescapeFrame(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case '\\', ';':
			b.WriteByte(s[i+1])
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			if v, err := strconv.ParseUint(s[min(i+2, len(s)):min(i+4, len(s))], 16, 8); err == nil && i+4 <= len(s) {
				b.WriteByte(byte(v))
				i += 3
				continue
			}
			b.WriteString(`\x`)
		default:
			b.WriteByte('\\')
			b.WriteByte(s[i+1])
		}
		i++
	}
	return b.String()
}

// clip shortens s to at most n bytes for an error message, on a character
// boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
