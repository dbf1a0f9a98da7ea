package model

import (
	"cmp"
	"errors"
	"regexp"
	"slices"
)

// AddressCost is what go tool pprof -disasm counts at one address: the
// value of the samples taken there (flat) and of the stacks through it
// (cum), with the location's outermost function and its line, inlined
// frames being folded into their location as pprof's -noinlines does.
type AddressCost struct {
	Address  uint64
	Function string
	File     string
	Line     int64
	Flat     int64
	Cum      int64
	// OtherFlat and OtherCum are BASE's, in a comparison's two-sided
	// stacks (where Flat and Cum are NEW's).
	OtherFlat, OtherCum int64

	frame FuncID // the outermost frame, whose name a regexp is matched on
}

// AddressCosts is the stacks' cost per address, by address.
type AddressCosts struct {
	Costs []AddressCost
	funcs []Func
}

// AddressCosts counts the stacks' values per address, as go tool pprof
// -disasm does: a stack's value is flat at its leaf's address and cum,
// once, at every address in it. The stacks must be at -addresses.
func (s *Stacks) AddressCosts() (*AddressCosts, error) {
	if s.Granularity != Addresses {
		return nil, errors.New("address costs need stacks at -addresses")
	}
	at := map[uint64]int{}
	var costs []AddressCost
	cost := func(f FuncID) *AddressCost {
		fn := &s.Funcs[f]
		i, ok := at[fn.addr]
		if !ok {
			i = len(costs)
			at[fn.addr] = i
			costs = append(costs, AddressCost{Address: fn.addr, Function: fn.Function, File: fn.File, Line: fn.Line, frame: f})
		}
		return &costs[i]
	}
	seen := map[uint64]bool{}
	for i := range s.Len() {
		v, other := s.value[i], int64(0)
		if s.other != nil {
			other = s.other[i]
		}
		frames := s.Frames(i)
		clear(seen)
		prev := uint64(0)
		for _, f := range frames {
			addr := s.Funcs[f].addr
			// Frames of one location (a call and what was inlined into
			// it) share its address and come outermost first.
			if addr == 0 || addr == prev {
				continue
			}
			prev = addr
			if seen[addr] {
				continue
			}
			seen[addr] = true
			c := cost(f)
			c.Cum += v
			c.OtherCum += other
		}
		if n := len(frames); n > 0 {
			if leaf := s.Funcs[frames[n-1]].addr; leaf != 0 {
				c := &costs[at[leaf]]
				c.Flat += v
				c.OtherFlat += other
			}
		}
	}
	// pprof leaves out of its graph the nodes where nothing is counted
	// (in a comparison, where BASE and NEW cancel out).
	costs = slices.DeleteFunc(costs, func(c AddressCost) bool {
		return c.Flat == 0 && c.Cum == 0 && c.OtherFlat == 0 && c.OtherCum == 0
	})
	slices.SortFunc(costs, func(a, b AddressCost) int { return cmp.Compare(a.Address, b.Address) })
	return &AddressCosts{Costs: costs, funcs: s.Funcs}, nil
}

// Matches reports whether re matches the name pprof prints for an
// address's node ("00000000004d6141 slices.insertionSortOrdered[go.shape.int] /go/src/slices/zsortordered.go:15"):
// whether go tool pprof -disasm looks in the program for re at all.
func (a *AddressCosts) Matches(re *regexp.Regexp) bool {
	for _, c := range a.Costs {
		if re.MatchString(a.funcs[c.frame].Name) {
			return true
		}
	}
	return false
}

// In returns the costs at addresses from start up to, not including,
// end.
func (a *AddressCosts) In(start, end uint64) []AddressCost {
	i, _ := slices.BinarySearchFunc(a.Costs, start, func(c AddressCost, s uint64) int { return cmp.Compare(c.Address, s) })
	j := i
	for j < len(a.Costs) && a.Costs[j].Address < end {
		j++
	}
	return a.Costs[i:j]
}

// Program is what a profile says of the program it sampled: its first
// mapping, as go tool pprof takes it.
type Program struct {
	// File is the program's path where it was profiled; "" if unknown.
	File    string
	BuildID string
	// Start is where the program was mapped.
	Start uint64
}

// Program is the program the profile sampled; false when the profile has
// no mapping (folded stacks, some converted profiles).
func (p *Info) Program() (Program, bool) {
	if p.header == nil || len(p.header.Mapping) == 0 {
		return Program{}, false
	}
	m := p.header.Mapping[0]
	return Program{File: m.File, BuildID: m.BuildID, Start: m.Start}, true
}
