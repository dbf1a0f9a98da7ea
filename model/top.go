package model

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// TopOptions selects the rows of WriteTop.
type TopOptions struct {
	// N is how many rows to print; 0 prints all.
	N int
	// Cum sorts by cum instead of flat.
	Cum bool
	// Filters are the filters applied, for the header; zero for none.
	Filters Filters
	// Steps, when not nil, are the view's steps (filters and function
	// steps, in order) by their labels, for the header instead of Filters.
	Steps []string
}

// Header describes a tree's profile the way pprof's report header does.
type Header struct {
	File        string
	SampleType  SampleType
	SampleTypes []SampleType
	Duration    time.Duration // 0 if the profile does not say
	Time        time.Time     // zero if the profile does not say
	Total       int64         // sum of |value| over all samples
}

// HeaderOf returns the header for a view of p of sample type st whose
// percentages are shares of total.
func HeaderOf(p *Info, st SampleType, total int64) Header {
	h := Header{
		File:        p.Source,
		SampleType:  st,
		SampleTypes: p.SampleTypes(),
		Duration:    time.Duration(p.header.DurationNanos),
		Total:       total,
	}
	if p.header.TimeNanos != 0 {
		h.Time = time.Unix(0, p.header.TimeNanos).UTC()
	}
	return h
}

// Percent formats v as a share of total with two decimals ("12.34%").
func Percent(v, total int64) string {
	if total == 0 {
		return "0.00%"
	}
	return strconv.FormatFloat(float64(v)/float64(total)*100, 'f', 2, 64) + "%"
}

// WriteTop prints the header as '#' lines, then one row per function of
// the stacks: flat, flat%, cum, cum% and name, tab-separated, values as
// integers in the sample type's unit, sorted as go tool pprof -top sorts
// them. The name is pprof's, with its inline mark after a space when it
// has one ("(inline)", "(partial-inline)"); control characters in it are
// written as \t, \n, \r or \xHH (EscapeControl), so that every row is
// one line of five fields.
func WriteTop(w io.Writer, p *Info, s *Stacks, opt TopOptions) error {
	rows := s.Functions()
	if opt.Cum {
		SortByCum(rows)
	} else {
		SortByFlat(rows)
	}
	shown := rows
	if opt.N > 0 && len(shown) > opt.N {
		shown = shown[:opt.N]
	}

	marks := s.InlineMarks(shown...)
	h := HeaderOf(p, s.SampleType, s.AbsTotal)
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
	fmt.Fprintf(bw, "# shown: %d (%s of total)\n", s.Sum(), Percent(s.Sum(), h.Total))
	fmt.Fprintf(bw, "# showing %d of %d functions\n", len(shown), len(rows))
	fmt.Fprintf(bw, "# flat\tflat%%\tcum\tcum%%\tname\n")
	for _, r := range shown {
		name := EscapeControl(r.Name)
		if m := marks[r.Func]; m != NotInlined {
			name += " " + string(m)
		}
		fmt.Fprintf(bw, "%d\t%s\t%d\t%s\t%s\n", r.Flat, Percent(r.Flat, h.Total), r.Cum, Percent(r.Cum, h.Total), name)
	}
	return bw.Flush()
}
