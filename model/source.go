// Package model turns profiles (pprof files and folded stacks) into call trees
// and function tables. It never imports fyne: the window, the renderer and the
// headless commands all read the same values from here.
package model

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/pprof/profile"
)

// Format names how a source was encoded.
type Format string

const (
	// FormatPprof is a pprof protobuf (gzipped or not) or one of the legacy
	// text and binary formats that profile.Parse accepts.
	FormatPprof Format = "pprof"
	// FormatFolded is Brendan Gregg's folded stacks: "root;caller;callee 123".
	FormatFolded Format = "folded"
)

// Info is what a profile says of itself apart from its samples: where it
// came from, its sample types, when and for how long it was taken. It is
// all a report's header needs, and all that OpenStacks keeps besides the
// stacks: nothing drawn from samples can be asked of it.
type Info struct {
	// Source is the path (or name) the profile was read from.
	Source string
	// Format is the encoding detected from the content.
	Format Format
	// Fetched is when a profile was fetched from a URL; zero for files.
	Fetched time.Time
	// Warnings say what was passed over while reading it (lines of folded
	// stacks that are not stacks), one line each, naming the source.
	Warnings []string
	// Parts are the sources merged into this profile (go tool pprof a b
	// c), failed ones with their error; nil for a profile of one source.
	Parts []Part

	header *profile.Profile // sample types, period, time; its samples are never read
}

// Profile is a loaded source: the parsed pprof profile with every sample
// type kept, and where it came from.
type Profile struct {
	Info
	// Raw is the parsed profile. It is shared, not copied: treat it as read-only.
	Raw *profile.Profile

	// totals are pprof's totals, per sample type, where they are not the
	// sum of Raw's samples: a filtered profile's are those of the profile
	// it was filtered from, a -diff_base merge's are BASE's. nil otherwise.
	totals []int64
}

// NewProfile is raw, read from source, as a Profile.
func NewProfile(source string, format Format, raw *profile.Profile) *Profile {
	return &Profile{Info: Info{Source: source, Format: format, header: raw}, Raw: raw}
}

// CheckSamples says why p's samples of sampleIndex cannot be read.
func (p *Profile) CheckSamples(sampleIndex int) error {
	if n := len(p.Raw.SampleType); sampleIndex < 0 || sampleIndex >= n {
		return fmt.Errorf("%s: sample index %d is outside [0..%d]", p.Source, sampleIndex, n-1)
	}
	return nil
}

// Load reads and parses the profile at path, detecting its format from the
// content. Errors name the path and say what is wrong with it.
func Load(path string) (*Profile, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no such file", path)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a profile", path)
	}
	data, err := readAsOpened(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return Parse(path, data)
}

// readAsOpened reads the file at path as it was when opened: a file that
// grows while it is read (a profile still being written, a log) is read
// up to the size it had, instead of for as long as it grows.
func readAsOpened(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, size, err := sizedReader(f)
	if err != nil || size == 0 {
		if err == nil {
			return io.ReadAll(r)
		}
		return nil, err
	}
	data := make([]byte, size)
	n, err := io.ReadFull(r, data)
	if err == io.ErrUnexpectedEOF {
		err = nil // the file shrank while being read: what was there
	}
	return data[:n], err
}

// sizedReader reads f up to the size it has now. A file that reports no
// size (a pipe, a device) is read to its end, up to the decompression cap.
func sizedReader(f *os.File) (io.Reader, int64, error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	size := info.Size()
	if size <= 0 || !info.Mode().IsRegular() {
		return io.LimitReader(f, DefaultMaxDecompressed), 0, nil
	}
	return io.LimitReader(f, size), size, nil
}

// DefaultMaxDecompressed caps what a gzipped file may decompress to, so
// that a decompression bomb fails with an error instead of filling memory.
const DefaultMaxDecompressed = 2 << 30

// Parse detects the format of data (gzip is undone first, up to
// DefaultMaxDecompressed) and parses it. name is used in error messages
// and kept as the profile's Source.
func Parse(name string, data []byte) (*Profile, error) {
	return ParseLimited(name, data, DefaultMaxDecompressed)
}

// ParseLimited is Parse with gzip output capped at maxDecompressed bytes.
func ParseLimited(name string, data []byte, maxDecompressed int64) (*Profile, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: file is empty", name)
	}
	if isGzip(data) {
		plain, err := gunzip(data, maxDecompressed)
		if errors.Is(err, errTooLarge) {
			return nil, fmt.Errorf("%s: decompresses to more than %s: not a profile (a gzip bomb?)", name, FormatValue(maxDecompressed, "bytes"))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: corrupt or truncated gzip data: %v", name, err)
		}
		if len(bytes.TrimSpace(plain)) == 0 {
			return nil, fmt.Errorf("%s: file is empty once decompressed", name)
		}
		data = plain
	}
	if p, handled, err := parseOther(name, data); handled {
		return p, err
	}
	if looksFolded(data) {
		return parseFoldedProfile(name, data)
	}
	p, err := profile.ParseData(data)
	if err != nil && looksText(data) {
		// Text that is not a pprof profile: folded stacks after many lines
		// that are not (looksFolded reads only the first few), or else an
		// error that says which line is not a folded stack, and why.
		if _, ferr := parseFolded(bytes.NewReader(data)); ferr != nil {
			why := strings.TrimPrefix(strings.TrimPrefix(ferr.Error(), errMostlyNotStacks.Error()+": "), "folded stacks, ")
			return nil, fmt.Errorf("%s: not a pprof profile, and not folded stacks: %v", name, why)
		}
		return parseFoldedProfile(name, data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: not a pprof profile or folded stacks: %v", name, err)
	}
	if len(p.SampleType) == 0 {
		return nil, fmt.Errorf("%s: profile has no sample types", name)
	}
	demangleNames(p)
	out := NewProfile(name, FormatPprof, p)
	if out.hasDiffBase() {
		out.totals = out.pprofTotals() // a -diff_base merge's: BASE's, as pprof's
	}
	return out, nil
}

// parseFoldedProfile reads folded stacks; two counts per line make pprof's
// -diff_base merge of the first counts (BASE) with the second (NEW), as
// -diff_base would merge two files (SplitDiff parts them again).
func parseFoldedProfile(name string, data []byte) (*Profile, error) {
	f, err := parseFolded(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var warnings []string
	if w := f.warning(name); w != "" {
		warnings = []string{w}
	}
	if f.base == nil {
		p := NewProfile(name, FormatFolded, f.new)
		p.Warnings = warnings
		return p, nil
	}
	base := NewProfile(name+" (first counts)", FormatFolded, f.base)
	newP := NewProfile(name+" (second counts)", FormatFolded, f.new)
	p, err := Compare(base, newP, DiffBase, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p.Source, p.Warnings = name, warnings
	return p, nil
}

// looksText reports whether data reads as text: UTF-8 with no NUL byte in
// its first 64 KiB.
func looksText(data []byte) bool {
	head := data[:min(len(data), 64<<10)]
	for len(head) > 0 && !utf8.FullRune(head[max(0, len(head)-utf8.UTFMax):]) {
		head = head[:len(head)-1] // a character cut at the end
	}
	return bytes.IndexByte(head, 0) < 0 && utf8.Valid(head)
}

func isGzip(data []byte) bool {
	return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

var errTooLarge = errors.New("decompressed data too large")

// gunzip decompresses data, failing with errTooLarge past limit bytes.
func gunzip(data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, errTooLarge
	}
	return out, nil
}

// looksFolded reports whether data is folded stacks: one of its first
// lines (past comments, blank lines and up to foldedProbeLines that are not
// stacks, such as a log line) is a stack line. Legacy pprof text formats
// start with a header ("heap profile:", "goroutine profile: total 5",
// "--- contention") that is never taken for one.
func looksFolded(data []byte) bool {
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	for tries := 0; len(head) > 0 && tries < foldedProbeLines; {
		var line []byte
		line, head, _ = bytes.Cut(head, []byte("\n"))
		s := strings.TrimSpace(string(line))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if tries == 0 && (strings.Contains(s, " profile: ") || strings.HasPrefix(s, "---")) {
			return false
		}
		tries++
		if strings.IndexFunc(s, isControl) < 0 {
			if _, _, err := splitFoldedLine(s, true); err == nil {
				return true
			}
		}
		if tries == 1 && !looksText(data) {
			return false // binary: its bytes between newlines are not lines
		}
	}
	return false
}

// foldedProbeLines is how many lines that are not comments looksFolded
// reads for a stack line.
const foldedProbeLines = 20

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' || r == 0x7f
}

func looksHTML(data []byte) bool {
	head := data
	if len(head) > 512 {
		head = head[:512]
	}
	s := strings.ToLower(strings.TrimSpace(string(head)))
	return strings.HasPrefix(s, "<!doctype html") || strings.HasPrefix(s, "<html") ||
		strings.HasPrefix(s, "<head") || strings.HasPrefix(s, "<body")
}
