package render

import (
	"fmt"
	"image/color"
	"math"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/runstats"
)

// DiffPalette is a pair of colours for growth and shrinkage.
type DiffPalette int

const (
	// RedBlue: red grew, blue shrank.
	RedBlue DiffPalette = iota
	// ColourBlind: orange grew, blue shrank (Okabe and Ito's vermillion and
	// blue), told apart with any common colour-vision deficiency.
	ColourBlind
)

// DiffStyle colours the frames of a comparison tree (one with Other
// values) by how they changed from BASE to NEW.
type DiffStyle struct {
	// BaseShaped says the tree's primary values are BASE's (the graph is
	// shaped by BASE), so NEW's are the Other ones.
	BaseShaped bool
	// ByTotal colours by the change of total (inclusive) values instead of
	// self values.
	ByTotal bool
	// Normalized compares shares of each side's total instead of absolute
	// values, for runs of different length.
	Normalized bool
	// Noise is the change, as a fraction of the larger side's total, below
	// which a frame is grey: 0.001 is a tenth of a percent.
	Noise float64
	// Palette picks the colours.
	Palette DiffPalette
	// Scale is the change, as a fraction, that gets the strongest colour;
	// see MaxChange.
	Scale float64
	// Sides, for a NEW − BASE tree (pprof's -diff_base view, whose values
	// are differences), is the comparison tree it shares its nodes with
	// (Stacks.CompareTrees' byNew): each frame's NEW and BASE values are
	// read there, so the view is coloured and described by its change.
	Sides *model.Tree
	// Runs, for a comparison of two sets of runs, are the functions'
	// changes tested across the runs: only the frames of functions that
	// changed significantly are coloured, the rest neutral, and a tooltip
	// gives both medians with their intervals and p.
	Runs *RunChanges
}

// RunChanges are the functions' changes tested across two sets of runs
// (runstats), by function name: flat for frames coloured by self, cum
// for those coloured by total.
type RunChanges struct {
	Self, Total map[string]runstats.Change
	// Tested says each side had enough runs to test a change; when not,
	// frames are coloured as for two profiles.
	Tested bool
	// Value writes a normalized value of the runs for people ("350ms/s").
	Value func(float64) string
}

// of is the change of n's function across the runs, self's or total's.
func (r *RunChanges) of(t *model.Tree, n model.NodeID, byTotal bool) (runstats.Change, bool) {
	f := t.Fn[n]
	if f < 0 || int(f) >= len(t.Funcs) {
		return runstats.Change{}, false
	}
	m := r.Self
	if byTotal {
		m = r.Total
	}
	c, ok := m[t.Funcs[f].Name]
	return c, ok
}

// Insignificant reports whether n's frame is left neutral because its
// function's change did not hold across the runs.
func (ds *DiffStyle) Insignificant(t *model.Tree, n model.NodeID) bool {
	if ds == nil || ds.Runs == nil || !ds.Runs.Tested {
		return false
	}
	c, ok := ds.Runs.of(ds.sides(t), n, ds.ByTotal)
	return !ok || !c.Significant
}

// Compared is the tree whose values (NEW and BASE) colour t's frames: t,
// or ds.Sides for a NEW − BASE tree; nil when neither has both sides.
func (ds *DiffStyle) Compared(t *model.Tree) *model.Tree {
	if ds == nil {
		return nil
	}
	if t = ds.sides(t); t.OtherTotal == nil {
		return nil
	}
	return t
}

// sides is the tree holding NEW's and BASE's values of t's frames: t
// itself, or ds.Sides for a NEW − BASE tree.
func (ds *DiffStyle) sides(t *model.Tree) *model.Tree {
	if ds.Sides != nil {
		return ds.Sides
	}
	return t
}

// DefaultNoise is the noise threshold: changes under 0.1% of the total are grey.
const DefaultNoise = 0.001

// Change is a frame's values in both profiles and how it changed.
type Change struct {
	Base, New int64 // self or total, as DiffStyle.ByTotal says
	// Fraction is the change as a fraction: of the larger total, or, when
	// normalized, the difference of the two shares.
	Fraction float64
	OnlyNew  bool // the frame has no value in BASE
	OnlyBase bool // the frame has no value in NEW
}

// ChangeOf is node n's change under ds.
func ChangeOf(t *model.Tree, n model.NodeID, ds *DiffStyle) Change {
	t = ds.sides(t)
	primary, other := t.Self, t.OtherSelf
	if ds.ByTotal {
		primary, other = t.Total, t.OtherTotal
	}
	c := Change{New: primary[n], Base: other[n]}
	newTotal, baseTotal := t.AbsTotal, t.OtherAbsTotal
	if ds.BaseShaped {
		c.New, c.Base = c.Base, c.New
		newTotal, baseTotal = baseTotal, newTotal
	}
	// Only-in marks need the frame's totals, whatever is coloured.
	inNew, inBase := t.Total[n] != 0, t.OtherTotal[n] != 0
	if ds.BaseShaped {
		inNew, inBase = inBase, inNew
	}
	c.OnlyNew, c.OnlyBase = inNew && !inBase, inBase && !inNew
	if ds.Normalized {
		c.Fraction = share(c.New, newTotal) - share(c.Base, baseTotal)
	} else {
		c.Fraction = float64(c.New-c.Base) / float64(max(1, newTotal, baseTotal))
	}
	return c
}

func share(v, total int64) float64 {
	if total == 0 {
		return 0
	}
	return float64(v) / float64(total)
}

// FullChange is the least change, as a fraction of the total, shown at
// full colour: two runs of the same code differ by less, frame by frame,
// so their comparison stays pale instead of turning red and blue where
// its largest noise is.
const FullChange = 0.05

// MaxChange is the largest |change| among t's frames under ds, at least
// FullChange and the noise threshold: the scale at which colours are
// strongest.
func MaxChange(t *model.Tree, ds *DiffStyle) float64 {
	m := max(ds.Noise, FullChange)
	t = ds.sides(t)
	for n := 1; n < t.Len(); n++ {
		m = math.Max(m, math.Abs(ChangeOf(t, model.NodeID(n), ds).Fraction))
	}
	return m
}

// diffNeutral is the fill of frames whose change is within the noise.
var (
	diffNeutralLight = color.NRGBA{0xd4, 0xd4, 0xd4, 0xff}
	diffNeutralDark  = color.NRGBA{0x4a, 0x4a, 0x4e, 0xff}
)

// DiffColors are the fills a palette uses: growth and shrinkage at full
// strength, and the neutral grey of noise.
func DiffColors(p DiffPalette, dark bool) (grew, shrank, neutral color.NRGBA) {
	neutral = diffNeutralLight
	if dark {
		neutral = diffNeutralDark
	}
	switch p {
	case ColourBlind:
		grew, shrank = color.NRGBA{0xd5, 0x5e, 0x00, 0xff}, color.NRGBA{0x00, 0x72, 0xb2, 0xff}
	default:
		grew, shrank = color.NRGBA{0xd7, 0x26, 0x1e, 0xff}, color.NRGBA{0x1f, 0x5f, 0xd0, 0xff}
	}
	return grew, shrank, neutral
}

// DiffColor is the fill of a frame with change c: grey within the noise,
// else from grey toward the palette's colour as the change grows to the
// style's scale (by square root, so small changes still show), a frame
// of one run only as any other: its hatching says it is one run's.
func DiffColor(c Change, ds *DiffStyle, dark bool) color.NRGBA {
	grew, shrank, neutral := DiffColors(ds.Palette, dark)
	if math.Abs(c.Fraction) < ds.Noise {
		return neutral
	}
	target := grew
	if c.Fraction < 0 || (c.Fraction == 0 && c.OnlyBase) {
		target = shrank
	}
	strength := 1.0
	if ds.Scale > 0 {
		strength = math.Min(1, math.Sqrt(math.Abs(c.Fraction)/ds.Scale))
	}
	return Blend(neutral, target, strength)
}

// DiffTooltip describes a frame's change: base, new, delta and delta %
// for self and total.
func DiffTooltip(t *model.Tree, n model.NodeID, ds *DiffStyle) string {
	t = ds.sides(t)
	unit := t.SampleType.Unit
	line := func(label string, byTotal bool) string {
		s := *ds
		s.ByTotal = byTotal
		c := ChangeOf(t, n, &s)
		pct := "new"
		switch {
		case c.Base == 0 && c.New == 0:
			pct = "none in either"
		case c.Base != 0:
			pct = fmt.Sprintf("%+.1f%%", float64(c.New-c.Base)/math.Abs(float64(c.Base))*100)
		}
		return fmt.Sprintf("%s: base %s → new %s (%s, %s)", label, model.FormatValue(c.Base, unit), model.FormatValue(c.New, unit),
			Signed(c.New-c.Base, unit), pct)
	}
	out := line("self", false) + "\n" + line("total", true)
	if r := ds.Runs; r != nil {
		for _, side := range []struct {
			label   string
			byTotal bool
		}{{"runs, self: ", false}, {"runs, total:", true}} {
			if c, ok := r.of(t, n, side.byTotal); ok {
				out += fmt.Sprintf("\n%s %s ±%s → %s ±%s, %s", side.label,
					r.Value(c.Before.Median), c.Before.RangeString(), r.Value(c.After.Median), c.After.RangeString(), c.Verdict(r.Tested))
			}
		}
	}
	return out
}

// Signed is a value with an explicit sign: "+1.2s", "-300ms", "0".
func Signed(v int64, unit string) string {
	if v > 0 {
		return "+" + model.FormatValue(v, unit)
	}
	return model.FormatValue(v, unit)
}
