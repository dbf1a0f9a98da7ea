// Package session is the pipeline the window and the headless commands
// share, below the window and above the model: what to open (a source:
// a profile, or two compared) is described and checked here once, so a
// flag means the same thing in every front end. It never imports Fyne.
package session

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session/fetch"
)

// Source describes what to open: a profile (a file or a URL), and
// optionally a base profile to compare it with, as pprof's flags say.
type Source struct {
	// Path is the file or URL of the profile (NEW, in a comparison).
	Path string
	// More are further files or URLs merged with Path into one profile,
	// as go tool pprof merges the sources it is given ("pprof a b c");
	// a comparison compares the merged profile with its base.
	More []string
	// OnPart, if not nil, is told of each source of a merge as it is
	// read (model.Part.Err set if it failed), from another goroutine.
	OnPart func(model.Part)
	// DiffBase is -diff_base: compare Path with it (NEW minus BASE,
	// percentages of BASE's total). Base is -base: subtract it from Path.
	// At most one is set.
	DiffBase, Base string
	// BaseMore are further files or URLs merged with the base profile
	// (DiffBase or Base): a comparison of two sets of runs, each merged.
	BaseMore []string
	// Normalize is -normalize: scale BASE to NEW's total first.
	Normalize bool
	// Fetch is how URLs are fetched.
	Fetch fetch.Options
}

// ErrUsage marks a source that makes no sense as given (a mistake in the
// flags, not in a profile).
var ErrUsage = errors.New("usage")

// usageError is a mistake in how a source was described.
type usageError string

func (e usageError) Error() string        { return string(e) }
func (e usageError) Is(target error) bool { return target == ErrUsage }

// Validate says what is wrong with the description itself, before
// anything is read: both -diff_base and -base, or -normalize with neither.
// Its errors match ErrUsage.
func (s Source) Validate() error {
	switch {
	case s.DiffBase != "" && s.Base != "":
		return usageError("-diff_base and -base cannot both be given")
	case s.Normalize && s.DiffBase == "" && s.Base == "":
		return usageError("-normalize needs -diff_base or -base")
	case len(s.BaseMore) > 0 && s.DiffBase == "" && s.Base == "":
		return usageError("more base profiles need -diff_base or -base")
	case len(s.More) > 0 && slices.Contains(s.Paths(), ""):
		return usageError("the built-in sample cannot be merged with other sources")
	}
	return nil
}

// Paths are the sources merged into the profile (NEW, in a comparison):
// Path, then More.
func (s Source) Paths() []string {
	return append([]string{s.Path}, s.More...)
}

// openNew reads the profile (NEW, in a comparison): Path, or Path and
// More merged.
func (s Source) openNew(ctx context.Context) (*model.Profile, error) {
	if len(s.More) == 0 {
		return OpenProfile(ctx, s.Path, s.Fetch)
	}
	return OpenMerged(ctx, s.Paths(), s.Fetch, s.OnPart)
}

// openBase reads the base profile: base, or base and BaseMore merged.
func (s Source) openBase(ctx context.Context, base string) (*model.Profile, error) {
	if len(s.BaseMore) == 0 {
		return OpenProfile(ctx, base, s.Fetch)
	}
	return OpenMerged(ctx, append([]string{base}, s.BaseMore...), s.Fetch, s.OnPart)
}

// Compared is the base profile and how it is compared, or "" and 0 for a
// source that is not a comparison.
func (s Source) Compared() (base string, mode model.DiffMode) {
	switch {
	case s.DiffBase != "":
		return s.DiffBase, model.DiffBase
	case s.Base != "":
		return s.Base, model.SubtractBase
	}
	return "", 0
}

// Read is what reading a source gave besides its view: what each profile
// read says of itself (warnings, merged parts) and where those fetched
// from URLs were saved.
type Read struct {
	Profiles []*model.Info
	Copies   []fetch.Copy
}

// Saved is where the profile fetched from source was saved; "" when it
// was not fetched, or not saved.
func (r Read) Saved(source string) string {
	for _, c := range r.Copies {
		if c.Source == source && c.Err == nil {
			return c.Path
		}
	}
	return ""
}

// readOf is the record of reading profiles: their copies in the profiles'
// order (BASE's first in a comparison), whatever order the fetches, run at
// once, ended in; copies of no profile listed (the parts of a merge) after.
func readOf(profiles []*model.Info, copies *fetch.Copies) Read {
	list := copies.List()
	rank := func(c fetch.Copy) int {
		for i, p := range profiles {
			if p.Source == c.Source {
				return i
			}
		}
		return len(profiles)
	}
	slices.SortStableFunc(list, func(a, b fetch.Copy) int { return rank(a) - rank(b) })
	return Read{Profiles: profiles, Copies: list}
}

// Reopenable is where the profile info describes can be read again: its
// saved copy when it was fetched (a URL gives a new capture each time),
// else its source.
func (r Read) Reopenable(info *model.Info) string {
	if saved := r.Saved(info.Source); saved != "" {
		return saved
	}
	return info.Source
}

// recording is s with its fetches told to a collector of copies of its own.
func (s Source) recording() (Source, *fetch.Copies) {
	if s.Fetch.Copies == nil {
		s.Fetch.Copies = &fetch.Copies{}
	}
	return s, s.Fetch.Copies
}

// Open reads the source (both profiles at once, for a comparison) and
// compares them as pprof would (Compare). What was read is returned too,
// for what the profiles say about themselves (warnings) and the copies of
// those fetched.
func Open(ctx context.Context, s Source) (l Loaded, read Read, err error) {
	if err := s.Validate(); err != nil {
		return Loaded{}, Read{}, err
	}
	s, copies := s.recording()
	basePath, mode := s.Compared()
	if basePath == "" {
		p, err := s.openNew(ctx)
		if err != nil {
			return Loaded{}, Read{Copies: copies.List()}, err
		}
		return One(p), readOf([]*model.Info{&p.Info}, copies), nil
	}
	base, newP, err := openPair(ctx, func(ctx context.Context) (*model.Profile, error) { return s.openBase(ctx, basePath) }, s.openNew)
	if err != nil {
		return Loaded{}, Read{Copies: copies.List()}, err
	}
	read = readOf([]*model.Info{&base.Info, &newP.Info}, copies)
	l, err = Compare(base, newP, mode, s.Normalize)
	return l, read, err
}

// OpenTable opens src for the stacks of the view req asks for. When
// neither a comparison nor a step needs the whole profile, the stacks are
// streamed (OpenStacks). What the profile says of itself comes with them,
// for a header, and that of each profile read, for notes (saved copies,
// warnings).
func OpenTable(ctx context.Context, src Source, req Request) (info *model.Info, s *model.Stacks, read Read, err error) {
	if err := src.Validate(); err != nil {
		return nil, nil, Read{}, err
	}
	if base, _ := src.Compared(); base == "" && len(req.Steps) == 0 && len(src.More) == 0 {
		src, copies := src.recording()
		st, err := OpenStacks(ctx, src.Path, req.SampleSpec, req.Granularity, src.Fetch)
		if err != nil {
			return nil, nil, Read{Copies: copies.List()}, err
		}
		read := readOf([]*model.Info{st.Info}, copies)
		if st.Whole != nil {
			// Read whole (folded stacks, a -diff_base merge): a comparison's
			// stacks are its NEW minus BASE, not the merge's.
			if l := One(st.Whole); l.Comparison() != nil {
				s, err := Stacks(l, req.spec(st.Stacks.SampleIndex))
				return st.Info, s, read, err
			}
		}
		return st.Info, st.Stacks, read, nil
	}
	l, read, err := Open(ctx, src)
	if err != nil {
		return nil, nil, read, err
	}
	idx, err := l.Info().SampleIndex(req.SampleSpec)
	if err != nil {
		return nil, nil, read, err
	}
	s, err = Stacks(l, req.spec(idx))
	return l.Info(), s, read, err
}

// Comparing is path compared with base as mode says (-diff_base or -base).
func Comparing(path, base string, mode model.DiffMode, normalize bool, opt fetch.Options) Source {
	s := Source{Path: path, Normalize: normalize, Fetch: opt}
	if mode == model.SubtractBase {
		s.Base = base
	} else {
		s.DiffBase = base
	}
	return s
}

// String is the source as flags: for messages.
func (s Source) String() string {
	out := strings.Join(s.Paths(), " ")
	if base, mode := s.Compared(); base != "" {
		flag := "-diff_base"
		if mode == model.SubtractBase {
			flag = "-base"
		}
		out = fmt.Sprintf("%s=%s %s", flag, strings.Join(append([]string{base}, s.BaseMore...), ","), out)
	}
	if s.Normalize {
		out = "-normalize " + out
	}
	return out
}
