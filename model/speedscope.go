package model

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/google/pprof/profile"
)

// speedscope's file format (https://www.speedscope.app/file-format-schema.json)
// shares its frames between profiles, each sampled (stacks of frame
// indexes, root first, each with a weight) or evented (frames opened and
// closed at given times):
//
//	{"$schema": "https://www.speedscope.app/file-format-schema.json",
//	 "shared": {"frames": [{"name": "main", "file": "main.go", "line": 3}]},
//	 "profiles": [{"type": "sampled", "name": "thread 1", "unit": "milliseconds",
//	               "startValue": 0, "endValue": 10, "samples": [[0, 1]], "weights": [10]}]}
//
// Every profile of the file is read, its samples labelled profile=NAME
// (-tagfocus=profile=NAME picks one, the window's Group by label splits
// them); profiles of one unit share a sample type, so that reading the
// file merges them. Times are kept in nanoseconds; weights of unit "none"
// are counts, "bytes" bytes. Sampled time is named cpu, evented time
// wall (an evented profile records calls, so its time includes waits).

type speedscopeFile struct {
	ActiveProfileIndex int `json:"activeProfileIndex"`
	Shared             struct {
		Frames []struct {
			Name string      `json:"name"`
			File string      `json:"file"`
			Line json.Number `json:"line"`
		} `json:"frames"`
	} `json:"shared"`
	Profiles []struct {
		Type       string    `json:"type"`
		Name       string    `json:"name"`
		Unit       string    `json:"unit"`
		StartValue float64   `json:"startValue"`
		EndValue   float64   `json:"endValue"`
		Samples    [][]int   `json:"samples"`
		Weights    []float64 `json:"weights"`
		Events     []ssEvent `json:"events"`
	} `json:"profiles"`
}

type ssEvent struct {
	Type  string  `json:"type"`
	Frame int     `json:"frame"`
	At    float64 `json:"at"`
}

// speedscopeUnits are the factors from a unit's weights to the unit kept.
var speedscopeUnits = map[string]struct {
	unit   string
	factor float64
}{
	"none":         {"count", 1},
	"":             {"count", 1},
	"bytes":        {"bytes", 1},
	"nanoseconds":  {"nanoseconds", 1},
	"microseconds": {"nanoseconds", 1e3},
	"milliseconds": {"nanoseconds", 1e6},
	"seconds":      {"nanoseconds", 1e9},
}

// parseSpeedscope reads a speedscope file.
func parseSpeedscope(name string, data []byte) (*Profile, error) {
	var f speedscopeFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("speedscope: %v", jsonError(data, err))
	}
	if len(f.Profiles) == 0 {
		return nil, errors.New("speedscope: the file has no profiles")
	}
	// One sample type per kind and unit, in the order first met.
	type typeKey struct{ kind, unit string }
	var types []*profile.ValueType
	index := map[typeKey]int{}
	typeOf := make([]int, len(f.Profiles))
	for i, p := range f.Profiles {
		u, ok := speedscopeUnits[p.Unit]
		if !ok {
			return nil, fmt.Errorf("speedscope: profile %q has unit %q, not one the format defines", p.Name, p.Unit)
		}
		kind := "samples"
		switch {
		case u.unit == "bytes":
			kind = "space"
		case u.unit == "nanoseconds" && p.Type == "evented":
			kind = "wall"
		case u.unit == "nanoseconds":
			kind = "cpu"
		}
		k := typeKey{kind, u.unit}
		if _, ok := index[k]; !ok {
			index[k] = len(types)
			types = append(types, &profile.ValueType{Type: kind, Unit: u.unit})
		}
		typeOf[i] = index[k]
	}
	b := newStackBuilder(types...)
	locs := make([]*profile.Location, len(f.Shared.Frames))
	location := func(i int) (*profile.Location, error) {
		if i < 0 || i >= len(locs) {
			return nil, fmt.Errorf("frame %d is not among the file's %d frames", i, len(locs))
		}
		if locs[i] == nil {
			fr := f.Shared.Frames[i]
			line, _ := fr.Line.Int64()
			locs[i] = b.location(frame{name: fr.Name, file: fr.File, line: line, startLine: line})
		}
		return locs[i], nil
	}
	noFrames := func() *profile.Location { return b.location(frame{name: "(no frames)"}) }
	values := make([]int64, len(types))
	var duration float64
	for i, p := range f.Profiles {
		factor := speedscopeUnits[p.Unit].factor
		labels := sampleLabels{str: map[string][]string{"profile": {p.Name}}}
		add := func(stack []*profile.Location, weight float64) {
			clear(values)
			values[typeOf[i]] = int64(math.Round(weight * factor))
			if values[typeOf[i]] != 0 {
				b.add(stack, values, labels)
			}
		}
		if speedscopeUnits[p.Unit].unit == "nanoseconds" && p.EndValue > p.StartValue {
			duration = max(duration, (p.EndValue-p.StartValue)*factor)
		}
		var err error
		switch p.Type {
		case "sampled":
			err = speedscopeSampled(p.Samples, p.Weights, location, noFrames, add)
		case "evented":
			err = speedscopeEvented(p.Events, location, add)
		default:
			err = fmt.Errorf("type %q is neither sampled nor evented", p.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("speedscope, profile %d (%q): %v", i+1, p.Name, err)
		}
	}
	if len(b.p.Sample) == 0 {
		return nil, errors.New("speedscope: no samples")
	}
	b.p.DurationNanos = int64(duration)
	if i := f.ActiveProfileIndex; i >= 0 && i < len(f.Profiles) {
		b.p.DefaultSampleType = types[typeOf[i]].Type // the profile speedscope opens on
	}
	return b.result(name, FormatSpeedscope)
}

// speedscopeSampled adds a sampled profile's stacks (root first in the
// file), each with its weight (1 where the file has no weights).
func speedscopeSampled(samples [][]int, weights []float64, location func(int) (*profile.Location, error),
	noFrames func() *profile.Location, add func([]*profile.Location, float64)) error {
	if weights != nil && len(weights) != len(samples) {
		return fmt.Errorf("%d samples but %d weights", len(samples), len(weights))
	}
	var stack []*profile.Location
	for i, s := range samples {
		stack = stack[:0]
		for j := len(s) - 1; j >= 0; j-- {
			l, err := location(s[j])
			if err != nil {
				return fmt.Errorf("sample %d: %v", i+1, err)
			}
			stack = append(stack, l)
		}
		w := 1.0
		if weights != nil {
			w = weights[i]
		}
		if len(stack) == 0 {
			// A sample with no frames (an idle thread): kept, so that
			// totals are the file's sums of weights.
			stack = append(stack, noFrames())
		}
		add(stack, w)
	}
	return nil
}

// speedscopeEvented adds an evented profile: the time between two events
// counts in the stack of frames open between them.
func speedscopeEvented(events []ssEvent, location func(int) (*profile.Location, error),
	add func([]*profile.Location, float64)) error {
	sort.SliceStable(events, func(i, j int) bool { return events[i].At < events[j].At })
	var open []*profile.Location // root first
	var stack []*profile.Location
	last := 0.0
	for i, e := range events {
		if len(open) > 0 && e.At > last {
			stack = stack[:0]
			for j := len(open) - 1; j >= 0; j-- {
				stack = append(stack, open[j])
			}
			add(stack, e.At-last)
		}
		last = e.At
		l, err := location(e.Frame)
		if err != nil {
			return fmt.Errorf("event %d: %v", i+1, err)
		}
		switch e.Type {
		case "O":
			open = append(open, l)
		case "C":
			// Close the innermost open frame that is this one (speedscope
			// requires it to be the innermost).
			for j := len(open) - 1; j >= 0; j-- {
				if open[j] == l {
					open = append(open[:j], open[j+1:]...)
					break
				}
			}
		default:
			return fmt.Errorf("event %d has type %q, neither O nor C", i+1, e.Type)
		}
	}
	return nil
}
