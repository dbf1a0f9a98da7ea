package main

import (
	"fmt"
	"io"
	"regexp"

	"github.com/flamelens/flamelens/model"
	"github.com/flamelens/flamelens/session"
)

func runList(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet(command{name: "flamelens list", synopsis: "[-sample_index X] [FILTERS] [-source_path DIRS] [-trim_path PREFIXES] REGEX SOURCE",
		about: "Prints the source of each function whose name matches REGEX with flat and cum beside every line,\n" +
			"as go tool pprof -list does and in its layout: a ROUTINE header per function and file, then\n" +
			"flat, cum, line number and text. Source files are found where the profile says, under -source_path,\n" +
			"in this machine's Go installation (the standard library) and module cache (dependencies).",
		examples: []string{
			"flamelens list 'json.*object$' cpu.pprof",
			"flamelens list -source_path=$HOME/src/myapp -trim_path=/build Handler cpu.pprof",
			"flamelens list -diff_base=before.pprof Unmarshal after.pprof",
		}}, stdout, stderr)
	src := addSourceFlags(fs)
	if err := parseFlags(fs, args, 2, 2); err != nil {
		return err
	}
	re, err := regexp.Compile(fs.Arg(0))
	if err != nil {
		return usageError{fmt.Sprintf("list: bad REGEX: %v", err)}
	}
	src.granularity = [5]bool{} // a listing is of lines, as pprof's
	src.granularity[model.Lines] = true
	info, s, err := src.table(fs.Arg(1))
	if err != nil {
		return err
	}
	routines, err := s.Routines(re)
	if err != nil {
		return err
	}
	sources := src.sources(info)
	if err := model.WriteList(stdout, s, routines, sources.Reader()); err != nil {
		return err
	}
	for _, r := range routines {
		if f, err := sources.Find(r); err == nil && f.Changed {
			fmt.Fprintf(stderr, "flamelens: warning: %s changed since the profile was taken: its lines may not be the ones profiled\n", f.Path)
		}
	}
	return nil
}

// sources finds the source files of the profile info describes, where
// the flags say.
func (sf *sourceFlags) sources(info *model.Info) *session.Sources {
	return &session.Sources{Paths: session.SourcePaths{SourcePath: sf.sourcePath, TrimPath: sf.trimPath}, Taken: info.Taken()}
}
