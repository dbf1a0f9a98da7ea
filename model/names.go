package model

import (
	"strings"

	"github.com/google/pprof/profile"
	"github.com/ianlancetaylor/demangle"
)

// demangleNames names raw's functions as go tool pprof does by default for
// a local file (its symbolizer's Demangle with the default mode): C++ and
// Rust symbols demangled and simplified, and names that already look
// demangled (with brackets or "::") stripped of their parameters — which
// is how pprof prints the Go generic instantiation
// "OnceValue[go.shape.func(*encoding/json.encodeState, ...)].func3" as
// "OnceValue[go.shape.func].func3". A name that changes keeps its full
// form in SystemName (see Func.FullName). raw is changed in place: call it
// on a profile just parsed.
func demangleNames(raw *profile.Profile) {
	for _, fn := range raw.Function {
		demangleFunction(fn)
	}
}

// demangleOptions are pprof's default: no parameters, no templates.
var demangleOptions = []demangle.Option{demangle.NoParams, demangle.NoEnclosingParams, demangle.NoTemplateParams}

func demangleFunction(fn *profile.Function) {
	if fn.Name != "" && fn.SystemName != fn.Name {
		return // already demangled
	}
	if d := demangle.Filter(fn.SystemName, demangleOptions...); d != fn.SystemName {
		fn.Name = d
		return
	}
	if strings.HasPrefix(fn.SystemName, "_") { // macOS symbols have an extra '_'
		if d := demangle.Filter(fn.SystemName[1:], demangleOptions...); d != fn.SystemName[1:] {
			fn.Name = d
			return
		}
	}
	name := fn.SystemName
	if looksDemangled(name) {
		name = removeMatching(name, '(', ')')
		name = removeMatching(name, '<', '>')
	}
	fn.Name = name
}

// looksDemangled is pprof's guess that a name is demangled C++ (or
// written like it), whose parameters and templates it then drops.
func looksDemangled(name string) bool {
	if strings.Contains(name, ".<") || strings.Contains(name, "]).") {
		return false // Java's "class.<init>", Go's "pkg.(*T[...]).Method"
	}
	return strings.ContainsAny(name, "<>[]") || strings.Contains(name, "::")
}

// removeMatching removes every outermost start..end pair and what it
// holds from name. As in pprof, an end with no start stops the removal
// there, and a start with no end is kept with what follows it.
func removeMatching(name string, start, end byte) string {
	var b strings.Builder
	depth, open := 0, 0 // open: where the outermost pair being removed starts
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == start:
			if depth == 0 {
				open = i
			}
			depth++
		case c == end:
			if depth == 0 {
				return b.String() + name[i:]
			}
			depth--
		case depth == 0:
			b.WriteByte(c)
		}
	}
	if depth > 0 {
		b.WriteString(name[open:])
	}
	return b.String()
}
