package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

// SessionExt is the file name extension of a saved session.
const SessionExt = ".flamelens"

// sessionMarker is the key that makes a JSON file a flamelens session,
// with the format's version as its value.
const sessionMarker = "flamelens_session"

// File is a window's state saved to a small file, so that a colleague
// with the same profiles sees the same view: what is open (paths
// relative to the file when they are beside or below it), the sample
// type, granularity, the filter and view steps, the zoom, the view
// switch, the comparison's view and the search.
type File struct {
	Version int `json:"flamelens_session"`

	Source    string   `json:"source"`
	More      []string `json:"more,omitempty"`
	DiffBase  string   `json:"diff_base,omitempty"`
	Base      string   `json:"base,omitempty"`
	BaseMore  []string `json:"base_more,omitempty"` // merged with the base: runs
	Normalize bool     `json:"normalize,omitempty"`

	SampleType  string     `json:"sample_type,omitempty"`
	Granularity string     `json:"granularity,omitempty"`
	Steps       []FileStep `json:"steps,omitempty"`
	Inverted    bool       `json:"inverted,omitempty"`
	// Zoom is the call path from the root to the frame zoomed to, by name.
	Zoom []string `json:"zoom,omitempty"`
	// View is "graph" for the call graph; CompareView the comparison's
	// ("Differential", "Side by side", …).
	View        string `json:"view,omitempty"`
	CompareView string `json:"compare_view,omitempty"`
	Search      string `json:"search,omitempty"`
	Module      string `json:"module,omitempty"`
}

// FileStep is a Step as a session file writes it: its kind by name.
type FileStep struct {
	Kind string `json:"kind"`
	// Filter is a filter step's filters by flag name: {"focus": "json"}.
	Filter   map[string]string `json:"filter,omitempty"`
	Func     string            `json:"func,omitempty"`
	Function string            `json:"function,omitempty"`
}

var stepKinds = map[StepKind]string{StepFilter: "filter", StepFocus: "focus", StepSandwich: "sandwich", StepMerge: "merge", StepCollapse: "collapse"}

// FileSteps are steps as a session file writes them.
func FileSteps(steps []Step) []FileStep {
	out := make([]FileStep, len(steps))
	for i, st := range steps {
		out[i] = FileStep{Kind: stepKinds[st.Kind], Func: st.Func, Function: st.Function}
		for _, name := range model.FilterNames {
			if v := *st.Filter.Field(name); v != "" {
				if out[i].Filter == nil {
					out[i].Filter = map[string]string{}
				}
				out[i].Filter[name] = v
			}
		}
	}
	return out
}

// StepsOf are the file's steps; an unknown kind is an error naming it.
func (f *File) StepsOf() ([]Step, error) {
	out := make([]Step, len(f.Steps))
	for i, fs := range f.Steps {
		kind := StepKind(-1)
		for k, name := range stepKinds {
			if name == fs.Kind {
				kind = k
			}
		}
		if kind < 0 {
			return nil, fmt.Errorf("step %d: unknown kind %q (known: filter, focus, sandwich, merge, collapse)", i+1, fs.Kind)
		}
		out[i] = Step{Kind: kind, Func: fs.Func, Function: fs.Function}
		for name, v := range fs.Filter {
			field := out[i].Filter.Field(name)
			if field == nil {
				return nil, fmt.Errorf("step %d: unknown filter %q (known: %s)", i+1, name, strings.Join(model.FilterNames, ", "))
			}
			*field = v
		}
	}
	return out, nil
}

// State is a window's state as one value, what a session file saves: what
// is open, the view asked of it, and how that view is shown. A session file
// is read and checked into it by ReadState, the one place that does, and
// the window and every command take it from there.
type State struct {
	// Source is what is open; its Fetch and OnPart are the front end's.
	Source Source
	// Request is the sample type (by name or index), granularity and steps.
	Request Request
	// Inverted shows the flame graph's leaves as its roots.
	Inverted bool
	// Zoom is the call path from the root to the frame zoomed to, by name.
	Zoom []string
	// View is "graph" for the call graph, "" for the flame graph;
	// CompareView the comparison's view ("Differential", "Side by side", …).
	View, CompareView string
	// Search is the search box's text; Module names the user's code.
	Search, Module string
}

// State is the state f saved, checked: its steps' kinds and filters and its
// granularity must be ones this flamelens knows.
func (f *File) State() (State, error) {
	steps, err := f.StepsOf()
	if err != nil {
		return State{}, err
	}
	g := model.Functions
	if f.Granularity != "" {
		if g, err = model.ParseGranularity(strings.ToLower(f.Granularity)); err != nil {
			return State{}, err
		}
	}
	return State{
		Source:   Source{Path: f.Source, More: f.More, DiffBase: f.DiffBase, Base: f.Base, BaseMore: f.BaseMore, Normalize: f.Normalize},
		Request:  Request{SampleSpec: f.SampleType, Granularity: g, Steps: steps},
		Inverted: f.Inverted, Zoom: f.Zoom, View: f.View, CompareView: f.CompareView, Search: f.Search, Module: f.Module,
	}, nil
}

// FileOf is s as a session file saves it.
func FileOf(s State) File {
	f := File{Source: s.Source.Path, More: s.Source.More, DiffBase: s.Source.DiffBase, Base: s.Source.Base, BaseMore: s.Source.BaseMore, Normalize: s.Source.Normalize,
		SampleType: s.Request.SampleSpec, Steps: FileSteps(s.Request.Steps), Inverted: s.Inverted,
		Zoom: s.Zoom, View: s.View, CompareView: s.CompareView, Search: s.Search, Module: s.Module}
	if s.Request.Granularity != model.Functions {
		f.Granularity = s.Request.Granularity.String()
	}
	return f
}

// ReadState reads the saved session at path into the state it saved: the
// one way a session file is read, by the window and by every command.
func ReadState(path string) (State, error) {
	f, err := ReadFile(path)
	if err != nil {
		return State{}, err
	}
	return f.State()
}

// WriteFile saves s at path as a session file (File.WriteFile).
func (s State) WriteFile(path string) error { return FileOf(s).WriteFile(path) }

// IsSessionFile reports whether path names a saved session: by its
// extension, or a JSON file that says it is one.
func IsSessionFile(path string) bool {
	if strings.HasSuffix(strings.ToLower(path), SessionExt) {
		return true
	}
	if !strings.HasSuffix(strings.ToLower(path), ".json") {
		return false
	}
	data, err := os.ReadFile(path)
	return err == nil && bytes.Contains(data[:min(len(data), 200)], []byte(`"`+sessionMarker+`"`))
}

// ReadFile reads a saved session; its paths are made absolute from the
// file's folder.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a flamelens session: %v", path, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%s: not a flamelens session of a version this flamelens reads (%s %d; reads 1)", path, sessionMarker, f.Version)
	}
	if f.Source == "" {
		return nil, fmt.Errorf("%s: the session names no source", path)
	}
	if _, err := f.State(); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	dir := filepath.Dir(path)
	resolve := func(p string) string {
		if p == "" || filepath.IsAbs(p) || fetch.IsRemote(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	f.Source, f.DiffBase, f.Base = resolve(f.Source), resolve(f.DiffBase), resolve(f.Base)
	for _, more := range [][]string{f.More, f.BaseMore} {
		for i := range more {
			more[i] = resolve(more[i])
		}
	}
	return &f, nil
}

// WriteFile saves f at path, paths beside or below the file's folder
// written relative to it.
func (f File) WriteFile(path string) error {
	f.Version = 1
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return err
	}
	relative := func(p string) string {
		if p == "" || fetch.IsRemote(p) {
			return p
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return p
		}
		if rel, err := filepath.Rel(dir, abs); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
		return abs
	}
	f.Source, f.DiffBase, f.Base = relative(f.Source), relative(f.DiffBase), relative(f.Base)
	f.More, f.BaseMore = slices.Clone(f.More), slices.Clone(f.BaseMore)
	for _, more := range [][]string{f.More, f.BaseMore} {
		for i := range more {
			more[i] = relative(more[i])
		}
	}
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}
