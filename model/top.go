package model

import (
	"strconv"
	"time"
)

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
