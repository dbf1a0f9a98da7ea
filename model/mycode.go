package model

import (
	"path/filepath"
	"slices"
	"strings"
)

// Origin is whose code a function is: the profiled program's own, the Go
// standard library's, a dependency's or the Go runtime's.
type Origin uint8

const (
	OriginUnknown Origin = iota // no package to tell by: C code, unsymbolized frames
	OriginMine                  // the main module: the code the user can change
	OriginStd                   // the standard library
	OriginDeps                  // another module
	OriginRuntime               // the Go runtime (runtime, internal/runtime/...)
)

func (o Origin) String() string {
	return [...]string{"unknown code", "your code", "standard library", "a dependency", "the Go runtime"}[o]
}

// Owner says which functions are the user's own code.
type Owner struct {
	// Modules are the import path prefixes of the user's packages: the
	// main module's path, or what -module gives. A package is the user's
	// when its path is one of them or below one.
	Modules []string
	// Dirs are the folders the user's source files are in (the main
	// module's root on the machine that built the program).
	Dirs []string
	// Packages are packages found to be the user's without a module path:
	// "main", and those whose tests were profiled (a _test.go file's).
	Packages map[string]bool
}

// FindOwner works out the user's code from the functions of a profile:
// package main and where its files are, packages with test files in the
// profile (a `go test -cpuprofile` profiles the package under test), and
// the module path that a package's import path and folder share with
// them. modules, when given (-module), replaces what is found.
func FindOwner(funcs []Func, modules []string) Owner {
	o := Owner{Modules: modules, Packages: map[string]bool{"main": true}}
	if len(modules) > 0 {
		return o
	}
	var roots []string // folders of package main's and the tested packages' files
	for i := range funcs {
		f := &funcs[i]
		pkg := PackageOf(f.Function)
		switch {
		case f.File == "" || pkg == "" || inModuleCache(f.File):
		case pkg == "main":
			roots = append(roots, filepath.Dir(f.File))
		case strings.HasSuffix(f.File, "_test.go"):
			o.Packages[pkg] = true
			roots = append(roots, filepath.Dir(f.File))
		}
	}
	if len(roots) == 0 {
		return o
	}
	// A package whose folder is at or under such a root, or whose folder
	// ends with its import path's tail above a root, is in the module:
	// /src/app/internal/db holds example.com/app/internal/db, so the
	// module is example.com/app at /src/app.
	seen := map[string]bool{}
	for i := range funcs {
		f := &funcs[i]
		pkg := PackageOf(f.Function)
		if f.File == "" || pkg == "" || pkg == "main" || !strings.Contains(firstElem(pkg), ".") || inModuleCache(f.File) {
			continue
		}
		module, root, ok := splitModule(pkg, filepath.ToSlash(filepath.Dir(f.File)), roots)
		if ok && !seen[module] {
			seen[module] = true
			o.Modules = append(o.Modules, module)
			o.Dirs = append(o.Dirs, root)
		}
	}
	return o
}

// splitModule takes the shortest tail that package path pkg and folder
// dir share off both such that what is left of dir holds one of roots:
// the module path and its folder.
func splitModule(pkg, dir string, roots []string) (module, root string, ok bool) {
	p, d := strings.Split(pkg, "/"), strings.Split(dir, "/")
	for n := 1; n < len(p) && n < len(d) && p[len(p)-n] == d[len(d)-n]; n++ {
		root = strings.Join(d[:len(d)-n], "/")
		for _, r := range roots {
			if within(filepath.ToSlash(r), root) {
				return strings.Join(p[:len(p)-n], "/"), root, true
			}
		}
	}
	return "", "", false
}

// within reports whether path is dir or under it.
func within(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, strings.TrimSuffix(dir, "/")+"/")
}

// inModuleCache reports whether file is in Go's module cache or a vendor
// folder: a dependency's, whatever its path.
func inModuleCache(file string) bool {
	f := filepath.ToSlash(file)
	return strings.Contains(f, "/pkg/mod/") || strings.Contains(f, "/vendor/")
}

func firstElem(pkg string) string {
	first, _, _ := strings.Cut(pkg, "/")
	return first
}

// Origin is whose code f is.
func (o Owner) Origin(f *Func) Origin {
	pkg := PackageOf(f.Function)
	if pkg == "" {
		if strings.Contains(filepath.ToSlash(f.File), "/src/runtime/") {
			return OriginRuntime // the runtime's assembly: gcWriteBarrier, aeshashbody
		}
		return OriginUnknown
	}
	if pkg == "runtime" || strings.HasPrefix(pkg, "runtime/") || strings.HasPrefix(pkg, "internal/runtime/") {
		return OriginRuntime
	}
	if o.Packages[pkg] {
		return OriginMine
	}
	for _, m := range o.Modules {
		if pkg == m || strings.HasPrefix(pkg, m+"/") {
			return OriginMine
		}
	}
	if f.File != "" && !inModuleCache(f.File) {
		for _, d := range o.Dirs {
			if within(filepath.ToSlash(f.File), d) {
				return OriginMine
			}
		}
	}
	if !strings.Contains(firstElem(pkg), ".") {
		return OriginStd
	}
	return OriginDeps
}

// Origins is the origin of every function of funcs.
func (o Owner) Origins(funcs []Func) []Origin {
	out := make([]Origin, len(funcs))
	for i := range funcs {
		out[i] = o.Origin(&funcs[i])
	}
	return out
}

// String names the user's code: the modules, then the packages found to
// be the user's ("main" only when nothing else is).
func (o Owner) String() string {
	names := slices.Clone(o.Modules)
	var pkgs []string
	for p := range o.Packages {
		if p != "main" && !slices.ContainsFunc(o.Modules, func(m string) bool { return p == m || strings.HasPrefix(p, m+"/") }) {
			pkgs = append(pkgs, p)
		}
	}
	slices.Sort(pkgs)
	names = append(names, pkgs...)
	if len(names) == 0 {
		return "package main"
	}
	return strings.Join(names, ", ")
}

// SplitModules reads a -module value: import path prefixes, comma-separated,
// spaces around them ignored; nil for none.
func SplitModules(s string) []string {
	var out []string
	for _, m := range strings.Split(s, ",") {
		if m = strings.TrimSpace(m); m != "" {
			out = append(out, m)
		}
	}
	return out
}
