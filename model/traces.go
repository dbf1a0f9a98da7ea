package model

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/pprof/profile"
)

// tracesSeparator parts the samples of WriteTraces, as pprof's -traces.
const tracesSeparator = "-----------+-------------------------------------------------------"

// WriteTraces prints every sample of p as go tool pprof -traces does,
// after a header of '#' lines: its labels (sorted, numbers in their
// unit), then its value in sample type sampleIndex beside the leaf frame
// and the stack below it, a frame a line at granularity g, inlined calls
// marked "(inline)". Samples left with no frame (filtered away) are
// skipped.
func WriteTraces(w io.Writer, p *Profile, sampleIndex int, g Granularity) error {
	if err := p.checkSamples(sampleIndex); err != nil {
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
				name := nodeOf(g, loc, line).printable()
				if i != len(loc.Line)-1 {
					name += " (inline)"
				}
				frames = append(frames, name)
			}
			if len(loc.Line) == 0 {
				frames = append(frames, nodeOf(g, loc, profile.Line{}).printable())
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
				text[i] = PprofValue(v, numUnits[key])
			}
			nums = append(nums, fmt.Sprintf("%10s:  %s\n", key, strings.Join(text, " ")))
		}
		slices.Sort(nums)
		bw.WriteString(strings.Join(labels, "") + strings.Join(nums, ""))
		for i, f := range frames {
			v := ""
			if i == 0 {
				v = PprofValue(s.Value[sampleIndex], st.Unit)
			}
			fmt.Fprintf(bw, "%10s   %s\n", v, EscapeControl(f))
		}
	}
	fmt.Fprintln(bw, tracesSeparator)
	return bw.Flush()
}
