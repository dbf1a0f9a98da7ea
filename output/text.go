package output

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/flamelens/flamelens/disasm"
	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
	"github.com/google/pprof/profile"
)

// TopOptions selects the rows of WriteTop.
type TopOptions struct {
	// N is how many rows to print; 0 prints all.
	N int
	// Cum sorts by cum instead of flat.
	Cum bool
	// Filters are the filters applied, for the header; zero for none.
	Filters model.Filters
	// Steps, when not nil, are the view's steps (filters and function
	// steps, in order) by their labels, for the header instead of Filters.
	Steps []string
}

// WriteTop prints the header as '#' lines, then one row per function of
// the stacks: flat, flat%, cum, cum% and name, tab-separated, values as
// integers in the sample type's unit, sorted as go tool pprof -top sorts
// them. The name is pprof's, with its inline mark after a space when it
// has one ("(inline)", "(partial-inline)"); control characters in it are
// written as \t, \n, \r or \xHH (EscapeControl), so that every row is
// one line of five fields.
func WriteTop(w io.Writer, p *model.Info, s *model.Stacks, opt TopOptions) error {
	rows := s.Functions()
	if opt.Cum {
		model.SortByCum(rows)
	} else {
		model.SortByFlat(rows)
	}
	shown := rows
	if opt.N > 0 && len(shown) > opt.N {
		shown = shown[:opt.N]
	}

	marks := s.InlineMarks(shown...)
	h := model.HeaderOf(p, s.SampleType, s.AbsTotal)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# file: %s\n", h.File)
	if note := p.PartsNote(); note != "" {
		fmt.Fprintf(bw, "# sources: %s\n", note)
	}
	fmt.Fprintf(bw, "# type: %s\n", h.SampleType.Name)
	fmt.Fprintf(bw, "# unit: %s\n", h.SampleType.Unit)
	if h.Duration > 0 {
		fmt.Fprintf(bw, "# duration: %s\n", h.Duration.Round(time.Millisecond))
	}
	if !h.Time.IsZero() {
		fmt.Fprintf(bw, "# time: %s\n", h.Time.Format(time.RFC3339))
	}
	fmt.Fprintf(bw, "# total: %d\n", h.Total)
	if !opt.Filters.IsZero() {
		fmt.Fprintf(bw, "# filters: %s\n", opt.Filters)
	}
	if len(opt.Steps) > 0 {
		fmt.Fprintf(bw, "# steps: %s\n", strings.Join(opt.Steps, "; "))
	}
	fmt.Fprintf(bw, "# shown: %d (%s of total)\n", s.Sum(), model.Percent(s.Sum(), h.Total))
	fmt.Fprintf(bw, "# showing %d of %d functions\n", len(shown), len(rows))
	fmt.Fprintf(bw, "# flat\tflat%%\tcum\tcum%%\tname\n")
	for _, r := range shown {
		name := model.EscapeControl(r.Name)
		if m := marks[r.Func]; m != model.NotInlined {
			name += " " + string(m)
		}
		fmt.Fprintf(bw, "%d\t%s\t%d\t%s\t%s\n", r.Flat, model.Percent(r.Flat, h.Total), r.Cum, model.Percent(r.Cum, h.Total), name)
	}
	return bw.Flush()
}

// tracesSeparator parts the samples of WriteTraces, as pprof's -traces.
const tracesSeparator = "-----------+-------------------------------------------------------"

// WriteTraces prints every sample of p as go tool pprof -traces does,
// after a header of '#' lines: its labels (sorted, numbers in their
// unit), then its value in sample type sampleIndex beside the leaf frame
// and the stack below it, a frame a line at granularity g, inlined calls
// marked "(inline)". Samples left with no frame (filtered away) are
// skipped.
func WriteTraces(w io.Writer, p *model.Profile, sampleIndex int, g model.Granularity) error {
	if err := p.CheckSamples(sampleIndex); err != nil {
		return err
	}
	st := p.Raw.SampleType[sampleIndex]
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# file: %s\n", p.Source)
	if note := p.PartsNote(); note != "" {
		fmt.Fprintf(bw, "# sources: %s\n", note)
	}
	fmt.Fprintf(bw, "# type: %s\n# unit: %s\n", st.Type, st.Unit)
	numUnits, _ := p.Raw.NumLabelUnits()
	for _, s := range p.Raw.Sample {
		var frames []string
		for _, loc := range s.Location {
			for i, line := range loc.Line {
				name := model.FrameName(g, loc, line)
				if i != len(loc.Line)-1 {
					name += " (inline)"
				}
				frames = append(frames, name)
			}
			if len(loc.Line) == 0 {
				frames = append(frames, model.FrameName(g, loc, profile.Line{}))
			}
		}
		if len(frames) == 0 {
			continue
		}
		fmt.Fprintln(bw, tracesSeparator)
		var labels []string
		for key, vals := range s.Label {
			labels = append(labels, fmt.Sprintf("%10s:  %s\n", key, strings.Join(vals, " ")))
		}
		slices.Sort(labels)
		var nums []string
		for key, vals := range s.NumLabel {
			text := make([]string, len(vals))
			for i, v := range vals {
				text[i] = model.PprofValue(v, numUnits[key])
			}
			nums = append(nums, fmt.Sprintf("%10s:  %s\n", key, strings.Join(text, " ")))
		}
		slices.Sort(nums)
		bw.WriteString(strings.Join(labels, "") + strings.Join(nums, ""))
		for i, f := range frames {
			v := ""
			if i == 0 {
				v = model.PprofValue(s.Value[sampleIndex], st.Unit)
			}
			fmt.Fprintf(bw, "%10s   %s\n", v, model.EscapeControl(f))
		}
	}
	fmt.Fprintln(bw, tracesSeparator)
	return bw.Flush()
}

// WriteList prints routines as go tool pprof -list does: the total, then
// per routine a ROUTINE header with its flat, cum and share of the total,
// and each line of its span with its flat and cum ("." for none), values
// scaled as pprof scales them. A file that cannot be read is said under
// its header, as pprof says it.
func WriteList(w io.Writer, s *model.Stacks, routines []listing.Routine, read listing.SourceReader) error {
	bw := bufio.NewWriter(w)
	unit := s.SampleType.Unit
	dot := func(v int64) string {
		if v == 0 {
			return "."
		}
		return model.PprofValue(v, unit)
	}
	fmt.Fprintf(bw, "Total: %s\n", model.PprofValue(s.AbsTotal, unit))
	for _, r := range routines {
		fmt.Fprintf(bw, "ROUTINE ======================== %s in %s\n", r.Function, r.File)
		fmt.Fprintf(bw, "%10s %10s (flat, cum) %s of Total\n", model.PprofValue(r.Flat, unit), model.PprofValue(r.Cum, unit), model.PprofPercent(r.Cum, s.AbsTotal))
		lines, err := read(r)
		if err != nil {
			fmt.Fprintf(bw, " Error: %v\n", err)
			continue
		}
		first, last := r.Span()
		for n := first; n <= last && n <= int64(len(lines)); n++ {
			c := r.Line(n)
			fmt.Fprintf(bw, "%10s %10s %6d:%s\n", dot(c.Flat), dot(c.Cum), n, lines[n-1])
		}
	}
	return bw.Flush()
}

// WriteDisasm prints routines as go tool pprof -disasm does: the total,
// then per routine a ROUTINE header with its flat, cum and share of the
// total, and each instruction with its flat and cum ("." for none), its
// address and text, and, where it changes, the function, file and line it
// comes from.
func WriteDisasm(w io.Writer, unit string, total int64, routines []disasm.AsmRoutine) error {
	bw := bufio.NewWriter(w)
	dot := func(v int64) string {
		if v == 0 {
			return "."
		}
		return model.PprofValue(v, unit)
	}
	fmt.Fprintf(bw, "Total: %s\n", model.PprofValue(total, unit))
	for _, r := range routines {
		fmt.Fprintf(bw, "ROUTINE ======================== %s\n", r.Symbol.Name)
		fmt.Fprintf(bw, "%10s %10s (flat, cum) %s of Total\n", model.PprofValue(r.Flat, unit), model.PprofValue(r.Cum, unit), model.PprofPercent(r.Cum, total))
		function, file, line := "", "", 0
		for _, in := range r.Insts {
			loc := ""
			if in.Function != function || in.File != file || in.Line != line {
				function, file, line = in.Function, in.File, in.Line
				loc = in.Where()
			}
			switch {
			case loc == "":
				fmt.Fprintf(bw, "%10s %10s %10x: %s\n", dot(in.Flat), dot(in.Cum), in.Addr, in.Text)
			case len(in.Text) < 40:
				fmt.Fprintf(bw, "%10s %10s %10x: %-40s;%s\n", dot(in.Flat), dot(in.Cum), in.Addr, in.Text, loc)
			default:
				fmt.Fprintf(bw, "%74s;%s\n", "", loc)
				fmt.Fprintf(bw, "%10s %10s %10x: %s\n", dot(in.Flat), dot(in.Cum), in.Addr, in.Text)
			}
		}
	}
	return bw.Flush()
}
