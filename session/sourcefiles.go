package session

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/flamelens/flamelens/listing"
	"github.com/flamelens/flamelens/model"
)

// SourcePaths says where a profile's source files are looked for.
type SourcePaths struct {
	// SourcePath is pprof's -source_path: folders, separated as in $PATH,
	// searched (with their parents) for files named by relative paths;
	// "" is the current folder.
	SourcePath string
	// TrimPath is pprof's -trim_path: prefixes taken off the profile's
	// paths before searching; "" lets pprof's guess do it.
	TrimPath string
	// GOROOT and GOMODCACHE are the Go installation and module cache the
	// standard library's and the dependencies' files are found in; ""
	// asks the environment, then go env.
	GOROOT, GOMODCACHE string
}

// SourceFile is a routine's source file, found.
type SourceFile struct {
	Path  string   // where it was found
	Lines []string // its lines; Lines[0] is line 1
	// Changed says the file was modified after the profile was taken, so
	// its lines may not be the ones profiled.
	Changed bool
}

// Sources finds and reads source files, keeping what it read. It is safe
// for use from several goroutines.
type Sources struct {
	Paths SourcePaths
	// Taken is when the profile was taken (zero if unknown): files
	// modified since are marked Changed.
	Taken time.Time

	mu    sync.Mutex
	files map[string]*SourceFile
	found []*SourceFile // files, in the order they were first found
}

// Found are the files found so far, in the order they were first asked
// for: a listing's, routine by routine.
func (s *Sources) Found() []*SourceFile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.found)
}

// Reader is s as a listing.SourceReader, for output.WriteList.
func (s *Sources) Reader() listing.SourceReader {
	return func(r listing.Routine) ([]string, error) {
		f, err := s.Find(r)
		if err != nil {
			return nil, err
		}
		return f.Lines, nil
	}
}

// Find finds and reads r's file: where the profile says (after pprof's
// -trim_path and its guess), under each -source_path folder and its
// parents, in the Go installation for the standard library, in the module
// cache for dependencies, and at last by the path's last elements under
// the -source_path folders. The error lists every place it looked.
func (s *Sources) Find(r listing.Routine) (*SourceFile, error) {
	key := r.Path + "\x00" + r.Function
	s.mu.Lock()
	f, ok := s.files[key]
	s.mu.Unlock()
	if ok {
		return f, nil
	}
	var looked []string
	for _, candidate := range s.candidates(r) {
		if slices.Contains(looked, candidate) {
			continue
		}
		looked = append(looked, candidate)
		f, err := readSource(candidate, s.Taken)
		if err != nil {
			continue
		}
		s.mu.Lock()
		if s.files == nil {
			s.files = map[string]*SourceFile{}
		}
		s.files[key] = f
		s.found = append(s.found, f)
		s.mu.Unlock()
		return f, nil
	}
	return nil, fmt.Errorf("could not find %s; looked in %s", r.File, strings.Join(looked, ", "))
}

// searchDirs are the -source_path folders, or the current folder.
func (p SourcePaths) searchDirs() []string {
	if p.SourcePath != "" {
		return filepath.SplitList(p.SourcePath)
	}
	if wd, err := os.Getwd(); err == nil {
		return []string{wd}
	}
	return nil
}

// candidates are the paths r's file may be at, most likely first.
func (s *Sources) candidates(r listing.Routine) []string {
	p := s.Paths
	dirs := p.searchDirs()
	var out []string
	// pprof's own search.
	trimmed := model.TrimSourcePath(r.Path, p.TrimPath, strings.Join(dirs, string(filepath.ListSeparator)))
	if filepath.IsAbs(trimmed) {
		out = append(out, trimmed)
	} else {
		for _, dir := range dirs {
			for {
				out = append(out, filepath.Join(dir, trimmed))
				parent := filepath.Dir(dir)
				if parent == dir {
					break
				}
				dir = parent
			}
		}
	}
	slashed := filepath.ToSlash(r.Path)
	// The standard library, in this machine's Go installation.
	if pkg := model.PackageOf(r.Function); pkg != "" && !strings.Contains(strings.Split(pkg, "/")[0], ".") {
		if root := p.goroot(); root != "" {
			out = append(out, filepath.Join(root, "src", filepath.FromSlash(pkg), filepath.Base(r.Path)))
		}
	}
	// A dependency, in the module cache: the path from its module on
	// ("github.com/x/y@v1.2.3/z.go", after ".../pkg/mod/" or as -trimpath
	// writes it).
	if cache := p.gomodcache(); cache != "" && strings.Contains(slashed, "@") {
		if _, after, ok := strings.Cut(slashed, "/pkg/mod/"); ok {
			out = append(out, filepath.Join(cache, filepath.FromSlash(after)))
		}
		elems := strings.Split(slashed, "/")
		for i, e := range elems {
			if strings.Contains(e, ".") && i+1 < len(elems) && strings.Contains(strings.Join(elems[i:], "/"), "@") {
				out = append(out, filepath.Join(cache, filepath.FromSlash(strings.Join(elems[i:], "/"))))
			}
		}
	}
	// The path's last elements under the search folders: a program built
	// elsewhere, opened beside its sources.
	elems := strings.Split(strings.TrimPrefix(slashed, "/"), "/")
	for _, dir := range dirs {
		for i := 1; i < len(elems); i++ {
			out = append(out, filepath.Join(dir, filepath.FromSlash(strings.Join(elems[i:], "/"))))
		}
	}
	return out
}

func readSource(path string, taken time.Time) (*SourceFile, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil || info.IsDir() {
		return nil, fmt.Errorf("%s is not a file", path)
	}
	f := &SourceFile{Path: path, Changed: !taken.IsZero() && info.ModTime().After(taken)}
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		f.Lines = append(f.Lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return f, nil
}

func (p SourcePaths) goroot() string {
	if p.GOROOT != "" {
		return p.GOROOT
	}
	return goEnv("GOROOT")
}

func (p SourcePaths) gomodcache() string {
	if p.GOMODCACHE != "" {
		return p.GOMODCACHE
	}
	return goEnv("GOMODCACHE")
}

var goEnvCache sync.Map

// goEnv is a Go setting: from the environment, else from go env (once;
// "" when Go is not installed).
func goEnv(name string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	if v, ok := goEnvCache.Load(name); ok {
		return v.(string)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "env", name).Output()
	v := ""
	if err == nil {
		v = strings.TrimSpace(string(out))
	}
	goEnvCache.Store(name, v)
	return v
}
