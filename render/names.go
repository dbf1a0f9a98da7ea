// Package render turns a call tree into boxes in a viewport and the boxes
// into pixels or SVG. It is pure computation over model values and never
// imports fyne: the window and the headless export draw the same picture.
package render

import (
	"strings"

	"github.com/flamelens/flamelens/model"
)

// DisplayNames returns the forms of a function name to try as a label,
// longest first, without repeats: the full name, the name without its
// package path, then the bare function or method name. For
// "encoding/json.(*decodeState).object" that is the full name,
// "(*decodeState).object" and "object".
//
// A frame at a finer granularity than functions
// ("json.(*decodeState).object decode.go:641") keeps its file and line in
// every form, and ends with them alone.
func DisplayNames(name string) []string {
	if function, where := model.SplitLocation(name); where != "" {
		var forms []string
		for _, f := range DisplayNames(function) {
			forms = append(forms, f+" "+where)
		}
		return append(forms, where)
	}
	if model.IsSourcePath(name) {
		return pathForms(name)
	}
	forms := []string{name}
	add := func(s string) {
		if s != "" && s != forms[len(forms)-1] {
			forms = append(forms, s)
		}
	}
	noPkg := name[len(model.PackageOf(name)):]
	noPkg = strings.TrimPrefix(noPkg, ".")
	add(noPkg)
	add(bareName(noPkg))
	return forms
}

// bareName is the last dot-separated element of a name that has lost its
// package, looking past parentheses and brackets: "object" for
// "(*decodeState).object". Closures keep the function they are in
// ("gcBgMarkWorker.func1", not "func1"), as the element alone says nothing.
func bareName(s string) string {
	var dots []int
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '.':
			if depth == 0 {
				dots = append(dots, i)
			}
		}
	}
	end := len(s)
	for k := len(dots) - 1; k >= 0; k-- {
		elem := s[dots[k]+1 : end]
		if !isClosureElem(elem) {
			return s[dots[k]+1:]
		}
		end = dots[k]
	}
	return s
}

// isClosureElem reports whether a name element is one the compiler makes
// up for a closure: "func1", "2", "gowrap1".
func isClosureElem(e string) bool {
	e = strings.TrimPrefix(strings.TrimPrefix(e, "func"), "gowrap")
	if e == "" {
		return false
	}
	for _, c := range e {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// pathForms are a source file's path and its last two and last elements:
// "/usr/local/go/src/encoding/json/encode.go", "json/encode.go", "encode.go".
func pathForms(path string) []string {
	forms := []string{path}
	elems := strings.Split(path, "/")
	for k := 2; k >= 1; k-- {
		if len(elems) > k {
			forms = append(forms, strings.Join(elems[len(elems)-k:], "/"))
		}
	}
	return forms
}
